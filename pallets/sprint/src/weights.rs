// This file is part of Gonka.
// SPDX-License-Identifier: Apache-2.0

//! Weights of `pallet_gonka_sprint`, measured by `gonka-bencher pallet` (frame-benchmarking-cli
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
// pallet_gonka_sprint
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
// pallets/sprint/src/weights.rs
// --json-file
// ~/.cache/gonka/bench/weights-20261205-132253/pallet_gonka_sprint.json

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions of `pallet_gonka_sprint`, one per benchmark (components as in `benchmarking.rs`).
pub trait WeightInfo {
	/// Benchmark `set_pow_params`.
	fn set_pow_params() -> Weight;
	/// Benchmark `submit_commitment`.
	fn submit_commitment() -> Weight;
	/// Benchmark `authorize_submit_commitment`.
	fn authorize_submit_commitment() -> Weight;
	/// Benchmark `submit_verdicts`.
	/// Component `n` ranges over `[1, 16]`.
	fn submit_verdicts(n: u32, ) -> Weight;
	/// Benchmark `authorize_submit_verdicts`.
	/// Component `n` ranges over `[1, 16]`.
	fn authorize_submit_verdicts(n: u32, ) -> Weight;
	/// Benchmark `committee_chunks`.
	/// Component `c` ranges over `[1, 256]`.
	fn committee_chunks(c: u32, ) -> Weight;
	/// Benchmark `on_block_idle`.
	fn on_block_idle() -> Weight;
	/// Benchmark `start_sprint`.
	fn start_sprint() -> Weight;
	/// Benchmark `settle_tally`.
	fn settle_tally() -> Weight;
	/// Benchmark `settle_finalize`.
	fn settle_finalize() -> Weight;
	/// Benchmark `activate`.
	fn activate() -> Weight;
	/// Benchmark `prune_keys`.
	/// Component `k` ranges over `[1, 1000]`.
	fn prune_keys(k: u32, ) -> Weight;
}

