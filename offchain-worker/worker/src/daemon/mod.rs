//! `gonka-worker run`: the host's daemon. With no further action it takes part in every epoch:
//!
//! - **Sprint**: at the sprint's first block it builds the model from the chain's seed and PoW
//!   parameters and searches nonces (keyed by its worker key) until one block before the sprint
//!   ends, committing `(epoch, count, root)` progressively (every `commit_every`, and at the end)
//!   as fee-less general transactions signed by the worker key; it serves the proofs of the last
//!   commitment the chain accepted. A worker restarted mid-sprint resumes from those leaves.
//! - **Validation**: it reads its assignments, fetches each target's sampled proofs from the
//!   target's registered endpoint, recomputes them (f32) and submits the verdicts.
//! - **Claims**: with a host key, it claims the GNK of every open epoch it earned in.
//!
//! Progress is kept on disk ([`progress`]): a restarted daemon reloads its sprints into the proof
//! server and never submits twice. `GET /metrics` serves Prometheus metrics ([`metrics`]). Log
//! lines are `key=value` pairs on stderr.

pub mod chain;
pub mod keys;
pub mod metrics;
pub mod progress;
pub mod serving;

use crate::chain::ChainClient;
use crate::chain::{AccountId, EpochStatus, Phase};
use anyhow::{anyhow, Context};
pub use chain::SprintChain;
use gonka_pow::{
	device::ComputeDevice,
	merkle::SprintTree,
	model::SprintModel,
	search::{default_batch_size, search, SearchConfig},
	server::{proof_router, ProofStore},
	store::{read_sprint, write_sprint, SprintRecord},
};
use gonka_primitives::{
	crypto::worker::WorkerPair,
	pow::{EpochIndex, PowParams, SprintCommitment},
	sprint::commitment_payload,
};
use metrics::Metrics;
use progress::{sprint_dir, Progress};
use sp_core::Pair as _;
use std::{
	net::SocketAddr,
	path::PathBuf,
	sync::{
		atomic::{AtomicBool, Ordering::Relaxed},
		Arc,
	},
	time::{Duration, Instant},
};

/// How long the daemon waits for a new best block before looking at the chain anyway (the
/// follower may be reconnecting).
const HEAD_TIMEOUT: Duration = Duration::from_secs(12);

/// Everything the daemon needs.
pub struct DaemonConfig {
	/// The node's WebSocket RPC.
	pub url: String,
	/// The host account this worker works for.
	pub host: AccountId,
	/// The host's worker key.
	pub worker: WorkerPair,
	/// The host account's key, to claim GNK (none: claims are left to the host).
	pub host_key: Option<subxt_signer::sr25519::Keypair>,
	/// Where the proof server and metrics listen.
	pub listen: SocketAddr,
	/// Where progress and sprints are kept.
	pub state_dir: PathBuf,
	/// The device searching nonces (validation recomputes in f32 on it).
	pub compute: ComputeDevice,
	/// Parallel search loops.
	pub lanes: usize,
	/// How long to search between commitments during the sprint.
	pub commit_every: Duration,
	/// Testing only: commit a count this many percent above the real one (a cheating host).
	pub inflate_count_percent: u32,
	/// The catalogue model to serve (inference market), if any.
	pub serve: Option<serving::ServeConfig>,
}

/// Logs one `key=value` line on stderr.
macro_rules! event {
	($($arg:tt)*) => { eprintln!("gonka-worker {}", format!($($arg)*)) };
}

mod validation;

/// The running daemon, over chain `C` ([`ChainClient`]; a test double in tests).
struct Daemon<C: SprintChain = ChainClient> {
	cfg: DaemonConfig,
	chain: C,
	store: Arc<ProofStore>,
	metrics: Arc<Metrics>,
	progress: Progress,
	/// The model of the latest sprint, kept for its validation (building one from the seed is
	/// the costly part of a model's life): epoch, seed, device, model.
	model: Option<(EpochIndex, [u8; 32], ComputeDevice, SprintModel)>,
	/// The chain's latest best block ([`crate::chain::follow`]): the daemon acts when it
	/// moves.
	heads: tokio::sync::watch::Receiver<Option<crate::chain::follow::Head<C>>>,
}

