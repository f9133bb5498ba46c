// This file is part of Gonka.
// SPDX-License-Identifier: Apache-2.0

//! Weights of `pallet_gonka_inference`, measured by `gonka-bencher pallet` (frame-benchmarking-cli
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
// pallet_gonka_inference
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
// pallets/inference/src/weights.rs
// --json-file
// ~/.cache/gonka/bench/weights-20261205-132253/pallet_gonka_inference.json

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions of `pallet_gonka_inference`, one per benchmark (components as in `benchmarking.rs`).
pub trait WeightInfo {
	/// Benchmark `open_session`.
	fn open_session() -> Weight;
	/// Benchmark `top_up`.
	fn top_up() -> Weight;
	/// Benchmark `close`.
	fn close() -> Weight;
	/// Benchmark `claim`.
	fn claim() -> Weight;
	/// Benchmark `authorize_claim`.
	fn authorize_claim() -> Weight;
	/// Benchmark `report_miss`.
	fn report_miss() -> Weight;
	/// Benchmark `attest`.
	fn attest() -> Weight;
	/// Benchmark `authorize_attest`.
	fn authorize_attest() -> Weight;
	/// Benchmark `sample`.
	/// Component `g` ranges over `[1, 16]`.
	/// Component `k` ranges over `[1, 8]`.
	fn sample(g: u32, k: u32, ) -> Weight;
	/// Benchmark `settle`.
	/// Component `g` ranges over `[1, 16]`.
	/// Component `k` ranges over `[1, 8]`.
	fn settle(g: u32, k: u32, ) -> Weight;
	/// Benchmark `agenda`.
	/// Component `b` ranges over `[1, 64]`.
	/// Component `s` ranges over `[0, 64]`.
	fn agenda(b: u32, s: u32, ) -> Weight;
}