/// The measured weights, storage priced by the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Sprint::Params` (r:0 w:1)
	/// Proof: `Sprint::Params` (`max_values`: Some(1), `max_size`: Some(36), added: 531, mode: `MaxEncodedLen`)
	fn set_pow_params() -> Weight {
		// Proof size, bytes: measured `0`, worst case `0`.
		// Fastest run: 6_770_000 ps.
		Weight::from_parts(7_341_000, 0)
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: `Sprint::Clock` (r:1 w:0)
	/// Proof: `Sprint::Clock` (`max_values`: Some(1), `max_size`: Some(20), added: 515, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Epochs` (r:1 w:0)
	/// Proof: `Sprint::Epochs` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `Hosts::Hosts` (r:1 w:0)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Commitments` (r:1 w:1)
	/// Proof: `Sprint::Commitments` (`max_values`: None, `max_size`: Some(100), added: 2575, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ActiveEpoch` (r:1 w:0)
	/// Proof: `Sprint::ActiveEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ParticipantCount` (r:1 w:1)
	/// Proof: `Sprint::ParticipantCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::NewcomerCount` (r:1 w:1)
	/// Proof: `Sprint::NewcomerCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Parameters::Parameters` (r:3 w:0)
	/// Proof: `Parameters::Parameters` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::CommitmentKeys` (r:0 w:1)
	/// Proof: `Sprint::CommitmentKeys` (`max_values`: None, `max_size`: Some(92), added: 2567, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Participants` (r:0 w:1)
	/// Proof: `Sprint::Participants` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	fn submit_commitment() -> Weight {
		// Proof size, bytes: measured `646`, worst case `8523`.
		// Fastest run: 66_899_000 ps.
		Weight::from_parts(70_665_000, 8523)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	/// Storage: `Hosts::Hosts` (r:1 w:0)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Clock` (r:1 w:0)
	/// Proof: `Sprint::Clock` (`max_values`: Some(1), `max_size`: Some(20), added: 515, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Epochs` (r:1 w:0)
	/// Proof: `Sprint::Epochs` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Commitments` (r:1 w:0)
	/// Proof: `Sprint::Commitments` (`max_values`: None, `max_size`: Some(100), added: 2575, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ActiveEpoch` (r:1 w:0)
	/// Proof: `Sprint::ActiveEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ParticipantCount` (r:1 w:0)
	/// Proof: `Sprint::ParticipantCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::NewcomerCount` (r:1 w:0)
	/// Proof: `Sprint::NewcomerCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Parameters::Parameters` (r:3 w:0)
	/// Proof: `Parameters::Parameters` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	fn authorize_submit_commitment() -> Weight {
		// Proof size, bytes: measured `700`, worst case `8523`.
		// Fastest run: 92_407_000 ps.
		Weight::from_parts(94_331_000, 8523)
			.saturating_add(T::DbWeight::get().reads(11))
	}
	/// Storage: `Sprint::Clock` (r:1 w:0)
	/// Proof: `Sprint::Clock` (`max_values`: Some(1), `max_size`: Some(20), added: 515, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Epochs` (r:1 w:0)
	/// Proof: `Sprint::Epochs` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Commitments` (r:16 w:0)
	/// Proof: `Sprint::Commitments` (`max_values`: None, `max_size`: Some(100), added: 2575, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Verdicts` (r:16 w:16)
	/// Proof: `Sprint::Verdicts` (`max_values`: None, `max_size`: Some(117), added: 2592, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ValidatorSetEnds` (r:1 w:0)
	/// Proof: `Sprint::ValidatorSetEnds` (`max_values`: None, `max_size`: Some(4110), added: 6585, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ValidatorChunks` (r:1 w:0)
	/// Proof: `Sprint::ValidatorChunks` (`max_values`: None, `max_size`: Some(3098), added: 5573, mode: `MaxEncodedLen`)
	fn submit_verdicts(n: u32, ) -> Weight {
		// Proof size, bytes: measured `521 + n * 86`, worst case `7575 + n * 2592`.
		// Fastest run: 63_134_000 ps.
		Weight::from_parts(33_446_641, 7575)
			// Standard error: 105_229
			.saturating_add(Weight::from_parts(32_961_861, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2592).saturating_mul(n.into()))
	}
	/// Storage: `Hosts::Hosts` (r:1 w:0)
	/// Proof: `Hosts::Hosts` (`max_values`: None, `max_size`: Some(630), added: 3105, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Clock` (r:1 w:0)
	/// Proof: `Sprint::Clock` (`max_values`: Some(1), `max_size`: Some(20), added: 515, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Epochs` (r:1 w:0)
	/// Proof: `Sprint::Epochs` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Commitments` (r:16 w:0)
	/// Proof: `Sprint::Commitments` (`max_values`: None, `max_size`: Some(100), added: 2575, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Verdicts` (r:16 w:0)
	/// Proof: `Sprint::Verdicts` (`max_values`: None, `max_size`: Some(117), added: 2592, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ValidatorSetEnds` (r:1 w:0)
	/// Proof: `Sprint::ValidatorSetEnds` (`max_values`: None, `max_size`: Some(4110), added: 6585, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ValidatorChunks` (r:1 w:0)
	/// Proof: `Sprint::ValidatorChunks` (`max_values`: None, `max_size`: Some(3098), added: 5573, mode: `MaxEncodedLen`)
	fn authorize_submit_verdicts(n: u32, ) -> Weight {
		// Proof size, bytes: measured `979 + n * 86`, worst case `7575 + n * 2592`.
		// Fastest run: 94_400_000 ps.
		Weight::from_parts(80_008_877, 7575)
			// Standard error: 48_802
			.saturating_add(Weight::from_parts(15_986_838, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2592).saturating_mul(n.into()))
	}
	/// Storage: `Sprint::ValidatorChunks` (r:256 w:0)
	/// Proof: `Sprint::ValidatorChunks` (`max_values`: None, `max_size`: Some(3098), added: 5573, mode: `MaxEncodedLen`)
	fn committee_chunks(c: u32, ) -> Weight {
		// Proof size, bytes: measured `190 + c * 3093`, worst case `990 + c * 5573`.
		// Fastest run: 8_212_000 ps.
		Weight::from_parts(8_282_000, 990)
			// Standard error: 12_943
			.saturating_add(Weight::from_parts(5_853_862, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(c.into())))
			.saturating_add(Weight::from_parts(0, 5573).saturating_mul(c.into()))
	}
	/// Storage: `Sprint::Clock` (r:1 w:0)
	/// Proof: `Sprint::Clock` (`max_values`: Some(1), `max_size`: Some(20), added: 515, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Epochs` (r:1 w:0)
	/// Proof: `Sprint::Epochs` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Settlement` (r:1 w:0)
	/// Proof: `Sprint::Settlement` (`max_values`: Some(1), `max_size`: Some(77), added: 572, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::NextToSettle` (r:1 w:0)
	/// Proof: `Sprint::NextToSettle` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::PruneQueue` (r:1 w:0)
	/// Proof: `Sprint::PruneQueue` (`max_values`: Some(1), `max_size`: Some(65), added: 560, mode: `MaxEncodedLen`)
	fn on_block_idle() -> Weight {
		// Proof size, bytes: measured `239`, worst case `3550`.
		// Fastest run: 9_975_000 ps.
		Weight::from_parts(10_325_000, 3550)
			.saturating_add(T::DbWeight::get().reads(5))
	}
	/// Storage: `System::ParentHash` (r:1 w:0)
	/// Proof: `System::ParentHash` (`max_values`: Some(1), `max_size`: Some(32), added: 527, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ActiveEpoch` (r:1 w:0)
	/// Proof: `Sprint::ActiveEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ValidatorSource` (r:1 w:0)
	/// Proof: `Sprint::ValidatorSource` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Params` (r:1 w:0)
	/// Proof: `Sprint::Params` (`max_values`: Some(1), `max_size`: Some(36), added: 531, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Epochs` (r:0 w:1)
	/// Proof: `Sprint::Epochs` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	fn start_sprint() -> Weight {
		// Proof size, bytes: measured `133`, worst case `1521`.
		// Fastest run: 15_273_000 ps.
		Weight::from_parts(15_794_000, 1521)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: `Sprint::Commitments` (r:1 w:0)
	/// Proof: `Sprint::Commitments` (`max_values`: None, `max_size`: Some(100), added: 2575, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ValidatorSetEnds` (r:1 w:0)
	/// Proof: `Sprint::ValidatorSetEnds` (`max_values`: None, `max_size`: Some(4110), added: 6585, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ValidatorChunks` (r:1 w:0)
	/// Proof: `Sprint::ValidatorChunks` (`max_values`: None, `max_size`: Some(3098), added: 5573, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Verdicts` (r:9 w:0)
	/// Proof: `Sprint::Verdicts` (`max_values`: None, `max_size`: Some(117), added: 2592, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Missed` (r:9 w:9)
	/// Proof: `Sprint::Missed` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `Parameters::Parameters` (r:2 w:0)
	/// Proof: `Parameters::Parameters` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Outcomes` (r:0 w:1)
	/// Proof: `Sprint::Outcomes` (`max_values`: None, `max_size`: Some(77), added: 2552, mode: `MaxEncodedLen`)
	fn settle_tally() -> Weight {
		// Proof size, bytes: measured `913`, worst case `24318`.
		// Fastest run: 115_131_000 ps.
		Weight::from_parts(116_854_000, 24318)
			.saturating_add(T::DbWeight::get().reads(23))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	/// Storage: `Sprint::Outcomes` (r:1 w:0)
	/// Proof: `Sprint::Outcomes` (`max_values`: None, `max_size`: Some(77), added: 2552, mode: `MaxEncodedLen`)
	/// Storage: `Parameters::Parameters` (r:3 w:0)
	/// Proof: `Parameters::Parameters` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Missed` (r:1 w:0)
	/// Proof: `Sprint::Missed` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Contradicted` (r:1 w:0)
	/// Proof: `Sprint::Contradicted` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ValidatorChunks` (r:1 w:1)
	/// Proof: `Sprint::ValidatorChunks` (`max_values`: None, `max_size`: Some(3098), added: 5573, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ValidatorSetEnds` (r:1 w:1)
	/// Proof: `Sprint::ValidatorSetEnds` (`max_values`: None, `max_size`: Some(4110), added: 6585, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Weights` (r:0 w:1)
	/// Proof: `Sprint::Weights` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	fn settle_finalize() -> Weight {
		// Proof size, bytes: measured `397`, worst case `8523`.
		// Fastest run: 38_086_000 ps.
		Weight::from_parts(38_828_000, 8523)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	/// Storage: `Sprint::PruneQueue` (r:1 w:1)
	/// Proof: `Sprint::PruneQueue` (`max_values`: Some(1), `max_size`: Some(65), added: 560, mode: `MaxEncodedLen`)
	/// Storage: `Emission::LastSettled` (r:1 w:1)
	/// Proof: `Emission::LastSettled` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Emission::OpenEpochs` (r:1 w:1)
	/// Proof: `Emission::OpenEpochs` (`max_values`: Some(1), `max_size`: Some(258), added: 753, mode: `MaxEncodedLen`)
	/// Storage: `Emission::TotalCommitted` (r:1 w:1)
	/// Proof: `Emission::TotalCommitted` (`max_values`: Some(1), `max_size`: Some(16), added: 511, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::TotalWeight` (r:0 w:1)
	/// Proof: `Sprint::TotalWeight` (`max_values`: None, `max_size`: Some(28), added: 2503, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ActiveEpoch` (r:0 w:1)
	/// Proof: `Sprint::ActiveEpoch` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ValidatorSource` (r:0 w:1)
	/// Proof: `Sprint::ValidatorSource` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Emission::EpochRewards` (r:0 w:1)
	/// Proof: `Emission::EpochRewards` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	fn activate() -> Weight {
		// Proof size, bytes: measured `151`, worst case `1743`.
		// Fastest run: 23_545_000 ps.
		Weight::from_parts(25_347_000, 1743)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(8))
	}
	/// Storage: `Sprint::PruneQueue` (r:1 w:1)
	/// Proof: `Sprint::PruneQueue` (`max_values`: Some(1), `max_size`: Some(65), added: 560, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ValidatorSource` (r:1 w:0)
	/// Proof: `Sprint::ValidatorSource` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Commitments` (r:1000 w:1000)
	/// Proof: `Sprint::Commitments` (`max_values`: None, `max_size`: Some(100), added: 2575, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Participants` (r:1000 w:1000)
	/// Proof: `Sprint::Participants` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Epochs` (r:0 w:1)
	/// Proof: `Sprint::Epochs` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::TotalWeight` (r:0 w:1)
	/// Proof: `Sprint::TotalWeight` (`max_values`: None, `max_size`: Some(28), added: 2503, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::NewcomerCount` (r:0 w:1)
	/// Proof: `Sprint::NewcomerCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::Contested` (r:0 w:1)
	/// Proof: `Sprint::Contested` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ParticipantCount` (r:0 w:1)
	/// Proof: `Sprint::ParticipantCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::WeightedCount` (r:0 w:1)
	/// Proof: `Sprint::WeightedCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Sprint::ValidatorSetEnds` (r:0 w:1)
	/// Proof: `Sprint::ValidatorSetEnds` (`max_values`: None, `max_size`: Some(4110), added: 6585, mode: `MaxEncodedLen`)
	fn prune_keys(k: u32, ) -> Weight {
		// Proof size, bytes: measured `479 + k * 134`, worst case `1550 + k * 2575`.
		// Fastest run: 56_214_000 ps.
		Weight::from_parts(12_411_894, 1550)
			// Standard error: 9_360
			.saturating_add(Weight::from_parts(2_595_733, 0).saturating_mul(k.into()))
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(k.into())))
			.saturating_add(T::DbWeight::get().writes(8))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(k.into())))
			.saturating_add(Weight::from_parts(0, 2575).saturating_mul(k.into()))
	}
}

