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
		let t = ComputeTally::<Test>::from_parts(50, 30, 20);
		assert_eq!(t.approval(()), Perbill::from_rational(50u32, 80u32));
		// (ayes + abstains) / electorate (100).
		assert_eq!(t.support(()), Perbill::from_percent(70));
		assert_eq!(t.ayes(()), 50);
		let empty = ComputeTally::<Test>::new(());
		assert_eq!(empty.approval(()), Perbill::zero());
		assert_eq!(empty.support(()), Perbill::zero());
		// Support never exceeds 100%, even with votes recorded under a bigger electorate.
		assert_eq!(ComputeTally::<Test>::from_parts(500, 0, 0).support(()), Perbill::one());
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
fn a_recorded_vote_follows_its_voters_weight_without_re_voting() {
	new_test_ext(|| {
		assert_ok!(vote(1, 0, ComputeVote::Aye));
		// Epoch 8 activates: host 1 proved twice as much.
		set_weights(8, &[(1, 100), (2, 30), (3, 20)]);
		run_blocks(1);
		assert_eq!(tally(0).ayes, 100, "the recount moved host 1's vote to its new weight");
		assert_eq!(tally(0).support(()), Perbill::from_rational(100u32, 150u32));
		System::assert_has_event(Event::Recounted { epoch: Some(8) }.into());
		// Re-voting changes nothing more.
		assert_ok!(vote(1, 0, ComputeVote::Aye));
		assert_eq!(tally(0).ayes, 100);
	});
}

/// Issue 17's stale vote: A votes aye with 60 of 100; the next epoch activates with A at 0 and
/// B, C at 40 each. Before, A's 60 stayed in the tally and support read 60/80 = 75%: a
/// referendum could pass on compute that no longer existed.
#[test]
fn a_vote_of_a_host_that_lost_its_compute_no_longer_counts() {
	new_test_ext(|| {
		set_weights(10, &[(1, 60), (2, 20), (3, 20)]);
		run_blocks(1);
		assert_ok!(vote(1, 0, ComputeVote::Aye));
		assert_eq!(tally(0).support(()), Perbill::from_percent(60));
		set_weights(11, &[(2, 40), (3, 40)]);
		run_blocks(1);
		assert_eq!(tally(0), ComputeTally::from_parts(0, 0, 0));
		assert_eq!(tally(0).support(()), Perbill::zero(), "not 60/80");
		assert_eq!(VotingFor::<Test>::get(0, 1).map(|r| r.weight), Some(0));
		// Host 1 cannot vote again with nothing, and regains its say when it proves compute.
		assert_noop!(vote(1, 0, ComputeVote::Aye), Error::<Test>::NoComputeWeight);
		set_weights(12, &[(1, 10), (2, 40), (3, 40)]);
		run_blocks(1);
		assert_eq!(tally(0).ayes, 10);
	});
}

/// An epoch in which nobody proved compute is not a voting epoch: the last epoch with weight
/// stays the electorate and the votes keep its weights.
#[test]
fn an_epoch_without_weight_keeps_the_last_electorate() {
	new_test_ext(|| {
		run_blocks(1);
		assert_ok!(vote(1, 0, ComputeVote::Aye));
		assert_ok!(vote(2, 0, ComputeVote::Nay));
		set_weights(8, &[]);
		run_blocks(1);
		assert_eq!(<TestWeights as ComputeWeights<u64>>::voting_epoch(), Some(7));
		assert_eq!(tally(0), ComputeTally::from_parts(50, 30, 0));
		assert_eq!(tally(0).support(()), Perbill::from_percent(50));
		// And its hosts can still vote.
		assert_ok!(vote(3, 0, ComputeVote::Aye));
		assert_eq!(tally(0).ayes, 70);
	});
}

/// The recount runs `MaxRecountPerBlock` votes per block; the tallies match the records at
/// every block, and equal a recomputation from current weights when it ends.
#[test]
fn the_recount_is_bounded_per_block_and_ends_exact() {
	new_test_ext(|| {
		let hosts: Vec<(u64, u128)> = (1..=7).map(|h| (h, 10 * h as u128)).collect();
		set_weights(20, &hosts);
		run_blocks(1);
		open_poll(1);
		for (h, _) in &hosts {
			assert_ok!(vote(*h, 0, if h % 2 == 0 { ComputeVote::Aye } else { ComputeVote::Nay }));
			assert_ok!(vote(*h, 1, ComputeVote::Abstain));
		}
		// 14 votes, 2 per block: 7 blocks.
		let grown: Vec<(u64, u128)> = (1..=7).map(|h| (h, 100 + h as u128)).collect();
		set_weights(21, &grown);
		for block in 1..=7 {
			run_blocks(1);
			let done = RecountCursor::<Test>::get().is_none();
			assert_eq!(done, block == 7, "block {block}");
		}
		let w = |h: u64| 100 + h as u128;
		assert_eq!(
			tally(0),
			ComputeTally::from_parts(w(2) + w(4) + w(6), w(1) + w(3) + w(5) + w(7), 0)
		);
		assert_eq!(tally(1).abstains, (1..=7).map(w).sum::<u128>());
		assert_eq!(CountedEpoch::<Test>::get(), Some(21));
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
