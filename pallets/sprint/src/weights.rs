//! Weights of `pallet-gonka-sprint`.
//!
//! HAND-DERIVED ESTIMATES pending a run of `frame-omni-bencher` on reference hardware (the
//! benchmarks in `benchmarking.rs` are ready for it). The storage read/write counts are exact for
//! the worst case of each call; the `ref_time` figures are conservative estimates (~25 µs per
//! storage access, ~60 µs per sr25519 verification, ~1 µs per BLAKE2b-256 of a short preimage)
//! and the proof sizes assume the largest stored values with the recommended `ChunkSize = 64`
//! (a validator chunk of 64 entries of 48 bytes, ~3.1 KiB).
//!
//! A committee draw makes at most `CommitteeSize + 1` draws, counted here for
//! [`MAX_COMMITTEE_SIZE`] members, each reading one validator chunk (the chunk index once per
//! target). Proof sizes count every chunk read of every step; within one block repeated reads of
//! the same chunk cost proof size only once, so a block of settlement steps never proves more
//! than the whole validator set (~480 KiB at 10,000 validators).

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::Weight};

use crate::{MAX_COMMITTEE_SIZE, MAX_PROVEN_LOOKBACK};

/// Chunk reads of one committee draw at most.
const MAX_DRAWS: u64 = MAX_COMMITTEE_SIZE + 1;

/// Proof size of one validator chunk (64 entries of 48 bytes, plus key and length).
const CHUNK_PROOF: u64 = 3_200;

/// Weight functions needed by the sprint pallet.
pub trait WeightInfo {
	/// `set_pow_params`.
	fn set_pow_params() -> Weight;
	/// `submit_commitment` (dispatch).
	fn submit_commitment() -> Weight;
	/// Authorisation of `submit_commitment` (includes the signature check).
	fn authorize_submit_commitment() -> Weight;
	/// `submit_verdicts` with `n` verdicts (dispatch).
	fn submit_verdicts(n: u32) -> Weight;
	/// Authorisation of `submit_verdicts` with `n` verdicts.
	fn authorize_submit_verdicts(n: u32) -> Weight;
	/// Fixing the seed at the sprint's first block.
	fn start_sprint() -> Weight;
	/// Settlement pass 1 for one participant (committee, verdicts, decision, slash).
	fn settle_tally() -> Weight;
	/// Settlement pass 2 for one participant (cap, penalty, weight, validator set entry).
	fn settle_finalize() -> Weight;
	/// Activating an epoch's weights.
	fn activate() -> Weight;
	/// One pruning step deleting `k` keys.
	fn prune_keys(k: u32) -> Weight;
}

/// Estimates for the Gonka runtime, using its `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);

/// Reads of the checks shared by `submit_commitment` and its authorisation: `System::Number`,
/// `Epochs`, `Hosts::is_active` (host record, collateral ledger), `Commitments`,
/// `ParticipantCount`, the count limit's `ActiveEpoch`, `TotalWeight`, `Weights` and
/// `Hosts::collateral` (collateral ledger), and the newcomer check's `NewcomerCount` and
/// `WeightedCount`.
const COMMIT_CHECK_READS: u64 = 12;
/// Reads of `Hosts::worker_key` (host record, pending rotation).
const WORKER_KEY_READS: u64 = 2;
/// Reads per verdict: `Commitments`, `Verdicts`, `ValidatorSetEnds` and one chunk per draw.
const VERDICT_READS: u64 = 3 + MAX_DRAWS;

/// The formulas, for any database weight.
mod formulas {
	use super::*;
	use frame_support::weights::RuntimeDbWeight;

