//! Weights of `pallet-gonka-hosts`.
//!
//! **Estimates, not measurements.** These numbers were derived by hand pending a run of
//! `frame-omni-bencher v1 benchmark pallet --pallet pallet_gonka_hosts --extrinsic "*"` on
//! reference hardware, which will overwrite this file with the standard template:
//! - the storage read/write counts are exact: they list every distinct storage key each call
//!   touches on its worst-case path (the keys are named in the comments; `System::Number` and
//!   `System::Events` are whitelisted as in the benchmarks);
//! - `ref_time` figures are conservative guesses from comparable polkadot-sdk pallets (an
//!   sr25519 verification is ~50 µs, a bounded-map update a few µs);
//! - `proof_size` figures are the `MaxEncodedLen` of the touched entries with
//!   `MaxModelsPerHost = 32`, `MaxUnbondingChunks = 16`, plus trie-key overhead.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_gonka_hosts`.
pub trait WeightInfo {
	fn register(m: u32) -> Weight;
	fn update_host(o: u32, n: u32) -> Weight;
	fn deregister(m: u32) -> Weight;
	fn rotate_worker_key() -> Weight;
	fn deposit_collateral() -> Weight;
	fn withdraw_collateral() -> Weight;
	fn withdraw_unbonded() -> Weight;
	fn add_model() -> Weight;
	fn set_model_terms() -> Weight;
	fn retire_model() -> Weight;
	fn slash() -> Weight;
}

/// Weights for `pallet_gonka_hosts` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `GonkaHosts::WorkerKeyOwner` (r:1 w:1)
	/// Storage: `GonkaHosts::Hosts` (r:1 w:1)
	/// Storage: `GonkaHosts::HostCount` (r:1 w:1)
	/// Storage: `GonkaHosts::Models` (r:m w:0)
	/// Storage: `GonkaHosts::HostsByModel` (r:0 w:m)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	/// The range of component `m` is `[0, MaxModelsPerHost]`.
	fn register(m: u32) -> Weight {
		Weight::from_parts(90_000_000, 4_200)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(m.into()))
			.saturating_add(Weight::from_parts(0, 2_900).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(m.into())))
			.saturating_add(T::DbWeight::get().writes(5_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(m.into())))
	}
	/// Storage: `GonkaHosts::Hosts` (r:1 w:1)
	/// Storage: `GonkaHosts::WorkerKeyOwner` (r:0 w:1) (settles a due rotation)
	/// Storage: `GonkaHosts::Models` (r:n w:0)
	/// Storage: `GonkaHosts::HostsByModel` (r:0 w:o+n)
	/// The range of component `o` is `[0, MaxModelsPerHost]`.
	/// The range of component `n` is `[0, MaxModelsPerHost]`.
	fn update_host(o: u32, n: u32) -> Weight {
		Weight::from_parts(30_000_000, 1_700)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(o.into()))
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2_900).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(o.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	/// Storage: `GonkaHosts::Hosts` (r:1 w:1)
	/// Storage: `GonkaHosts::HostCount` (r:1 w:1)
	/// Storage: `GonkaHosts::WorkerKeyOwner` (r:0 w:2)
	/// Storage: `GonkaHosts::Unbonding` (r:0 w:1)
	/// Storage: `GonkaHosts::HostsByModel` (r:0 w:m)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	/// The range of component `m` is `[0, MaxModelsPerHost]`.
	fn deregister(m: u32) -> Weight {
		Weight::from_parts(45_000_000, 4_200)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(m.into())))
	}
	/// Storage: `GonkaHosts::Hosts` (r:1 w:1)
	/// Storage: `GonkaHosts::WorkerKeyOwner` (r:1 w:2) (reserve new, free settled old)
	fn rotate_worker_key() -> Weight {
		Weight::from_parts(75_000_000, 3_300)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `GonkaHosts::Hosts` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	fn deposit_collateral() -> Weight {
		Weight::from_parts(45_000_000, 4_200)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `GonkaHosts::Hosts` (r:1 w:1)
	/// Storage: `GonkaHosts::Unbonding` (r:1 w:1)
	fn withdraw_collateral() -> Weight {
		Weight::from_parts(30_000_000, 2_500)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `GonkaHosts::Hosts` (r:1 w:1)
	/// Storage: `GonkaHosts::Unbonding` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(55_000_000, 4_900)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `GonkaHosts::NextModelId` (r:1 w:1)
	/// Storage: `GonkaHosts::Models` (r:0 w:1)
	fn add_model() -> Weight {
		Weight::from_parts(15_000_000, 1_500)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `GonkaHosts::Models` (r:1 w:1)
	fn set_model_terms() -> Weight {
		Weight::from_parts(15_000_000, 1_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `GonkaHosts::Models` (r:1 w:1)
	fn retire_model() -> Weight {
		Weight::from_parts(15_000_000, 1_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Not a call: what `HostRegistry::slash` costs the calling pallet (worst case: active
	/// collateral and every unbonding chunk are touched, slash destination is an account).
	/// Storage: `GonkaHosts::Hosts` (r:1 w:1)
	/// Storage: `GonkaHosts::Unbonding` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:2 w:2) (the host and the slash destination)
	fn slash() -> Weight {
		Weight::from_parts(60_000_000, 7_500)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn register(m: u32) -> Weight {
		Weight::from_parts(90_000_000, 4_200)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(m.into()))
			.saturating_add(Weight::from_parts(0, 2_900).saturating_mul(m.into()))
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(m.into())))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(m.into())))
	}
	fn update_host(o: u32, n: u32) -> Weight {
		Weight::from_parts(30_000_000, 1_700)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(o.into()))
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 2_900).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(o.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
	fn deregister(m: u32) -> Weight {
		Weight::from_parts(45_000_000, 4_200)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(m.into()))
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(7_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(m.into())))
	}
	fn rotate_worker_key() -> Weight {
		Weight::from_parts(75_000_000, 3_300)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn deposit_collateral() -> Weight {
		Weight::from_parts(45_000_000, 4_200)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn withdraw_collateral() -> Weight {
		Weight::from_parts(30_000_000, 2_500)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(55_000_000, 4_900)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn add_model() -> Weight {
		Weight::from_parts(15_000_000, 1_500)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn set_model_terms() -> Weight {
		Weight::from_parts(15_000_000, 1_000)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn retire_model() -> Weight {
		Weight::from_parts(15_000_000, 1_000)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn slash() -> Weight {
		Weight::from_parts(60_000_000, 7_500)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
}
