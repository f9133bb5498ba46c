//! Settlement tests: a whole epoch with honest, cheating, silent and unavailable hosts; the cap;
//! activation; bootstrap cases; pruning.

use crate::{mock::*, *};
use frame_support::assert_ok;
use sp_runtime::Perbill;

/// Every validator in `validators` submits a verdict for each target whose committee it is in, as
/// `judge(target, count)` says, in batches of `MaxVerdictsPerCall`.
fn vote(epoch: u32, validators: &[AccountId], judge: impl Fn(AccountId, u32) -> ValidationVerdict) {
	for v in validators {
		let assignments = Sprint::assignments(epoch, v);
		for batch in assignments.chunks(MaxVerdictsPerCall::get() as usize) {
			let verdicts = batch.iter().map(|a| (a.target, judge(a.target, a.count))).collect();
			assert_ok!(submit(verdicts_call(*v, epoch, verdicts)));
		}
	}
}

/// Whether `target` should be accepted given which validators vote valid.
fn expected_accept(epoch: u32, target: AccountId, votes_valid: impl Fn(AccountId) -> bool) -> bool {
	let info = Epochs::<Test>::get(epoch).unwrap();
	let committee = Sprint::committee(&info, &target);
	let valid = committee.iter().filter(|v| votes_valid(**v)).count();
	!committee.is_empty() && 2 * valid > committee.len()
}

fn finalized() -> Vec<(EpochIndex, u128)> {
	FINALIZED.with(|f| f.borrow().clone())
}

#[test]
fn a_whole_epoch_with_honest_cheating_silent_and_unavailable_hosts() {
	// Genesis validators 1..=4 (4 is silent). Participants: 1..=4, honest 5, cheater 6 (fakes
	// 6% of its nonces), 7 serves no proofs, 8 honest with no account at all (zero balance).
	ExtBuilder::default().validators(vec![1, 2, 3, 4]).build_and_execute(|| {
		let counts =
			[(1, 1000), (2, 1000), (3, 1000), (4, 1000), (5, 2000), (6, 3000), (7, 1500), (8, 500)];
		run_to_offset(0, 2);
		for (h, c) in counts {
			assert_ok!(submit(commitment_call(h, 0, c)));
		}
		assert_eq!(System::account(8).providers, 0, "host 8 has no account");
		run_to_offset(0, 15);
		vote(0, &[1, 2, 3], |target, count| match target {
			6 => verdict(count, 60),
			7 => not_served(),
			_ => verdict(count, 20),
		});
		let honest = |v: AccountId| v != 4;
		let expect: Vec<(AccountId, bool)> = counts
			.iter()
			.map(|(h, _)| (*h, *h != 6 && *h != 7 && expected_accept(0, *h, honest)))
			.collect();
		// Every committee holds at most one silent member out of three or four: every honest
		// host is accepted.
		assert_eq!(
			expect,
			vec![
				(1, true),
				(2, true),
				(3, true),
				(4, true),
				(5, true),
				(6, false),
				(7, false),
				(8, true)
			]
		);

		run_to_offset(0, 30);
		assert!(Settlement::<Test>::get().is_some(), "settlement spreads over blocks");
		run_to_offset(0, 39);
		assert!(Settlement::<Test>::get().is_none());
		assert_eq!(PendingActivation::<Test>::get().map(|p| p.0), Some(0));
		// Not final before the epoch switch.
		assert_eq!(<Sprint as ComputeWeights<_>>::active_epoch(), None);
		assert_eq!(<Sprint as ComputeWeights<_>>::weight_of(0, &4), 0);
		assert!(finalized().is_empty());

		let events = sprint_events();
		for (h, ok) in &expect {
			let accepted = events
				.iter()
				.any(|e| matches!(e, Event::HostAccepted { epoch: 0, host, .. } if host == h));
			let rejected = events
				.iter()
				.any(|e| matches!(e, Event::HostRejected { epoch: 0, host, .. } if host == h));
			assert_eq!((accepted, rejected), (*ok, !*ok), "host {h}");
		}
		// Hosts rejected by a majority of invalid verdicts are slashed.
		let mut slashed = SLASHES.with(|s| s.borrow().clone());
		slashed.sort();
		assert_eq!(slashed, vec![(6, REJECTION_SLASH), (7, REJECTION_SLASH)]);
		// The silent validator is penalised 10% per target it left without a verdict.
		let missed = Missed::<Test>::get(0, 4);
		assert!(missed > 0);
		assert_eq!(Missed::<Test>::get(0, 1), 0);
		let lost = Perbill::from_percent((10 * missed).min(100)).mul_floor(1000u128);
		assert!(events.contains(&Event::ValidatorPenalised {
			epoch: 0,
			validator: 4,
			missed,
			contradicted: 0,
			lost
		}));

		run_to_offset(1, 0);
		let total: u128 = 3 * 1000 + (1000 - lost) + 2000 + 500;
		assert_eq!(<Sprint as ComputeWeights<_>>::active_epoch(), Some(0));
		assert_eq!(<Sprint as ComputeWeights<_>>::total_weight(0), total);
		assert_eq!(<Sprint as ComputeWeights<_>>::active_total_weight(), total);
		assert_eq!(<Sprint as ComputeWeights<_>>::weight_of(0, &5), 2000);
		assert_eq!(<Sprint as ComputeWeights<_>>::weight_of(0, &4), 1000 - lost);
		assert_eq!(<Sprint as ComputeWeights<_>>::active_weight_of(&8), 500);
		assert_eq!(<Sprint as ComputeWeights<_>>::weight_of(0, &6), 0);
		assert_eq!(<Sprint as ComputeWeights<_>>::weight_of(0, &7), 0);
		assert_eq!(finalized(), vec![(0, total)]);
		assert!(sprint_events().contains(&Event::WeightsActivated { epoch: 0, total }));

		// Epoch 1 is validated by epoch 0's weighted hosts.
		assert_eq!(ValidatorSource::<Test>::get(), 0);
		run_to_offset(1, 2);
		let info = Epochs::<Test>::get(1).unwrap();
		assert_eq!(info.validator_set, 0);
		assert_eq!(ValidatorSetEnds::<Test>::get(0).last().copied(), Some(total));
		let c = Sprint::committee(&info, &99);
		assert!(c.iter().all(|v| [1, 2, 3, 4, 5, 8].contains(v)));
		assert_eq!(c.len(), 5);
	});
}

