//! Storage, event and runtime-API types of the emission pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use gonka_primitives::{compute::ComputeWeight, pow::EpochIndex, Balance};
use scale_info::TypeInfo;
use sp_runtime::{FixedPointNumber, FixedU128};

/// The reward of one settled epoch that is still open for claims.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct EpochReward {
	/// GNK (base units) committed to the epoch: its scheduled reward, capped by what was left of
	/// the mining allocation when it was settled.
	pub reward: Balance,
	/// Sum of the hosts' final (capped) weights, as reported at settlement.
	pub total_weight: ComputeWeight,
	/// GNK already minted to hosts by claims.
	pub paid: Balance,
	/// Sum of the weights of the hosts that have claimed.
	pub claimed_weight: ComputeWeight,
}

impl EpochReward {
	/// What a host of weight `weight` is owed: `floor(reward * weight / total_weight)`.
	pub fn share_of(&self, weight: ComputeWeight) -> Balance {
		sp_arithmetic::helpers_128bit::multiply_by_rational_with_rounding(
			self.reward,
			weight,
			self.total_weight,
			sp_arithmetic::per_things::Rounding::Down,
		)
		.unwrap_or(0)
	}

	/// GNK base units paid per unit of weight (`reward / total_weight`): the "price" of one unit
	/// of proven compute in this epoch. Its inverse times `GNK` is the weight it takes to mine
	/// one GNK, the network's "cost of a GNK" in compute.
	pub fn reward_per_weight(&self) -> Option<FixedU128> {
		FixedU128::checked_from_rational(self.reward, self.total_weight)
	}

	/// What is left to mint: unclaimed shares plus rounding dust.
	pub fn remainder(&self) -> Balance {
		self.reward.saturating_sub(self.paid)
	}
}

/// Why a settled epoch mints nothing.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum SkipReason {
	/// Total weight was zero: nobody proved compute, so nothing is minted (no carry-over).
	NoWeight,
	/// The mining allocation is fully committed (or the schedule's reward rounds to zero).
	AllocationExhausted,
}

/// Emission totals, for dashboards.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct EmissionTotals {
	/// The mining allocation (`MiningAllocation`).
	pub mining_allocation: Balance,
	/// GNK committed to settled epochs so far (`<= mining_allocation`).
	pub committed: Balance,
	/// GNK of the mining allocation actually minted (claims plus closed-epoch remainders to the
	/// community pool; `<= committed`).
	pub minted: Balance,
	/// GNK minted to the community pool at genesis (not part of the mining allocation).
	pub community_pool_genesis: Balance,
	/// Latest settled epoch, if any.
	pub last_settled: Option<EpochIndex>,
	/// Epochs still open for claims, oldest first.
	pub open_epochs: alloc::vec::Vec<EpochIndex>,
}
