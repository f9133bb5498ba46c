//! `gonka-worker pow ...`: the sprint proof of work from the command line.
//!
//! - `bench`: nonces/s, FLOP/s and model-FLOP utilisation on this device;
//! - `run`: an offline sprint, writing the commitment and leaves to a directory;
//! - `verify`: validate a host from its proof server (or a sprint directory);
//! - `serve-proofs`: serve sprint directories over HTTP.

use anyhow::{anyhow, bail, Context};
use clap::{Args, Subcommand};
use gonka_pow::{
	bench::run_bench,
	client::ProofClient,
	derive::Seed,
	device::{ComputeDevice, DeviceChoice, DtypeChoice},
	merkle::SprintTree,
	model::SprintModel,
	params::resolve_params,
	search::{default_batch_size, search, SearchConfig, SearchStats},
	server::{proof_router, ProofStore},
	store::{read_sprint, write_sprint, SprintRecord},
	validate::{judge, validate_over_http, ValidationReport, ValidationTask},
	wire::hex_to_bytes32,
	PowParams, SprintCommitment,
};
use gonka_primitives::pow::EpochIndex;
use std::{
	net::SocketAddr,
	path::PathBuf,
	sync::{atomic::AtomicBool, Arc},
	time::{Duration, Instant},
};

/// Sprint proof-of-work subcommands.
#[derive(Debug, Subcommand)]
pub enum PowCommand {
	/// Measure nonces/s and model-FLOP utilisation against this device's matmul rate.
	Bench(BenchArgs),
	/// Run a sprint offline and write its commitment and leaves to a directory.
	Run(RunArgs),
	/// Validate a host's sprint: sample leaves, check Merkle paths, recompute nonces.
	Verify(VerifyArgs),
	/// Serve the proofs of sprint directories over HTTP.
	ServeProofs(ServeArgs),
}

/// Where and how the model runs.
#[derive(Debug, Args)]
pub struct ComputeArgs {
	/// Model shape and radius: a preset (`tiny`, `bench`) or a JSON file.
	#[arg(long, default_value = "bench")]
	pub params: String,
	/// `auto` (CUDA if present), `cpu`, `cuda` or `cuda:N`.
	#[arg(long, default_value = "auto")]
	pub device: String,
	/// `auto` (bf16 on CUDA, f32 on CPU), `f32`, `bf16` or `f16`.
	#[arg(long, default_value = "auto")]
	pub dtype: String,
	/// Nonces per forward pass (default: chosen for the device).
	#[arg(long)]
	pub batch: Option<usize>,
	/// libtorch intra-op threads (default: 1 on CPU, where lanes use the cores; all cores on CUDA).
	#[arg(long)]
	pub threads: Option<usize>,
	/// Concurrent device loops (default: one per core on CPU, 1 on CUDA).
	#[arg(long)]
	pub lanes: Option<usize>,
	/// CPU threads drawing inputs ahead of the device (default: 1 on CPU, cores - 1 on CUDA).
	#[arg(long)]
	pub producers: Option<usize>,
	/// Device memory assumed when sizing CUDA batches, in GiB.
	#[arg(long, default_value_t = 16)]
	pub device_memory_gib: u64,
}

/// Arguments of `pow bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
	#[command(flatten)]
	compute: ComputeArgs,
	/// Seconds of nonce search to time.
	#[arg(long, default_value_t = 20.0)]
	seconds: f64,
	/// Side of the square matmul that measures the device's rate.
	#[arg(long, default_value_t = 2048)]
	matmul_n: i64,
}

/// Arguments of `pow run`.
#[derive(Debug, Args)]
pub struct RunArgs {
	#[command(flatten)]
	compute: ComputeArgs,
	/// Epoch seed, 32 bytes hex.
	#[arg(long)]
	seed: String,
	/// Epoch index recorded in the commitment.
	#[arg(long, default_value_t = 0)]
	epoch: EpochIndex,
	/// This worker's public key, 32 bytes hex.
	#[arg(long)]
	worker_key: String,
	/// Directory to write `sprint.json` and `leaves.json` to.
	#[arg(long)]
	out: PathBuf,
	/// First nonce.
	#[arg(long, default_value_t = 0)]
	start_nonce: u64,
	/// Number of nonces to try (default: until --seconds or Ctrl-C).
	#[arg(long)]
	nonces: Option<u64>,
	/// Seconds to search (default: until --nonces or Ctrl-C).
	#[arg(long)]
	seconds: Option<f64>,
}

