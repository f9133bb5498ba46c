//! The four referendum tracks and their thresholds.
//!
//! Every period is a fraction or a multiple of the **epoch** of the chain's [`EpochClock`]
//! (`Sprint::Clock`, set in the chain spec), not a block count: the one runtime then governs a
//! production chain (14,400-block daily epochs) at a human pace and the 20-block dev chain in a
//! few blocks, with no second build and no flag. No period is ever shorter than one block.
//!
//! | track | origin | approval | support (start -> end of decision) | prepare | decision | confirm | enactment | decision deposit | at once |
//! |---|---|---|---|---|---|---|---|---|---|
//! | 0 `root` | `Root` (runtime upgrades, anything) | >= 2/3 | 50% -> 33% | 1/12 epoch | 14 epochs | 1 epoch | 1 epoch | 10,000 GNK | 1 |
//! | 1 `parameters` | `ParametersAdmin` | > 1/2 | 33% -> 10% | 1/24 epoch | 7 epochs | 1/8 epoch | 1/8 epoch | 1,000 GNK | 10 |
//! | 2 `catalogue` | `CatalogueAdmin` | > 1/2 | 25% -> 10% | 1/24 epoch | 7 epochs | 1/8 epoch | 1/8 epoch | 1,000 GNK | 10 |
//! | 3 `community-pool` | `CommunityPoolSpender` | >= 60% | 33% -> 15% | 1/12 epoch | 7 epochs | 1/2 epoch | 1/4 epoch | 5,000 GNK | 10 |
//!
//! *Approval* is ayes / (ayes + nays) of the compute weight that voted; *support* is
//! (ayes + abstentions) / the total weight of the active epoch (see `pallet-gonka-compute-voting`).
//! Support falls linearly over the decision period, so a referendum that most of the network's
//! compute backs passes after one confirm period, and a quiet one needs at least the floor.
//! With a production clock (6 s blocks): root prepares 2 h, decides up to 14 days, confirms and
//! enacts after a day each; parameters and catalogue confirm and enact after 3 h each.

use alloc::borrow::Cow;
use gonka_primitives::epoch::EpochClock;
use pallet_referenda::{Curve, Track, TrackInfo};
use sp_runtime::{str_array as s, Perbill};

use super::origins::Origin;
use crate::{Balance, BlockNumber, OriginCaller, Runtime, RuntimeOrigin, GNK};

/// Index of a track.
pub type TrackId = u16;

/// Track ids, as the proposals and the clients name them.
pub mod ids {
	use super::TrackId;
	/// Runtime upgrades and anything else that needs `Root`.
	pub const ROOT: TrackId = 0;
	/// Sprint, emission and inference parameters.
	pub const PARAMETERS: TrackId = 1;
	/// The model catalogue.
	pub const CATALOGUE: TrackId = 2;
	/// Community-pool spends.
	pub const COMMUNITY_POOL: TrackId = 3;
}

/// The name of track `id` (`root`, `parameters`, `catalogue`, `community-pool`).
pub fn track_name(id: TrackId) -> Option<&'static str> {
	SPECS.iter().find(|spec| spec.id == id).map(|spec| spec.name)
}

/// The id of the track named `name`.
pub fn track_id(name: &str) -> Option<TrackId> {
	SPECS.iter().find(|spec| spec.name == name).map(|spec| spec.id)
}

/// A duration as `num / den` epochs.
#[derive(Clone, Copy)]
struct Epochs(u32, u32);

impl Epochs {
	fn blocks(self, clock: &EpochClock) -> BlockNumber {
		let blocks = (clock.epoch_length as u64).saturating_mul(self.0 as u64) / self.1 as u64;
		(blocks.min(BlockNumber::MAX as u64) as BlockNumber).max(1)
	}
}

/// One track before the clock turns its periods into blocks.
struct TrackSpec {
	id: TrackId,
	name: &'static str,
	max_deciding: u32,
	decision_deposit: Balance,
	prepare: Epochs,
	decision: Epochs,
	confirm: Epochs,
	enactment: Epochs,
	approval: Perbill,
	support_start: Perbill,
	support_end: Perbill,
}

/// Just more than a half.
const MAJORITY: Perbill = Perbill::from_parts(500_000_001);
/// Two thirds, rounded up.
const SUPERMAJORITY: Perbill = Perbill::from_parts(666_666_667);

