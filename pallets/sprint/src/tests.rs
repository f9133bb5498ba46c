//! Unit tests: clock, parameters, seed, commitments, verdicts and the critical value.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	pallet_prelude::{InvalidTransaction, TransactionSource},
	traits::Authorize,
};
use sp_core::{Pair as _, H256};
use sp_runtime::{DispatchError, Perbill};

fn custom(e: Error<Test>) -> SubmitError {
	let DispatchError::Module(m) = DispatchError::from(e) else { unreachable!() };
	SubmitError::Authorize(InvalidTransaction::Custom(m.error[0]).into())
}

#[test]
fn clock_phases_follow_the_default_clock() {
	ExtBuilder::default().build_and_execute(|| {
		let p = |n| clock::position::<Test>(n);
		assert_eq!((p(0).epoch, p(0).phase, p(0).blocks_left), (0, Phase::Waiting, 2));
		assert_eq!((p(2).phase, p(2).blocks_left), (Phase::Sprint, 10));
		assert_eq!((p(11).phase, p(11).blocks_left), (Phase::Sprint, 1));
		assert_eq!((p(12).phase, p(12).blocks_left), (Phase::CommitGrace, 3));
		assert_eq!((p(15).phase, p(15).blocks_left), (Phase::Validation, 15));
		assert_eq!((p(29).phase, p(29).blocks_left), (Phase::Validation, 1));
		assert_eq!((p(30).phase, p(30).blocks_left), (Phase::Settlement, 10));
		assert_eq!((p(39).phase, p(39).blocks_left), (Phase::Settlement, 1));
		assert_eq!((p(40).epoch, p(40).offset, p(40).phase), (1, 0, Phase::Waiting));
		assert_eq!((p(83).epoch, p(83).offset, p(83).phase), (2, 3, Phase::Sprint));
	});
}

#[test]
fn genesis_clock_replaces_the_default() {
	let short = EpochClock {
		epoch_length: 20,
		sprint_start: 1,
		sprint_length: 5,
		commit_grace: 2,
		validation_window: 6,
	};
	ExtBuilder::default().clock(short).build_and_execute(|| {
		assert_eq!(Clock::<Test>::get(), short);
		let p = clock::position::<Test>(21);
		assert_eq!((p.epoch, p.offset, p.phase, p.blocks_left), (1, 1, Phase::Sprint, 5));
		// The sprint of epoch 1 starts at block 21 with the short clock, not at 42.
		run_to(21);
		assert!(Epochs::<Test>::contains_key(1));
	});
}

#[test]
#[should_panic(expected = "the genesis epoch clock cannot run")]
fn genesis_refuses_a_clock_without_settlement() {
	let full = EpochClock {
		epoch_length: 10,
		sprint_start: 1,
		sprint_length: 5,
		commit_grace: 2,
		validation_window: 2,
	};
	ExtBuilder::default().clock(full).build();
}

#[test]
fn genesis_stores_params_and_bootstrap_validators_in_chunks() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Params::<Test>::get(), Some(tiny_params().into()));
		// ChunkSize 2: [1, 2] and [3], cumulative weights 1, 2, 3.
		assert_eq!(ValidatorSetEnds::<Test>::get(GENESIS_SET).into_inner(), vec![2, 3]);
		assert_eq!(ValidatorChunks::<Test>::get(GENESIS_SET, 0).into_inner(), vec![(1, 1), (2, 2)]);
		assert_eq!(ValidatorChunks::<Test>::get(GENESIS_SET, 1).into_inner(), vec![(3, 3)]);
		assert_eq!(ValidatorSource::<Test>::get(), GENESIS_SET);
	});
}

#[test]
fn params_are_set_by_root_and_validated() {
	ExtBuilder::default().without_params().build_and_execute(|| {
		let mut params: PowParams = tiny_params().into();
		params.heads = 3;
		assert_noop!(
			Sprint::set_pow_params(RuntimeOrigin::root(), params),
			Error::<Test>::InvalidPowParams
		);
		assert_noop!(
			Sprint::set_pow_params(RuntimeOrigin::signed(1), tiny_params().into()),
			DispatchError::BadOrigin
		);
		assert_ok!(Sprint::set_pow_params(RuntimeOrigin::root(), tiny_params().into()));
		assert_eq!(Params::<Test>::get(), Some(tiny_params().into()));
	});
}

