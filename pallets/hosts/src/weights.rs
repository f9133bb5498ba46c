// This file is part of Gonka.
// SPDX-License-Identifier: Apache-2.0

//! Weights of `pallet_gonka_hosts`, measured by `gonka-bencher pallet` (frame-benchmarking-cli
//! 64.0.0) against the Gonka runtime's benchmarking WASM. Written by
//! `scripts/bench/weights.sh`; do not edit by hand, re-run it.
//!
//! Date 2026-12-05; steps `20`, repeat `10`; host `vm`, CPU
//! `AMD EPYC`; WASM execution `Compiled`, DB cache 1024 MiB.
//!
//! Each function is the linear fit of the measured execution time (ref time, picoseconds) over
//! the benchmark's components, plus its storage reads and writes priced by the runtime's
//! `DbWeight`, plus the proof size (bytes) the PoV would need in the worst case: every key read
//! counted at its `MaxEncodedLen` bound (or measured, for `Measured` keys). The comments list the
//! storage items each benchmark touched.

// Executed command:
// ~/.cache/gonka/target-bench/release/gonka-bencher
// pallet
// --pallet
// pallet_gonka_hosts
// --extrinsic
// *
// --steps
// 20
// --repeat
// 10
// --min-duration
// 0
// --wasm-execution
// compiled
// --header
// scripts/bench/weights-header.txt
// --template
// scripts/bench/pallet-weights.hbs
// --output
// pallets/hosts/src/weights.rs
// --json-file
// ~/.cache/gonka/bench/weights-20261205-132253/pallet_gonka_hosts.json

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions of `pallet_gonka_hosts`, one per benchmark (components as in `benchmarking.rs`).
pub trait WeightInfo {
	/// Benchmark `register`.
	/// Component `m` ranges over `[0, 32]`.
	fn register(m: u32, ) -> Weight;
	/// Benchmark `update_host`.
	/// Component `o` ranges over `[0, 32]`.
	/// Component `n` ranges over `[0, 32]`.
	fn update_host(o: u32, n: u32, ) -> Weight;
	/// Benchmark `deregister`.
	/// Component `m` ranges over `[0, 32]`.
	fn deregister(m: u32, ) -> Weight;
	/// Benchmark `rotate_worker_key`.
	fn rotate_worker_key() -> Weight;
	/// Benchmark `deposit_collateral`.
	fn deposit_collateral() -> Weight;
	/// Benchmark `withdraw_collateral`.
	fn withdraw_collateral() -> Weight;
	/// Benchmark `withdraw_unbonded`.
	fn withdraw_unbonded() -> Weight;
	/// Benchmark `add_model`.
	fn add_model() -> Weight;
	/// Benchmark `set_model_terms`.
	fn set_model_terms() -> Weight;
	/// Benchmark `retire_model`.
	fn retire_model() -> Weight;
	/// Benchmark `slash`.
	fn slash() -> Weight;
}