/// The measured weights, storage priced by the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Parameters::Parameters` (r:3 w:0)
	/// Proof: `Parameters::Parameters` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::Models` (r:1 w:0)
	/// Proof: `Hosts::Models` (`max_values`: None, `max_size`: Some(470), added: 2945, mode: `MaxEncodedLen`)
	/// Storage: `Inference::SessionCount` (r:1 w:1)
	/// Proof: `Inference::SessionCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Inference::NextSessionId` (r:1 w:1)
	/// Proof: `Inference::NextSessionId` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `System::ParentHash` (r:1 w:0)
	/// Proof: `System::ParentHash` (`max_values`: Some(1), `max_size`: Some(32), added: 527, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::HostsByModel` (r:65 w:0)
	/// Proof: `Hosts::HostsByModel` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::Hosts` (r:64 w:0)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ActiveEpoch` (r:1 w:0)
	/// Proof: `Sprint::ActiveEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Reputation` (r:64 w:0)
	/// Proof: `Inference::Reputation` (`max_values`: None, `max_size`: Some(305), added: 2780, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::TotalWeight` (r:1 w:0)
	/// Proof: `Sprint::TotalWeight` (`max_values`: None, `max_size`: Some(28), added: 2503, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Weights` (r:64 w:0)
	/// Proof: `Sprint::Weights` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Agenda` (r:1 w:1)
	/// Proof: `Inference::Agenda` (`max_values`: None, `max_size`: Some(526), added: 3001, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Totals` (r:1 w:1)
	/// Proof: `Inference::Totals` (`max_values`: Some(1), `max_size`: Some(48), added: 543, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Sessions` (r:0 w:1)
	/// Proof: `Inference::Sessions` (`max_values`: None, `max_size`: Some(663), added: 3138, mode: `MaxEncodedLen`)
	fn open_session() -> Weight {
		// Proof size, bytes: measured `20850`, worst case `199710`.
		// Fastest run: 1_263_436_000 ps.
		Weight::from_parts(1_303_997_000, 199710)
			.saturating_add(T::DbWeight::get().reads(270))
			.saturating_add(T::DbWeight::get().writes(7))
	}
	/// Storage: `Inference::Sessions` (r:1 w:1)
	/// Proof: `Inference::Sessions` (`max_values`: None, `max_size`: Some(663), added: 3138, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Totals` (r:1 w:1)
	/// Proof: `Inference::Totals` (`max_values`: Some(1), `max_size`: Some(48), added: 543, mode: `MaxEncodedLen`)
	fn top_up() -> Weight {
		// Proof size, bytes: measured `589`, worst case `4128`.
		// Fastest run: 105_757_000 ps.
		Weight::from_parts(108_912_000, 4128)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	/// Storage: `Inference::Sessions` (r:1 w:1)
	/// Proof: `Inference::Sessions` (`max_values`: None, `max_size`: Some(663), added: 3138, mode: `MaxEncodedLen`)
	/// Storage: `Parameters::Parameters` (r:1 w:0)
	/// Proof: `Parameters::Parameters` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Agenda` (r:1 w:1)
	/// Proof: `Inference::Agenda` (`max_values`: None, `max_size`: Some(526), added: 3001, mode: `MaxEncodedLen`)
	fn close() -> Weight {
		// Proof size, bytes: measured `368`, worst case `4128`.
		// Fastest run: 48_162_000 ps.
		Weight::from_parts(51_227_000, 4128)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: `Inference::Sessions` (r:1 w:1)
	/// Proof: `Inference::Sessions` (`max_values`: None, `max_size`: Some(663), added: 3138, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Lanes` (r:1 w:1)
	/// Proof: `Inference::Lanes` (`max_values`: None, `max_size`: Some(146), added: 2621, mode: `MaxEncodedLen`)
	fn claim() -> Weight {
		// Proof size, bytes: measured `531`, worst case `4128`.
		// Fastest run: 47_971_000 ps.
		Weight::from_parts(50_024_000, 4128)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: `Inference::Sessions` (r:1 w:0)
	/// Proof: `Inference::Sessions` (`max_values`: None, `max_size`: Some(663), added: 3138, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::Hosts` (r:1 w:0)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Lanes` (r:1 w:0)
	/// Proof: `Inference::Lanes` (`max_values`: None, `max_size`: Some(146), added: 2621, mode: `MaxEncodedLen`)
	fn authorize_claim() -> Weight {
		// Proof size, bytes: measured `1338`, worst case `4128`.
		// Fastest run: 131_415_000 ps.
		Weight::from_parts(134_870_000, 4128)
			.saturating_add(T::DbWeight::get().reads(4))
	}
	/// Storage: `Inference::Sessions` (r:1 w:0)
	/// Proof: `Inference::Sessions` (`max_values`: None, `max_size`: Some(663), added: 3138, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Misses` (r:1 w:1)
	/// Proof: `Inference::Misses` (`max_values`: None, `max_size`: Some(25), added: 2500, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ActiveEpoch` (r:1 w:0)
	/// Proof: `Sprint::ActiveEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Reputation` (r:1 w:1)
	/// Proof: `Inference::Reputation` (`max_values`: None, `max_size`: Some(305), added: 2780, mode: `MaxEncodedLen`)
	fn report_miss() -> Weight {
		// Proof size, bytes: measured `589`, worst case `4128`.
		// Fastest run: 55_422_000 ps.
		Weight::from_parts(56_634_000, 4128)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: `Inference::Sessions` (r:1 w:0)
	/// Proof: `Inference::Sessions` (`max_values`: None, `max_size`: Some(663), added: 3138, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Samples` (r:1 w:1)
	/// Proof: `Inference::Samples` (`max_values`: None, `max_size`: Some(205), added: 2680, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Assignments` (r:0 w:1)
	/// Proof: `Inference::Assignments` (`max_values`: None, `max_size`: Some(73), added: 2548, mode: `MaxEncodedLen`)
	fn attest() -> Weight {
		// Proof size, bytes: measured `552`, worst case `4128`.
		// Fastest run: 48_983_000 ps.
		Weight::from_parts(53_570_000, 4128)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: `Hosts::Hosts` (r:1 w:0)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Sessions` (r:1 w:0)
	/// Proof: `Inference::Sessions` (`max_values`: None, `max_size`: Some(663), added: 3138, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Samples` (r:1 w:0)
	/// Proof: `Inference::Samples` (`max_values`: None, `max_size`: Some(205), added: 2680, mode: `MaxEncodedLen`)
	fn authorize_attest() -> Weight {
		// Proof size, bytes: measured `1547`, worst case `4128`.
		// Fastest run: 89_203_000 ps.
		Weight::from_parts(91_937_000, 4128)
			.saturating_add(T::DbWeight::get().reads(4))
	}
	/// Storage: `System::ParentHash` (r:1 w:0)
	/// Proof: `System::ParentHash` (`max_values`: Some(1), `max_size`: Some(32), added: 527, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::Models` (r:1 w:0)
	/// Proof: `Hosts::Models` (`max_values`: None, `max_size`: Some(470), added: 2945, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::HostsByModel` (r:65 w:0)
	/// Proof: `Hosts::HostsByModel` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::Hosts` (r:64 w:0)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ActiveEpoch` (r:1 w:0)
	/// Proof: `Sprint::ActiveEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Reputation` (r:65 w:62)
	/// Proof: `Inference::Reputation` (`max_values`: None, `max_size`: Some(305), added: 2780, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::TotalWeight` (r:1 w:0)
	/// Proof: `Sprint::TotalWeight` (`max_values`: None, `max_size`: Some(28), added: 2503, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Weights` (r:64 w:0)
	/// Proof: `Sprint::Weights` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	/// Storage: `Parameters::Parameters` (r:4 w:0)
	/// Proof: `Parameters::Parameters` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Lanes` (r:17 w:16)
	/// Proof: `Inference::Lanes` (`max_values`: None, `max_size`: Some(146), added: 2621, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Agenda` (r:1 w:1)
	/// Proof: `Inference::Agenda` (`max_values`: None, `max_size`: Some(526), added: 3001, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Sessions` (r:0 w:1)
	/// Proof: `Inference::Sessions` (`max_values`: None, `max_size`: Some(663), added: 3138, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Assignments` (r:0 w:384)
	/// Proof: `Inference::Assignments` (`max_values`: None, `max_size`: Some(73), added: 2548, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Samples` (r:0 w:128)
	/// Proof: `Inference::Samples` (`max_values`: None, `max_size`: Some(205), added: 2680, mode: `MaxEncodedLen`)
	fn sample(g: u32, k: u32, ) -> Weight {
		// Proof size, bytes: measured `20986 + g * 138`, worst case `199710 + g * 2621 + k * 93`.
		// Fastest run: 1_355_093_000 ps.
		Weight::from_parts(1_375_122_000, 199710)
			// Standard error: 2_860_550
			.saturating_add(Weight::from_parts(58_180_450, 0).saturating_mul(g.into()))
			// Standard error: 5_674_955
			.saturating_add(Weight::from_parts(81_349_733, 0).saturating_mul(k.into()))
			.saturating_add(T::DbWeight::get().reads(267))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(g.into())))
			.saturating_add(T::DbWeight::get().writes(56))
			.saturating_add(T::DbWeight::get().writes((13_u64).saturating_mul(g.into())))
			.saturating_add(T::DbWeight::get().writes((22_u64).saturating_mul(k.into())))
			.saturating_add(Weight::from_parts(0, 2621).saturating_mul(g.into()))
			.saturating_add(Weight::from_parts(0, 93).saturating_mul(k.into()))
	}
	/// Storage: `Inference::Samples` (r:129 w:128)
	/// Proof: `Inference::Samples` (`max_values`: None, `max_size`: Some(205), added: 2680, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Lanes` (r:17 w:16)
	/// Proof: `Inference::Lanes` (`max_values`: None, `max_size`: Some(146), added: 2621, mode: `MaxEncodedLen`)
	/// Storage: `Parameters::Parameters` (r:2 w:0)
	/// Proof: `Parameters::Parameters` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:63 w:17)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::Hosts` (r:56 w:0)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ActiveEpoch` (r:1 w:0)
	/// Proof: `Sprint::ActiveEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Reputation` (r:63 w:63)
	/// Proof: `Inference::Reputation` (`max_values`: None, `max_size`: Some(305), added: 2780, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Earned` (r:16 w:16)
	/// Proof: `Inference::Earned` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Totals` (r:1 w:1)
	/// Proof: `Inference::Totals` (`max_values`: Some(1), `max_size`: Some(48), added: 543, mode: `MaxEncodedLen`)
	/// Storage: `Inference::SessionCount` (r:1 w:1)
	/// Proof: `Inference::SessionCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Sessions` (r:0 w:1)
	/// Proof: `Inference::Sessions` (`max_values`: None, `max_size`: Some(663), added: 3138, mode: `MaxEncodedLen`)
	fn settle(g: u32, k: u32, ) -> Weight {
		// Proof size, bytes: measured `0 + g * 1781 + k * 3175`, worst case `45241 + g * 7108 + k * 12976`.
		// Fastest run: 533_873_000 ps.
		Weight::from_parts(542_516_000, 45241)
			// Standard error: 5_618_670
			.saturating_add(Weight::from_parts(78_565_622, 0).saturating_mul(g.into()))
			// Standard error: 11_146_704
			.saturating_add(Weight::from_parts(150_670_678, 0).saturating_mul(k.into()))
			.saturating_add(T::DbWeight::get().reads(65))
			.saturating_add(T::DbWeight::get().reads((9_u64).saturating_mul(g.into())))
			.saturating_add(T::DbWeight::get().reads((13_u64).saturating_mul(k.into())))
			.saturating_add(T::DbWeight::get().writes(38))
			.saturating_add(T::DbWeight::get().writes((5_u64).saturating_mul(g.into())))
			.saturating_add(T::DbWeight::get().writes((9_u64).saturating_mul(k.into())))
			.saturating_add(Weight::from_parts(0, 7108).saturating_mul(g.into()))
			.saturating_add(Weight::from_parts(0, 12976).saturating_mul(k.into()))
	}
	/// Storage: `Inference::AgendaCursor` (r:1 w:1)
	/// Proof: `Inference::AgendaCursor` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Agenda` (r:64 w:1)
	/// Proof: `Inference::Agenda` (`max_values`: None, `max_size`: Some(526), added: 3001, mode: `MaxEncodedLen`)
	/// Storage: `Inference::Sessions` (r:64 w:0)
	/// Proof: `Inference::Sessions` (`max_values`: None, `max_size`: Some(663), added: 3138, mode: `MaxEncodedLen`)
	fn agenda(b: u32, s: u32, ) -> Weight {
		// Proof size, bytes: measured `144 + s * 8`, worst case `1489 + b * 3001 + s * 3138`.
		// Fastest run: 136_573_000 ps.
		Weight::from_parts(3_418_653, 1489)
			// Standard error: 11_145
			.saturating_add(Weight::from_parts(2_161_196, 0).saturating_mul(b.into()))
			// Standard error: 10_985
			.saturating_add(Weight::from_parts(2_506_331, 0).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(b.into())))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes(2))
			.saturating_add(Weight::from_parts(0, 3001).saturating_mul(b.into()))
			.saturating_add(Weight::from_parts(0, 3138).saturating_mul(s.into()))
	}
}

