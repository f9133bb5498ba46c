// This file is part of Gonka.
// SPDX-License-Identifier: Apache-2.0

//! Weights of `pallet_gonka_compute_voting`, measured by `gonka-bencher pallet` (frame-benchmarking-cli
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
// pallet_gonka_compute_voting
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
// pallets/compute-voting/src/weights.rs
// --json-file
// ~/.cache/gonka/bench/weights-20261205-132253/pallet_gonka_compute_voting.json

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions of `pallet_gonka_compute_voting`, one per benchmark (components as in `benchmarking.rs`).
pub trait WeightInfo {
	/// Benchmark `vote`.
	fn vote() -> Weight;
	/// Benchmark `remove_vote`.
	fn remove_vote() -> Weight;
	/// Benchmark `recount_vote`.
	fn recount_vote() -> Weight;
	/// Benchmark `recount_idle`.
	fn recount_idle() -> Weight;
}

/// The measured weights, storage priced by the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Sprint::ValidatorSource` (r:1 w:0)
	/// Proof: `Sprint::ValidatorSource` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::TotalWeight` (r:1 w:0)
	/// Proof: `Sprint::TotalWeight` (`max_values`: None, `max_size`: Some(28), added: 2503, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Weights` (r:1 w:0)
	/// Proof: `Sprint::Weights` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	/// Storage: `Referenda::ReferendumInfoFor` (r:1 w:1)
	/// Proof: `Referenda::ReferendumInfoFor` (`max_values`: None, `max_size`: Some(936), added: 3411, mode: `MaxEncodedLen`)
	/// Storage: `ComputeVoting::VotingFor` (r:1 w:1)
	/// Proof: `ComputeVoting::VotingFor` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `Scheduler::Agenda` (r:2 w:2)
	/// Proof: `Scheduler::Agenda` (`max_values`: None, `max_size`: Some(38963), added: 41438, mode: `MaxEncodedLen`)
	/// Storage: `Scheduler::Retries` (r:0 w:1)
	/// Proof: `Scheduler::Retries` (`max_values`: None, `max_size`: Some(30), added: 2505, mode: `MaxEncodedLen`)
	fn vote() -> Weight {
		// Proof size, bytes: measured `755`, worst case `83866`.
		// Fastest run: 65_668_000 ps.
		Weight::from_parts(67_701_000, 83866)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	/// Storage: `ComputeVoting::VotingFor` (r:1 w:1)
	/// Proof: `ComputeVoting::VotingFor` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `Referenda::ReferendumInfoFor` (r:1 w:1)
	/// Proof: `Referenda::ReferendumInfoFor` (`max_values`: None, `max_size`: Some(936), added: 3411, mode: `MaxEncodedLen`)
	/// Storage: `Scheduler::Agenda` (r:2 w:2)
	/// Proof: `Scheduler::Agenda` (`max_values`: None, `max_size`: Some(38963), added: 41438, mode: `MaxEncodedLen`)
	/// Storage: `Scheduler::Retries` (r:0 w:1)
	/// Proof: `Scheduler::Retries` (`max_values`: None, `max_size`: Some(30), added: 2505, mode: `MaxEncodedLen`)
	fn remove_vote() -> Weight {
		// Proof size, bytes: measured `454`, worst case `83866`.
		// Fastest run: 46_189_000 ps.
		Weight::from_parts(48_041_000, 83866)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	/// Storage: `Sprint::ValidatorSource` (r:1 w:0)
	/// Proof: `Sprint::ValidatorSource` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::TotalWeight` (r:1 w:0)
	/// Proof: `Sprint::TotalWeight` (`max_values`: None, `max_size`: Some(28), added: 2503, mode: `MaxEncodedLen`)
	/// Storage: `ComputeVoting::CountedEpoch` (r:1 w:0)
	/// Proof: `ComputeVoting::CountedEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `ComputeVoting::RecountCursor` (r:1 w:1)
	/// Proof: `ComputeVoting::RecountCursor` (`max_values`: Some(1), `max_size`: Some(258), added: 753, mode: `MaxEncodedLen`)
	/// Storage: `ComputeVoting::VotingFor` (r:2 w:1)
	/// Proof: `ComputeVoting::VotingFor` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Weights` (r:1 w:0)
	/// Proof: `Sprint::Weights` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	/// Storage: `Referenda::ReferendumInfoFor` (r:1 w:1)
	/// Proof: `Referenda::ReferendumInfoFor` (`max_values`: None, `max_size`: Some(936), added: 3411, mode: `MaxEncodedLen`)
	/// Storage: `Scheduler::Agenda` (r:2 w:2)
	/// Proof: `Scheduler::Agenda` (`max_values`: None, `max_size`: Some(38963), added: 41438, mode: `MaxEncodedLen`)
	/// Storage: `Scheduler::Retries` (r:0 w:1)
	/// Proof: `Scheduler::Retries` (`max_values`: None, `max_size`: Some(30), added: 2505, mode: `MaxEncodedLen`)
	fn recount_vote() -> Weight {
		// Proof size, bytes: measured `799`, worst case `83866`.
		// Fastest run: 67_540_000 ps.
		Weight::from_parts(69_634_000, 83866)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	/// Storage: `Sprint::ValidatorSource` (r:1 w:0)
	/// Proof: `Sprint::ValidatorSource` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::TotalWeight` (r:1 w:0)
	/// Proof: `Sprint::TotalWeight` (`max_values`: None, `max_size`: Some(28), added: 2503, mode: `MaxEncodedLen`)
	/// Storage: `ComputeVoting::CountedEpoch` (r:1 w:0)
	/// Proof: `ComputeVoting::CountedEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `ComputeVoting::RecountCursor` (r:1 w:0)
	/// Proof: `ComputeVoting::RecountCursor` (`max_values`: Some(1), `max_size`: Some(258), added: 753, mode: `MaxEncodedLen`)
	fn recount_idle() -> Weight {
		// Proof size, bytes: measured `267`, worst case `3493`.
		// Fastest run: 11_467_000 ps.
		Weight::from_parts(11_907_000, 3493)
			.saturating_add(T::DbWeight::get().reads(4))
	}
}

/// The same measurements with RocksDB's storage prices, for mock runtimes.
impl WeightInfo for () {
	fn vote() -> Weight {
		Weight::from_parts(67_701_000, 83866)
			.saturating_add(RocksDbWeight::get().reads(7))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn remove_vote() -> Weight {
		Weight::from_parts(48_041_000, 83866)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn recount_vote() -> Weight {
		Weight::from_parts(69_634_000, 83866)
			.saturating_add(RocksDbWeight::get().reads(10))
			.saturating_add(RocksDbWeight::get().writes(6))
	}
	fn recount_idle() -> Weight {
		Weight::from_parts(11_907_000, 3493)
			.saturating_add(RocksDbWeight::get().reads(4))
	}
}
