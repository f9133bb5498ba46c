//! GNK emission: the published schedule (R0 = 323,000 GNK, k = 0.000475 per epoch, 680 M GNK
//! mining allocation) paid by the sprint pallet's compute weights, pull-claimed by hosts.

use frame_support::parameter_types;

use super::CommunityPool;
use crate::{Balances, Runtime, Sprint};
use pallet_gonka_emission::defaults;

parameter_types! {
	/// `R0`, the reward of epoch 0: 323,000 GNK.
	pub const InitialReward: gonka_primitives::Balance = defaults::INITIAL_REWARD;
	/// `k`, the decay per epoch: 0.000475 (rewards halve about every 4 years of daily epochs).
	pub const DecayRate: sp_runtime::Perquintill = defaults::DECAY_RATE;
	/// Everything the schedule will ever mint: 680,000,000 GNK.
	pub const MiningAllocation: gonka_primitives::Balance = defaults::MINING_ALLOCATION;
	/// Settled epochs an epoch stays claimable for (30 daily epochs) before its remainder goes
	/// to the community pool.
	pub const ClaimWindow: u32 = defaults::CLAIM_WINDOW;
	/// Storage bound of the open epochs and of each host's claim record.
	pub const MaxOpenEpochs: u32 = defaults::MAX_OPEN_EPOCHS;
}

impl pallet_gonka_emission::Config for Runtime {
	type Currency = Balances;
	type ComputeWeights = Sprint;
	type CommunityPool = CommunityPool;
	type InitialReward = InitialReward;
	type DecayRate = DecayRate;
	type MiningAllocation = MiningAllocation;
	type ClaimWindow = ClaimWindow;
	type MaxOpenEpochs = MaxOpenEpochs;
	type WeightInfo = pallet_gonka_emission::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = EmissionBenchmarkHelper;
}

/// Makes the sprint pallet report a weight, for the emission benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct EmissionBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_gonka_emission::BenchmarkHelper<crate::AccountId> for EmissionBenchmarkHelper {
	fn set_weight(
		epoch: gonka_primitives::pow::EpochIndex,
		who: &crate::AccountId,
		weight: u128,
		total: u128,
	) {
		pallet_gonka_sprint::Weights::<Runtime>::insert(epoch, who, weight);
		pallet_gonka_sprint::TotalWeight::<Runtime>::insert(epoch, total);
		pallet_gonka_sprint::ActiveEpoch::<Runtime>::put(epoch);
	}
}