#[test]
fn sprint_start_fixes_a_domain_separated_seed_once_per_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_offset(0, 1);
		assert!(Epochs::<Test>::get(0).is_none());
		assert_eq!(Sprint::epoch_status().seed, None);
		run_to_offset(0, 2);
		let info = Epochs::<Test>::get(0).expect("sprint started");
		assert_eq!(info.params, Some(tiny_params().into()));
		assert_eq!(info.validator_set, GENESIS_SET);
		// seed = blake2_256(SEED_TAG || epoch || SCALE(randomness(SEED_TAG || epoch)))
		let mut subject = SEED_TAG.to_vec();
		subject.extend_from_slice(&0u32.to_le_bytes());
		let (r, _) = <TestRandomness as frame_support::traits::Randomness<_, _>>::random(&subject);
		let mut pre = subject;
		pre.extend_from_slice(r.as_bytes());
		assert_eq!(info.seed, H256(sp_io::hashing::blake2_256(&pre)));
		assert!(sprint_events().contains(&Event::SprintStarted { epoch: 0, seed: info.seed }));
		let status = Sprint::epoch_status();
		assert_eq!(
			(status.epoch, status.phase, status.blocks_left, status.seed),
			(0, Phase::Sprint, 10, Some(info.seed))
		);
		run_to_offset(1, 2);
		let next = Epochs::<Test>::get(1).unwrap();
		assert_ne!(next.seed, info.seed);
		assert_eq!(Epochs::<Test>::get(0).unwrap().seed, info.seed, "seed never changes");
	});
}

#[test]
fn commitments_are_accepted_only_in_the_commit_window() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_offset(0, 1);
		assert_eq!(submit(commitment_call(4, 0, 10)), Err(custom(Error::OutsideCommitWindow)));
		assert_noop!(
			dispatch_authorized(commitment_call(4, 0, 10)),
			Error::<Test>::OutsideCommitWindow
		);
		run_to_offset(0, 2);
		assert_eq!(submit(commitment_call(4, 1, 10)), Err(custom(Error::OutsideCommitWindow)));
		assert_ok!(submit(commitment_call(4, 0, 10)));
		run_to_offset(0, 14); // last block of the grace
		assert_ok!(submit(commitment_call(5, 0, 10)));
		run_to_offset(0, 15);
		assert_eq!(submit(commitment_call(6, 0, 10)), Err(custom(Error::OutsideCommitWindow)));
		assert_noop!(
			dispatch_authorized(commitment_call(6, 0, 10)),
			Error::<Test>::OutsideCommitWindow
		);
		assert_eq!(ParticipantCount::<Test>::get(0), 2);
	});
}

#[test]
fn commitment_needs_an_active_host_its_worker_signature_and_a_count() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_offset(0, 3);
		assert_eq!(submit(commitment_call(4, 0, 0)), Err(custom(Error::ZeroCount)));
		// An unknown host has no key to check a signature with: refused before any other work.
		assert_eq!(submit(commitment_call(99, 0, 5)), Err(custom(Error::NoWorkerKey)));
		assert_noop!(dispatch_authorized(commitment_call(99, 0, 5)), Error::<Test>::NotActiveHost);
		HOSTS.with(|h| h.borrow_mut().get_mut(&5).unwrap().active = false);
		assert_eq!(submit(commitment_call(5, 0, 5)), Err(custom(Error::NotActiveHost)));
		// Signed by another host's worker key.
		let Call::submit_commitment { commitment, .. } = commitment_call(4, 0, 5) else {
			unreachable!()
		};
		let forged = pair(6).sign(&gonka_primitives::sprint::commitment_payload(
			&Sprint::genesis_hash(),
			&commitment,
			0,
			&4u64,
		));
		let call = Call::<Test>::submit_commitment {
			commitment,
			submission: 0,
			host: 4,
			signature: forged,
		};
		assert_eq!(submit(call), Err(SubmitError::Authorize(InvalidTransaction::BadProof.into())));
		// A signature for host 4 replayed for host 6.
		let Call::submit_commitment { commitment, signature, .. } = commitment_call(4, 0, 5) else {
			unreachable!()
		};
		let call =
			Call::<Test>::submit_commitment { commitment, submission: 0, host: 6, signature };
		assert_eq!(submit(call), Err(SubmitError::Authorize(InvalidTransaction::BadProof.into())));
		assert_eq!(ParticipantCount::<Test>::get(0), 0);
	});
}

