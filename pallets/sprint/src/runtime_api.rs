//! The sprint pallet's runtime API: what workers and explorers read.
//!
//! The runtime implements it with the pallet's helpers, e.g.
//! ```ignore
//! use pallet_gonka_sprint::{runtime_api::SprintApi, Assignment, ComputeWeights, EpochStatus};
//! impl SprintApi<Block, AccountId> for Runtime {
//!     fn epoch_status() -> EpochStatus { Sprint::epoch_status() }
//!     fn epoch_clock() -> EpochClock { pallet_gonka_sprint::Clock::<Runtime>::get() }
//!     fn pow_params() -> Option<PowParams> { pallet_gonka_sprint::Params::<Runtime>::get() }
//!     fn assignments(epoch: EpochIndex, validator: AccountId) -> Vec<Assignment<AccountId>> {
//!         Sprint::assignments(epoch, &validator)
//!     }
//!     fn sample_indices(epoch: EpochIndex, validator: AccountId, target: AccountId) -> Vec<u32> {
//!         Sprint::sample_indices_of(epoch, &validator, &target)
//!     }
//!     fn active_epoch() -> Option<EpochIndex> { <Sprint as ComputeWeights<_>>::active_epoch() }
//!     fn weight_of(epoch: EpochIndex, host: AccountId) -> u128 {
//!         <Sprint as ComputeWeights<_>>::weight_of(epoch, &host)
//!     }
//!     fn total_weight(epoch: EpochIndex) -> u128 {
//!         <Sprint as ComputeWeights<_>>::total_weight(epoch)
//!     }
//! }
//! ```

use crate::{Assignment, CommitmentRecord, EpochClock, EpochStatus};
use alloc::vec::Vec;
use codec::Codec;
use gonka_primitives::{
	compute::ComputeWeight,
	pow::{EpochIndex, PowParams},
};

sp_api::decl_runtime_apis! {
	/// Epoch clock, seed, validation assignments and compute weights.
	///
	/// Version 2 added [`SprintApi::commitment`] and [`SprintApi::genesis_hash`] (the signed
	/// payloads carry the submission index and the genesis hash) and the assignments' worker key.
	#[api_version(2)]
	pub trait SprintApi<AccountId>
	where
		AccountId: Codec,
	{
		/// Current epoch, phase, blocks left in the phase, and the epoch's seed and PoW
		/// parameters once its sprint started.
		fn epoch_status() -> EpochStatus;

		/// The phase lengths of every epoch (fixed at genesis).
		fn epoch_clock() -> EpochClock;

		/// The PoW parameters the next sprint will use.
		fn pow_params() -> Option<PowParams>;

		/// The targets `validator` must check in `epoch` (those whose committee it is in), each
		/// with its commitment and the sample indices (`gonka_primitives::pow::sample_indices`).
		fn assignments(epoch: EpochIndex, validator: AccountId) -> Vec<Assignment<AccountId>>;

		/// The sample indices `validator` must check for `target` in `epoch`.
		fn sample_indices(epoch: EpochIndex, validator: AccountId, target: AccountId) -> Vec<u32>;

		/// The latest activated epoch.
		fn active_epoch() -> Option<EpochIndex>;

		/// `host`'s final weight in `epoch` (zero if none or not final).
		fn weight_of(epoch: EpochIndex, host: AccountId) -> ComputeWeight;

		/// Total final weight of `epoch` (zero if not final).
		fn total_weight(epoch: EpochIndex) -> ComputeWeight;

		/// `host`'s latest commitment in `epoch`, if any: its `submissions` is the index the
		/// host's next commitment of the epoch must carry.
		fn commitment(epoch: EpochIndex, host: AccountId) -> Option<CommitmentRecord>;

		/// Most nonces `host` may claim in a commitment now (`Pallet::count_limit`).
		fn count_limit(host: AccountId) -> u32;

		/// The genesis hash bound into every signed sprint payload.
		fn genesis_hash() -> [u8; 32];
	}
}
