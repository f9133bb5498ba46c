//! Sampling, attestations, settlement and reputation.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use gonka_primitives::hosts::HostRegistry;
use sp_core::Pair as _;
use sp_runtime::Perbill;

fn held(who: AccountId) -> u128 {
	Balances::balance_on_hold(&RuntimeHoldReason::Inference(HoldReason::Escrow), &who)
}

/// Open a session of 50,000, claim `seq` requests of 1,000 tokens on slot 0, close it at block
/// 1 and run to block 7, where the samples are drawn. Returns `(session, executor)`.
fn claimed_and_sampled(seq: u64) -> (SessionId, AccountId) {
	let id = open(50_000);
	assert_ok!(submit(claim_call(voucher(id, 0, seq, 1_000))));
	assert_ok!(Inference::close(RuntimeOrigin::signed(DEV), id));
	run_to(7);
	let executor = Sessions::<Test>::get(id).unwrap().group[0];
	assert!(matches!(
		Sessions::<Test>::get(id).unwrap().phase,
		SessionPhase::Validating { until: 12 }
	));
	(id, executor)
}

/// The sampled leaves of `(session, slot)` with their validators.
fn samples(id: SessionId, slot: SlotIndex) -> Vec<(u64, Vec<AccountId>)> {
	let mut v: Vec<_> = Samples::<Test>::iter_prefix(id)
		.filter(|((s, _), _)| *s == slot)
		.map(|((_, leaf), sample)| (leaf, sample.validators.into_inner()))
		.collect();
	v.sort();
	v
}

fn collateral(host: AccountId) -> u128 {
	<Hosts as HostRegistry<_, _>>::collateral(&host)
}