#[test]
fn commitments_per_host_are_bounded_and_the_last_counts() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_offset(0, 3);
		assert_ok!(submit(commitment_call(4, 0, 10)));
		assert_ok!(submit(commitment_call(4, 0, 12)));
		assert_eq!(submit(commitment_call(4, 0, 13)), Err(custom(Error::TooManyCommitments)));
		let r = Commitments::<Test>::get(0, 4).unwrap();
		assert_eq!((r.count, r.submissions), (12, 2));
		assert_eq!(ParticipantCount::<Test>::get(0), 1);
		assert!(sprint_events().contains(&Event::CommitmentAccepted {
			epoch: 0,
			host: 4,
			count: 12,
			merkle_root: H256::repeat_byte(4)
		}));
	});
}

#[test]
fn commitment_validity_is_fee_less_prioritised_and_one_per_host_in_the_pool() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_offset(0, 10);
		let (v, refund) =
			commitment_call(4, 0, 10).authorize(TransactionSource::External).unwrap().unwrap();
		assert_eq!(v.priority, UnsignedPriority::get(), "a priority the sender does not choose");
		assert_eq!(v.longevity, 5, "blocks left in the commit window");
		assert!(v.propagate);
		assert_eq!(refund, frame_support::weights::Weight::zero());
		// Two commitments of the same host and submission number conflict in the pool at the same
		// priority: the pending one cannot be replaced by raising the count (attack 9).
		let (w, _) =
			commitment_call(4, 0, 11).authorize(TransactionSource::External).unwrap().unwrap();
		assert_eq!(v.provides, w.provides);
		assert_eq!(w.priority, v.priority);
		let (x, _) =
			commitment_call(5, 0, 10).authorize(TransactionSource::External).unwrap().unwrap();
		assert_ne!(v.provides, x.provides);
	});
}

/// A host with no account at all (no balance, no nonce, no providers) commits through the real
/// `AuthorizeCall` transaction extension with no signer: the extension turns the `None` origin
/// into `Authorized`.
#[test]
fn a_zero_balance_host_commits_through_authorize_call() {
	use frame_support::dispatch::GetDispatchInfo;
	use sp_runtime::traits::{Dispatchable, TransactionExtension, TxBaseImplication};
	ExtBuilder::default().build_and_execute(|| {
		run_to_offset(0, 3);
		assert_eq!(System::account(8).providers, 0);
		let call = RuntimeCall::Sprint(commitment_call(8, 0, 7));
		let info = call.get_dispatch_info();
		let ext = frame_system::AuthorizeCall::<Test>::new();
		let (validity, _, origin) = ext
			.validate(
				RuntimeOrigin::none(),
				&call,
				&info,
				100,
				(),
				&TxBaseImplication(()),
				TransactionSource::External,
			)
			.expect("authorised");
		assert_eq!(validity.priority, UnsignedPriority::get());
		assert_ok!(call.dispatch(origin));
		assert_eq!(Commitments::<Test>::get(0, 8).unwrap().count, 7);
		// Without the authorisation the call is refused.
		let call = RuntimeCall::Sprint(commitment_call(8, 0, 9));
		assert!(call.clone().dispatch(RuntimeOrigin::none()).is_err());
		assert!(call.dispatch(RuntimeOrigin::signed(8)).is_err());
	});
}

/// Commit for hosts 1..=6 and move to the validation window.
fn committed_epoch_zero() {
	run_to_offset(0, 3);
	for h in 1..=6 {
		assert_ok!(submit(commitment_call(h, 0, 100 * h as u32)));
	}
	run_to_offset(0, 15);
}

/// A committee member of `target` in epoch 0, and a genesis validator outside its committee
/// other than `target` itself (if any).
fn seated(target: AccountId) -> (Option<AccountId>, Option<AccountId>) {
	let info = Epochs::<Test>::get(0).unwrap();
	let committee = Sprint::committee(&info, &target);
	let with = committee.first().copied();
	let without = ValidatorChunks::<Test>::iter_prefix(GENESIS_SET)
		.flat_map(|(_, chunk)| chunk.into_inner())
		.map(|(v, _)| v)
		.find(|v| *v != target && !committee.contains(v));
	(with, without)
}

