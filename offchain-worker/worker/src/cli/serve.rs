//! `gonka-worker serve`: the host's public HTTP endpoint.
//!
//! One listener serves both things a host must answer on its registered endpoint:
//! - the OpenAI-compatible inference API (`/v1/models`, `/v1/chat/completions`,
//!   `/v1/completions`) for the model given with `--model` (GGUF file or Hugging Face directory);
//! - the sprint proof server (`/v1/pow/{epoch}/...`) for the sprint directories given with
//!   `--proofs-dir`, which validators fetch leaves and Merkle paths from.

use std::{net::SocketAddr, path::PathBuf, sync::Arc};

use anyhow::Context;
use clap::Args;
use gonka_inference::model::Precision;
use gonka_inference::{load_model, ApiConfig, Engine, EngineConfig, LoadOptions};
use gonka_pow::{
	server::{proof_router, ProofStore},
	store::read_sprint,
};

/// Arguments of `gonka-worker serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
	/// The model to serve: a `.gguf` file or a directory with `config.json`, `tokenizer.json` and
	/// `*.safetensors`.
	#[arg(long)]
	model: PathBuf,
	/// Id the API reports for the model (default: from the file's metadata).
	#[arg(long)]
	model_id: Option<String>,
	/// Address to listen on.
	#[arg(long, default_value = "0.0.0.0:8080")]
	listen: SocketAddr,
	/// Sprint directories (from `gonka-worker pow run`) whose proofs to serve; repeat the flag.
	#[arg(long = "proofs-dir")]
	proofs_dirs: Vec<PathBuf>,
	/// Run on the CPU even when CUDA is present.
	#[arg(long)]
	cpu: bool,
	/// Weight precision: `auto` (= `f32`), `f32`, `bf16`, `f16`, `q8` or `native` (the file's
	/// own quantisation). Validators only accept outputs computed in the precision the
	/// catalogue names for the model (`gonka-worker run` uses that one).
	#[arg(long, default_value = "auto")]
	dtype: Precision,
	/// Most sequences decoded together (continuous batching).
	#[arg(long, default_value_t = EngineConfig::default().max_batch_size)]
	max_batch: usize,
	/// Most prompt tokens prefilled per engine step, so long prompts do not stall decodes
	/// (0 = whole prompts).
	#[arg(long, default_value_t = EngineConfig::default().prefill_chunk)]
	prefill_chunk: usize,
	/// libtorch intra-op threads (default: libtorch's choice).
	#[arg(long)]
	threads: Option<i32>,
	/// Requests served at once; more get HTTP 429.
	#[arg(long, default_value_t = ApiConfig::default().max_concurrent_requests)]
	max_concurrent: usize,
	/// Largest `max_tokens` a request may ask for.
	#[arg(long, default_value_t = ApiConfig::default().max_tokens_limit)]
	max_tokens: usize,
	/// Skip hashing the weights at start-up (the hash is what the on-chain catalogue records).
	#[arg(long)]
	no_hash: bool,
}

/// Loads the model and the proofs, then serves until Ctrl-C.
pub fn run(args: ServeArgs) -> anyhow::Result<()> {
	let store = Arc::new(ProofStore::new());
	for dir in &args.proofs_dirs {
		let record = read_sprint(dir).with_context(|| format!("--proofs-dir {}", dir.display()))?;
		eprintln!("serving proofs of epoch {} ({} leaves)", record.epoch, record.tree.count());
		store.insert(record.epoch, record.tree);
	}

	let mut load = LoadOptions {
		model_id: args.model_id.clone(),
		compute_hash: !args.no_hash,
		precision: args.dtype,
		..Default::default()
	};
	if args.cpu {
		load.device = tch::Device::Cpu;
	}
	let loaded = load_model(&args.model, &load)
		.with_context(|| format!("cannot load --model {}", args.model.display()))?;
	eprintln!(
		"loaded model {} (weights hash {})",
		loaded.info.id,
		loaded.info.content_hash.as_deref().unwrap_or("not computed")
	);
	let engine_config = EngineConfig {
		max_batch_size: args.max_batch,
		num_threads: args.threads,
		prefill_chunk: args.prefill_chunk,
	};
	let api_config = ApiConfig {
		max_concurrent_requests: args.max_concurrent,
		max_tokens_limit: args.max_tokens,
		..Default::default()
	};
	let engine = Engine::start(loaded, engine_config);
	let app = gonka_inference::router(engine, api_config).merge(proof_router(store));

	let runtime = tokio::runtime::Runtime::new()?;
	runtime.block_on(async {
		let listener = tokio::net::TcpListener::bind(args.listen)
			.await
			.with_context(|| format!("binding {}", args.listen))?;
		println!("listening on http://{}", listener.local_addr()?);
		// The public endpoint: not starvable, and a completion in progress when its connection
		// ages out may still run for an hour (long streams on a CPU).
		let limits = gonka_pow::listener::ListenerLimits::for_completions();
		tokio::select! {
			served = gonka_pow::listener::serve(listener, app, limits) => served?,
			_ = tokio::signal::ctrl_c() => {},
		}
		Ok(())
	})
}