#[test]
fn a_silent_majority_rejects_and_an_empty_committee_accepts_nobody() {
	// A single genesis validator that is also a participant: its committee is empty (it never
	// judges itself), so it is not accepted (attack 2: an empty committee used to accept).
	ExtBuilder::default().validators(vec![1]).build_and_execute(|| {
		run_to_offset(0, 2);
		assert_ok!(submit(commitment_call(1, 0, 50)));
		assert_ok!(submit(commitment_call(2, 0, 70)));
		assert!(Sprint::committee(&Epochs::<Test>::get(0).unwrap(), &1).is_empty());
		run_to_offset(1, 0);
		// Host 2's committee is validator 1, which stayed silent: rejected, not slashed.
		assert_eq!(<Sprint as ComputeWeights<_>>::weight_of(0, &2), 0);
		assert_eq!(Missed::<Test>::get(0, 1), 1);
		// Host 1 had no committee: rejected, not slashed (nobody found it invalid).
		assert_eq!(<Sprint as ComputeWeights<_>>::weight_of(0, &1), 0);
		assert!(SLASHES.with(|s| s.borrow().is_empty()));
		assert!(sprint_events().contains(&Event::HostRejected { epoch: 0, host: 1, slashed: 0 }));
		assert_eq!(<Sprint as ComputeWeights<_>>::total_weight(0), 0);
	});
}

#[test]
fn the_share_cap_limits_a_dominant_host() {
	MaxShare::set(Perbill::from_percent(25));
	ExtBuilder::default().build_and_execute(|| {
		run_to_offset(0, 2);
		for (h, c) in [(1, 100), (2, 100), (3, 100), (4, 1000)] {
			assert_ok!(submit(commitment_call(h, 0, c)));
		}
		run_to_offset(0, 15);
		vote(0, &[1, 2, 3], |_, count| verdict(count, 0));
		run_to_offset(1, 0);
		// The cap is measured against the others' 300: 300 * 25 / 75 = 100, so host 4 holds 25%
		// of the final 400 (a cap of 25% of the uncapped 1300 would have left it 325 of 625).
		assert_eq!(<Sprint as ComputeWeights<_>>::weight_of(0, &4), 100);
		assert_eq!(<Sprint as ComputeWeights<_>>::weight_of(0, &1), 100);
		assert_eq!(<Sprint as ComputeWeights<_>>::total_weight(0), 400);
	});
	MaxShare::set(Perbill::from_percent(100));
}

#[test]
fn an_epoch_without_participants_activates_zero_and_keeps_the_validators() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_offset(1, 0);
		assert_eq!(finalized(), vec![(0, 0)]);
		assert_eq!(<Sprint as ComputeWeights<_>>::active_epoch(), Some(0));
		assert_eq!(ValidatorSource::<Test>::get(), GENESIS_SET);
		run_to_offset(1, 2);
		assert_eq!(Epochs::<Test>::get(1).unwrap().validator_set, GENESIS_SET);
	});
}