#[test]
fn verdicts_are_checked_against_window_committee_and_sample_size() {
	ExtBuilder::default().build_and_execute(|| {
		committed_epoch_zero();
		let target = 4;
		let (Some(v), _) = seated(target) else { panic!("4 has a committee") };
		let count = 400;
		assert_eq!(submit(verdicts_call(v, 0, vec![])), Err(custom(Error::NoVerdicts)));
		assert_eq!(
			submit(verdicts_call(
				v,
				0,
				vec![(target, verdict(count, 0)), (target, verdict(count, 0))]
			)),
			Err(custom(Error::DuplicateTarget))
		);
		assert_eq!(
			submit(verdicts_call(v, 0, vec![(7, verdict(count, 0))])),
			Err(custom(Error::TargetNotCommitted))
		);
		let short =
			ValidationVerdict { samples_checked: 399, mismatches: 0, proofs_not_served: false };
		assert_eq!(
			submit(verdicts_call(v, 0, vec![(target, short)])),
			Err(custom(Error::WrongSampleCount))
		);
		let over =
			ValidationVerdict { samples_checked: 400, mismatches: 401, proofs_not_served: false };
		assert_eq!(
			submit(verdicts_call(v, 0, vec![(target, over)])),
			Err(custom(Error::TooManyMismatches))
		);
		// Bad signature: signed by another key.
		let verdicts = vec![(target, verdict(count, 0))];
		let call = verdicts_call_as(7, v, 0, verdicts.clone(), Sprint::genesis_hash());
		assert_eq!(submit(call), Err(SubmitError::Authorize(InvalidTransaction::BadProof.into())));
		assert_eq!(
			submit(verdicts_call(v, 1, verdicts.clone())),
			Err(custom(Error::OutsideValidationWindow))
		);
		assert_ok!(submit(verdicts_call(v, 0, verdicts.clone())));
		assert_eq!(Verdicts::<Test>::get((0, target, v)), Some(verdict(count, 0)));
		assert!(sprint_events().contains(&Event::VerdictRecorded {
			epoch: 0,
			validator: v,
			target,
			valid: true
		}));
		assert_eq!(
			submit(verdicts_call(v, 0, verdicts)),
			Err(custom(Error::VerdictAlreadyRecorded))
		);
		// Proofs not served: the other fields do not matter.
		let (Some(v6), _) = seated(6) else { panic!() };
		assert_ok!(submit(verdicts_call(v6, 0, vec![(6, not_served())])));
	});
}

#[test]
fn verdicts_need_a_seat_and_the_window() {
	ExtBuilder::default().validators((1..=8).collect()).build_and_execute(|| {
		committed_epoch_zero();
		// A host never judges itself.
		assert_eq!(
			submit(verdicts_call(4, 0, vec![(4, verdict(400, 0))])),
			Err(custom(Error::NotInCommittee))
		);
		// 5 members out of 7 other validators: someone is left out.
		let (target, outsider) = (1..=6)
			.find_map(|t| seated(t).1.map(|o| (t, o)))
			.expect("some committee misses a validator");
		let count = 100 * target as u32;
		assert_eq!(
			submit(verdicts_call(outsider, 0, vec![(target, verdict(count, 0))])),
			Err(custom(Error::NotInCommittee))
		);
		assert_noop!(
			dispatch_authorized(verdicts_call(outsider, 0, vec![(target, verdict(count, 0))])),
			Error::<Test>::NotInCommittee
		);
		let (Some(v), _) = seated(target) else { panic!() };
		run_to_offset(0, 30);
		assert_eq!(
			submit(verdicts_call(v, 0, vec![(target, verdict(count, 0))])),
			Err(custom(Error::OutsideValidationWindow))
		);
		assert_noop!(
			dispatch_authorized(verdicts_call(v, 0, vec![(target, verdict(count, 0))])),
			Error::<Test>::OutsideValidationWindow
		);
	});
}