/// Arguments of `pow verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
	#[command(flatten)]
	compute: ComputeArgs,
	/// Proof server of the target host, e.g. `http://10.0.0.5:8080`.
	#[arg(long, conflicts_with = "dir")]
	url: Option<String>,
	/// A sprint directory to verify instead of a server (seed, key, params default from it).
	#[arg(long)]
	dir: Option<PathBuf>,
	/// Epoch seed, 32 bytes hex (required with --url).
	#[arg(long)]
	seed: Option<String>,
	/// Epoch to verify (required with --url).
	#[arg(long)]
	epoch: Option<EpochIndex>,
	/// The target's worker key, 32 bytes hex (required with --url).
	#[arg(long)]
	target_key: Option<String>,
	/// The validator's account id, 32 bytes hex (chooses the samples).
	#[arg(long)]
	validator_key: String,
	/// The target's account id, 32 bytes hex (chooses the samples; default: the target key).
	#[arg(long)]
	target_account: Option<String>,
	/// Committed Merkle root (default: asked from the server; normally read from the chain).
	#[arg(long, requires = "count")]
	root: Option<String>,
	/// Committed leaf count (with --root).
	#[arg(long, requires = "root")]
	count: Option<u32>,
	/// Leaves to sample.
	#[arg(long, default_value_t = 32)]
	samples: u32,
	/// Seconds to wait for the host.
	#[arg(long, default_value_t = 30)]
	timeout: u64,
}

/// Arguments of `pow serve-proofs`.
#[derive(Debug, Args)]
pub struct ServeArgs {
	/// Sprint directories to serve (one per epoch; repeat the flag).
	#[arg(long = "dir", required = true)]
	dirs: Vec<PathBuf>,
	/// Address to listen on.
	#[arg(long, default_value = "0.0.0.0:8080")]
	listen: SocketAddr,
}

/// Runs a `pow` subcommand.
pub fn run(command: PowCommand) -> anyhow::Result<()> {
	match command {
		PowCommand::Bench(args) => bench(args),
		PowCommand::Run(args) => run_sprint(args),
		PowCommand::Verify(args) => verify(args),
		PowCommand::ServeProofs(args) => serve(args),
	}
}

fn parse_key(name: &str, hex: &str) -> anyhow::Result<[u8; 32]> {
	hex_to_bytes32(hex).with_context(|| format!("--{name}"))
}

struct Setup {
	params: PowParams,
	compute: ComputeDevice,
	batch: usize,
	producers: usize,
	lanes: usize,
}

fn setup(args: &ComputeArgs, params: Option<PowParams>, exact: bool) -> anyhow::Result<Setup> {
	let params = match params {
		Some(p) => p,
		None => resolve_params(&args.params)?,
	};
	let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
	let device: DeviceChoice = args.device.parse()?;
	let dtype: DtypeChoice = if exact { DtypeChoice::F32 } else { args.dtype.parse()? };
	let compute = ComputeDevice::select(device, dtype)?;
	let on_cpu = compute.device == tch::Device::Cpu;
	let lanes = args.lanes.unwrap_or(if on_cpu { cores } else { 1 });
	let threads = args.threads.unwrap_or(if on_cpu { (cores / lanes).max(1) } else { cores });
	tch::set_num_threads(threads as i32);
	let memory = args.device_memory_gib << 30;
	let batch = args.batch.unwrap_or_else(|| default_batch_size(&params, compute, memory));
	let producers = args.producers.unwrap_or(match compute.device {
		tch::Device::Cpu => 1,
		_ => cores.saturating_sub(1).clamp(1, 8),
	});
	Ok(Setup { params, compute, batch, producers, lanes })
}