/// Runs the daemon until Ctrl-C.
pub async fn run(cfg: DaemonConfig) -> anyhow::Result<()> {
	let chain = connect(&cfg.url).await;
	let store = Arc::new(ProofStore::new());
	let progress = Progress::load(&cfg.state_dir)?;
	for e in progress.committed.iter().copied() {
		if let Ok(record) = read_sprint(&sprint_dir(&cfg.state_dir, e)) {
			store.insert(e, record.tree);
		}
	}
	let metrics = Arc::new(Metrics::default());
	let mut app = proof_router(store.clone()).merge(metrics::router(metrics.clone()));
	if let Some(serve) = &cfg.serve {
		let serving = serving::Serving::start(
			serve,
			&chain,
			&cfg.host,
			&cfg.worker,
			&cfg.state_dir,
			metrics.clone(),
		)
		.await?;
		app = app.merge(serving.router.clone());
		tokio::spawn(serving.background());
	}
	let listener = tokio::net::TcpListener::bind(cfg.listen)
		.await
		.with_context(|| format!("cannot listen on {}", cfg.listen))?;
	event!("event=listening url=http://{} served_epochs={:?}", cfg.listen, store.epochs());
	// Validators judge "proofs not served" as invalid: the listener must not be starvable. A
	// host serving completions lets one in progress finish when its connection ages out.
	let limits = if cfg.serve.is_some() {
		gonka_pow::listener::ListenerLimits::for_completions()
	} else {
		gonka_pow::listener::ListenerLimits::default()
	};
	tokio::spawn(gonka_pow::listener::serve(listener, app, limits));
	let heads = crate::chain::follow::follow(cfg.url.clone());
	let mut daemon = Daemon { cfg, chain, store, metrics, progress, model: None, heads };
	tokio::select! {
		r = daemon.work() => r,
		_ = tokio::signal::ctrl_c() => { event!("event=stopped reason=ctrl-c"); Ok(()) },
	}
}

/// Connects, retrying every 2 s until the node answers.
async fn connect(url: &str) -> ChainClient {
	loop {
		match ChainClient::connect(url).await {
			Ok(c) => return c,
			Err(e) => {
				event!("event=waiting_for_node url={url} error=\"{e:#}\"");
				tokio::time::sleep(Duration::from_secs(2)).await;
			},
		}
	}
}

impl<C: SprintChain> Daemon<C> {
	async fn work(&mut self) -> anyhow::Result<()> {
		let clock = self.chain.epoch_clock().await?;
		event!(
			"event=started host={} worker_key={} epoch_length={} sprint_length={}",
			self.cfg.host,
			self.worker_hex(),
			clock.epoch_length,
			clock.sprint_length
		);
		let mut last_phase = None;
		loop {
			match self.chain.epoch_status().await {
				Ok(status) => {
					if last_phase != Some((status.epoch, status.phase)) {
						last_phase = Some((status.epoch, status.phase));
						event!("event=phase epoch={} phase={:?}", status.epoch, status.phase);
					}
					self.step(&status).await;
				},
				// The follower reconnects (with backoff) and hands over its new client below.
				Err(e) => {
					self.metrics.errors.inc();
					event!("event=chain_error error=\"{e:#}\"");
				},
			}
			let seen = self.heads.borrow().as_ref().map(|h| h.connection);
			let head = crate::chain::follow::next_head(&mut self.heads, HEAD_TIMEOUT).await;
			if let Some(h) = head.filter(|h| seen.is_some_and(|c| c != h.connection)) {
				// The follower reconnected (the node restarted): use its new client.
				self.chain = h.chain;
			}
		}
	}

	/// Does what the phase of `status` asks, once per epoch and phase: sprint, validate, or
	/// claim and track the weight.
	async fn step(&mut self, status: &EpochStatus) {
		self.metrics.epoch.set(status.epoch.into());
		let e = status.epoch;
		let result = match status.phase {
			Phase::Sprint if !self.progress.committed.contains(&e) => self.sprint(status).await,
			Phase::Validation if !self.progress.judged.contains(&e) => self.validate(status).await,
			Phase::Waiting | Phase::Settlement => self.claim_and_track().await,
			_ => Ok(()),
		};
		if let Err(err) = result {
			self.metrics.errors.inc();
			event!("event=error epoch={e} phase={:?} error=\"{err:#}\"", status.phase);
		}
	}

	fn worker_hex(&self) -> String {
		format!("0x{}", hex::encode(self.cfg.worker.public().as_ref() as &[u8]))
	}

	fn worker_key_bytes(&self) -> [u8; 32] {
		key_bytes(&self.cfg.worker.public())
	}

