//! A property test over random sequences of market operations (proptest): after every operation
//! and every block, the escrow is conserved (`do_try_state`: deposited = paid + refunded + held,
//! per owner and in total), and no account's free balance changes except by its own action or a
//! settlement. `GONKA_MARKET_CASES` sets the number of cases (default 32).

use crate::{mock::*, *};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// One market operation, with indices resolved against the live state when applied.
#[derive(Clone, Debug)]
enum Op {
	Open { dev: u8, deposit: u32, duration: u8 },
	TopUp { session: u8, amount: u32 },
	Close { session: u8 },
	Claim { session: u8, slot: u8, extra: u8, tokens: u16, by_delegate: bool },
	Miss { session: u8, slot: u8 },
	Attest { pick: u16, verdict: u8 },
	Finalize { session: u8, by: u8 },
	Blocks { n: u8 },
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		3 => (0u8..6, 0u32..60_000, 1u8..30)
			.prop_map(|(dev, deposit, duration)| Op::Open { dev, deposit, duration }),
		1 => (any::<u8>(), 0u32..20_000).prop_map(|(session, amount)| Op::TopUp { session, amount }),
		1 => any::<u8>().prop_map(|session| Op::Close { session }),
		5 => (any::<u8>(), 0u8..5, 1u8..4, 0u16..1_200, any::<bool>()).prop_map(
			|(session, slot, extra, tokens, by_delegate)| Op::Claim {
				session, slot, extra, tokens, by_delegate
			}
		),
		1 => (any::<u8>(), 0u8..5).prop_map(|(session, slot)| Op::Miss { session, slot }),
		4 => (any::<u16>(), 0u8..3).prop_map(|(pick, verdict)| Op::Attest { pick, verdict }),
		1 => (any::<u8>(), any::<u8>()).prop_map(|(session, by)| Op::Finalize { session, by }),
		3 => (1u8..8).prop_map(|n| Op::Blocks { n }),
	]
}

const DEVS: [AccountId; 6] = [100, 102, 104, 106, 108, 110];

fn live_session(i: u8) -> Option<SessionId> {
	let ids: Vec<SessionId> =
		Sessions::<Test>::iter_keys().collect::<BTreeSet<_>>().into_iter().collect();
	(!ids.is_empty()).then(|| ids[i as usize % ids.len()])
}

/// Apply `op`; returns the accounts allowed to see their free balance change.
fn apply(op: &Op) -> BTreeSet<AccountId> {
	let mut actors = BTreeSet::new();
	match *op {
		Op::Open { dev, deposit, duration } => {
			let who = DEVS[dev as usize];
			actors.insert(who);
			let _ = Inference::open_session(
				RuntimeOrigin::signed(who),
				0,
				deposit as u128,
				1_000,
				duration as u64,
				Some(who + 1),
			);
		},
		Op::TopUp { session, amount } => {
			if let Some(id) = live_session(session) {
				let owner = Sessions::<Test>::get(id).unwrap().owner;
				actors.insert(owner);
				let _ = Inference::top_up(RuntimeOrigin::signed(owner), id, amount as u128);
			}
		},
		Op::Close { session } => {
			if let Some(id) = live_session(session) {
				let owner = Sessions::<Test>::get(id).unwrap().owner;
				let _ = Inference::close(RuntimeOrigin::signed(owner), id);
			}
		},
		Op::Claim { session, slot, extra, tokens, by_delegate } => {
			if let Some(id) = live_session(session) {
				let s = Sessions::<Test>::get(id).unwrap();
				let seq = Lanes::<Test>::get(id, slot).map_or(0, |l| l.voucher.seq) + extra as u64;
				let mut v = voucher(id, slot, seq, 0);
				let prev = Lanes::<Test>::get(id, slot).map(|l| l.voucher);
				v.in_tokens = prev.as_ref().map_or(0, |p| p.in_tokens) + tokens as u64;
				v.out_tokens = prev.as_ref().map_or(0, |p| p.out_tokens) + tokens as u64 / 2;
				v.amount = gonka_primitives::market::quote(PRICE, v.in_tokens, v.out_tokens);
				let payer = if by_delegate { s.owner + 1 } else { s.owner };
				let executor = s.group.get(slot as usize).copied().unwrap_or(1);
				let _ = submit(claim_call_as(v, payer, executor));
			}
		},
		Op::Miss { session, slot } => {
			if let Some(id) = live_session(session) {
				let owner = Sessions::<Test>::get(id).unwrap().owner;
				let _ = Inference::report_miss(RuntimeOrigin::signed(owner), id, slot);
			}
		},
		Op::Attest { pick, verdict } => {
			let pending: Vec<_> = Assignments::<Test>::iter_keys().collect();
			if !pending.is_empty() {
				let (validator, (id, slot, leaf)) = pending[pick as usize % pending.len()];
				let verdict =
					[Verdict::Valid, Verdict::Invalid, Verdict::Withheld][verdict as usize];
				let _ = submit(attest_call(id, slot, leaf, validator, verdict));
			}
		},
		Op::Finalize { session, by } => {
			if let Some(id) = live_session(session) {
				let who = DEVS[by as usize % DEVS.len()];
				let _ = Inference::finalize(RuntimeOrigin::signed(who), id);
			}
		},
		Op::Blocks { n } => {
			let now = System::block_number();
			run_to(now + n as u64);
		},
	}
	actors
}

fn all_accounts() -> Vec<AccountId> {
	(1..=8).chain(100..=120).chain([POT]).collect()
}

proptest! {
	#![proptest_config(ProptestConfig {
		cases: std::env::var("GONKA_MARKET_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(32),
		..ProptestConfig::default()
	})]

	#[test]
	fn escrow_is_conserved_and_only_owners_and_settlements_move_free_balances(
		ops in proptest::collection::vec(op(), 1..80)
	) {
		ExtBuilder::build().execute_with(|| {
			set_weight(3, 400);
			for op in &ops {
				let before: BTreeMap<AccountId, u128> =
					all_accounts().into_iter().map(|a| (a, free(a))).collect();
				let settled_before = events()
					.iter()
					.filter(|e| matches!(e, Event::SessionSettled { .. }))
					.count();
				let owners: BTreeMap<SessionId, AccountId> =
					Sessions::<Test>::iter().map(|(id, s)| (id, s.owner)).collect();
				let mut allowed = apply(op);
				Inference::do_try_state().expect("escrow conserved");
				let settled: Vec<SessionId> = events()
					.iter()
					.filter_map(|e| match e {
						Event::SessionSettled { session, .. } => Some(*session),
						_ => None,
					})
					.skip(settled_before)
					.collect();
				if !settled.is_empty() {
					// A settlement pays hosts (executors, validators), slashes to the pot and
					// refunds owners.
					allowed.extend(1..=8);
					allowed.insert(POT);
					allowed.extend(settled.iter().map(|id| owners[id]));
				}
				for a in all_accounts() {
					if !allowed.contains(&a) {
						assert_eq!(free(a), before[&a], "account {a} moved by {op:?}");
					}
				}
			}
			// Run everything out: every session settles and every unit is back or paid.
			run_to(System::block_number() + 200);
			assert_eq!(SessionCount::<Test>::get(), 0);
			let t = Totals::<Test>::get();
			assert_eq!(t.deposited, t.paid + t.refunded);
			for d in DEVS {
				assert_eq!(
					<Balances as frame_support::traits::fungible::InspectHold<_>>::balance_on_hold(
						&RuntimeHoldReason::Inference(HoldReason::Escrow),
						&d
					),
					0u128
				);
			}
		});
	}
}
