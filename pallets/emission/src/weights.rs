// This file is part of Gonka.
// SPDX-License-Identifier: Apache-2.0

//! Weights of `pallet_gonka_emission`, measured by `gonka-bencher pallet` (frame-benchmarking-cli
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
// pallet_gonka_emission
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
// pallets/emission/src/weights.rs
// --json-file
// ~/.cache/gonka/bench/weights-20261205-132253/pallet_gonka_emission.json

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions of `pallet_gonka_emission`, one per benchmark (components as in `benchmarking.rs`).
pub trait WeightInfo {
	/// Benchmark `claim`.
	fn claim() -> Weight;
	/// Benchmark `on_weights_finalized`.
	/// Component `c` ranges over `[0, 64]`.
	fn on_weights_finalized(c: u32, ) -> Weight;
}

/// The measured weights, storage priced by the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Emission::EpochRewards` (r:1 w:1)
	/// Proof: `Emission::EpochRewards` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	/// Storage: `Emission::LastSettled` (r:1 w:0)
	/// Proof: `Emission::LastSettled` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Emission::Claimed` (r:1 w:1)
	/// Proof: `Emission::Claimed` (`max_values`: None, `max_size`: Some(306), added: 2781, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::TotalWeight` (r:1 w:0)
	/// Proof: `Sprint::TotalWeight` (`max_values`: None, `max_size`: Some(28), added: 2503, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Weights` (r:1 w:0)
	/// Proof: `Sprint::Weights` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Emission::TotalMinted` (r:1 w:1)
	/// Proof: `Emission::TotalMinted` (`max_values`: Some(1), `max_size`: Some(16), added: 511, mode: `MaxEncodedLen`)
	fn claim() -> Weight {
		// Proof size, bytes: measured `2286`, worst case `3771`.
		// Fastest run: 80_389_000 ps.
		Weight::from_parts(83_534_000, 3771)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	/// Storage: `Emission::LastSettled` (r:1 w:1)
	/// Proof: `Emission::LastSettled` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Emission::OpenEpochs` (r:1 w:1)
	/// Proof: `Emission::OpenEpochs` (`max_values`: Some(1), `max_size`: Some(258), added: 753, mode: `MaxEncodedLen`)
	/// Storage: `Emission::TotalCommitted` (r:1 w:1)
	/// Proof: `Emission::TotalCommitted` (`max_values`: Some(1), `max_size`: Some(16), added: 511, mode: `MaxEncodedLen`)
	/// Storage: `Emission::EpochRewards` (r:64 w:65)
	/// Proof: `Emission::EpochRewards` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Emission::TotalMinted` (r:1 w:1)
	/// Proof: `Emission::TotalMinted` (`max_values`: Some(1), `max_size`: Some(16), added: 511, mode: `MaxEncodedLen`)
	fn on_weights_finalized(c: u32, ) -> Weight {
		// Proof size, bytes: measured `245 + c * 51`, worst case `3593 + c * 2555`.
		// Fastest run: 25_418_000 ps.
		Weight::from_parts(31_994_410, 3593)
			// Standard error: 67_942
			.saturating_add(Weight::from_parts(25_685_579, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes(6))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(c.into())))
			.saturating_add(Weight::from_parts(0, 2555).saturating_mul(c.into()))
	}
}

/// The same measurements with RocksDB's storage prices, for mock runtimes.
impl WeightInfo for () {
	fn claim() -> Weight {
		Weight::from_parts(83_534_000, 3771)
			.saturating_add(RocksDbWeight::get().reads(7))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn on_weights_finalized(c: u32, ) -> Weight {
		Weight::from_parts(31_994_410, 3593)
			.saturating_add(Weight::from_parts(25_685_579, 0).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads(5))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().writes(6))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(c.into())))
			.saturating_add(Weight::from_parts(0, 2555).saturating_mul(c.into()))
	}
}
