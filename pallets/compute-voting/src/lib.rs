//! # Compute-weighted voting
//!
//! "One CPU, one vote": Gonka is governed by the hosts who power it, in proportion to the compute
//! they proved, not to the tokens they hold. This pallet is the voting half of that: it provides
//! `pallet-referenda` with its tally ([`ComputeTally`]) and lets hosts vote on referenda with
//! their compute weight from [`Config::ComputeWeights`] (the sprint pallet).
//!
//! ## Votes
//!
//! [`Pallet::vote`] records `Aye`, `Nay` or `Abstain` for an ongoing poll with the voter's weight
//! in the **voting epoch** (`ComputeWeights::voting_epoch`: the latest activated epoch whose
//! total weight is positive). Only accounts with weight there may vote
//! ([`Error::NoComputeWeight`]). Voting again replaces the earlier vote (its recorded weight is
//! taken out of the tally first). [`Pallet::remove_vote`] takes a vote out of an ongoing poll, or
//! just deletes the record of a finished one.
//!
//! ## When weights change: votes count with *current* compute
//!
//! When a new voting epoch activates, every recorded vote is re-weighed to its voter's weight in
//! that epoch, and the tallies of ongoing polls follow: a host that lost its compute loses its
//! say without anyone acting, a host that gained compute counts more without re-voting. The
//! recount runs in `on_initialize`, at most [`Config::MaxRecountPerBlock`] votes per block, with
//! a cursor over [`VotingFor`] ([`RecountCursor`]), so it never does O(votes) work in one block;
//! [`CountedEpoch`] says which epoch's weights the records carry. During a recount of `V` votes
//! (`ceil(V / MaxRecountPerBlock)` blocks) a tally mixes old and new weights; referenda decide
//! after a confirmation period many blocks long. An epoch with zero total weight is not a voting
//! epoch: the last epoch with weight stays the electorate (so an epoch in which nobody proved
//! compute does not leave the chain without governance). Support is measured against the voting
//! epoch's total ([`ActiveElectorate`]).
//!
//! ## Tally
//!
//! `approval = ayes / (ayes + nays)`, `support = (ayes + abstains) / electorate` (capped at
//! 100%). The tracks' thresholds on both are `pallet-referenda`'s business.
//!
//! ## Invariant ([`Pallet::do_try_state`])
//!
//! For every ongoing poll, the tally equals the sum of the weights of the recorded votes, side by
//! side, at every block (a recount step updates a record and its tally together); once no
//! recount is under way, every record carries its voter's weight in [`CountedEpoch`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod tally;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use tally::ComputeTally;
pub use weights::WeightInfo;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use gonka_primitives::compute::{ComputeWeight, ComputeWeights};
use scale_info::TypeInfo;

/// A host's choice on a poll.
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
pub enum ComputeVote {
	/// For the proposal.
	Aye,
	/// Against the proposal.
	Nay,
	/// Counted for support (turnout), not for approval.
	Abstain,
}

/// A recorded vote and the weight it was cast with.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct VoteRecord {
	/// The choice.
	pub vote: ComputeVote,
	/// The voter's compute weight when it voted.
	pub weight: ComputeWeight,
}

/// What the benchmarks need from the runtime: an account with compute weight.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` hold `weight` in the active epoch (activating one if none is).
	fn set_weight(who: &AccountId, weight: ComputeWeight);
}

/// The electorate: total compute weight of the voting epoch (the latest activated epoch with
/// positive weight; zero before any).
pub struct ActiveElectorate<W, AccountId>(core::marker::PhantomData<(W, AccountId)>);
impl<W: ComputeWeights<AccountId>, AccountId> frame_support::traits::Get<ComputeWeight>
	for ActiveElectorate<W, AccountId>
{
	fn get() -> ComputeWeight {
		W::voting_epoch().map_or(0, W::total_weight)
	}
}

