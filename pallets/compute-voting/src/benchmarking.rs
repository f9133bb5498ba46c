//! Benchmarks of compute-weighted voting, in their worst case: a vote that replaces an earlier
//! one (the tally loses the old weight and gains the new), a removal from an ongoing poll, and a
//! recount step that re-weighs a vote whose voter's weight changed.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::Polling;
use frame_system::RawOrigin;

/// A voter with weight and an ongoing poll.
fn setup<T: Config>() -> (T::AccountId, PollIndexOf<T>) {
	let voter: T::AccountId = whitelisted_caller();
	T::BenchmarkHelper::set_weight(&voter, 1_000);
	let (class, _) = T::Polls::max_ongoing();
	let poll = T::Polls::create_ongoing(class).expect("the poll registry opens a poll");
	(voter, poll)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn vote() {
		let (voter, poll) = setup::<T>();
		Pallet::<T>::vote(RawOrigin::Signed(voter.clone()).into(), poll, ComputeVote::Nay)
			.expect("first vote");

		#[extrinsic_call]
		_(RawOrigin::Signed(voter.clone()), poll, ComputeVote::Aye);

		assert_eq!(VotingFor::<T>::get(poll, &voter).map(|r| r.vote), Some(ComputeVote::Aye));
	}

	#[benchmark]
	fn remove_vote() {
		let (voter, poll) = setup::<T>();
		Pallet::<T>::vote(RawOrigin::Signed(voter.clone()).into(), poll, ComputeVote::Aye)
			.expect("vote");

		#[extrinsic_call]
		_(RawOrigin::Signed(voter.clone()), poll);

		assert!(VotingFor::<T>::get(poll, &voter).is_none());
	}

	/// One `on_initialize` recount step (in the same voting epoch, a recount under way) that
	/// re-weighs one vote of an ongoing poll and finds no vote after it: the per-vote cost plus
	/// the step's fixed reads and writes, charged per vote (an overestimate by the fixed part).
	#[benchmark]
	fn recount_vote() {
		let (voter, poll) = setup::<T>();
		Pallet::<T>::vote(RawOrigin::Signed(voter.clone()).into(), poll, ComputeVote::Aye)
			.expect("vote");
		T::BenchmarkHelper::set_weight(&voter, 2_000);
		let epoch = T::ComputeWeights::voting_epoch().expect("the helper activated an epoch");
		CountedEpoch::<T>::put(epoch);
		RecountCursor::<T>::put(frame_support::BoundedVec::default());

		#[block]
		{
			Pallet::<T>::recount_step();
		}

		assert_eq!(VotingFor::<T>::get(poll, &voter).map(|r| r.weight), Some(2_000));
		assert!(RecountCursor::<T>::get().is_none());
	}

	/// `on_initialize` with no recount running: the voting epoch was already counted.
	#[benchmark]
	fn recount_idle() {
		let (_voter, _poll) = setup::<T>();
		let epoch = T::ComputeWeights::voting_epoch().expect("the helper activated an epoch");
		CountedEpoch::<T>::put(epoch);

		#[block]
		{
			Pallet::<T>::recount_step();
		}

		assert!(RecountCursor::<T>::get().is_none());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::test_ext(), crate::mock::Test);
}
