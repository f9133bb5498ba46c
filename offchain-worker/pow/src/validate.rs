//! Validation of another host's sprint: sample its leaves, check their paths, recompute them.
//!
//! For each sampled index `i` the validator also fetches leaf `i + 1` (when it exists) and checks
//! that nonces strictly increase: a host that commits one valid nonce many times to inflate its
//! count is caught at the rate at which it duplicates. The recomputation runs in f32 (the caller
//! passes an f32 model); a sample mismatches when its claimed or recomputed distance is not under
//! the radius or the two differ by more than [`DISTANCE_TOLERANCE`]. Requiring the *recomputed*
//! distance to be under the radius means a host gains nothing by committing near misses; the
//! price is a small honest mismatch rate (bf16 noise pushing a nonce just under the radius over
//! it), which the chain's binomial test allows for.

use crate::{
	client::{FetchError, ProofClient},
	derive::{Seed, WorkerKey},
	merkle::{verify_leaf, LeafProof},
	model::{ModelError, SprintModel},
	search::nonce_distances,
};
use gonka_primitives::pow::{
	distance_to_fixed, sample_indices, PowParams, SprintCommitment, ValidationVerdict,
	DISTANCE_TOLERANCE,
};
use std::collections::BTreeMap;

/// What a validator needs to check one target host for one epoch.
#[derive(Clone, Debug)]
pub struct ValidationTask {
	/// Epoch seed.
	pub seed: Seed,
	/// Model shape and radius of the epoch.
	pub params: PowParams,
	/// The target host's worker key (its nonces' inputs depend on it).
	pub target_key: WorkerKey,
	/// The target host's 32-byte account id (with the seed and the validator's, it chooses the
	/// sample indices, as the chain does).
	pub target_account: [u8; 32],
	/// The validator's 32-byte account id.
	pub validator_key: [u8; 32],
	/// The target's on-chain commitment.
	pub commitment: SprintCommitment,
	/// How many leaves to sample.
	pub samples: u32,
}

impl ValidationTask {
	/// The sampled indices (as the chain derives them) and all indices to request: each sample
	/// and its right neighbour, ascending, without repeats.
	pub fn plan(&self) -> (Vec<u32>, Vec<u32>) {
		let count = self.commitment.count;
		let sampled = sample_indices(
			&self.seed,
			&self.validator_key,
			&self.target_account,
			count,
			self.samples,
		);
		let mut requested: Vec<u32> =
			sampled.iter().flat_map(|&i| [i, i + 1]).filter(|&i| i < count).collect();
		requested.sort_unstable();
		requested.dedup();
		(sampled, requested)
	}
}

/// The finding about one sampled leaf.
#[derive(Clone, Debug, PartialEq)]
pub enum SampleOutcome {
	/// Path valid, order valid, recomputed distance matches and is under the radius.
	Valid {
		/// Claimed fixed-point distance.
		claimed: u32,
		/// Recomputed fixed-point distance.
		recomputed: u32,
	},
	/// The leaf (or its neighbour) does not verify against the root.
	BadPath,
	/// The neighbour's nonce is not greater than this leaf's (duplicated or unordered leaves).
	OutOfOrder,
	/// The committed distance is not under the radius.
	ClaimedOverRadius {
		/// Claimed fixed-point distance.
		claimed: u32,
	},
	/// Recomputation disagrees with the claim by more than the tolerance, or is not under the
	/// radius.
	Mismatch {
		/// Claimed fixed-point distance.
		claimed: u32,
		/// Recomputed fixed-point distance.
		recomputed: u32,
	},
}

/// The verdict and the per-sample evidence behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationReport {
	/// What goes on chain.
	pub verdict: ValidationVerdict,
	/// `(index, nonce, outcome)` per sample, ascending by index.
	pub samples: Vec<(u32, u64, SampleOutcome)>,
	/// Why proofs were not served, when they were not.
	pub not_served_reason: Option<String>,
}

