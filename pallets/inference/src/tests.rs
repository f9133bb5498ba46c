//! Sessions and claims: opening, top-ups, closing, expiry, the group draw and every voucher check.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_core::Pair as _;
use sp_runtime::Perbill;

fn held(who: AccountId) -> u128 {
	Balances::balance_on_hold(&RuntimeHoldReason::Inference(HoldReason::Escrow), &who)
}

#[test]
fn anyone_with_funds_opens_a_session_and_the_deposit_is_held_not_moved() {
	test(|| {
		let before = free(DEV);
		let id = open(50_000);
		assert_eq!(free(DEV), before - 50_000);
		assert_eq!(held(DEV), 50_000);
		let s = Sessions::<Test>::get(id).unwrap();
		assert_eq!(s.group.len(), 4);
		assert_eq!(s.price_per_1k_tokens, PRICE);
		assert_eq!(s.phase, SessionPhase::Open);
		assert!(matches!(events().last(), Some(Event::SessionOpened { session: 0, .. })));
	})
}

#[test]
fn opening_needs_funds_a_minimum_deposit_and_sane_caps() {
	test(|| {
		let o = RuntimeOrigin::signed;
		assert_noop!(
			Inference::open_session(o(DEV), 0, MIN_DEPOSIT - 1, 100, 10, None),
			Error::<Test>::DepositTooLow
		);
		assert_noop!(
			Inference::open_session(o(DEV), 0, INITIAL * 2, 100, 10, None),
			Error::<Test>::InsufficientBalance
		);
		// An account with no funds at all.
		assert_noop!(
			Inference::open_session(o(555), 0, MIN_DEPOSIT, 100, 10, None),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Inference::open_session(o(DEV), 0, MIN_DEPOSIT, 100, 0, None),
			Error::<Test>::BadDuration
		);
		assert_noop!(
			Inference::open_session(o(DEV), 0, MIN_DEPOSIT, 100, 101, None),
			Error::<Test>::BadDuration
		);
		assert_noop!(
			Inference::open_session(o(DEV), 0, MIN_DEPOSIT, 0, 10, None),
			Error::<Test>::ZeroTokenCap
		);
		assert_noop!(
			Inference::open_session(o(DEV), 7, MIN_DEPOSIT, 100, 10, None),
			Error::<Test>::UnknownModel
		);
		// Model 2 exists but nobody serves it.
		assert_noop!(
			Inference::open_session(o(DEV), 2, MIN_DEPOSIT, 100, 10, None),
			Error::<Test>::NoExecutors
		);
		assert_ok!(Hosts::retire_model(RuntimeOrigin::root(), 1));
		assert_noop!(
			Inference::open_session(o(DEV), 1, MIN_DEPOSIT, 100, 10, None),
			Error::<Test>::ModelRetired
		);
		MaxSessions::set(1);
		assert_ok!(Inference::open_session(o(DEV), 0, MIN_DEPOSIT, 100, 10, None));
		assert_noop!(
			Inference::open_session(o(102), 0, MIN_DEPOSIT, 100, 10, None),
			Error::<Test>::TooManySessions
		);
		MaxSessions::set(1_000);
	})
}

