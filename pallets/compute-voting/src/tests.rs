//! Unit tests of compute-weighted voting.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::VoteTally};
use sp_runtime::Perbill;

fn vote(who: u64, poll: u32, v: ComputeVote) -> sp_runtime::DispatchResult {
	Voting::vote(RuntimeOrigin::signed(who), poll, v)
}

#[test]
fn a_vote_counts_with_the_voters_compute_weight() {
	new_test_ext(|| {
		assert_ok!(vote(1, 0, ComputeVote::Aye));
		assert_ok!(vote(2, 0, ComputeVote::Nay));
		assert_ok!(vote(3, 0, ComputeVote::Abstain));
		assert_eq!(tally(0), ComputeTally::from_parts(50, 30, 20));
		System::assert_has_event(
			Event::Voted { who: 1, poll: 0, vote: ComputeVote::Aye, weight: 50 }.into(),
		);
	});
}

#[test]
fn tally_math_approval_and_support() {
	new_test_ext(|| {
		let t = ComputeTally::<Electorate>::from_parts(50, 30, 20);
		assert_eq!(t.approval(()), Perbill::from_rational(50u32, 80u32));
		// (ayes + abstains) / electorate (100).
		assert_eq!(t.support(()), Perbill::from_percent(70));
		assert_eq!(t.ayes(()), 50);
		let empty = ComputeTally::<Electorate>::new(());
		assert_eq!(empty.approval(()), Perbill::zero());
		assert_eq!(empty.support(()), Perbill::zero());
		// Support never exceeds 100%, even with votes recorded under a bigger electorate.
		assert_eq!(ComputeTally::<Electorate>::from_parts(500, 0, 0).support(()), Perbill::one());
		// Before any epoch has weight there is no electorate: no support.
		WEIGHTS.with(|w| w.borrow_mut().0 = None);
		assert_eq!(t.support(()), Perbill::zero());
	});
}

#[test]
fn accounts_without_compute_weight_cannot_vote() {
	new_test_ext(|| {
		assert_noop!(vote(9, 0, ComputeVote::Aye), Error::<Test>::NoComputeWeight);
		// Before any epoch is active, nobody has weight.
		WEIGHTS.with(|w| w.borrow_mut().0 = None);
		assert_noop!(vote(1, 0, ComputeVote::Aye), Error::<Test>::NoComputeWeight);
	});
}

#[test]
fn voting_again_replaces_the_earlier_vote() {
	new_test_ext(|| {
		assert_ok!(vote(1, 0, ComputeVote::Aye));
		assert_ok!(vote(1, 0, ComputeVote::Nay));
		assert_eq!(tally(0), ComputeTally::from_parts(0, 50, 0));
		assert_eq!(
			VotingFor::<Test>::get(0, 1),
			Some(VoteRecord { vote: ComputeVote::Nay, weight: 50 })
		);
	});
}

#[test]
fn a_recorded_vote_keeps_its_weight_until_the_voter_votes_again() {
	new_test_ext(|| {
		assert_ok!(vote(1, 0, ComputeVote::Aye));
		// Epoch 8 activates: host 1 proved twice as much.
		set_weights(8, &[(1, 100), (2, 30), (3, 20)]);
		assert_eq!(tally(0).ayes, 50, "the epoch switch leaves recorded votes alone");
		assert_eq!(tally(0).support(()), Perbill::from_rational(50u32, 150u32));
		assert_ok!(vote(1, 0, ComputeVote::Aye));
		assert_eq!(tally(0).ayes, 100, "re-voting uses the new weight");
	});
}

#[test]
fn only_ongoing_polls_take_votes() {
	new_test_ext(|| {
		assert_noop!(vote(1, 5, ComputeVote::Aye), Error::<Test>::NotOngoing);
		complete_poll(0, true);
		assert_noop!(vote(1, 0, ComputeVote::Aye), Error::<Test>::NotOngoing);
	});
}

#[test]
fn votes_are_removed_from_ongoing_polls_and_cleaned_after_completion() {
	new_test_ext(|| {
		assert_ok!(vote(1, 0, ComputeVote::Aye));
		assert_ok!(vote(2, 0, ComputeVote::Aye));
		assert_ok!(Voting::remove_vote(RuntimeOrigin::signed(1), 0));
		assert_eq!(tally(0), ComputeTally::from_parts(30, 0, 0));
		assert_noop!(Voting::remove_vote(RuntimeOrigin::signed(1), 0), Error::<Test>::NotVoter);
		// After the poll is decided, removing only deletes the record.
		complete_poll(0, true);
		assert_ok!(Voting::remove_vote(RuntimeOrigin::signed(2), 0));
		assert_eq!(VotingFor::<Test>::get(0, 2), None);
		System::assert_last_event(Event::VoteRemoved { who: 2, poll: 0 }.into());
	});
}

#[test]
fn try_state_catches_a_tally_that_drifted_from_the_votes() {
	new_test_ext(|| {
		assert_ok!(vote(1, 0, ComputeVote::Aye));
		POLLS.with(|p| {
			p.borrow_mut().insert(0, MockPoll::Ongoing(ComputeTally::from_parts(49, 0, 0)))
		});
		assert!(Voting::do_try_state().is_err());
		POLLS.with(|p| {
			p.borrow_mut().insert(0, MockPoll::Ongoing(ComputeTally::from_parts(50, 0, 0)))
		});
	});
}