/// Longest raw storage key the recount cursor holds (a `VotingFor` key is 32 bytes of prefix,
/// two Blake2-128-concat keys: well under this).
pub type MaxCursorLen = frame_support::traits::ConstU32<256>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{PollStatus, Polling},
	};
	use frame_system::pallet_prelude::*;

	/// The index of a poll in [`Config::Polls`].
	pub type PollIndexOf<T> = <<T as Config>::Polls as Polling<TallyOf<T>>>::Index;
	/// The tally type.
	pub type TallyOf<T> = ComputeTally<T>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of compute-weighted voting.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Final compute weights (the sprint pallet).
		type ComputeWeights: ComputeWeights<Self::AccountId>;

		/// Total weight the support of a poll is measured against (normally
		/// [`ActiveElectorate`] of `ComputeWeights`).
		type Electorate: Get<ComputeWeight>;

		/// The polls (pallet-referenda), tallied with [`ComputeTally`].
		type Polls: Polling<
			ComputeTally<Self>,
			Votes = ComputeWeight,
			Moment = BlockNumberFor<Self>,
		>;

		/// Votes re-weighed per block after a new voting epoch activates.
		#[pallet::constant]
		type MaxRecountPerBlock: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Gives benchmark accounts compute weight in the active epoch.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Recorded votes by poll and voter.
	#[pallet::storage]
	pub type VotingFor<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		PollIndexOf<T>,
		Blake2_128Concat,
		T::AccountId,
		VoteRecord,
		OptionQuery,
	>;

	/// The voting epoch whose weights the recorded votes carry (or are being moved to).
	#[pallet::storage]
	pub type CountedEpoch<T> = StorageValue<_, gonka_primitives::pow::EpochIndex, OptionQuery>;

	/// Where the recount of [`VotingFor`] continues: the raw key of the last vote re-weighed
	/// (empty: from the start). `None` when no recount is under way.
	#[pallet::storage]
	pub type RecountCursor<T> = StorageValue<_, BoundedVec<u8, MaxCursorLen>, OptionQuery>;

	/// Events of compute-weighted voting.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A host voted (replacing its earlier vote on the poll, if any).
		Voted {
			/// The host.
			who: T::AccountId,
			/// The poll.
			poll: PollIndexOf<T>,
			/// The choice.
			vote: ComputeVote,
			/// The weight it counts with.
			weight: ComputeWeight,
		},
		/// A vote was removed.
		VoteRemoved {
			/// The voter.
			who: T::AccountId,
			/// The poll.
			poll: PollIndexOf<T>,
		},
		/// Every recorded vote now counts with its voter's weight in `epoch`.
		Recounted {
			/// The voting epoch.
			epoch: Option<gonka_primitives::pow::EpochIndex>,
		},
	}

	/// Errors of compute-weighted voting.
	#[pallet::error]
	pub enum Error<T> {
		/// Only accounts with compute weight in the active epoch may vote: run a worker and prove
		/// compute in a sprint first.
		NoComputeWeight,
		/// The poll is not ongoing (unknown, or already decided).
		NotOngoing,
		/// The account has no vote recorded on this poll.
		NotVoter,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::recount_step()
		}

		fn integrity_test() {
			assert!(T::MaxRecountPerBlock::get() >= 1, "the recount must progress");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Vote on an ongoing poll with the caller's compute weight in the active epoch,
		/// replacing any earlier vote of the caller on it.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::vote())]
		pub fn vote(
			origin: OriginFor<T>,
			poll: PollIndexOf<T>,
			vote: ComputeVote,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let weight = T::ComputeWeights::voting_epoch()
				.map_or(0, |e| T::ComputeWeights::weight_of(e, &who));
			ensure!(weight > 0, Error::<T>::NoComputeWeight);
			T::Polls::try_access_poll(poll, |status| match status {
				PollStatus::Ongoing(tally, _) => {
					if let Some(old) = VotingFor::<T>::get(poll, &who) {
						tally.remove(old.vote, old.weight);
					}
					tally.add(vote, weight);
					VotingFor::<T>::insert(poll, &who, VoteRecord { vote, weight });
					Ok(())
				},
				_ => Err(Error::<T>::NotOngoing.into()),
			})?;
			Self::deposit_event(Event::Voted { who, poll, vote, weight });
			Ok(())
		}

		/// Remove the caller's vote: from the tally of an ongoing poll, or just the record of a
		/// finished one.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_vote())]
		pub fn remove_vote(origin: OriginFor<T>, poll: PollIndexOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let old = VotingFor::<T>::take(poll, &who).ok_or(Error::<T>::NotVoter)?;
			T::Polls::access_poll(poll, |status| {
				if let PollStatus::Ongoing(tally, _) = status {
					tally.remove(old.vote, old.weight);
				}
			});
			Self::deposit_event(Event::VoteRemoved { who, poll });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Starts a recount when the voting epoch changed, then re-weighs at most
	/// `MaxRecountPerBlock` recorded votes. Returns the weight used.
	pub(crate) fn recount_step() -> frame_support::weights::Weight {
		use frame_support::traits::{Get, PollStatus, Polling};
		let db = T::DbWeight::get();
		let epoch = T::ComputeWeights::voting_epoch();
		// The voting epoch, CountedEpoch and RecountCursor (measured); the work below adds its own.
		let mut used = T::WeightInfo::recount_idle();
		if CountedEpoch::<T>::get() != epoch {
			match epoch {
				Some(e) => CountedEpoch::<T>::put(e),
				None => CountedEpoch::<T>::kill(),
			}
			RecountCursor::<T>::put(frame_support::BoundedVec::default());
			used.saturating_accrue(db.writes(2));
		}
		let Some(cursor) = RecountCursor::<T>::get() else { return used };
		let mut votes = if cursor.is_empty() {
			VotingFor::<T>::iter()
		} else {
			VotingFor::<T>::iter_from(cursor.into_inner())
		};
		let mut finished = true;
		for _ in 0..T::MaxRecountPerBlock::get() {
			let Some((poll, who, record)) = votes.next() else {
				finished = true;
				break;
			};
			finished = false;
			used.saturating_accrue(T::WeightInfo::recount_vote());
			let weight = epoch.map_or(0, |e| T::ComputeWeights::weight_of(e, &who));
			if weight == record.weight {
				continue;
			}
			T::Polls::access_poll(poll, |status| {
				if let PollStatus::Ongoing(tally, _) = status {
					tally.remove(record.vote, record.weight);
					tally.add(record.vote, weight);
				}
			});
			VotingFor::<T>::insert(poll, &who, VoteRecord { vote: record.vote, weight });
		}
		if !finished {
			// The loop stopped on the per-block bound: is anything left?
			let key = votes.last_raw_key().to_vec();
			finished = VotingFor::<T>::iter_from(key.clone()).next().is_none();
			// One more vote record read: bounded by a recount step's measured weight.
			used.saturating_accrue(T::WeightInfo::recount_vote());
			if !finished {
				match frame_support::BoundedVec::try_from(key) {
					Ok(key) => RecountCursor::<T>::put(key),
					// Unreachable (keys are ~100 bytes): restart rather than skip votes.
					Err(_) => RecountCursor::<T>::put(frame_support::BoundedVec::default()),
				}
				return used.saturating_add(db.writes(1));
			}
		}
		RecountCursor::<T>::kill();
		Self::deposit_event(Event::Recounted { epoch });
		used.saturating_add(db.writes(2))
	}

	/// Every ongoing poll's tally is the sum of its recorded votes. Also callable from the
	/// runtime's integration tests (`std`).
	#[cfg(any(test, feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame_support::traits::Polling;
		let mut sums: BTreeMap<PollIndexOf<T>, TallyOf<T>> = BTreeMap::new();
		for (poll, _, record) in VotingFor::<T>::iter() {
			sums.entry(poll)
				.or_insert_with(|| ComputeTally::from_parts(0, 0, 0))
				.add(record.vote, record.weight);
		}
		for (poll, sum) in sums {
			if let Some((tally, _)) = T::Polls::as_ongoing(poll) {
				frame_support::ensure!(tally == sum, "tally differs from the recorded votes");
			}
		}
		let epoch = CountedEpoch::<T>::get();
		if RecountCursor::<T>::get().is_none() && epoch == T::ComputeWeights::voting_epoch() {
			for (_, who, record) in VotingFor::<T>::iter() {
				let current = epoch.map_or(0, |e| T::ComputeWeights::weight_of(e, &who));
				frame_support::ensure!(
					record.weight == current,
					"a recounted vote does not carry its voter's current weight"
				);
			}
		}
		Ok(())
	}
}