/// Judges `served` (the proofs of `requested`, or why they could not be fetched).
pub fn judge(
	task: &ValidationTask,
	sampled: &[u32],
	requested: &[u32],
	served: Result<Vec<LeafProof>, FetchError>,
	model: &SprintModel,
	batch_size: usize,
) -> Result<ValidationReport, ModelError> {
	let not_served = |reason: String| ValidationReport {
		verdict: ValidationVerdict { samples_checked: 0, mismatches: 0, proofs_not_served: true },
		samples: vec![],
		not_served_reason: Some(reason),
	};
	let served = match served {
		Ok(proofs) => proofs,
		Err(e) => return Ok(not_served(e.to_string())),
	};
	let by_index: BTreeMap<u32, LeafProof> = served.into_iter().map(|p| (p.index, p)).collect();
	if let Some(missing) = requested.iter().find(|i| !by_index.contains_key(i)) {
		return Ok(not_served(format!("proof of leaf {missing} was not served")));
	}
	let (root, count, radius) =
		(task.commitment.merkle_root, task.commitment.count, task.params.r_target);
	let mut outcomes: Vec<(u32, u64, Option<SampleOutcome>)> = Vec::with_capacity(sampled.len());
	for &i in sampled {
		let proof = &by_index[&i];
		let next = by_index.get(&(i + 1));
		let outcome = if !verify_leaf(&root, count, proof)
			|| next.is_some_and(|n| !verify_leaf(&root, count, n))
		{
			Some(SampleOutcome::BadPath)
		} else if next.is_some_and(|n| n.leaf.nonce <= proof.leaf.nonce) {
			Some(SampleOutcome::OutOfOrder)
		} else if proof.leaf.distance >= radius {
			Some(SampleOutcome::ClaimedOverRadius { claimed: proof.leaf.distance })
		} else {
			None // to recompute
		};
		outcomes.push((i, proof.leaf.nonce, outcome));
	}
	let to_recompute: Vec<u64> =
		outcomes.iter().filter(|(_, _, o)| o.is_none()).map(|&(_, n, _)| n).collect();
	let distances =
		nonce_distances(model, &task.seed, &task.target_key, &to_recompute, batch_size)?;
	let mut recomputed = distances.into_iter().map(distance_to_fixed);
	let samples: Vec<(u32, u64, SampleOutcome)> = outcomes
		.into_iter()
		.map(|(i, nonce, outcome)| {
			let outcome = outcome.unwrap_or_else(|| {
				let claimed = by_index[&i].leaf.distance;
				let recomputed = recomputed.next().expect("one distance per recomputed nonce");
				if recomputed.abs_diff(claimed) > DISTANCE_TOLERANCE || recomputed >= radius {
					SampleOutcome::Mismatch { claimed, recomputed }
				} else {
					SampleOutcome::Valid { claimed, recomputed }
				}
			});
			(i, nonce, outcome)
		})
		.collect();
	let mismatches =
		samples.iter().filter(|(_, _, o)| !matches!(o, SampleOutcome::Valid { .. })).count();
	Ok(ValidationReport {
		verdict: ValidationVerdict {
			samples_checked: samples.len() as u32,
			mismatches: mismatches as u32,
			proofs_not_served: false,
		},
		samples,
		not_served_reason: None,
	})
}

/// Validates a target over HTTP: derive the samples, fetch their proofs from `client`, judge.
///
/// The recomputation blocks the calling thread (it is CPU/GPU work); callers serving other
/// requests on the same runtime should run this on a dedicated thread or `spawn_blocking`.
pub async fn validate_over_http(
	task: &ValidationTask,
	client: &ProofClient,
	model: &SprintModel,
	batch_size: usize,
) -> Result<ValidationReport, ModelError> {
	let (sampled, requested) = task.plan();
	let served = if requested.is_empty() {
		Ok(vec![])
	} else {
		client.proofs(task.commitment.epoch, &requested).await
	};
	judge(task, &sampled, &requested, served, model, batch_size)
}
