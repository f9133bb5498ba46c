//! `gonka-worker run`: the host daemon (see [`crate::daemon`]).

use crate::{
	chain::parse_account,
	daemon::{keys, DaemonConfig},
};
use clap::Args;
use gonka_pow::device::{ComputeDevice, DeviceChoice, DtypeChoice};
use std::{net::SocketAddr, path::PathBuf};

/// Arguments of `gonka-worker run`.
#[derive(Debug, Args)]
pub struct RunArgs {
	/// The node's WebSocket RPC.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// The host account this worker works for (SS58 or 0x-hex).
	#[arg(long)]
	pub host: String,
	/// File holding the worker key's secret (a secret URI or 0x-seed; chmod 600).
	#[arg(long)]
	pub worker_key_file: PathBuf,
	/// File holding the host account's secret, to claim GNK automatically (optional).
	#[arg(long)]
	pub host_key_file: Option<PathBuf>,
	/// Where the proof server and /metrics listen (the host's registered endpoint).
	#[arg(long, default_value = "0.0.0.0:8080")]
	pub listen: SocketAddr,
	/// Where progress and sprint proofs are kept across restarts.
	#[arg(long, default_value = "gonka-worker-state")]
	pub state_dir: PathBuf,
	/// `auto` (CUDA if present), `cpu`, `cuda` or `cuda:N`.
	#[arg(long, default_value = "auto")]
	pub device: String,
	/// `auto` (bf16 on CUDA, f32 on CPU), `f32`, `bf16` or `f16`.
	#[arg(long, default_value = "auto")]
	pub dtype: String,
	/// Seconds of search between progressive commitments during a sprint.
	#[arg(long, default_value_t = 60.0)]
	pub commit_every_secs: f64,
	/// Testing only: commit a count inflated by this many percent (a cheating host).
	#[arg(long, default_value_t = 0, hide = true)]
	pub testing_inflate_count_percent: u32,
	/// Serve this catalogue model (GGUF file or Hugging Face directory) on `--listen`: paid
	/// sessions' completions, and validation of sampled ones. Its hash must be the catalogue's.
	/// Repeat for several models (each with its own engine, on the same endpoint).
	#[arg(long)]
	pub model: Vec<PathBuf>,
	/// The catalogue id a single `--model` is served as (default: the host's registered model
	/// whose hash matches the file).
	#[arg(long, requires = "model")]
	pub catalogue_model: Option<u32>,
	/// Threads of the inference engine (default: all cores on CPU).
	#[arg(long)]
	pub inference_threads: Option<i32>,
	/// Most sequences the inference engine decodes together.
	#[arg(long, default_value_t = 8)]
	pub max_batch: usize,
	/// Testing only: serve `--model` even if its hash differs from the catalogue's (a cheater).
	#[arg(long, hide = true)]
	pub testing_skip_model_hash: bool,
	/// Testing only: perturb the served weights by this many percent of their standard deviation
	/// (a cheating executor, caught by validators).
	#[arg(long, hide = true)]
	pub testing_perturb_weights: Option<f64>,
}

/// Runs `gonka-worker run`.
pub fn run(args: RunArgs) -> anyhow::Result<()> {
	let device: DeviceChoice = args.device.parse()?;
	let dtype: DtypeChoice = args.dtype.parse()?;
	let compute = ComputeDevice::select(device, dtype)?;
	let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
	let on_cpu = compute.device == tch::Device::Cpu;
	tch::set_num_threads(1);
	let cfg = DaemonConfig {
		url: args.url,
		host: parse_account(&args.host)?,
		worker: keys::worker_key(&args.worker_key_file)?,
		host_key: args.host_key_file.as_deref().map(keys::host_key).transpose()?,
		listen: args.listen,
		state_dir: args.state_dir,
		compute,
		lanes: if on_cpu { cores } else { 1 },
		commit_every: std::time::Duration::from_secs_f64(args.commit_every_secs.max(0.5)),
		inflate_count_percent: args.testing_inflate_count_percent,
		serve: (!args.model.is_empty()).then(|| crate::daemon::serving::ServeConfig {
			paths: args.model,
			catalogue_id: args.catalogue_model,
			cpu: on_cpu,
			threads: args.inference_threads.or(Some(cores as i32)),
			max_batch: args.max_batch,
			skip_hash_check: args.testing_skip_model_hash,
			perturb_percent: args.testing_perturb_weights,
		}),
	};
	tokio::runtime::Runtime::new()?.block_on(crate::daemon::run(cfg))
}
