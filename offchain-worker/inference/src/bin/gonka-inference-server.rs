//! Stand-alone OpenAI-compatible server for one model (what `gonka-worker serve` wraps).
//!
//! Usage: `gonka-inference-server --model PATH [--addr 127.0.0.1:8080] [--model-id ID]
//!         [--dtype auto|f32|bf16|f16|q8|native] [--max-batch 8] [--prefill-chunk 512]
//!         [--threads N] [--max-concurrent 32] [--max-tokens 2048] [--no-hash]`
//! Prints `listening on ADDR` once the socket is bound (tests wait for that line).
//! On CPUs shared with other work, start it with `OMP_WAIT_POLICY=PASSIVE` (see
//! docs/benchmarks.md, "Inference").

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use gonka_inference::{load_model, serve, ApiConfig, Engine, EngineConfig, LoadOptions};

struct Args {
	model: PathBuf,
	addr: SocketAddr,
	load: LoadOptions,
	engine: EngineConfig,
	api: ApiConfig,
}

fn parse_args() -> Result<Args, String> {
	let mut model = None;
	let mut addr: SocketAddr = "127.0.0.1:8080".parse().map_err(|e| format!("{e}"))?;
	let mut load = LoadOptions::default();
	let mut engine = EngineConfig::default();
	let mut api = ApiConfig::default();
	let mut it = std::env::args().skip(1);
	while let Some(flag) = it.next() {
		let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
		let num = |v: String| v.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
		match flag.as_str() {
			"--model" => model = Some(PathBuf::from(value()?)),
			"--addr" => addr = value()?.parse().map_err(|e| format!("--addr: {e}"))?,
			"--model-id" => load.model_id = Some(value()?),
			"--max-batch" => engine.max_batch_size = num(value()?)?,
			"--prefill-chunk" => engine.prefill_chunk = num(value()?)?,
			"--dtype" => load.precision = value()?.parse().map_err(|e| format!("--dtype: {e}"))?,
			"--threads" => engine.num_threads = Some(num(value()?)? as i32),
			"--max-concurrent" => api.max_concurrent_requests = num(value()?)?,
			"--max-tokens" => api.max_tokens_limit = num(value()?)?,
			"--max-body-bytes" => api.max_body_bytes = num(value()?)?,
			"--no-hash" => load.compute_hash = false,
			"--cpu" => load.device = tch::Device::Cpu,
			"-h" | "--help" => return Err(String::new()),
			other => return Err(format!("unknown argument {other}")),
		}
	}
	let model = model.ok_or("--model PATH is required")?;
	Ok(Args { model, addr, load, engine, api })
}

fn main() -> ExitCode {
	tracing_subscriber::fmt()
		.with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
		.init();
	let args = match parse_args() {
		Ok(a) => a,
		Err(e) => {
			if !e.is_empty() {
				eprintln!("error: {e}");
			}
			eprintln!("usage: gonka-inference-server --model PATH [--addr HOST:PORT] [--model-id ID] [--dtype auto|f32|bf16|f16|q8|native] [--max-batch N] [--prefill-chunk N] [--threads N] [--max-concurrent N] [--max-tokens N] [--max-body-bytes N] [--no-hash] [--cpu]");
			return ExitCode::from(2);
		},
	};
	let loaded = match load_model(&args.model, &args.load) {
		Ok(m) => m,
		Err(e) => {
			eprintln!("error: cannot load {}: {e}", args.model.display());
			return ExitCode::FAILURE;
		},
	};
	eprintln!(
		"loaded {} ({}) in {}, {} MB of weights",
		loaded.info.id,
		loaded.info.content_hash.as_deref().unwrap_or("content hash not computed"),
		loaded.info.precision,
		loaded.info.weight_bytes >> 20
	);
	let engine = Engine::start(loaded, args.engine);
	let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
		Ok(rt) => rt,
		Err(e) => {
			eprintln!("error: tokio runtime: {e}");
			return ExitCode::FAILURE;
		},
	};
	let result =
		rt.block_on(serve(args.addr, engine, args.api, |a| println!("listening on {a}"), async {
			let _ = tokio::signal::ctrl_c().await;
		}));
	match result {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("error: server: {e}");
			ExitCode::FAILURE
		},
	}
}
