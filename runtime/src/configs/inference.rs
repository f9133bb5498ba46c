//! The inference market: escrowed sessions, vouchers, sampled validation and reputation
//! (`docs/inference-market.md`).
//!
//! The economic numbers are `pallet-parameters` values ([`dynamic_params::inference`]), tuned on
//! the `parameters` track; the bounds below size storage and weights and change only with a
//! runtime upgrade. With them the worst session step (settling 16 lanes of 8 samples with 5
//! validators each) declares ~0.3 s of ref time and runs in `on_idle`, from the blocks' leftover
//! weight (`runtime/tests/market.rs` checks it fits a block).

use frame_support::{parameter_types, traits::ConstU32};

use crate::{governance::dynamic_params, Balances, Hosts, Runtime, RuntimeHoldReason, Sprint};

parameter_types! {
	/// Claims and attestations ride the pool just below sprint commitments.
	pub const MarketTxPriority: u64 = 1 << 39;
}

impl pallet_gonka_inference::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Hosts = Hosts;
	type Weights = Sprint;
	// The parent block hash, like the sprint seed (see the pallet docs for the bias).
	type Randomness = pallet_gonka_sprint::ParentHashRandomness<Runtime>;
	type PayerSignature = gonka_primitives::Signature;
	type MinDeposit = dynamic_params::inference::MinDeposit;
	type GroupSize = dynamic_params::inference::GroupSize;
	type MaxDuration = dynamic_params::inference::MaxDuration;
	type ClaimWindow = dynamic_params::inference::ClaimWindow;
	type ValidationWindow = dynamic_params::inference::ValidationWindow;
	type ValidatorsPerSample = dynamic_params::inference::ValidatorsPerSample;
	type MinSamplingRate = dynamic_params::inference::MinSamplingRate;
	type RateHalfLife = dynamic_params::inference::RateHalfLife;
	type MissTolerance = dynamic_params::inference::MissTolerance;
	type InvalidPenalty = dynamic_params::inference::InvalidPenalty;
	type InvalidSlash = dynamic_params::inference::InvalidSlash;
	type FalseAccusationSlash = dynamic_params::inference::FalseAccusationSlash;
	type ValidationFee = dynamic_params::inference::ValidationFee;
	type MaxGroupSize = ConstU32<16>;
	type MaxSamplesPerLane = ConstU32<8>;
	type MaxValidatorsPerSample = ConstU32<5>;
	type MaxCandidates = ConstU32<64>;
	type MaxAgendaPerBlock = ConstU32<64>;
	type MaxSessions = ConstU32<100_000>;
	type ReputationEpochs = ConstU32<8>;
	type UnsignedPriority = MarketTxPriority;
	type WeightInfo = pallet_gonka_inference::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MarketBenchmarkHelper;
}

/// Real hosts, real sprint weights and keystore payer keys for the market's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct MarketBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_gonka_inference::BenchmarkHelper<crate::AccountId, gonka_primitives::Signature>
	for MarketBenchmarkHelper
{
	fn make_host(
		who: &crate::AccountId,
		model: gonka_primitives::hosts::ModelId,
		weight: u128,
	) -> pallet_gonka_inference::WorkerId {
		use sp_runtime::RuntimeAppPublic;
		let key = pallet_gonka_inference::WorkerId::generate_pair(None);
		Hosts::benchmark_insert_host_serving(who.clone(), key.clone(), model)
			.expect("fresh benchmark host");
		<super::VotingBenchmarkHelper as pallet_gonka_compute_voting::BenchmarkHelper<_>>::set_weight(
			who, weight,
		);
		key
	}
	fn model() -> gonka_primitives::hosts::ModelId {
		Hosts::benchmark_model()
	}
	fn payer(seed: u32, balance: crate::Balance) -> crate::AccountId {
		use frame_support::traits::fungible::Mutate;
		let public = sp_io::crypto::sr25519_generate(
			sp_core::crypto::KeyTypeId(*b"gpay"),
			Some(alloc::format!("//payer{seed}").into_bytes()),
		);
		let who = crate::AccountId::from(public);
		Balances::set_balance(&who, balance);
		who
	}
	fn sign(payer: &crate::AccountId, payload: &[u8]) -> gonka_primitives::Signature {
		let public = sp_core::sr25519::Public::from_raw(*AsRef::<[u8; 32]>::as_ref(payer));
		sp_io::crypto::sr25519_sign(sp_core::crypto::KeyTypeId(*b"gpay"), &public, payload)
			.expect("payer key in the keystore")
			.into()
	}
}
