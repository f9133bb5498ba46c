//! Weights of compute-weighted voting: hand-derived (exact storage access counts, reference
//! times estimated) until `frame-omni-bencher` runs on reference hardware.

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// What the calls cost.
pub trait WeightInfo {
	/// `vote`: sprint active epoch and weight (2 reads), the poll (1 read, 1 write), the vote
	/// record (1 read, 1 write).
	fn vote() -> Weight;
	/// `remove_vote`: the vote record (1 read, 1 write), the poll (1 read, 1 write).
	fn remove_vote() -> Weight;
	/// One step of the recount: the next vote record (1 read), the voter's weight (2 reads), the
	/// poll and its alarm (3 reads, 3 writes), the record (1 write).
	fn recount_vote() -> Weight;
}

/// Weights for a runtime with RocksDB.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn vote() -> Weight {
		Weight::from_parts(40_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	fn remove_vote() -> Weight {
		Weight::from_parts(30_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	fn recount_vote() -> Weight {
		Weight::from_parts(30_000_000, 7_000)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(4))
	}
}

/// The same figures with RocksDB costs, for tests.
impl WeightInfo for () {
	fn vote() -> Weight {
		Weight::from_parts(40_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn remove_vote() -> Weight {
		Weight::from_parts(30_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn recount_vote() -> Weight {
		Weight::from_parts(30_000_000, 7_000)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
}