	pub fn set_pow_params(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(15_000_000, 0).saturating_add(db.writes(1))
	}
	pub fn submit_commitment(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(40_000_000, 3_000)
			.saturating_add(db.reads(COMMIT_CHECK_READS + WORKER_KEY_READS))
			.saturating_add(db.writes(5))
	}
	pub fn authorize_submit_commitment(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(100_000_000, 3_600)
			.saturating_add(db.reads(COMMIT_CHECK_READS + WORKER_KEY_READS))
	}
	pub fn submit_verdicts(db: RuntimeDbWeight, n: u32) -> Weight {
		let n = n as u64;
		Weight::from_parts(20_000_000, 2_000)
			.saturating_add(
				Weight::from_parts(30_000_000, CHUNK_PROOF * MAX_DRAWS).saturating_mul(n),
			)
			.saturating_add(db.reads(2 + VERDICT_READS * n))
			.saturating_add(db.writes(n))
	}
	pub fn authorize_submit_verdicts(db: RuntimeDbWeight, n: u32) -> Weight {
		let n = n as u64;
		Weight::from_parts(80_000_000, 2_600)
			.saturating_add(
				Weight::from_parts(30_000_000, CHUNK_PROOF * MAX_DRAWS).saturating_mul(n),
			)
			.saturating_add(db.reads(2 + WORKER_KEY_READS + VERDICT_READS * n))
	}
	pub fn start_sprint(db: RuntimeDbWeight) -> Weight {
		// Params, ValidatorSource, the randomness source (parent hash); writes Epochs.
		Weight::from_parts(20_000_000, 1_500)
			.saturating_add(db.reads(3))
			.saturating_add(db.writes(1))
	}
	pub fn settle_tally(db: RuntimeDbWeight) -> Weight {
		// Participants, Commitments, ValidatorSetEnds, a chunk per draw and a verdict per member;
		// the proven weight (one `Weights` read per lookback epoch); writes Outcomes and one
		// Missed or Contradicted per member; a slash (host record, collateral, balances: 3
		// reads, 3 writes).
		Weight::from_parts(60_000_000, CHUNK_PROOF * MAX_DRAWS + 4_000)
			.saturating_add(db.reads(3 + MAX_DRAWS + MAX_COMMITTEE_SIZE + MAX_PROVEN_LOOKBACK + 3))
			.saturating_add(db.writes(1 + MAX_COMMITTEE_SIZE + 3))
	}
	pub fn settle_finalize(db: RuntimeDbWeight) -> Weight {
		// Participants, Outcomes, Missed, Contradicted, the current chunk and ValidatorSetEnds;
		// writes Weights, the chunk and the ends.
		Weight::from_parts(40_000_000, CHUNK_PROOF + 3_000)
			.saturating_add(db.reads(6))
			.saturating_add(db.writes(3))
	}
	pub fn activate(db: RuntimeDbWeight) -> Weight {
		// PruneQueue; writes ActiveEpoch, TotalWeight, ValidatorSource, PruneQueue (plus what
		// `OnWeightsFinalized` does, which the runtime's implementation must keep O(1)).
		Weight::from_parts(20_000_000, 1_000)
			.saturating_add(db.reads(1))
			.saturating_add(db.writes(4))
	}
	pub fn prune_keys(db: RuntimeDbWeight, k: u32) -> Weight {
		Weight::from_parts(10_000_000, 1_000)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(k as u64))
			.saturating_add(db.reads(2))
			.saturating_add(db.writes(k as u64 + 1))
	}
}

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn set_pow_params() -> Weight {
		formulas::set_pow_params(T::DbWeight::get())
	}
	fn submit_commitment() -> Weight {
		formulas::submit_commitment(T::DbWeight::get())
	}
	fn authorize_submit_commitment() -> Weight {
		formulas::authorize_submit_commitment(T::DbWeight::get())
	}
	fn submit_verdicts(n: u32) -> Weight {
		formulas::submit_verdicts(T::DbWeight::get(), n)
	}
	fn authorize_submit_verdicts(n: u32) -> Weight {
		formulas::authorize_submit_verdicts(T::DbWeight::get(), n)
	}
	fn start_sprint() -> Weight {
		formulas::start_sprint(T::DbWeight::get())
	}
	fn settle_tally() -> Weight {
		formulas::settle_tally(T::DbWeight::get())
	}
	fn settle_finalize() -> Weight {
		formulas::settle_finalize(T::DbWeight::get())
	}
	fn activate() -> Weight {
		formulas::activate(T::DbWeight::get())
	}
	fn prune_keys(k: u32) -> Weight {
		formulas::prune_keys(T::DbWeight::get(), k)
	}
}

/// For tests: the same formulas with `RocksDbWeight`.
impl WeightInfo for () {
	fn set_pow_params() -> Weight {
		formulas::set_pow_params(frame_support::weights::constants::RocksDbWeight::get())
	}
	fn submit_commitment() -> Weight {
		formulas::submit_commitment(frame_support::weights::constants::RocksDbWeight::get())
	}
	fn authorize_submit_commitment() -> Weight {
		formulas::authorize_submit_commitment(
			frame_support::weights::constants::RocksDbWeight::get(),
		)
	}
	fn submit_verdicts(n: u32) -> Weight {
		formulas::submit_verdicts(frame_support::weights::constants::RocksDbWeight::get(), n)
	}
	fn authorize_submit_verdicts(n: u32) -> Weight {
		formulas::authorize_submit_verdicts(
			frame_support::weights::constants::RocksDbWeight::get(),
			n,
		)
	}
	fn start_sprint() -> Weight {
		formulas::start_sprint(frame_support::weights::constants::RocksDbWeight::get())
	}
	fn settle_tally() -> Weight {
		formulas::settle_tally(frame_support::weights::constants::RocksDbWeight::get())
	}
	fn settle_finalize() -> Weight {
		formulas::settle_finalize(frame_support::weights::constants::RocksDbWeight::get())
	}
	fn activate() -> Weight {
		formulas::activate(frame_support::weights::constants::RocksDbWeight::get())
	}
	fn prune_keys(k: u32) -> Weight {
		formulas::prune_keys(frame_support::weights::constants::RocksDbWeight::get(), k)
	}
}