fn build_model(setup: &Setup, seed: &Seed) -> anyhow::Result<SprintModel> {
	let t = Instant::now();
	let model = SprintModel::new(setup.params, seed, setup.compute)?;
	eprintln!(
		"model ready on {} in {:.1} s (batch {}, {} lane(s), {} input producer(s))",
		setup.compute.describe(),
		t.elapsed().as_secs_f64(),
		setup.batch,
		setup.lanes,
		setup.producers
	);
	Ok(model)
}

/// Prints a progress line at most once a second.
fn progress_printer() -> impl FnMut(&SearchStats) {
	let mut last = Instant::now();
	move |s: &SearchStats| {
		if last.elapsed() >= Duration::from_secs(1) {
			last = Instant::now();
			eprintln!(
				"[{:6.1} s] {} nonces ({:.1}/s), {} valid, device waiting for inputs {:.1}%",
				s.wall.as_secs_f64(),
				s.nonces,
				s.nonces_per_second(),
				s.valid,
				100.0 * s.input_wait.as_secs_f64() / s.wall.as_secs_f64().max(1e-9)
			);
		}
	}
}

fn bench(args: BenchArgs) -> anyhow::Result<()> {
	let setup = setup(&args.compute, None, false)?;
	let seed = [0x42u8; 32];
	let model = build_model(&setup, &seed)?;
	let config = SearchConfig {
		seed,
		worker_key: [0x17u8; 32],
		start_nonce: 0,
		max_nonces: None,
		duration: Some(Duration::from_secs_f64(args.seconds)),
		batch_size: setup.batch,
		producer_threads: setup.producers,
		lanes: setup.lanes,
	};
	let report = run_bench(&model, &config, args.matmul_n)?;
	println!("{}", report.markdown());
	Ok(())
}

/// A flag that turns true on Ctrl-C, so a sprint ends cleanly and still writes its commitment.
fn ctrl_c_flag() -> anyhow::Result<Arc<AtomicBool>> {
	let flag = Arc::new(AtomicBool::new(false));
	let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
	let set = flag.clone();
	std::thread::spawn(move || {
		if runtime.block_on(tokio::signal::ctrl_c()).is_ok() {
			eprintln!("stopping after the current batches (Ctrl-C)");
			set.store(true, std::sync::atomic::Ordering::Relaxed);
		}
	});
	Ok(flag)
}

fn run_sprint(args: RunArgs) -> anyhow::Result<()> {
	let seed = parse_key("seed", &args.seed)?;
	let worker_key = parse_key("worker-key", &args.worker_key)?;
	let setup = setup(&args.compute, None, false)?;
	let model = build_model(&setup, &seed)?;
	let config = SearchConfig {
		seed,
		worker_key,
		start_nonce: args.start_nonce,
		max_nonces: args.nonces,
		duration: args.seconds.map(Duration::from_secs_f64),
		batch_size: setup.batch,
		producer_threads: setup.producers,
		lanes: setup.lanes,
	};
	let stop = ctrl_c_flag()?;
	let outcome = search(&model, &config, &stop, progress_printer())?;
	let record = SprintRecord {
		epoch: args.epoch,
		seed,
		worker_key,
		params: setup.params,
		tree: SprintTree::new(outcome.leaves)?,
		nonces_searched: outcome.stats.nonces,
		seconds: outcome.stats.wall.as_secs_f64(),
	};
	write_sprint(&args.out, &record)?;
	let c = record.commitment();
	eprintln!(
		"{} nonces in {:.1} s ({:.1}/s), {} valid",
		outcome.stats.nonces,
		outcome.stats.wall.as_secs_f64(),
		outcome.stats.nonces_per_second(),
		c.count
	);
	println!("{}", serde_json::to_string_pretty(&gonka_pow::wire::CommitmentJson::from(c))?);
	Ok(())
}