	/// The model of `epoch` and `seed` on `compute`: the sprint's when all three match (the seed
	/// too: read at the best block, it changes if a reorg replaces the block it came from), else
	/// a new one.
	async fn model_for(
		&mut self,
		epoch: EpochIndex,
		seed: [u8; 32],
		params: PowParams,
		compute: ComputeDevice,
	) -> anyhow::Result<SprintModel> {
		match self.model.take() {
			Some((e, s, c, m)) if e == epoch && s == seed && c == compute => Ok(m),
			_ => Ok(tokio::task::spawn_blocking(move || SprintModel::new(params, &seed, compute))
				.await??),
		}
	}

	/// Searches nonces until one block before the sprint ends, committing every
	/// `commit_every` and at the end; serves the proofs of the last accepted commitment.
	async fn sprint(&mut self, status: &EpochStatus) -> anyhow::Result<()> {
		let epoch = status.epoch;
		let seed: [u8; 32] = status.seed.ok_or_else(|| anyhow!("sprint without a seed"))?.0;
		let params = status.params.ok_or_else(|| anyhow!("sprint without PoW parameters"))?;
		if status.blocks_left <= 1 {
			// Joined too late to search and still commit inside the window.
			return Ok(());
		}
		let dir = sprint_dir(&self.cfg.state_dir, epoch);
		let worker_key = self.worker_key_bytes();
		// Resume after a restart: the leaves of the last accepted commitment of this sprint.
		let mut leaves = match read_sprint(&dir) {
			Ok(r) if r.epoch == epoch && r.seed == seed && r.worker_key == worker_key => {
				event!("event=resumed epoch={epoch} leaves={}", r.tree.count());
				r.tree.leaves().to_vec()
			},
			_ => Vec::new(),
		};
		let mut next_nonce = leaves.iter().map(|l| l.nonce + 1).max().unwrap_or(0);
		let sprint_over = Arc::new(AtomicBool::new(false));
		// Set when the chain's seed for this sprint changes under the search: a reorg replaced
		// the block it came from, so every nonce found so far is for a seed the chain no longer
		// has (committing them would be judged as mismatches and slashed).
		let reseeded = Arc::new(AtomicBool::new(false));
		let watcher = {
			let (chain, over, reseed, mut heads) =
				(self.chain.clone(), sprint_over.clone(), reseeded.clone(), self.heads.clone());
			tokio::spawn(async move {
				loop {
					match chain.epoch_status().await {
						Ok(s) if s.epoch == epoch && s.seed.is_some_and(|x| x.0 != seed) => {
							reseed.store(true, Relaxed);
							break;
						},
						Ok(s)
							if s.epoch == epoch
								&& s.phase == Phase::Sprint
								&& s.blocks_left > 1 => {},
						_ => break,
					}
					crate::chain::follow::next_head(&mut heads, HEAD_TIMEOUT).await;
				}
				over.store(true, Relaxed);
			})
		};
		let compute = self.cfg.compute;
		let mut model = Some(self.model_for(epoch, seed, params, compute).await?);
		let started = Instant::now();
		let mut commits = 0u32;
		let max_commits = self.chain.limits().await?.commitments_per_host;
		let result = loop {
			let config = SearchConfig {
				seed,
				worker_key,
				start_nonce: next_nonce,
				max_nonces: None,
				duration: Some(self.cfg.commit_every),
				batch_size: default_batch_size(&params, compute, 16 << 30),
				producer_threads: 1,
				lanes: self.cfg.lanes,
			};
			let (m, stop) = (model.take().expect("model"), sprint_over.clone());
			let (m, outcome) = tokio::task::spawn_blocking(move || {
				let outcome = search(&m, &config, &stop, |_| {});
				(m, outcome)
			})
			.await?;
			model = Some(m);
			let outcome = outcome?;
			if reseeded.load(Relaxed) {
				// Not committed: the next step starts this sprint again with the chain's seed.
				break Err(anyhow!(
					"the sprint's seed changed (a reorg replaced the block it came from): \
					 searching again with the new seed"
				));
			}
			let last = sprint_over.load(Relaxed);
			self.metrics.nonces.inc_by(outcome.stats.nonces);
			self.metrics.valid_nonces.inc_by(outcome.leaves.len() as u64);
			let rate = outcome.stats.nonces_per_second();
			self.metrics.nonces_per_second.set(rate);
			next_nonce = (next_nonce + outcome.stats.nonces)
				.max(outcome.leaves.iter().map(|l| l.nonce + 1).max().unwrap_or(0));
			leaves.extend(outcome.leaves);
			// Keep one commitment in reserve for the end of the sprint.
			let may_commit = last || commits + 1 < max_commits;
			if leaves.is_empty() || !may_commit {
				if last {
					break Ok(());
				}
				continue;
			}
			let record = SprintRecord {
				epoch,
				seed,
				worker_key,
				params,
				tree: SprintTree::new(leaves.clone())?,
				nonces_searched: next_nonce,
				seconds: started.elapsed().as_secs_f64(),
			};
			let mut commitment = record.commitment();
			commitment.count = inflate(commitment.count, self.cfg.inflate_count_percent);
			match self.commit_while_open(commitment).await {
				Ok(()) => {
					commits += 1;
					// Serve (and keep for restarts) exactly what the chain last accepted.
					write_sprint(&dir, &record)?;
					self.store.insert(epoch, record.tree);
					event!(
						"event=committed epoch={epoch} final={last} nonces={next_nonce} \
						 rate={rate:.1}/s count={} root={:?}",
						commitment.count,
						commitment.merkle_root
					);
				},
				Err(e) if last => break Err(e),
				Err(e) => {
					self.metrics.errors.inc();
					event!("event=commit_failed epoch={epoch} final=false error=\"{e:#}\"");
				},
			}
			if last {
				break Ok(());
			}
		};
		watcher.abort();
		self.model = model.map(|m| (epoch, seed, compute, m));
		if result.is_ok() {
			// Done with this sprint (also when nothing valid was found: nothing to commit).
			self.progress.committed.insert(epoch);
			self.progress.save()?;
		}
		result
	}