/// The same measurements with RocksDB's storage prices, for mock runtimes.
impl WeightInfo for () {
	fn set_pow_params() -> Weight {
		Weight::from_parts(7_341_000, 0)
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn submit_commitment() -> Weight {
		Weight::from_parts(70_665_000, 8523)
			.saturating_add(RocksDbWeight::get().reads(10))
			.saturating_add(RocksDbWeight::get().writes(5))
	}
	fn authorize_submit_commitment() -> Weight {
		Weight::from_parts(94_331_000, 8523)
			.saturating_add(RocksDbWeight::get().reads(11))
	}
	fn submit_verdicts(n: u32, ) -> Weight {
		Weight::from_parts(33_446_641, 7575)
			.saturating_add(Weight::from_parts(32_961_861, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2592).saturating_mul(n.into()))
	}
	fn authorize_submit_verdicts(n: u32, ) -> Weight {
		Weight::from_parts(80_008_877, 7575)
			.saturating_add(Weight::from_parts(15_986_838, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2592).saturating_mul(n.into()))
	}
	fn committee_chunks(c: u32, ) -> Weight {
		Weight::from_parts(8_282_000, 990)
			.saturating_add(Weight::from_parts(5_853_862, 0).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(c.into())))
			.saturating_add(Weight::from_parts(0, 5573).saturating_mul(c.into()))
	}
	fn on_block_idle() -> Weight {
		Weight::from_parts(10_325_000, 3550)
			.saturating_add(RocksDbWeight::get().reads(5))
	}
	fn start_sprint() -> Weight {
		Weight::from_parts(15_794_000, 1521)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn settle_tally() -> Weight {
		Weight::from_parts(116_854_000, 24318)
			.saturating_add(RocksDbWeight::get().reads(23))
			.saturating_add(RocksDbWeight::get().writes(10))
	}
	fn settle_finalize() -> Weight {
		Weight::from_parts(38_828_000, 8523)
			.saturating_add(RocksDbWeight::get().reads(8))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn activate() -> Weight {
		Weight::from_parts(25_347_000, 1743)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(8))
	}
	fn prune_keys(k: u32, ) -> Weight {
		Weight::from_parts(12_411_894, 1550)
			.saturating_add(Weight::from_parts(2_595_733, 0).saturating_mul(k.into()))
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(k.into())))
			.saturating_add(RocksDbWeight::get().writes(8))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(k.into())))
			.saturating_add(Weight::from_parts(0, 2575).saturating_mul(k.into()))
	}
}
