//! Runtime API of the emission pallet, for dashboards, wallets and hosts.
//!
//! The runtime implements it with the `Pallet::api_*` helpers, e.g.
//! ```ignore
//! use pallet_gonka_emission::{runtime_api::EmissionApi, EmissionTotals, EpochReward};
//! impl EmissionApi<Block, AccountId> for Runtime {
//!     fn scheduled_reward(epoch: EpochIndex) -> Balance {
//!         Emission::schedule().reward(epoch)
//!     }
//!     fn epoch_reward(epoch: EpochIndex) -> Option<EpochReward> {
//!         pallet_gonka_emission::EpochRewards::<Runtime>::get(epoch)
//!     }
//!     fn totals() -> EmissionTotals {
//!         Emission::api_totals()
//!     }
//!     fn claimable(who: AccountId, epoch: EpochIndex) -> Balance {
//!         Emission::api_claimable(who, epoch)
//!     }
//!     fn claimable_epochs(who: AccountId) -> Vec<(EpochIndex, Balance)> {
//!         Emission::api_claimable_epochs(who)
//!     }
//!     fn reward_per_weight(epoch: EpochIndex) -> Option<FixedU128> {
//!         Emission::api_reward_per_weight(epoch)
//!     }
//! }
//! ```

use crate::{EmissionTotals, EpochReward};
use alloc::vec::Vec;
use codec::Codec;
use gonka_primitives::{pow::EpochIndex, Balance};
use sp_runtime::FixedU128;

sp_api::decl_runtime_apis! {
	/// Read access to the GNK schedule, the open epochs and what hosts can claim.
	pub trait EmissionApi<AccountId>
	where
		AccountId: Codec,
	{
		/// The scheduled reward of any epoch (past or future), in base units: `R0 * exp(-k e)`
		/// capped by the allocation, as if every epoch had weight.
		fn scheduled_reward(epoch: EpochIndex) -> Balance;
		/// The committed reward of a settled epoch still open for claims, with its total weight,
		/// what has been paid and the weight that has claimed.
		fn epoch_reward(epoch: EpochIndex) -> Option<EpochReward>;
		/// Allocation, committed, minted, genesis pool allocation, last settled and open epochs.
		fn totals() -> EmissionTotals;
		/// What `who` can claim now for `epoch` (zero if nothing or already claimed).
		fn claimable(who: AccountId, epoch: EpochIndex) -> Balance;
		/// Every open epoch in which `who` has something to claim, with the amount.
		fn claimable_epochs(who: AccountId) -> Vec<(EpochIndex, Balance)>;
		/// Base units of GNK paid per unit of compute weight in an open epoch (the inverse,
		/// times 10^9, is the weight that mines one GNK: the network's "cost of a GNK").
		fn reward_per_weight(epoch: EpochIndex) -> Option<FixedU128>;
	}
}
