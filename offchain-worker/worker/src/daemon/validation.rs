//! The validation phase of the daemon: check every assigned target and submit the verdicts.
//!
//! Targets are untrusted (`docs/sprint-security.md`, attack 7), so:
//! - every target's proofs are fetched at once, at most [`FETCH_CONCURRENCY`] at a time, each
//!   under its own deadline ([`MAX_TARGET_DEADLINE`]) with retries on transient failures and
//!   capped answers (`gonka_pow::client`), so slow or huge-answering targets cost their own
//!   deadline and nothing more;
//! - the chain's clock is the last word: when the validation window has [`CUTOFF_BLOCKS`] blocks
//!   left, targets still unanswered are judged "proofs not served" and everything is submitted,
//!   so the verdicts land inside the window whatever the block time;
//! - recomputation runs as each target's proofs arrive, and verdicts are submitted as soon as a
//!   batch of the runtime's `MaxVerdictsPerCall` is ready, so an honest target judged early is
//!   on chain whatever the later ones do;
//! - a failure with one target (a bad endpoint, a local model error, a refused batch) is logged
//!   and never aborts the others.

use super::{key_bytes, Daemon, SprintChain};
use crate::chain::{AccountId, EpochStatus, Phase};
use anyhow::anyhow;
use gonka_pow::{
	client::{FetchError, ProofClient},
	merkle::LeafProof,
	validate::{judge, ValidationTask},
};
use gonka_primitives::{
	pow::{EpochIndex, SprintCommitment, ValidationVerdict},
	sprint::verdicts_payload,
};
use sp_core::Pair as _;
use std::{
	sync::Arc,
	time::{Duration, Instant},
};
use tokio::{sync::Semaphore, task::JoinSet};

/// Targets fetched at once.
pub const FETCH_CONCURRENCY: usize = 16;

/// Longest time one request to a target may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest time spent fetching one target's proofs, retries included.
pub const MAX_TARGET_DEADLINE: Duration = Duration::from_secs(60);

/// Blocks left in the validation window at which the daemon stops waiting for proofs and
/// submits: one to build the transaction, one to include it, one to spare.
pub const CUTOFF_BLOCKS: u32 = 3;

/// Longest wait for a new best block before the daemon looks at the chain's clock anyway
/// while it waits for proofs.
const CLOCK_TIMEOUT: Duration = Duration::from_secs(12);

/// The verdict of a target whose proofs were not served.
fn not_served() -> ValidationVerdict {
	ValidationVerdict { samples_checked: 0, mismatches: 0, proofs_not_served: true }
}

/// A target ready to be fetched.
struct Pending {
	target: AccountId,
	task: ValidationTask,
	sampled: Vec<u32>,
	requested: Vec<u32>,
}

/// Fetches `requested` of `epoch` from `endpoint` by `deadline`.
async fn fetch(
	endpoint: String,
	epoch: EpochIndex,
	requested: Vec<u32>,
	deadline: Instant,
) -> Result<Vec<LeafProof>, FetchError> {
	if requested.is_empty() {
		return Ok(vec![]);
	}
	let client = ProofClient::new(&endpoint, REQUEST_TIMEOUT)?;
	client.proofs_until(epoch, &requested, deadline).await
}