	/// Commits, retrying once a second while the commit window is open (at the best block): the
	/// transaction pool may still hold the previous commitment of this sprint under the same tag
	/// for a moment after a block included it ("priority too low").
	async fn commit_while_open(&mut self, commitment: SprintCommitment) -> anyhow::Result<()> {
		let mut attempt = 0;
		loop {
			let err = match self.commit(commitment).await {
				Ok(()) => return Ok(()),
				Err(e) => e,
			};
			attempt += 1;
			let open = matches!(
				self.chain.epoch_status().await,
				Ok(s) if s.epoch == commitment.epoch
					&& matches!(s.phase, Phase::Sprint | Phase::CommitGrace)
			);
			if !open || attempt >= 5 {
				return Err(err);
			}
			event!(
				"event=commit_retry epoch={} attempt={attempt} error=\"{err:#}\"",
				commitment.epoch
			);
			tokio::time::sleep(Duration::from_secs(1)).await;
		}
	}

	/// Signs `commitment` with the submission index the chain expects next (the number of
	/// commitments it recorded for this host this epoch) and the chain's genesis hash, so that
	/// it can be neither replayed later nor on another chain.
	async fn commit(&mut self, commitment: SprintCommitment) -> anyhow::Result<()> {
		let host = self.cfg.host.clone();
		let genesis = self.chain.genesis_hash();
		let submission =
			self.chain.commitment(commitment.epoch, &host).await?.map_or(0, |r| r.submissions);
		let payload = commitment_payload(&genesis, &commitment, submission, &host);
		let signature = self.cfg.worker.sign(&payload);
		self.chain.submit_commitment(commitment, submission, host, signature).await?;
		self.metrics.commitments.inc();
		Ok(())
	}

	/// Claims open epochs (with a host key) and updates the weight gauge.
	async fn claim_and_track(&mut self) -> anyhow::Result<()> {
		if let Some(active) = self.chain.active_epoch().await? {
			let w = self.chain.weight_of(active, &self.cfg.host).await?;
			self.metrics.weight.set(w.min(i64::MAX as u128) as i64);
		}
		let Some(key) = self.cfg.host_key.clone() else { return Ok(()) };
		for (epoch, amount) in self.chain.claimable_epochs(&self.cfg.host).await? {
			if self.progress.claimed.contains(&epoch) || amount == 0 {
				continue;
			}
			self.chain.claim(&key, epoch).await?;
			self.metrics.claims.inc();
			self.progress.claimed.insert(epoch);
			self.progress.save()?;
			event!(
				"event=claimed epoch={epoch} amount={} GNK",
				crate::chain::status::format_gnk(amount)
			);
		}
		Ok(())
	}
}

/// The 32 raw bytes of a worker key (they key the nonce inputs).
fn key_bytes(key: &gonka_primitives::crypto::worker::WorkerId) -> [u8; 32] {
	let mut k = [0u8; 32];
	k.copy_from_slice(key.as_ref());
	k
}

/// `count` raised by `percent` (testing a cheating host); unchanged at 0%.
fn inflate(count: u32, percent: u32) -> u32 {
	count.saturating_add((count as u64 * percent as u64 / 100) as u32)
}

#[cfg(test)]
mod tests;
