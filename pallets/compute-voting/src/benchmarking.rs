//! Benchmarks of compute-weighted voting, in their worst case: a vote that replaces an earlier
//! one (the tally loses the old weight and gains the new), and a removal from an ongoing poll.

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

	impl_benchmark_test_suite!(Pallet, crate::mock::test_ext(), crate::mock::Test);
}