/// The measured weights, storage priced by the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Hosts::Hosts` (r:1 w:1)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::WorkerKeyOwner` (r:1 w:1)
	/// Proof: `Hosts::WorkerKeyOwner` (`max_values`: None, `max_size`: Some(80), added: 2555, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::HostCount` (r:1 w:1)
	/// Proof: `Hosts::HostCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::Models` (r:32 w:0)
	/// Proof: `Hosts::Models` (`max_values`: None, `max_size`: Some(470), added: 2945, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::HostsByModel` (r:0 w:32)
	/// Proof: `Hosts::HostsByModel` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	fn register(m: u32, ) -> Weight {
		// Proof size, bytes: measured `806 + m * 48`, worst case `4095 + m * 2945`.
		// Fastest run: 119_858_000 ps.
		Weight::from_parts(128_660_660, 4095)
			// Standard error: 41_516
			.saturating_add(Weight::from_parts(6_611_181, 0).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(m.into())))
			.saturating_add(T::DbWeight::get().writes(4))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(m.into())))
			.saturating_add(Weight::from_parts(0, 2945).saturating_mul(m.into()))
	}
	/// Storage: `Hosts::Hosts` (r:1 w:1)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::Models` (r:32 w:0)
	/// Proof: `Hosts::Models` (`max_values`: None, `max_size`: Some(470), added: 2945, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::HostsByModel` (r:0 w:64)
	/// Proof: `Hosts::HostsByModel` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::WorkerKeyOwner` (r:0 w:1)
	/// Proof: `Hosts::WorkerKeyOwner` (`max_values`: None, `max_size`: Some(80), added: 2555, mode: `MaxEncodedLen`)
	fn update_host(o: u32, n: u32, ) -> Weight {
		// Proof size, bytes: measured `308 + n * 68 + o * 37`, worst case `4095 + n * 2945`.
		// Fastest run: 103_523_000 ps.
		Weight::from_parts(13_751_951, 4095)
			// Standard error: 45_522
			.saturating_add(Weight::from_parts(2_991_357, 0).saturating_mul(o.into()))
			// Standard error: 45_522
			.saturating_add(Weight::from_parts(7_047_075, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(2))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(o.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2945).saturating_mul(n.into()))
	}
	/// Storage: `Hosts::Hosts` (r:1 w:1)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::HostCount` (r:1 w:1)
	/// Proof: `Hosts::HostCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::HostsByModel` (r:0 w:32)
	/// Proof: `Hosts::HostsByModel` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::WorkerKeyOwner` (r:0 w:2)
	/// Proof: `Hosts::WorkerKeyOwner` (`max_values`: None, `max_size`: Some(80), added: 2555, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::Unbonding` (r:0 w:1)
	/// Proof: `Hosts::Unbonding` (`max_values`: None, `max_size`: Some(369), added: 2844, mode: `MaxEncodedLen`)
	fn deregister(m: u32, ) -> Weight {
		// Proof size, bytes: measured `585 + m * 4`, worst case `4095`.
		// Fastest run: 73_609_000 ps.
		Weight::from_parts(77_646_660, 4095)
			// Standard error: 31_335
			.saturating_add(Weight::from_parts(2_500_409, 0).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(6))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(m.into())))
	}
	/// Storage: `Hosts::Hosts` (r:1 w:1)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::WorkerKeyOwner` (r:1 w:2)
	/// Proof: `Hosts::WorkerKeyOwner` (`max_values`: None, `max_size`: Some(80), added: 2555, mode: `MaxEncodedLen`)
	fn rotate_worker_key() -> Weight {
		// Proof size, bytes: measured `622`, worst case `4095`.
		// Fastest run: 79_989_000 ps.
		Weight::from_parts(86_729_000, 4095)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	/// Storage: `Hosts::Hosts` (r:1 w:1)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	fn deposit_collateral() -> Weight {
		// Proof size, bytes: measured `573`, worst case `4095`.
		// Fastest run: 75_933_000 ps.
		Weight::from_parts(77_105_000, 4095)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: `Hosts::Hosts` (r:1 w:1)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::Unbonding` (r:1 w:1)
	/// Proof: `Hosts::Unbonding` (`max_values`: None, `max_size`: Some(369), added: 2844, mode: `MaxEncodedLen`)
	fn withdraw_collateral() -> Weight {
		// Proof size, bytes: measured `876`, worst case `4095`.
		// Fastest run: 30_555_000 ps.
		Weight::from_parts(33_250_000, 4095)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: `Hosts::Hosts` (r:1 w:1)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::Unbonding` (r:1 w:1)
	/// Proof: `Hosts::Unbonding` (`max_values`: None, `max_size`: Some(369), added: 2844, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	fn withdraw_unbonded() -> Weight {
		// Proof size, bytes: measured `971`, worst case `4095`.
		// Fastest run: 74_590_000 ps.
		Weight::from_parts(76_724_000, 4095)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	/// Storage: `Hosts::NextModelId` (r:1 w:1)
	/// Proof: `Hosts::NextModelId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::Models` (r:0 w:1)
	/// Proof: `Hosts::Models` (`max_values`: None, `max_size`: Some(470), added: 2945, mode: `MaxEncodedLen`)
	fn add_model() -> Weight {
		// Proof size, bytes: measured `165`, worst case `1489`.
		// Fastest run: 12_959_000 ps.
		Weight::from_parts(14_131_000, 1489)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: `Hosts::Models` (r:1 w:1)
	/// Proof: `Hosts::Models` (`max_values`: None, `max_size`: Some(470), added: 2945, mode: `MaxEncodedLen`)
	fn set_model_terms() -> Weight {
		// Proof size, bytes: measured `265`, worst case `3935`.
		// Fastest run: 13_179_000 ps.
		Weight::from_parts(13_620_000, 3935)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: `Hosts::Models` (r:1 w:1)
	/// Proof: `Hosts::Models` (`max_values`: None, `max_size`: Some(470), added: 2945, mode: `MaxEncodedLen`)
	fn retire_model() -> Weight {
		// Proof size, bytes: measured `265`, worst case `3935`.
		// Fastest run: 13_000_000 ps.
		Weight::from_parts(13_540_000, 3935)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: `Hosts::Hosts` (r:1 w:1)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::Unbonding` (r:1 w:1)
	/// Proof: `Hosts::Unbonding` (`max_values`: None, `max_size`: Some(369), added: 2844, mode: `MaxEncodedLen`)
	fn slash() -> Weight {
		// Proof size, bytes: measured `1211`, worst case `6196`.
		// Fastest run: 69_283_000 ps.
		Weight::from_parts(71_195_000, 6196)
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(5))
	}
}

/// The same measurements with RocksDB's storage prices, for mock runtimes.
impl WeightInfo for () {
	fn register(m: u32, ) -> Weight {
		Weight::from_parts(128_660_660, 4095)
			.saturating_add(Weight::from_parts(6_611_181, 0).saturating_mul(m.into()))
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(m.into())))
			.saturating_add(RocksDbWeight::get().writes(4))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(m.into())))
			.saturating_add(Weight::from_parts(0, 2945).saturating_mul(m.into()))
	}
	fn update_host(o: u32, n: u32, ) -> Weight {
		Weight::from_parts(13_751_951, 4095)
			.saturating_add(Weight::from_parts(2_991_357, 0).saturating_mul(o.into()))
			.saturating_add(Weight::from_parts(7_047_075, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(2))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(o.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2945).saturating_mul(n.into()))
	}
	fn deregister(m: u32, ) -> Weight {
		Weight::from_parts(77_646_660, 4095)
			.saturating_add(Weight::from_parts(2_500_409, 0).saturating_mul(m.into()))
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(6))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(m.into())))
	}
	fn rotate_worker_key() -> Weight {
		Weight::from_parts(86_729_000, 4095)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn deposit_collateral() -> Weight {
		Weight::from_parts(77_105_000, 4095)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn withdraw_collateral() -> Weight {
		Weight::from_parts(33_250_000, 4095)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(76_724_000, 4095)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn add_model() -> Weight {
		Weight::from_parts(14_131_000, 1489)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn set_model_terms() -> Weight {
		Weight::from_parts(13_620_000, 3935)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn retire_model() -> Weight {
		Weight::from_parts(13_540_000, 3935)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn slash() -> Weight {
		Weight::from_parts(71_195_000, 6196)
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
}