#[test]
fn committees_exclude_the_target_and_follow_the_seed() {
	ExtBuilder::default().build_and_execute(|| {
		committed_epoch_zero();
		let info = Epochs::<Test>::get(0).unwrap();
		for t in 1..=6u64 {
			let c = Sprint::committee(&info, &t);
			assert!(c.iter().all(|v| *v != t && [1, 2, 3].contains(v)));
			let mut distinct = c.clone();
			distinct.sort();
			distinct.dedup();
			assert_eq!(distinct.len(), c.len(), "members are distinct");
			// 5 members wanted, but only 3 validators (2 for a validator's own committee).
			assert_eq!(c.len(), if t > 3 { 3 } else { 2 });
			// The runtime API agrees with the committee.
			for v in &c {
				let a = Sprint::assignments(0, v);
				let entry = a.iter().find(|x| x.target == t).expect("assigned");
				assert_eq!(entry.count, 100 * t as u32);
				assert_eq!(entry.indices.len() as u32, SAMPLES.min(100 * t as u32));
				assert_eq!(entry.indices, Sprint::sample_indices_of(0, v, &t));
			}
		}
		// With many validators of unequal weight, the committee has CommitteeSize members.
		// Another seed draws other committees.
		let mut other = info;
		other.seed = H256::repeat_byte(0xee);
		assert!((1..=30u64).any(|t| Sprint::committee(&info, &t) != Sprint::committee(&other, &t)));
		// A weighted set of 20 validators, one with 40% of the weight: committees of distinct
		// members, the heavy validator in nearly all of them but with one vote of five.
		let mut end = 0u128;
		for i in 0..20u64 {
			end += if i == 0 { 38 } else { 3 };
			Sprint::append_validator(7, i as u32, 100 + i, 0, end);
		}
		let weighted = EpochInfo { seed: info.seed, params: None, validator_set: 7 };
		let (mut heavy, mut full) = (0, 0);
		for t in 1000..1100u64 {
			let c = Sprint::committee(&weighted, &t);
			assert!(c.len() >= 3 && c.len() <= 5);
			heavy += c.contains(&100) as u32;
			full += (c.len() == 5) as u32;
		}
		assert!(full >= 80, "{full} full committees");
		assert!(heavy >= 95, "{heavy}");
	});
}

#[test]
fn critical_value_matches_exact_binomial_tails() {
	let honest = Perbill::from_percent(2);
	let alpha = Perbill::from_parts(1_000_000);
	// Exact f64 reference.
	let reference = |n: u32| -> u32 {
		let p = 0.02f64;
		let mut pmf = (1.0 - p).powi(n as i32);
		let mut cdf = pmf;
		let mut c = 0;
		while c < n && 1.0 - cdf > 1e-3 {
			pmf *= (n - c) as f64 / (c + 1) as f64 * p / (1.0 - p);
			c += 1;
			cdf += pmf;
		}
		c
	};
	for n in (0..=1000).step_by(7).chain([1, 2, 50, 999, 1000]) {
		assert_eq!(critical::critical_value(n, honest, alpha), reference(n), "n = {n}");
	}
	assert_eq!(critical::critical_value(1000, honest, alpha), 35);
	assert_eq!(critical::critical_value(0, honest, alpha), 0);
	assert_eq!(critical::critical_value(10, Perbill::zero(), alpha), 0);
	assert_eq!(critical::critical_value(10, Perbill::one(), alpha), 10);
}

#[test]
fn the_test_accepts_at_the_critical_value_and_rejects_above() {
	ExtBuilder::default().build_and_execute(|| {
		let v = |m| ValidationVerdict {
			samples_checked: 1000,
			mismatches: m,
			proofs_not_served: false,
		};
		assert!(Sprint::verdict_valid(&v(0)));
		assert!(Sprint::verdict_valid(&v(35)));
		assert!(!Sprint::verdict_valid(&v(36)));
		assert!(!Sprint::verdict_valid(&ValidationVerdict { proofs_not_served: true, ..v(0) }));
		// Small trees: c(10) = 2 at 2% and 1e-3 (P(X > 1) = 1.6e-2, P(X > 2) = 8.6e-4).
		let s =
			|m| ValidationVerdict { samples_checked: 10, mismatches: m, proofs_not_served: false };
		assert!(Sprint::verdict_valid(&s(2)));
		assert!(!Sprint::verdict_valid(&s(3)));
	});
}