#[test]
fn top_up_adds_to_the_hold_and_only_the_owner_of_an_open_session_may() {
	test(|| {
		let id = open(5_000);
		assert_ok!(Inference::top_up(RuntimeOrigin::signed(DEV), id, 2_000));
		assert_eq!(held(DEV), 7_000);
		assert_eq!(Sessions::<Test>::get(id).unwrap().deposit, 7_000);
		assert_noop!(Inference::top_up(RuntimeOrigin::signed(102), id, 1), Error::<Test>::NotOwner);
		assert_noop!(
			Inference::top_up(RuntimeOrigin::signed(DEV), id, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Inference::top_up(RuntimeOrigin::signed(DEV), 9, 1),
			Error::<Test>::UnknownSession
		);
		assert_ok!(Inference::close(RuntimeOrigin::signed(DEV), id));
		assert_noop!(Inference::top_up(RuntimeOrigin::signed(DEV), id, 1), Error::<Test>::NotOpen);
	})
}

#[test]
fn close_by_owner_or_expiry_opens_the_claim_window() {
	test(|| {
		let a = open(5_000);
		assert_noop!(Inference::close(RuntimeOrigin::signed(DELEGATE), a), Error::<Test>::NotOwner);
		assert_ok!(Inference::close(RuntimeOrigin::signed(DEV), a));
		assert_eq!(Sessions::<Test>::get(a).unwrap().phase, SessionPhase::Claiming { until: 6 });
		assert_noop!(Inference::close(RuntimeOrigin::signed(DEV), a), Error::<Test>::NotOpen);
		// A second session expires by itself at block 21 (opened at 1 for 20 blocks).
		let b = open(5_000);
		run_to(20);
		assert_eq!(Sessions::<Test>::get(b).unwrap().phase, SessionPhase::Open);
		run_to(21);
		assert_eq!(Sessions::<Test>::get(b).unwrap().phase, SessionPhase::Claiming { until: 26 });
		assert!(events().contains(&Event::SessionClosed { session: b, claim_until: 26 }));
	})
}

#[test]
fn the_group_is_drawn_only_among_hosts_serving_the_model_and_in_proportion_to_weight() {
	test(|| {
		// Host 1 weighs 500, hosts 2-6 100 each (1,000 in all): host 1 should get half the
		// slots. Host 7 (model 1 only) weighs a lot and must never be drawn for model 0.
		set_weight(1, 500);
		set_weight(7, 1_000_000);
		GroupSize::set(16);
		let sessions = 200u64;
		let mut slots: BTreeMap<AccountId, u64> = BTreeMap::new();
		for i in 0..sessions {
			set_salt(i);
			let id = NextSessionId::<Test>::get();
			assert_ok!(Inference::open_session(
				RuntimeOrigin::signed(100 + (i % 20)),
				0,
				MIN_DEPOSIT,
				100,
				10,
				None
			));
			for h in Sessions::<Test>::get(id).unwrap().group {
				*slots.entry(h).or_default() += 1;
			}
		}
		let n = sessions * 16;
		assert!(slots.keys().all(|h| MODEL0_HOSTS.contains(h)), "{slots:?}");
		assert!(MODEL1_HOSTS.iter().all(|h| !slots.contains_key(h)));
		// Binomial(3200, 1/2) for host 1: sd ~28; and Binomial(3200, 1/10) for the others:
		// sd ~17. Allow 4 sd.
		let one = slots[&1] as f64;
		assert!((one - n as f64 * 0.5).abs() < 4.0 * 28.3, "host 1 got {one} of {n}");
		for h in 2..=6 {
			let x = slots[&h] as f64;
			assert!((x - n as f64 * 0.1).abs() < 4.0 * 17.0, "host {h} got {x} of {n}");
		}
		GroupSize::set(4);
	})
}

#[test]
fn hosts_without_weight_or_with_a_high_miss_rate_are_drawn_less_or_never() {
	test(|| {
		for h in 2..=6 {
			set_weight(h, 0);
		}
		let id = open(5_000);
		assert!(Sessions::<Test>::get(id).unwrap().group.iter().all(|h| *h == 1));
		// Misses beyond the tolerance cut host 1's draw factor.
		Reputation::<Test>::insert(
			1,
			ReputationOf::<Test>::truncate_from(vec![EpochRecord {
				epoch: 1,
				served: 60,
				misses: 40,
				..Default::default()
			}]),
		);
		assert_eq!(Inference::draw_factor(&1), Perbill::from_percent(60));
	})
}

#[test]
fn invalid_leaves_shrink_a_hosts_slots_and_an_all_invalid_host_gets_none() {
	test(|| {
		// Host 1: only invalid samples in the window, so its draw factor is zero.
		Reputation::<Test>::insert(
			1,
			ReputationOf::<Test>::truncate_from(vec![EpochRecord {
				epoch: 1,
				served: 10,
				invalid: 3,
				..Default::default()
			}]),
		);
		assert_eq!(Inference::draw_factor(&1), Perbill::zero());
		for _ in 0..5 {
			let id = open(5_000);
			let group = Sessions::<Test>::get(id).unwrap().group;
			assert!(!group.is_empty());
			assert!(!group.contains(&1), "a host with only invalid samples got a slot");
		}
		// Host 2: 90 clean samples and one invalid leaf (penalty 10): 90 / (90 + 10) = 90%,
		// times a 20% miss rate beyond the tolerance: 72%.
		Reputation::<Test>::insert(
			2,
			ReputationOf::<Test>::truncate_from(vec![EpochRecord {
				epoch: 1,
				served: 80,
				misses: 20,
				valid: 90,
				invalid: 1,
				..Default::default()
			}]),
		);
		assert_eq!(Inference::draw_factor(&2), Perbill::from_percent(72));
		// The penalty is a parameter: at 0 an invalid leaf no longer costs draw weight.
		InvalidPenalty::set(0);
		assert_eq!(Inference::draw_factor(&2), Perbill::from_percent(80));
		assert_eq!(Inference::draw_factor(&1), Perbill::one());
		InvalidPenalty::set(10);
	})
}

#[test]
fn a_valid_claim_stores_the_voucher_and_only_a_higher_seq_replaces_it() {
	test(|| {
		let id = open(50_000);
		let v1 = voucher(id, 0, 1, 1_000);
		assert_ok!(submit(claim_call(v1.clone())));
		let lane = Lanes::<Test>::get(id, 0).unwrap();
		assert_eq!(lane.voucher, v1);
		assert_eq!(Sessions::<Test>::get(id).unwrap().claimed, 1_000);
		// Equal and lower seq are stale.
		assert_eq!(submit(claim_call(v1.clone())), Err(custom(Error::<Test>::StaleVoucher)));
		let v3 = voucher(id, 0, 3, 1_000);
		assert_ok!(submit(claim_call(v3)));
		assert_eq!(
			submit(claim_call(voucher(id, 0, 2, 1_000))),
			Err(custom(Error::<Test>::StaleVoucher))
		);
		assert_eq!(Sessions::<Test>::get(id).unwrap().claimed, 3_000);
		// The delegate's signature is as good as the owner's.
		let v4 = voucher(id, 0, 4, 1_000);
		let executor = Sessions::<Test>::get(id).unwrap().group[0];
		assert_ok!(submit(claim_call_as(v4, DELEGATE, executor)));
	})
}

#[test]
fn claims_with_bad_signatures_or_inconsistent_vouchers_are_refused_by_name() {
	test(|| {
		let id = open(5_000);
		let other = open(5_000);
		let group = Sessions::<Test>::get(id).unwrap().group;
		let outsider = (1..=8).find(|h| *h != group[0]).unwrap();
		let v = voucher(id, 0, 1, 1_000);
		// Payer signature by somebody else, executor signature by another host's key.
		assert_eq!(
			submit(claim_call_as(v.clone(), 102, group[0])),
			Err(custom(Error::<Test>::BadVoucherSignature))
		);
		assert_eq!(
			submit(claim_call_as(v.clone(), DEV, outsider)),
			Err(custom(Error::<Test>::BadSignature))
		);
		// A voucher signed for another session cannot be moved to this one: the signature
		// covers the session.
		let mut wrong = voucher(other, 0, 1, 1_000);
		let sig = payer_sig(DEV, &wrong);
		wrong.session = id;
		let executor_signature = worker(group[0])
			.sign(&gonka_primitives::market::claim_payload(&Inference::genesis_hash(), &wrong));
		assert_eq!(
			submit(Call::claim { voucher: wrong, payer_signature: sig, executor_signature }),
			Err(custom(Error::<Test>::BadVoucherSignature))
		);
		// Slot outside the group.
		assert_eq!(
			submit(claim_call_as(voucher(id, 9, 1, 1_000), DEV, 1)),
			Err(custom(Error::<Test>::BadSlot))
		);
		// Amount not the price of its tokens.
		let mut cheap = voucher(id, 0, 1, 1_000);
		cheap.amount -= 1;
		assert_eq!(submit(claim_call(cheap)), Err(custom(Error::<Test>::WrongAmount)));
		// More tokens than seq x cap.
		assert_eq!(
			submit(claim_call(voucher(id, 0, 1, 1_001))),
			Err(custom(Error::<Test>::TooManyTokens))
		);
		// Above the deposit (5,000 base units buy 5,000 tokens at 1,000 per 1k).
		assert_eq!(
			submit(claim_call(voucher(id, 0, 6, 1_000))),
			Err(custom(Error::<Test>::EscrowExceeded))
		);
		// Across lanes too.
		assert_ok!(submit(claim_call(voucher(id, 0, 3, 1_000))));
		assert_ok!(submit(claim_call(voucher(id, 1, 2, 1_000))));
		assert_eq!(
			submit(claim_call(voucher(id, 2, 1, 1_000))),
			Err(custom(Error::<Test>::EscrowExceeded))
		);
		// A later voucher that lowers a cumulative count.
		let mut lower = voucher(id, 0, 4, 1_000);
		lower.in_tokens = 0;
		lower.out_tokens = 2_000;
		lower.amount = 2_000;
		assert_eq!(submit(claim_call(lower)), Err(custom(Error::<Test>::VoucherDecreased)));
		// The dispatch refuses by the same names without the authorisation.
		assert_eq!(
			dispatch_authorized(claim_call(voucher(id, 0, 2, 1_000))),
			Err(Error::<Test>::StaleVoucher.into())
		);
		// Nobody but the authorisation may dispatch it.
		assert!(Inference::claim(
			RuntimeOrigin::signed(DEV),
			voucher(id, 0, 5, 1_000),
			payer_sig(DEV, &voucher(id, 0, 5, 1_000)),
			worker(group[0]).sign(b"x"),
		)
		.is_err());
	})
}

#[test]
fn claims_close_with_the_claim_window() {
	test(|| {
		let id = open(50_000);
		assert_ok!(Inference::close(RuntimeOrigin::signed(DEV), id));
		run_to(6);
		assert_ok!(submit(claim_call(voucher(id, 0, 1, 1_000))));
		run_to(7);
		assert_eq!(
			submit(claim_call(voucher(id, 0, 2, 1_000))),
			Err(custom(Error::<Test>::ClaimWindowClosed))
		);
	})
}

#[test]
fn the_payer_reports_a_miss_once_per_lane_and_it_counts_against_the_executor() {
	test(|| {
		let id = open(5_000);
		let executor = Sessions::<Test>::get(id).unwrap().group[1];
		assert_noop!(
			Inference::report_miss(RuntimeOrigin::signed(102), id, 1),
			Error::<Test>::NotPayer
		);
		assert_ok!(Inference::report_miss(RuntimeOrigin::signed(DELEGATE), id, 1));
		assert_noop!(
			Inference::report_miss(RuntimeOrigin::signed(DEV), id, 1),
			Error::<Test>::MissAlreadyReported
		);
		assert_noop!(
			Inference::report_miss(RuntimeOrigin::signed(DEV), id, 9),
			Error::<Test>::BadSlot
		);
		assert!(Inference::reputation_window(&executor).misses >= 1);
	})
}

#[test]
fn the_runtime_api_helpers_report_sessions_quotes_and_endpoints() {
	test(|| {
		let id = open(5_000);
		assert_ok!(submit(claim_call(voucher(id, 0, 1, 1_000))));
		let view = Inference::api_session(id).unwrap();
		assert_eq!(view.available, 4_000);
		assert_eq!(view.slots.len(), 4);
		let s0 = &view.slots[0];
		assert_eq!(
			s0.endpoint.as_ref().map(|e| e.to_vec()),
			Some(format!("http://host{}.test:8080", s0.executor).into_bytes())
		);
		assert_eq!(s0.claimed.as_ref().map(|v| v.seq), Some(1));
		assert_eq!(Inference::api_quote(0, 1_500, 500), Some(2_000));
		assert_eq!(Inference::api_quote(9, 1, 1), None);
		assert_eq!(Inference::api_reputation(1).sampling_rate, Perbill::one());
		assert!(Inference::api_session(99).is_none());
	})
}

use std::collections::BTreeMap;