impl<C: SprintChain> Daemon<C> {
	/// Checks every assigned target and submits the verdicts (see the module docs).
	pub(super) async fn validate(&mut self, status: &EpochStatus) -> anyhow::Result<()> {
		let epoch = status.epoch;
		let assignments = self.chain.assignments(epoch, &self.cfg.host).await?;
		if assignments.is_empty() {
			self.progress.judged.insert(epoch);
			return self.progress.save();
		}
		let seed: [u8; 32] = status.seed.ok_or_else(|| anyhow!("no seed"))?.0;
		let params = status.params.ok_or_else(|| anyhow!("no PoW parameters"))?;
		let deadline = Instant::now() + MAX_TARGET_DEADLINE;
		// Most verdicts per `submit_verdicts`, as the connected runtime allows.
		let per_call = (self.chain.limits().await?.verdicts_per_call as usize).max(1);
		let me: [u8; 32] = *self.cfg.host.as_ref();
		let mut ready: Vec<(AccountId, ValidationVerdict)> = Vec::new();
		let mut pending: Vec<Pending> = Vec::new();
		let mut fetches = JoinSet::new();
		let slots = Arc::new(Semaphore::new(FETCH_CONCURRENCY));
		for a in assignments {
			let Some(target) = self.chain.host(&a.target).await? else {
				ready.push((a.target, not_served()));
				continue;
			};
			// The key that signed the commitment keys its nonces, even if the host rotated since.
			let signing_key = a.worker_key.clone().unwrap_or(target.worker_key.clone()).0;
			let task = ValidationTask {
				seed,
				params,
				target_key: key_bytes(&signing_key),
				target_account: *a.target.as_ref(),
				validator_key: me,
				commitment: SprintCommitment { epoch, count: a.count, merkle_root: a.merkle_root },
				samples: a.indices.len() as u32,
			};
			let (sampled, requested) = task.plan();
			if sampled != a.indices {
				event!("event=skipped epoch={epoch} target={} reason=indices_differ", a.target);
				continue;
			}
			let endpoint = String::from_utf8_lossy(&target.endpoint).into_owned();
			let slots = slots.clone();
			let index = pending.len();
			let to_fetch = requested.clone();
			fetches.spawn(async move {
				let _slot = slots.acquire_owned().await;
				(index, fetch(endpoint, epoch, to_fetch, deadline).await)
			});
			pending.push(Pending { target: a.target, task, sampled, requested });
		}
		// Validation recomputes in f32: on CPU that is the sprint's own model.
		let compute = self.cfg.compute.exact();
		let model = self.model_for(epoch, seed, params, compute).await?;
		let batch = gonka_pow::search::default_batch_size(&params, compute, 16 << 30);
		let genesis = self.chain.genesis_hash();
		let mut judged = 0usize;
		let mut failed_batches = 0usize;
		let mut done = vec![false; pending.len()];
		let mut heads = self.heads.clone();
		loop {
			let joined = tokio::select! {
				joined = fetches.join_next() => joined,
				_ = crate::chain::follow::next_head(&mut heads, CLOCK_TIMEOUT) => {
					if !self.window_closing(epoch).await {
						continue;
					}
					// Out of time: whoever has not answered did not serve.
					fetches.abort_all();
					for (p, _) in pending.iter().zip(&done).filter(|(_, d)| !**d) {
						let reason = "window closing";
						event!("event=checked epoch={epoch} target={} not_served=true reason=\"{reason}\"", p.target);
						ready.push((p.target.clone(), not_served()));
					}
					break;
				},
			};
			let Some(joined) = joined else { break };
			let (index, served) = joined.map_err(|e| anyhow!("fetch task: {e}"))?;
			done[index] = true;
			let p = &pending[index];
			let report = tokio::task::block_in_place(|| {
				judge(&p.task, &p.sampled, &p.requested, served, &model, batch)
			});
			match report {
				Ok(report) => {
					let v = report.verdict;
					event!(
						"event=checked epoch={epoch} target={} samples={} mismatches={} \
						 not_served={}{}",
						p.target,
						v.samples_checked,
						v.mismatches,
						v.proofs_not_served,
						report
							.not_served_reason
							.map(|r| format!(" reason=\"{r}\""))
							.unwrap_or_default()
					);
					ready.push((p.target.clone(), v));
				},
				Err(e) => {
					event!("event=check_failed epoch={epoch} target={} error=\"{e}\"", p.target)
				},
			}
			judged += 1;
			if ready.len() >= per_call {
				let batch: Vec<_> = ready.drain(..per_call).collect();
				failed_batches += usize::from(!self.submit_verdicts(epoch, &genesis, batch).await);
			}
		}
		self.model = Some((epoch, seed, compute, model));
		while !ready.is_empty() {
			let n = ready.len().min(per_call);
			let batch: Vec<_> = ready.drain(..n).collect();
			failed_batches += usize::from(!self.submit_verdicts(epoch, &genesis, batch).await);
		}
		event!("event=judged epoch={epoch} targets={judged} failed_batches={failed_batches}");
		self.progress.judged.insert(epoch);
		self.progress.save()
	}

	/// Whether `epoch`'s validation window has at most [`CUTOFF_BLOCKS`] blocks left (or is over).
	/// An unreachable node does not close the window.
	async fn window_closing(&self, epoch: EpochIndex) -> bool {
		match self.chain.epoch_status().await {
			Ok(s) => {
				s.epoch != epoch || s.phase != Phase::Validation || s.blocks_left <= CUTOFF_BLOCKS
			},
			Err(_) => false,
		}
	}

	/// Signs and submits one batch of verdicts; logs and returns `false` if the chain refuses it.
	async fn submit_verdicts(
		&mut self,
		epoch: EpochIndex,
		genesis: &[u8; 32],
		verdicts: Vec<(AccountId, ValidationVerdict)>,
	) -> bool {
		let n = verdicts.len();
		let payload = verdicts_payload(genesis, epoch, &self.cfg.host, &verdicts);
		let signature = self.cfg.worker.sign(&payload);
		match self.chain.submit_verdicts(epoch, self.cfg.host.clone(), verdicts, signature).await {
			Ok(()) => {
				self.metrics.verdicts.inc_by(n as u64);
				true
			},
			Err(e) => {
				self.metrics.errors.inc();
				event!("event=verdicts_failed epoch={epoch} verdicts={n} error=\"{e:#}\"");
				false
			},
		}
	}
}
