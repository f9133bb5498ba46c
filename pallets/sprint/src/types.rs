//! Types stored by the sprint pallet and returned by its runtime API.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use gonka_primitives::{
	compute::ComputeWeight,
	pow::{EpochIndex, PowParams},
};
use scale_info::TypeInfo;
use sp_core::H256;

/// Key of the bootstrap validator set (written at genesis) in [`crate::ValidatorChunks`]; the
/// validator set built from an epoch's final weights is keyed by that epoch.
pub const GENESIS_SET: EpochIndex = EpochIndex::MAX;

/// [`EpochInfo::validator_set`] of a cross-validation epoch (the liveness rule): committees are
/// drawn from the epoch's own participants with equal weights, not from a weighted validator set.
pub const FALLBACK_SET: EpochIndex = EpochIndex::MAX - 1;

pub use gonka_primitives::epoch::{EpochClock, Phase};

/// The clock as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct EpochStatus {
	/// The current epoch.
	pub epoch: EpochIndex,
	/// The current phase.
	pub phase: Phase,
	/// Blocks left in the current phase, counting the current block (at least 1).
	pub blocks_left: u32,
	/// The current epoch's sprint seed, once fixed (from the sprint's first block).
	pub seed: Option<H256>,
	/// The model parameters the current epoch's sprint runs with, once fixed.
	pub params: Option<PowParams>,
}

/// What the chain fixed for an epoch at its sprint's first block.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct EpochInfo {
	/// The sprint seed.
	pub seed: H256,
	/// The model parameters of the sprint (`None` if none were set: nobody can mine).
	pub params: Option<PowParams>,
	/// Key of the validator set that validates this epoch (an earlier epoch, or
	/// [`GENESIS_SET`]), or [`FALLBACK_SET`]: the epoch's participants validate each other.
	pub validator_set: EpochIndex,
}

/// A host's commitment for one epoch as stored.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct CommitmentRecord {
	/// Number of valid nonces committed (the last submission counts).
	pub count: u32,
	/// Merkle root over the leaves.
	pub merkle_root: H256,
	/// How many commitments the host submitted this epoch (bounded by
	/// `Config::MaxCommitmentsPerHost`).
	pub submissions: u32,
}

/// The tally of one host, before the cap and the validator penalty.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum Outcome {
	/// The committee's weighted majority found the host valid; `weight` is its uncapped weight.
	Accepted {
		/// Committed count times the model scale factor.
		weight: ComputeWeight,
	},
	/// The host was rejected.
	Rejected,
}

/// Which pass of the settlement is running.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum Stage {
	/// Pass 1: decide every participant from its committee's verdicts, count silent members.
	Tally,
	/// Pass 2: cap, penalise silent validators, write final weights and the next validator set.
	Finalize,
}

/// Progress of an epoch's settlement (a cursor over its participants).
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SettlementState {
	/// The epoch being settled.
	pub epoch: EpochIndex,
	/// The pass.
	pub stage: Stage,
	/// Index of the next participant to process in this pass.
	pub next: u32,
	/// Sum of accepted uncapped weights (known after the tally).
	pub uncapped_total: ComputeWeight,
	/// Sum of final weights written so far.
	pub total: ComputeWeight,
	/// Hosts with a positive final weight so far (= entries of the epoch's validator set).
	pub weighted: u32,
	/// Proven weight ([`crate::Pallet::proven_weight`]) of the participants tallied so far.
	pub proven: ComputeWeight,
	/// Of that, the proven weight of the rejected ones.
	pub rejected_proven: ComputeWeight,
}

/// One target a validator has to check, as the runtime API gives it to the worker.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct Assignment<AccountId> {
	/// The host to check.
	pub target: AccountId,
	/// The worker key that signed the target's commitment: its public key keys the nonce
	/// inputs, so validators recompute with it even if the host rotated its key since.
	/// `None` only for a host no longer in the registry.
	pub worker_key: Option<gonka_primitives::crypto::worker::WorkerId>,
	/// Its committed leaf count.
	pub count: u32,
	/// Its committed Merkle root.
	pub merkle_root: H256,
	/// The leaf indices to check (`gonka_primitives::pow::sample_indices`).
	pub indices: alloc::vec::Vec<u32>,
}