#[test]
fn a_new_executor_is_sampled_fully_by_validators_other_than_itself() {
	test(|| {
		let (id, executor) = claimed_and_sampled(4);
		let s = samples(id, 0);
		assert_eq!(s.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
		for (leaf, validators) in &s {
			assert_eq!(validators.len(), 3);
			assert!(!validators.contains(&executor));
			assert!(validators.iter().all(|v| MODEL0_HOSTS.contains(v)));
			for v in validators {
				assert!(Inference::api_assignments(*v).contains(&(id, 0, *leaf)));
			}
		}
		let lane = Lanes::<Test>::get(id, 0).unwrap();
		assert_eq!((lane.samples, lane.rate), (4, Perbill::one()));
		// Unclaimed lanes are not sampled.
		assert!(samples(id, 1).is_empty());
	})
}

#[test]
fn a_lane_is_sampled_at_most_max_samples_per_lane_times() {
	test(|| {
		let id = open(50_000);
		assert_ok!(submit(claim_call(voucher(id, 0, 40, 10))));
		assert_ok!(Inference::close(RuntimeOrigin::signed(DEV), id));
		run_to(7);
		let s = samples(id, 0);
		assert_eq!(s.len(), 8);
		assert!(s.iter().all(|(l, _)| (1..=40).contains(l)));
	})
}

/// The leaves drawn for a lane of 100 requests when the randomness salt is `before` during the
/// claim window and `after` from the sampling block on.
fn leaves_with(before: u64, after: u64) -> Vec<u64> {
	let mut leaves = Vec::new();
	ExtBuilder::build().execute_with(|| {
		let id = open(50_000);
		assert_ok!(submit(claim_call(voucher(id, 0, 100, 10))));
		assert_ok!(Inference::close(RuntimeOrigin::signed(DEV), id));
		set_salt(before);
		run_to(6);
		// The claim window is still running: nothing is sampled yet.
		assert_eq!(Samples::<Test>::iter_prefix(id).count(), 0);
		set_salt(after);
		run_to(7);
		leaves = samples(id, 0).into_iter().map(|(l, _)| l).collect();
	});
	leaves
}

#[test]
fn sampled_leaves_depend_on_randomness_after_the_claim_window_only() {
	let reference = leaves_with(0, 0);
	assert_eq!(reference.len(), 8);
	// Any randomness during the claim window: same leaves.
	assert_eq!(leaves_with(41, 0), reference);
	assert_eq!(leaves_with(97, 0), reference);
	// Other randomness at the sampling block: other leaves.
	assert_ne!(leaves_with(0, 41), reference);
	assert_ne!(leaves_with(0, 97), reference);
}

#[test]
fn attestations_are_accepted_only_from_assigned_validators_in_the_window() {
	test(|| {
		let id = open(50_000);
		assert_ok!(submit(claim_call(voucher(id, 0, 2, 1_000))));
		let executor = Sessions::<Test>::get(id).unwrap().group[0];
		// Before sampling.
		assert_eq!(
			submit(attest_call(id, 0, 1, 1, Verdict::Valid)),
			Err(custom(Error::<Test>::NotValidating))
		);
		assert_ok!(Inference::close(RuntimeOrigin::signed(DEV), id));
		run_to(7);
		let (leaf, validators) = samples(id, 0)[0].clone();
		let outsider = MODEL0_HOSTS.into_iter().find(|h| !validators.contains(h) && *h != executor);
		if let Some(o) = outsider {
			assert_eq!(
				submit(attest_call(id, 0, leaf, o, Verdict::Valid)),
				Err(custom(Error::<Test>::NotAssigned))
			);
		}
		assert_eq!(
			submit(attest_call(id, 0, leaf, executor, Verdict::Valid)),
			Err(custom(Error::<Test>::NotAssigned))
		);
		assert_eq!(
			submit(attest_call(id, 0, 99, validators[0], Verdict::Valid)),
			Err(custom(Error::<Test>::NotSampled))
		);
		// A signature by another key.
		let mut forged = attest_call(id, 0, leaf, validators[0], Verdict::Invalid);
		if let Call::attest { signature, .. } = &mut forged {
			*signature = worker(validators[1]).sign(b"not this");
		}
		assert_eq!(
			submit(forged),
			Err(SubmitError::Authorize(
				frame_support::pallet_prelude::InvalidTransaction::BadProof.into()
			))
		);
		assert_ok!(submit(attest_call(id, 0, leaf, validators[0], Verdict::Valid)));
		assert!(!Inference::api_assignments(validators[0]).contains(&(id, 0, leaf)));
		assert_eq!(
			submit(attest_call(id, 0, leaf, validators[0], Verdict::Invalid)),
			Err(custom(Error::<Test>::AlreadyAttested))
		);
		run_to(13);
		assert_eq!(
			submit(attest_call(id, 0, leaf, validators[1], Verdict::Valid)),
			Err(custom(Error::<Test>::UnknownSession))
		);
	})
}

#[test]
fn an_invalid_leaf_refunds_its_share_scaled_by_the_rate_slashes_and_lowers_reputation() {
	test(|| {
		let (id, executor) = claimed_and_sampled(4);
		let s = samples(id, 0);
		for (leaf, validators) in &s {
			let verdict = if *leaf == 1 { Verdict::Invalid } else { Verdict::Valid };
			for v in validators {
				assert_ok!(submit(attest_call(id, 0, *leaf, *v, verdict)));
			}
		}
		let (dev, exe, pot) = (free(DEV), free(executor), free(POT));
		let validator_free: BTreeMap<_, _> =
			s.iter().flat_map(|(_, vs)| vs.clone()).map(|v| (v, free(v))).collect();
		run_to(13);
		assert!(Sessions::<Test>::get(id).is_none());
		// 4 leaves of 1,000: one invalid at rate 4/4 refunds 1,000; the 3,000 paid carry a 10%
		// validation fee over 12 agreeing attestations (25 each).
		assert_eq!(free(DEV), dev + 50_000 - 3_000);
		assert_eq!(held(DEV), 0);
		assert_eq!(free(executor), exe + 2_700);
		let mut fees = 0;
		for (v, before) in validator_free {
			fees += free(v) - before;
		}
		assert_eq!(fees, 300);
		assert_eq!(collateral(executor), COLLATERAL - 10_000);
		assert_eq!(free(POT), pot + 10_000);
		let r = Inference::reputation_window(&executor);
		assert_eq!((r.invalid, r.valid, r.served), (1, 3, 4));
		assert_eq!(Inference::sampling_rate(&executor), Perbill::one());
		assert!(events().contains(&Event::SessionSettled {
			session: id,
			executors_paid: 2_700,
			validators_paid: 300,
			refunded: 47_000,
			invalid_leaves: 1,
		}));
		assert!(events().contains(&Event::LeafInvalid { session: id, slot: 0, leaf: 1, executor }));
	})
}

#[test]
fn restitution_scales_with_one_over_the_sampling_rate() {
	test(|| {
		// 40 requests at 10 tokens (amount 400), 8 sampled: rate 1/5. One invalid leaf refunds
		// 400 / 8 = 50, i.e. the leaf's average price (10) times 1/rate (5).
		let id = open(50_000);
		assert_ok!(submit(claim_call(voucher(id, 0, 40, 10))));
		assert_ok!(Inference::close(RuntimeOrigin::signed(DEV), id));
		run_to(7);
		let s = samples(id, 0);
		let (bad, validators) = &s[0];
		for v in validators {
			assert_ok!(submit(attest_call(id, 0, *bad, *v, Verdict::Withheld)));
		}
		run_to(13);
		let settled = events()
			.into_iter()
			.find_map(|e| match e {
				Event::SessionSettled { refunded, executors_paid, validators_paid, .. } => {
					Some((refunded, executors_paid + validators_paid))
				},
				_ => None,
			})
			.unwrap();
		assert_eq!(settled, (50_000 - 350, 350));
	})
}

#[test]
fn a_false_accusation_costs_the_accuser_and_a_silent_validator_earns_nothing() {
	test(|| {
		let (id, executor) = claimed_and_sampled(1);
		let (leaf, validators) = samples(id, 0)[0].clone();
		let (honest, accuser, silent) = (validators[0], validators[1], validators[2]);
		assert_ok!(submit(attest_call(id, 0, leaf, honest, Verdict::Valid)));
		assert_ok!(submit(attest_call(id, 0, leaf, accuser, Verdict::Invalid)));
		// One valid of three is not a majority: the leaf is not condemned (one condemning of
		// three is not either), it is paid; nobody false-accused by a valid majority.
		run_to(13);
		assert_eq!(collateral(accuser), COLLATERAL);
		assert_eq!(Inference::reputation_window(&silent).misses, 1);
		assert_eq!(Inference::reputation_window(&executor).invalid, 0);
		assert!(Inference::api_assignments(silent).is_empty());

		// Now a clear valid majority against the accuser.
		let (id, _) = {
			let id = open(50_000);
			assert_ok!(submit(claim_call(voucher(id, 0, 1, 1_000))));
			assert_ok!(Inference::close(RuntimeOrigin::signed(DEV), id));
			run_to(19);
			(id, ())
		};
		let (leaf, validators) = samples(id, 0)[0].clone();
		let before: Vec<u128> = validators.iter().map(|v| free(*v)).collect();
		assert_ok!(submit(attest_call(id, 0, leaf, validators[0], Verdict::Valid)));
		assert_ok!(submit(attest_call(id, 0, leaf, validators[1], Verdict::Valid)));
		assert_ok!(submit(attest_call(id, 0, leaf, validators[2], Verdict::Invalid)));
		run_to(25);
		assert_eq!(collateral(validators[2]), COLLATERAL - 1_000);
		assert_eq!(Inference::reputation_window(&validators[2]).false_accusations, 1);
		// The 10% fee of 1,000 goes to the two agreeing validators, 50 each; none to the
		// accuser.
		assert_eq!(free(validators[0]) - before[0], 50);
		assert_eq!(free(validators[1]) - before[1], 50);
		assert_eq!(free(validators[2]), before[2]);
	})
}

#[test]
fn a_session_nobody_claimed_refunds_everything_and_finalize_is_one_shot() {
	test(|| {
		let id = open(50_000);
		assert_noop!(Inference::finalize(RuntimeOrigin::signed(555), id), Error::<Test>::NotDue);
		assert_ok!(Inference::close(RuntimeOrigin::signed(DEV), id));
		// Without the hooks: anyone takes the steps once they are due.
		System::set_block_number(6);
		assert_noop!(Inference::finalize(RuntimeOrigin::signed(555), id), Error::<Test>::NotDue);
		System::set_block_number(7);
		assert_ok!(Inference::finalize(RuntimeOrigin::signed(555), id));
		System::set_block_number(13);
		assert_ok!(Inference::finalize(RuntimeOrigin::signed(555), id));
		assert_eq!(free(DEV), INITIAL);
		assert_eq!(held(DEV), 0);
		assert_noop!(
			Inference::finalize(RuntimeOrigin::signed(555), id),
			Error::<Test>::UnknownSession
		);
		assert_eq!(Totals::<Test>::get().refunded, 50_000);
		// The stale agenda entries of the hooks are harmless.
		run_to(20);
	})
}

#[test]
fn unchecked_work_is_paid_exactly_as_vouched_and_the_rest_returns_to_the_owner() {
	test(|| {
		ValidationFee::set(Perbill::zero());
		let id = open(50_000);
		let group = Sessions::<Test>::get(id).unwrap().group;
		assert_ok!(submit(claim_call(voucher(id, 0, 3, 1_000))));
		assert_ok!(submit(claim_call(voucher(id, 1, 2, 500))));
		let before: BTreeMap<_, _> = (1..=8).map(|h| (h, free(h))).collect();
		run_to(21 + 5 + 1 + 5 + 1);
		assert!(Sessions::<Test>::get(id).is_none());
		let mut gained: BTreeMap<AccountId, u128> = BTreeMap::new();
		for h in 1..=8 {
			gained.insert(h, free(h) - before[&h]);
		}
		let mut expected: BTreeMap<AccountId, u128> = (1..=8).map(|h| (h, 0)).collect();
		*expected.get_mut(&group[0]).unwrap() += 3_000;
		*expected.get_mut(&group[1]).unwrap() += 1_000;
		assert_eq!(gained, expected);
		for (h, g) in &gained {
			assert_eq!(Earned::<Test>::get(h), *g, "host {h}'s recorded earnings");
			assert_eq!(Inference::api_reputation(*h).earned, *g);
		}
		assert_eq!(free(DEV), INITIAL - 4_000);
		ValidationFee::set(Perbill::from_percent(10));
	})
}

#[test]
fn clean_history_lowers_the_sampling_rate_and_old_faults_leave_the_window() {
	test(|| {
		let host = 1;
		assert_eq!(Inference::sampling_rate(&host), Perbill::one());
		// Epoch 1: one invalid leaf, then 30 clean samples in epochs 2-4.
		Inference::record(&host, |r| r.invalid = 1);
		for e in 2..=4 {
			set_epoch(e);
			Inference::record(&host, |r| r.valid += 10);
		}
		assert_eq!(Inference::sampling_rate(&host), Perbill::one());
		// Epoch 5: the invalid leaf of epoch 1 left the 4-epoch window; 30 clean samples give
		// 10 / (10 + 30) = 25%.
		set_epoch(5);
		assert_eq!(Inference::sampling_rate(&host), Perbill::from_percent(25));
		// Much more clean history reaches the floor.
		Inference::record(&host, |r| r.valid += 10_000);
		assert_eq!(Inference::sampling_rate(&host), Perbill::from_percent(1));
		// Misses: beyond the tolerance they cut the draw factor, until they age out.
		Inference::record(&host, |r| {
			r.misses = 20;
			r.served = 80
		});
		assert_eq!(Inference::draw_factor(&host), Perbill::from_percent(80));
		for e in 6..=9 {
			set_epoch(e);
			Inference::record(&host, |r| r.served += 100);
		}
		assert_eq!(Inference::draw_factor(&host), Perbill::one());
		assert!(Reputation::<Test>::get(host).len() <= 4);
	})
}

#[test]
fn the_agenda_overflows_into_later_blocks_and_every_session_still_settles() {
	test(|| {
		// 4 sessions per block fit; open 10 expiring at the same block.
		let ids: Vec<_> = (0..10)
			.map(|i| {
				let id = NextSessionId::<Test>::get();
				assert_ok!(Inference::open_session(
					RuntimeOrigin::signed(100 + i),
					0,
					MIN_DEPOSIT,
					100,
					10,
					None
				));
				id
			})
			.collect();
		assert_eq!(Agenda::<Test>::get(11).len(), 4);
		assert_eq!(Agenda::<Test>::get(12).len(), 4);
		assert_eq!(Agenda::<Test>::get(13).len(), 2);
		run_to(60);
		assert!(ids.iter().all(|id| Sessions::<Test>::get(id).is_none()));
		assert!((100..110).all(|d| free(d) == INITIAL));
	})
}

use std::collections::BTreeMap;