#[test]
fn without_params_the_sprint_starts_but_reports_none() {
	ExtBuilder::default().without_params().build_and_execute(|| {
		run_to_offset(0, 2);
		assert_eq!(Sprint::epoch_status().params, None);
		assert!(Sprint::epoch_status().seed.is_some());
	});
}

#[test]
fn old_epochs_are_pruned_in_bounded_steps() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_offset(0, 2);
		for h in 1..=7 {
			assert_ok!(submit(commitment_call(h, 0, 100)));
		}
		run_to_offset(0, 15);
		vote(0, &[1, 2, 3], |_, count| verdict(count, 0));
		run_to_offset(2, 0);
		// Epoch 2's switch activated epoch 1 (empty): nothing pruned yet (HistoryDepth 2).
		assert!(Epochs::<Test>::get(0).is_some());
		assert_eq!(<Sprint as ComputeWeights<_>>::total_weight(0), 700);
		// Epoch 2 activated at epoch 3's switch: epoch 0 is queued and pruned, at most
		// `MaxPrunePerBlock` backend keys per map per block (keys still in the overlay, as in
		// this test, go at once).
		run_to_offset(3, 0);
		assert_eq!(<Sprint as ComputeWeights<_>>::total_weight(0), 0, "pruned epochs read as zero");
		run_to_offset(3, 10);
		assert!(PruneQueue::<Test>::get().is_empty());
		assert!(sprint_events().contains(&Event::EpochPruned { epoch: 0 }));
		assert!(Epochs::<Test>::get(0).is_none());
		assert_eq!(Commitments::<Test>::iter_prefix(0).count(), 0);
		assert_eq!(Verdicts::<Test>::iter_prefix((0,)).count(), 0);
		assert_eq!(Weights::<Test>::iter_prefix(0).count(), 0);
		assert_eq!(ParticipantCount::<Test>::get(0), 0);
		// Epoch 0's validator set is still the source (later epochs had no weight): kept.
		assert_eq!(ValidatorSource::<Test>::get(), 0);
		assert!(!ValidatorSetEnds::<Test>::get(0).is_empty());
	});
}

#[test]
fn a_settlement_that_overruns_the_epoch_switch_activates_when_done() {
	ExtBuilder::default().build_and_execute(|| {
		// 12 participants at 2 per block and pass: 6 tally blocks and 6 finalize blocks from
		// offset 30 (plus the pass switch): done at block 42, past the switch at 40.
		for h in 9..=12 {
			register(h);
		}
		run_to_offset(0, 2);
		for h in 1..=12 {
			assert_ok!(submit(commitment_call(h, 0, 10 * h as u32)));
		}
		run_to_offset(0, 15);
		vote(0, &[1, 2, 3], |_, count| verdict(count, 0));
		run_to_offset(1, 1);
		assert_eq!(<Sprint as ComputeWeights<_>>::active_epoch(), None, "still settling");
		assert!(Settlement::<Test>::get().is_some());
		run_to_offset(1, 2);
		assert_eq!(<Sprint as ComputeWeights<_>>::active_epoch(), Some(0));
		assert_eq!(<Sprint as ComputeWeights<_>>::total_weight(0), (1..=12).map(|h| 10 * h).sum());
		assert_eq!(finalized().len(), 1);
		// Epoch 1's sprint started earlier in the same block, with the old validator set.
		assert_eq!(Epochs::<Test>::get(1).unwrap().validator_set, GENESIS_SET);
		assert_eq!(ValidatorSource::<Test>::get(), 0);
		// Epoch 1 settles normally afterwards (no participants).
		run_to_offset(2, 0);
		assert_eq!(<Sprint as ComputeWeights<_>>::active_epoch(), Some(1));
		assert_eq!(finalized(), vec![(0, 780), (1, 0)]);
	});
}

#[test]
fn epochs_whose_sprint_never_started_are_skipped() {
	// As if the pallet had been added to a running chain in epoch 3: nothing of epochs 0..3.
	ExtBuilder::default().build_and_execute(|| {
		System::set_block_number((3 * EPOCH + 35) as u64);
		run_to_offset(3, 36);
		assert_eq!(NextToSettle::<Test>::get(), 3);
		assert!(finalized().is_empty());
		run_to_offset(4, 2);
		assert!(Epochs::<Test>::get(4).is_some());
		run_to_offset(5, 0);
		assert_eq!(NextToSettle::<Test>::get(), 5);
		assert_eq!(finalized(), vec![(4, 0)]);
	});
}