fn print_report(report: &ValidationReport) -> anyhow::Result<()> {
	for (index, nonce, outcome) in &report.samples {
		eprintln!("leaf {index} (nonce {nonce}): {outcome:?}");
	}
	if let Some(reason) = &report.not_served_reason {
		eprintln!("proofs not served: {reason}");
	}
	let v = report.verdict;
	println!(
		"{}",
		serde_json::json!({
			"samples_checked": v.samples_checked,
			"mismatches": v.mismatches,
			"proofs_not_served": v.proofs_not_served,
		})
	);
	Ok(())
}

fn verify(args: VerifyArgs) -> anyhow::Result<()> {
	let validator_key = parse_key("validator-key", &args.validator_key)?;
	let record = args.dir.as_deref().map(read_sprint).transpose()?;
	let seed = match (&args.seed, &record) {
		(Some(s), _) => parse_key("seed", s)?,
		(None, Some(r)) => r.seed,
		(None, None) => bail!("--seed is required with --url"),
	};
	let target_key = match (&args.target_key, &record) {
		(Some(k), _) => parse_key("target-key", k)?,
		(None, Some(r)) => r.worker_key,
		(None, None) => bail!("--target-key is required with --url"),
	};
	let epoch = args.epoch.or(record.as_ref().map(|r| r.epoch));
	let epoch = epoch.ok_or_else(|| anyhow!("--epoch is required with --url"))?;
	let params = record.as_ref().map(|r| r.params);
	let setup = setup(&args.compute, params, true)?;
	let model = build_model(&setup, &seed)?;
	let given = match (&args.root, args.count) {
		(Some(root), Some(count)) => {
			Some(SprintCommitment { epoch, count, merkle_root: parse_key("root", root)?.into() })
		},
		_ => None,
	};
	let target_account = match &args.target_account {
		Some(a) => parse_key("target-account", a)?,
		None => target_key,
	};
	let task = |commitment: SprintCommitment| ValidationTask {
		target_account,
		seed,
		params: setup.params,
		target_key,
		validator_key,
		commitment,
		samples: args.samples,
	};
	let report = match (&args.url, &record) {
		(Some(url), _) => {
			let runtime = tokio::runtime::Runtime::new()?;
			let client = ProofClient::new(url, Duration::from_secs(args.timeout))?;
			runtime.block_on(async {
				let commitment = match given {
					Some(c) => c,
					None => match client.commitment(epoch).await {
						Ok(c) => c,
						Err(e) => {
							eprintln!("could not read the commitment from {url}: {e}");
							return print_report(&ValidationReport {
								verdict: gonka_pow::ValidationVerdict {
									samples_checked: 0,
									mismatches: 0,
									proofs_not_served: true,
								},
								samples: vec![],
								not_served_reason: Some(e.to_string()),
							});
						},
					},
				};
				let report =
					validate_over_http(&task(commitment), &client, &model, setup.batch).await?;
				print_report(&report)
			})?;
			return Ok(());
		},
		(None, Some(record)) => {
			let task = task(given.unwrap_or_else(|| record.commitment()));
			let (sampled, requested) = task.plan();
			let served = requested
				.iter()
				.map(|&i| record.tree.proof(i))
				.collect::<Result<Vec<_>, _>>()
				.map_err(|e| gonka_pow::client::FetchError::Malformed(e.to_string()));
			judge(&task, &sampled, &requested, served, &model, setup.batch)?
		},
		(None, None) => bail!("give --url (a proof server) or --dir (a sprint directory)"),
	};
	print_report(&report)
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
	let store = Arc::new(ProofStore::new());
	for dir in &args.dirs {
		let record = read_sprint(dir)?;
		eprintln!(
			"serving epoch {} from {} ({} leaves)",
			record.epoch,
			dir.display(),
			record.tree.count()
		);
		store.insert(record.epoch, record.tree);
	}
	let runtime = tokio::runtime::Runtime::new()?;
	runtime.block_on(async {
		let listener = tokio::net::TcpListener::bind(args.listen)
			.await
			.with_context(|| format!("binding {}", args.listen))?;
		eprintln!("proof server listening on http://{}", listener.local_addr()?);
		let limits = gonka_pow::listener::ListenerLimits::default();
		gonka_pow::listener::serve(listener, proof_router(store), limits).await?;
		Ok(())
	})
}