/// The tracks, sorted by id (referenda requires it; a unit test checks it).
const SPECS: [TrackSpec; 4] = [
	TrackSpec {
		id: ids::ROOT,
		name: "root",
		max_deciding: 1,
		decision_deposit: 10_000 * GNK,
		prepare: Epochs(1, 12),
		decision: Epochs(14, 1),
		confirm: Epochs(1, 1),
		enactment: Epochs(1, 1),
		approval: SUPERMAJORITY,
		support_start: Perbill::from_percent(50),
		support_end: Perbill::from_percent(33),
	},
	TrackSpec {
		id: ids::PARAMETERS,
		name: "parameters",
		max_deciding: 10,
		decision_deposit: 1_000 * GNK,
		prepare: Epochs(1, 24),
		decision: Epochs(7, 1),
		confirm: Epochs(1, 8),
		enactment: Epochs(1, 8),
		approval: MAJORITY,
		support_start: Perbill::from_percent(33),
		support_end: Perbill::from_percent(10),
	},
	TrackSpec {
		id: ids::CATALOGUE,
		name: "catalogue",
		max_deciding: 10,
		decision_deposit: 1_000 * GNK,
		prepare: Epochs(1, 24),
		decision: Epochs(7, 1),
		confirm: Epochs(1, 8),
		enactment: Epochs(1, 8),
		approval: MAJORITY,
		support_start: Perbill::from_percent(25),
		support_end: Perbill::from_percent(10),
	},
	TrackSpec {
		id: ids::COMMUNITY_POOL,
		name: "community-pool",
		max_deciding: 10,
		decision_deposit: 5_000 * GNK,
		prepare: Epochs(1, 12),
		decision: Epochs(7, 1),
		confirm: Epochs(1, 2),
		enactment: Epochs(1, 4),
		approval: Perbill::from_percent(60),
		support_start: Perbill::from_percent(33),
		support_end: Perbill::from_percent(15),
	},
];

impl TrackSpec {
	fn track(&self, clock: &EpochClock) -> Track<TrackId, Balance, BlockNumber> {
		Track {
			id: self.id,
			info: TrackInfo {
				name: s(self.name),
				max_deciding: self.max_deciding,
				decision_deposit: self.decision_deposit,
				prepare_period: self.prepare.blocks(clock),
				decision_period: self.decision.blocks(clock),
				confirm_period: self.confirm.blocks(clock),
				min_enactment_period: self.enactment.blocks(clock),
				// A flat approval threshold: the same majority from the first block to the last.
				min_approval: Curve::LinearDecreasing {
					length: Perbill::one(),
					floor: self.approval,
					ceil: self.approval,
				},
				min_support: Curve::LinearDecreasing {
					length: Perbill::one(),
					floor: self.support_end,
					ceil: self.support_start,
				},
			},
		}
	}
}

/// The tracks of the running chain, their periods from its epoch clock.
pub struct ComputeTracks;

impl pallet_referenda::TracksInfo<Balance, BlockNumber> for ComputeTracks {
	type Id = TrackId;
	type RuntimeOrigin = <RuntimeOrigin as frame_support::traits::OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<TrackId, Balance, BlockNumber>>> {
		let clock = pallet_gonka_sprint::Clock::<Runtime>::get();
		SPECS.iter().map(move |spec| Cow::Owned(spec.track(&clock)))
	}

	/// Builds only the track asked for (referenda asks on every referendum operation).
	fn info(id: TrackId) -> Option<Cow<'static, TrackInfo<Balance, BlockNumber>>> {
		let spec = SPECS.iter().find(|spec| spec.id == id)?;
		Some(Cow::Owned(spec.track(&pallet_gonka_sprint::Clock::<Runtime>::get()).info))
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<TrackId, ()> {
		match origin {
			OriginCaller::system(frame_system::RawOrigin::Root) => Ok(ids::ROOT),
			OriginCaller::Origins(Origin::ParametersAdmin) => Ok(ids::PARAMETERS),
			OriginCaller::Origins(Origin::CatalogueAdmin) => Ok(ids::CATALOGUE),
			OriginCaller::Origins(Origin::CommunityPoolSpender) => Ok(ids::COMMUNITY_POOL),
			_ => Err(()),
		}
	}
}

/// A referendum nobody placed a decision deposit on is dropped after 14 epochs.
pub struct UndecidingTimeout;

impl frame_support::traits::Get<BlockNumber> for UndecidingTimeout {
	fn get() -> BlockNumber {
		Epochs(14, 1).blocks(&pallet_gonka_sprint::Clock::<Runtime>::get())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn production_periods_are_human_scale_and_dev_periods_a_few_blocks() {
		let production = EpochClock::PRODUCTION;
		let params = SPECS[1].track(&production).info;
		assert_eq!(params.prepare_period, 600);
		assert_eq!(params.confirm_period, 1_800);
		assert_eq!(params.decision_period, 7 * 14_400);
		let root = SPECS[0].track(&production).info;
		assert_eq!(root.confirm_period, 14_400);
		assert_eq!(root.decision_period, 14 * 14_400);

		let dev = EpochClock { epoch_length: 20, ..production };
		let params = SPECS[1].track(&dev).info;
		assert_eq!(
			(params.prepare_period, params.confirm_period, params.min_enactment_period),
			(1, 2, 2)
		);
	}

	#[test]
	fn ids_are_sorted_and_names_unique() {
		for pair in SPECS.windows(2) {
			assert!(pair[0].id < pair[1].id);
			assert_ne!(pair[0].name, pair[1].name);
		}
	}

	#[test]
	fn support_falls_and_approval_stays_flat() {
		let track = SPECS[0].track(&EpochClock::PRODUCTION).info;
		assert_eq!(track.min_approval.threshold(Perbill::zero()), SUPERMAJORITY);
		assert_eq!(track.min_approval.threshold(Perbill::one()), SUPERMAJORITY);
		assert_eq!(track.min_support.threshold(Perbill::zero()), Perbill::from_percent(50));
		assert_eq!(track.min_support.threshold(Perbill::one()), Perbill::from_percent(33));
	}
}