/// The same measurements with RocksDB's storage prices, for mock runtimes.
impl WeightInfo for () {
	fn open_session() -> Weight {
		Weight::from_parts(1_303_997_000, 199710)
			.saturating_add(RocksDbWeight::get().reads(270))
			.saturating_add(RocksDbWeight::get().writes(7))
	}
	fn top_up() -> Weight {
		Weight::from_parts(108_912_000, 4128)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn close() -> Weight {
		Weight::from_parts(51_227_000, 4128)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn claim() -> Weight {
		Weight::from_parts(50_024_000, 4128)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn authorize_claim() -> Weight {
		Weight::from_parts(134_870_000, 4128)
			.saturating_add(RocksDbWeight::get().reads(4))
	}
	fn report_miss() -> Weight {
		Weight::from_parts(56_634_000, 4128)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn attest() -> Weight {
		Weight::from_parts(53_570_000, 4128)
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn authorize_attest() -> Weight {
		Weight::from_parts(91_937_000, 4128)
			.saturating_add(RocksDbWeight::get().reads(4))
	}
	fn sample(g: u32, k: u32, ) -> Weight {
		Weight::from_parts(1_375_122_000, 199710)
			.saturating_add(Weight::from_parts(58_180_450, 0).saturating_mul(g.into()))
			.saturating_add(Weight::from_parts(81_349_733, 0).saturating_mul(k.into()))
			.saturating_add(RocksDbWeight::get().reads(267))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(g.into())))
			.saturating_add(RocksDbWeight::get().writes(56))
			.saturating_add(RocksDbWeight::get().writes((13_u64).saturating_mul(g.into())))
			.saturating_add(RocksDbWeight::get().writes((22_u64).saturating_mul(k.into())))
			.saturating_add(Weight::from_parts(0, 2621).saturating_mul(g.into()))
			.saturating_add(Weight::from_parts(0, 93).saturating_mul(k.into()))
	}
	fn settle(g: u32, k: u32, ) -> Weight {
		Weight::from_parts(542_516_000, 45241)
			.saturating_add(Weight::from_parts(78_565_622, 0).saturating_mul(g.into()))
			.saturating_add(Weight::from_parts(150_670_678, 0).saturating_mul(k.into()))
			.saturating_add(RocksDbWeight::get().reads(65))
			.saturating_add(RocksDbWeight::get().reads((9_u64).saturating_mul(g.into())))
			.saturating_add(RocksDbWeight::get().reads((13_u64).saturating_mul(k.into())))
			.saturating_add(RocksDbWeight::get().writes(38))
			.saturating_add(RocksDbWeight::get().writes((5_u64).saturating_mul(g.into())))
			.saturating_add(RocksDbWeight::get().writes((9_u64).saturating_mul(k.into())))
			.saturating_add(Weight::from_parts(0, 7108).saturating_mul(g.into()))
			.saturating_add(Weight::from_parts(0, 12976).saturating_mul(k.into()))
	}
	fn agenda(b: u32, s: u32, ) -> Weight {
		Weight::from_parts(3_418_653, 1489)
			.saturating_add(Weight::from_parts(2_161_196, 0).saturating_mul(b.into()))
			.saturating_add(Weight::from_parts(2_506_331, 0).saturating_mul(s.into()))
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(b.into())))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(s.into())))
			.saturating_add(RocksDbWeight::get().writes(2))
			.saturating_add(Weight::from_parts(0, 3001).saturating_mul(b.into()))
			.saturating_add(Weight::from_parts(0, 3138).saturating_mul(s.into()))
	}
}
