//! Weights of `pallet-gonka-emission`.
//!
//! **Estimates, not measurements.** These numbers were derived by hand pending a run of
//! `frame-omni-bencher v1 benchmark pallet --pallet pallet_gonka_emission --extrinsic "*"` on
//! reference hardware, which will overwrite this file with the standard template:
//! - the storage read/write counts are exact: they list every distinct storage key each path
//!   touches in its worst case (named in the comments; `System::Number` and `System::Events`
//!   are whitelisted as in the benchmarks); the weight read of `ComputeWeights` is counted as
//!   one read of the sprint pallet's per-host weight entry;
//! - `ref_time` figures are conservative guesses: the schedule evaluation (~30 + 2 * 64
//!   256-bit multiply-divides) is budgeted at 60 µs, a mint and a bounded-vector update at a few
//!   µs each;
//! - `proof_size` figures are the `MaxEncodedLen` of the touched entries with
//!   `MaxOpenEpochs = 64`, plus trie-key overhead (`System::Account` is 3,593 bytes).

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_gonka_emission`.
pub trait WeightInfo {
	/// `claim` and `claim_for`.
	fn claim() -> Weight;
	/// One settlement (`OnWeightsFinalized`), closing `c` expired epochs.
	fn on_weights_finalized(c: u32) -> Weight;
}

/// Weights for `pallet_gonka_emission` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `GonkaEmission::EpochRewards` (r:1 w:1)
	/// Storage: `GonkaEmission::LastSettled` (r:1 w:0)
	/// Storage: `GonkaEmission::Claimed` (r:1 w:1)
	/// Storage: sprint weight of the host (`ComputeWeights::weight_of`) (r:1 w:0)
	/// Storage: `System::Account` (r:1 w:1)
	/// Storage: `Balances::TotalIssuance` (r:1 w:1)
	/// Storage: `GonkaEmission::TotalMinted` (r:1 w:1)
	fn claim() -> Weight {
		Weight::from_parts(45_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	/// Storage: `GonkaEmission::LastSettled` (r:1 w:1)
	/// Storage: `GonkaEmission::OpenEpochs` (r:1 w:1)
	/// Storage: `GonkaEmission::TotalCommitted` (r:1 w:1)
	/// Storage: `GonkaEmission::EpochRewards` (r:c w:c+1)
	/// Storage: `System::Account` (community pool) (r:1 w:1) if `c > 0`
	/// Storage: `Balances::TotalIssuance` (r:1 w:1) if `c > 0`
	/// Storage: `GonkaEmission::TotalMinted` (r:1 w:1) if `c > 0`
	/// The range of component `c` is `[0, MaxOpenEpochs]`; counted as 4 reads and 4 writes per
	/// closed epoch (an upper bound: the pool account, issuance and counter repeat).
	fn on_weights_finalized(c: u32) -> Weight {
		Weight::from_parts(70_000_000, 2_000)
			.saturating_add(Weight::from_parts(25_000_000, 0).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(0, 3_700).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().reads((4_u64).saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(T::DbWeight::get().writes((4_u64).saturating_mul(c.into())))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn claim() -> Weight {
		Weight::from_parts(45_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn on_weights_finalized(c: u32) -> Weight {
		Weight::from_parts(70_000_000, 2_000)
			.saturating_add(Weight::from_parts(25_000_000, 0).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(0, 3_700).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().reads((4_u64).saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
			.saturating_add(RocksDbWeight::get().writes((4_u64).saturating_mul(c.into())))
	}
}
