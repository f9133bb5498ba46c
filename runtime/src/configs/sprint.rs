//! The sprint proof of work: epoch clock, committees, verdict test and settlement bounds.
//!
//! The phase lengths are not here: they are the [`EpochClock`] of the chain spec (the
//! `development` preset runs 20-block epochs, production chains [`EpochClock::PRODUCTION`]).
//! The statistical parameters are the ones `pallets/sprint/tests/simulation.rs` checks: 1,000
//! samples per (validator, target), an honest mismatch rate of 2%, a significance of 1e-3 and
//! committees of 9 give P(honest host rejected) <= 1e-6, P(host faking 5% accepted) <= 1e-3 and
//! P(a coalition below 10% of the validating weight seats a majority) < 1e-3 per target
//! (`docs/sprint-security.md`). The batch sizes are derived from the block limits: a full
//! verdict batch and a block's settlement steps each declare at most a quarter of what a block
//! holds (`runtime/tests/sprint_limits.rs`).

use frame_support::{parameter_types, traits::ConstU32};
use gonka_primitives::epoch::EpochClock;
use sp_runtime::Perbill;

use crate::{governance::dynamic_params, Emission, Hosts, Runtime};

parameter_types! {
	/// Phase lengths of a chain whose genesis sets none: one epoch a day.
	pub const DefaultClock: EpochClock = EpochClock::PRODUCTION;
	/// Validators per committee (distinct, equal votes, drawn by weight without replacement).
	pub const CommitteeSize: u32 = 9;
	/// Leaves each committee member re-computes per target.
	pub const SampleSize: u32 = 1_000;
	/// Share of an honest host's samples expected to mismatch (float noise across hardware).
	pub const HonestMismatchRate: Perbill = Perbill::from_percent(2);
	/// Probability that one validator wrongly finds an honest host invalid.
	pub const Significance: Perbill = Perbill::from_parts(1_000_000);
	/// Commitments go in and out of the pool at high priority: they are the chain's heartbeat.
	pub const SprintTxPriority: u64 = 1 << 40;
}

impl pallet_gonka_sprint::Config for Runtime {
	type Hosts = Hosts;
	// The parent block hash: see the pallet docs for what a collator could bias with it.
	type Randomness = pallet_gonka_sprint::ParentHashRandomness<Runtime>;
	// PoW parameters are decided on the `parameters` track.
	type ParamsOrigin = crate::governance::ParametersOrRoot;
	type OnWeightsFinalized = Emission;
	type DefaultClock = DefaultClock;
	type CommitteeSize = CommitteeSize;
	type SampleSize = SampleSize;
	type HonestMismatchRate = HonestMismatchRate;
	type Significance = Significance;
	// Tunable by a `parameters` referendum (pallet-parameters).
	type MaxShare = dynamic_params::sprint::MaxShare;
	type SilencePenalty = dynamic_params::sprint::SilencePenalty;
	type RejectionSlash = dynamic_params::sprint::RejectionSlash;
	type ContradictionPenalty = dynamic_params::sprint::ContradictionPenalty;
	type NewHostNonces = dynamic_params::sprint::NewHostNonces;
	type MaxGrowthFactor = dynamic_params::sprint::MaxGrowthFactor;
	type CollateralPerNonce = dynamic_params::sprint::CollateralPerNonce;
	type MaxCommitmentsPerHost = ConstU32<8>;
	type MaxParticipants = ConstU32<16_384>;
	type MaxVerdictsPerCall = ConstU32<16>;
	type ChunkSize = ConstU32<64>;
	type MaxGenesisValidators = ConstU32<256>;
	type MaxSettlePerBlock = ConstU32<32>;
	type MaxPrunePerBlock = ConstU32<500>;
	// Emission reads an epoch's weights for its whole claim window.
	type HistoryDepth = ConstU32<{ pallet_gonka_emission::defaults::CLAIM_WINDOW + 2 }>;
	// A host that proved weight in one of the last 8 epochs counts for the contest rule: a
	// validating set captured while honest hosts were away is contested when they return
	// within 8 epochs (docs/sprint-protocol.md 9.4.1).
	type ProvenLookback = ConstU32<8>;
	type UnsignedPriority = SprintTxPriority;
	type WeightInfo = pallet_gonka_sprint::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SprintBenchmarkHelper;
}

/// Registers benchmark hosts in the real host registry.
#[cfg(feature = "runtime-benchmarks")]
pub struct SprintBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_gonka_sprint::BenchmarkHelper<crate::AccountId> for SprintBenchmarkHelper {
	fn register_host(who: &crate::AccountId) -> pallet_gonka_sprint::WorkerId {
		use sp_runtime::RuntimeAppPublic;
		let key = pallet_gonka_sprint::WorkerId::generate_pair(None);
		Hosts::benchmark_insert_host(who.clone(), key.clone()).expect("fresh benchmark host");
		key
	}
}
