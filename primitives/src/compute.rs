//! Proven compute as the rest of the runtime sees it.
//!
//! The sprint pallet turns validated sprint commitments into per-host *compute weights*, one set
//! per epoch. Three things read them: emission (the share of the epoch's GNK), governance (voting
//! power) and inference routing (the share of traffic). They depend on these traits, never on
//! the sprint pallet itself, so each can be tested with a mock and the sprint pallet can change
//! its internals freely.

use crate::pow::EpochIndex;

/// A host's proven compute in one epoch: its accepted valid-nonce count times the model's PoW
/// scale factor, after the per-host cap. Unitless; only ratios matter.
pub type ComputeWeight = u128;

/// Read access to the compute weights of settled epochs.
///
/// Weights of an epoch are *final* once the sprint pallet has settled that epoch (validation
/// window closed, verdicts tallied, cap applied); before that every query answers as if the epoch
/// had no weights. Final weights never change afterwards (until pruned after a bounded history).
pub trait ComputeWeights<AccountId> {
	/// The latest epoch whose weights are final and active (the one governance votes with and
	/// inference routes by), or `None` before the first settlement.
	fn active_epoch() -> Option<EpochIndex>;

	/// `who`'s final weight in `epoch` (zero if it has none, or the epoch is not final or was
	/// pruned).
	fn weight_of(epoch: EpochIndex, who: &AccountId) -> ComputeWeight;

	/// Sum of all hosts' final weights in `epoch` (zero if not final or pruned).
	fn total_weight(epoch: EpochIndex) -> ComputeWeight;

	/// The epoch governance counts votes with: the latest activated epoch whose total weight is
	/// positive. An epoch in which nobody proved compute leaves governance with the last one that
	/// did, so that one empty epoch cannot leave the chain without an electorate. Defaults to
	/// [`ComputeWeights::active_epoch`].
	fn voting_epoch() -> Option<EpochIndex> {
		Self::active_epoch()
	}

	/// `who`'s weight in the active epoch.
	fn active_weight_of(who: &AccountId) -> ComputeWeight {
		Self::active_epoch().map_or(0, |epoch| Self::weight_of(epoch, who))
	}

	/// Total weight of the active epoch: the electorate of compute-weighted governance.
	fn active_total_weight() -> ComputeWeight {
		Self::active_epoch().map_or(0, Self::total_weight)
	}
}

/// Called by the sprint pallet when an epoch's weights become final, so that emission can open
/// that epoch's rewards for claiming without polling.
pub trait OnWeightsFinalized {
	/// `epoch`'s weights are final and sum to `total`.
	fn on_weights_finalized(epoch: EpochIndex, total: ComputeWeight);

	/// Worst-case weight of one [`Self::on_weights_finalized`] (ref time and proof size), which
	/// the caller charges to its block: zero unless the implementation does real work.
	fn weight() -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}
}

impl OnWeightsFinalized for () {
	fn on_weights_finalized(_: EpochIndex, _: ComputeWeight) {}
}

#[cfg(test)]
mod tests {
	use super::*;

	struct TwoHosts;
	impl ComputeWeights<u64> for TwoHosts {
		fn active_epoch() -> Option<EpochIndex> {
			Some(3)
		}
		fn weight_of(epoch: EpochIndex, who: &u64) -> ComputeWeight {
			match (epoch, who) {
				(3, 1) => 30,
				(3, 2) => 70,
				_ => 0,
			}
		}
		fn total_weight(epoch: EpochIndex) -> ComputeWeight {
			if epoch == 3 {
				100
			} else {
				0
			}
		}
	}

	#[test]
	fn active_helpers_follow_the_active_epoch() {
		assert_eq!(TwoHosts::active_weight_of(&2), 70);
		assert_eq!(TwoHosts::active_weight_of(&9), 0);
		assert_eq!(TwoHosts::active_total_weight(), 100);
	}
}
