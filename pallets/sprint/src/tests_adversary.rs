//! The sprint under attack: one test per attack of `docs/sprint-security.md`, each of which
//! passed (the attack worked) before the defence it names.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, pallet_prelude::InvalidTransaction};
use sp_core::{Pair as _, H256};
use sp_runtime::{DispatchError, Perbill};

fn custom(e: Error<Test>) -> SubmitError {
	let DispatchError::Module(m) = DispatchError::from(e) else { unreachable!() };
	SubmitError::Authorize(InvalidTransaction::Custom(m.error[0]).into())
}

fn bad_proof() -> SubmitError {
	SubmitError::Authorize(InvalidTransaction::BadProof.into())
}

/// Every validator in `validators` judges each target of its assignments as `judge` says.
fn vote(epoch: u32, validators: &[AccountId], judge: impl Fn(AccountId, u32) -> ValidationVerdict) {
	for v in validators {
		let verdicts: Vec<_> = Sprint::assignments(epoch, v)
			.into_iter()
			.map(|a| (a.target, judge(a.target, a.count)))
			.collect();
		for batch in verdicts.chunks(MaxVerdictsPerCall::get() as usize) {
			assert_ok!(submit(verdicts_call(*v, epoch, batch.to_vec())));
		}
	}
}

/// `hosts` commit `count` each in `epoch`'s sprint and the genesis validators 1, 2, 3 judge them
/// all valid (their weights activate at the next epoch switch).
fn prove(epoch: u32, hosts: &[AccountId], count: u32) {
	run_to_offset(epoch, 2);
	for h in hosts {
		assert_ok!(submit(commitment_call(*h, epoch, count)));
	}
	run_to_offset(epoch, 15);
	vote(epoch, &[1, 2, 3], |_, count| verdict(count, 0));
}

fn weight(epoch: u32, who: AccountId) -> u128 {
	<Sprint as ComputeWeights<_>>::weight_of(epoch, &who)
}

/// Restores the mock's tunables after a test that changed them.
struct Reset;
impl Drop for Reset {
	fn drop(&mut self) {
		MaxShare::set(Perbill::from_percent(100));
		NewHostNonces::set(1_000_000);
		MaxGrowthFactor::set(2);
		CollateralPerNonce::set(0);
		CommitteeSize::set(5);
		MaxSettlePerBlock::set(2);
	}
}

/// Attack 1: a self-declared `u32::MAX` count used to be accepted and capped at 25% of a total
/// that included itself. Now the count is bounded by the host's record and stake, and the cap is
/// measured against the other hosts.
#[test]
fn an_unbounded_claim_is_refused_and_cannot_raise_its_own_cap() {
	let _reset = Reset;
	MaxShare::set(Perbill::from_percent(25));
	NewHostNonces::set(1_000);
	CollateralPerNonce::set(2);
	ExtBuilder::default().build_and_execute(|| {
		run_to_offset(0, 2);
		// Host 4 holds the default collateral 1,000: 1,000 + 1,000 / 2 = 1,500 nonces at most.
		assert_eq!(Sprint::count_limit(&4), 1_500);
		assert_eq!(submit(commitment_call(4, 0, u32::MAX)), Err(custom(Error::CountAboveLimit)));
		assert_noop!(
			dispatch_authorized(commitment_call(4, 0, u32::MAX)),
			Error::<Test>::CountAboveLimit
		);
		assert_eq!(submit(commitment_call(4, 0, 1_501)), Err(custom(Error::CountAboveLimit)));
		assert_ok!(submit(commitment_call(4, 0, 1_500)));
		for h in [1, 2, 3] {
			assert_ok!(submit(commitment_call(h, 0, 100)));
		}
		run_to_offset(0, 15);
		// Even if its committee accepts it, the claim does not raise its own cap.
		vote(0, &[1, 2, 3], |_, count| verdict(count, 0));
		run_to_offset(1, 0);
		assert_eq!(weight(0, 4), 100, "25% of the final total: a third of the others' 300");
		let total = <Sprint as ComputeWeights<_>>::total_weight(0);
		assert!(weight(0, 4) * 4 <= total);

		// The record allowance grows with proven weight: MaxGrowthFactor x the active weight.
		assert_eq!(Sprint::count_limit(&4), 1_000 + 500);
		assert_eq!(Sprint::count_limit(&1), 1_000 + 500);
		NewHostNonces::set(10);
		assert_eq!(Sprint::count_limit(&1), 2 * 100 + 500);
		CollateralPerNonce::set(0);
		assert_eq!(Sprint::count_limit(&1), 200, "no stake route when the price is zero");
	});
}

/// Attack 1, the stake half: a rejected claim loses the collateral that backed it.
#[test]
fn a_rejected_claim_is_slashed_per_claimed_nonce() {
	let _reset = Reset;
	NewHostNonces::set(100);
	CollateralPerNonce::set(1);
	ExtBuilder::default().build_and_execute(|| {
		set_collateral(4, 10_000);
		run_to_offset(0, 2);
		assert_ok!(submit(commitment_call(4, 0, 9_000)));
		run_to_offset(0, 15);
		vote(0, &[1, 2, 3], |_, count| verdict(count, SAMPLES.min(count)));
		run_to_offset(1, 0);
		// RejectionSlash plus one unit per claimed nonce.
		assert_eq!(SLASHES.with(|s| s.borrow().clone()), vec![(4, REJECTION_SLASH + 9_000)]);
		assert_eq!(<MockRegistry as HostRegistry<_, _>>::collateral(&4), 10_000 - 9_050);
	});
}

/// Attack 2: a target that dominates the validator set used to draw itself, be skipped and
/// end with an empty committee that accepted it unchecked. Committees now exclude the target
/// and are drawn without replacement, so they are never empty while another validator exists.
#[test]
fn a_dominant_target_still_faces_every_other_validator() {
	ExtBuilder::default().validators(vec![]).build_and_execute(|| {
		// A validator set {1: 1000, 2: 10, 3: 10} under key 7.
		let mut end = 0;
		for (i, (who, w)) in [(1u64, 1000u128), (2, 10), (3, 10)].into_iter().enumerate() {
			end += w;
			Sprint::append_validator(7, i as u32, who, w, end);
		}
		for s in 0..500u32 {
			let info = EpochInfo {
				seed: H256(sp_io::hashing::blake2_256(&s.to_le_bytes())),
				params: None,
				validator_set: 7,
			};
			let mut c = Sprint::committee(&info, &1);
			c.sort();
			assert_eq!(c, vec![2, 3], "the dominant host is judged by all the others");
			let c = Sprint::committee(&info, &2);
			assert_eq!(c.len(), 2);
			assert!(c.contains(&1) && c.contains(&3) && !c.contains(&2));
			assert_eq!(Sprint::committee(&info, &9).len(), 3, "an outsider faces all three");
		}
	});
}

/// Attack 2, with draws of a heavy member: committee members are distinct and the committee
/// is `min(CommitteeSize, validators other than the target)` long for every seed.
#[test]
fn committees_are_full_distinct_and_weighted() {
	ExtBuilder::default().validators(vec![]).build_and_execute(|| {
		// Ten validators, weight of validator i is i^2 (so draws hit the heavy ones often).
		let mut end = 0;
		for i in 1..=10u64 {
			end += (i * i) as u128;
			Sprint::append_validator(7, (i - 1) as u32, i, (i * i) as u128, end);
		}
		let mut seats = [0u32; 11];
		for s in 0..2_000u32 {
			let info = EpochInfo {
				seed: H256(sp_io::hashing::blake2_256(&s.to_le_bytes())),
				params: None,
				validator_set: 7,
			};
			for target in [10u64, 99] {
				let c = Sprint::committee(&info, &target);
				assert_eq!(c.len(), 5);
				let mut d = c.clone();
				d.sort();
				d.dedup();
				assert_eq!(d.len(), 5, "distinct members");
				assert!(!c.contains(&target));
				if target == 99 {
					for v in c {
						seats[v as usize] += 1;
					}
				}
			}
		}
		// Heavier validators sit more often: 10 (weight 100) far more than 1 (weight 1).
		assert!(seats[10] > 4 * seats[1], "{seats:?}");
		assert!(seats[10] > seats[5] && seats[5] > seats[1], "{seats:?}");
	});
}

/// Attack 3: a validator that vouches for a host the majority found invalid, or that rejects
/// an accepted host, used to lose nothing. It now loses `ContradictionPenalty` of its weight
/// per such verdict.
#[test]
fn validators_who_contradict_the_outcome_lose_weight() {
	ExtBuilder::default().validators(vec![1, 2, 3]).build_and_execute(|| {
		run_to_offset(0, 2);
		for (h, c) in [(1, 1000), (2, 1000), (3, 1000), (4, 500), (5, 500)] {
			assert_ok!(submit(commitment_call(h, 0, c)));
		}
		run_to_offset(0, 15);
		// Everyone judges truthfully (4's leaves are junk) ...
		vote(0, &[1, 2, 3], |target, count| match target {
			4 => verdict(count, count),
			_ => verdict(count, 0),
		});
		// ... except 3, which vouches for 4 and calls the honest 5 invalid.
		Verdicts::<Test>::insert((0, 4u64, 3u64), verdict(500, 0));
		Verdicts::<Test>::insert((0, 5u64, 3u64), verdict(500, 500));
		run_to_offset(1, 0);
		assert_eq!(weight(0, 4), 0);
		assert_eq!(weight(0, 5), 500);
		assert_eq!(Contradicted::<Test>::get(0, 3), 2);
		assert_eq!(Contradicted::<Test>::get(0, 1), 0);
		// 10% per contradicting verdict.
		assert_eq!(weight(0, 3), 800);
		assert_eq!(weight(0, 1), 1000);
		assert!(sprint_events().contains(&Event::ValidatorPenalised {
			epoch: 0,
			validator: 3,
			missed: 0,
			contradicted: 2,
			lost: 200
		}));
	});
}

/// Attack 5: an earlier signed commitment used to be replayable after a later one (reverting
/// the record to a root the worker no longer serves), and signatures carried no chain identity.
#[test]
fn commitments_cannot_be_replayed_reordered_shrunk_or_moved_to_another_chain() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_offset(0, 3);
		let first = commitment_call(4, 0, 10);
		assert_ok!(submit(first.clone()));
		assert_ok!(submit(commitment_call(4, 0, 12)));
		// The first commitment again: its index 0 is stale.
		assert_eq!(submit(first.clone()), Err(custom(Error::StaleSubmission)));
		assert_noop!(dispatch_authorized(first), Error::<Test>::StaleSubmission);
		assert_eq!(Commitments::<Test>::get(0, 4).unwrap().count, 12);
		// An index from the future is refused too.
		assert_eq!(submit(commitment_call_as(5, 5, 0, 10, 1)), Err(custom(Error::StaleSubmission)));
		// Counts never decrease within an epoch.
		assert_ok!(submit(commitment_call(5, 0, 10)));
		assert_eq!(submit(commitment_call(5, 0, 9)), Err(custom(Error::CountDecreased)));
		// A signature made for another chain (another genesis hash) does not verify here.
		let commitment = SprintCommitment { epoch: 0, count: 7, merkle_root: H256::repeat_byte(6) };
		let payload = gonka_primitives::sprint::commitment_payload(&[0xee; 32], &commitment, 0, &6);
		let call = Call::<Test>::submit_commitment {
			commitment,
			submission: 0,
			host: 6,
			signature: pair(6).sign(&payload),
		};
		assert_eq!(submit(call), Err(bad_proof()));
		run_to_offset(0, 15);
		let foreign = verdicts_call_as(1, 1, 0, vec![(4, verdict(12, 0))], [0xee; 32]);
		assert_eq!(submit(foreign), Err(bad_proof()));
	});
}

/// Attack 6: a worker key rotated between the commitment and the validation used to make
/// validators recompute with the new key (and reject an honest host). The key that signed the
/// commitment is kept with it and handed to validators.
#[test]
fn validators_recompute_with_the_key_that_signed_the_commitment() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_offset(0, 3);
		assert_ok!(submit(commitment_call(4, 0, 10)));
		let signing = pair(4).public();
		rotate_key(4, 40);
		run_to_offset(0, 15);
		assert_eq!(CommitmentKeys::<Test>::get(0, 4), Some(signing.clone()));
		let info = Epochs::<Test>::get(0).unwrap();
		let judge = Sprint::committee(&info, &4)[0];
		let a = Sprint::assignments(0, &judge).into_iter().find(|a| a.target == 4).unwrap();
		assert_eq!(a.worker_key, Some(signing));
		assert_ne!(a.worker_key, Some(pair(40).public()));
	});
}

/// Attack 9: verdict authorisation used to run every committee draw before checking the
/// signature; a forged signature is now refused first (a bad proof, not a committee error).
#[test]
fn forged_fee_less_calls_are_refused_before_any_committee_work() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_offset(0, 3);
		assert_ok!(submit(commitment_call(4, 0, 10)));
		run_to_offset(0, 15);
		let genesis = Sprint::genesis_hash();
		// Validator 1 may not even sit in 4's committee; the forged signature is what fails.
		let forged = verdicts_call_as(2, 1, 0, vec![(4, verdict(10, 0))], genesis);
		assert_eq!(submit(forged), Err(bad_proof()));
		// A target that never committed: still the signature that is judged first.
		let forged = verdicts_call_as(2, 1, 0, vec![(77, verdict(10, 0))], genesis);
		assert_eq!(submit(forged), Err(bad_proof()));
	});
}

/// Attack 11: `MaxShare = 0` used to cap every host at zero, leaving the epoch without weight
/// and governance without voters for ever. The pallet applies at least `MIN_MAX_SHARE`, and
/// validator penalties at most `MAX_VALIDATOR_PENALTY` per target.
#[test]
fn parameters_cannot_zero_the_chain() {
	let _reset = Reset;
	MaxShare::set(Perbill::zero());
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Sprint::max_share(), MIN_MAX_SHARE);
		run_to_offset(0, 2);
		for h in [1, 2, 3, 4] {
			assert_ok!(submit(commitment_call(h, 0, 990)));
		}
		run_to_offset(0, 15);
		vote(0, &[1, 2, 3], |_, count| verdict(count, 0));
		run_to_offset(1, 0);
		// Each capped at 1% against the others' 2,970: 2970 / 99 = 30.
		assert_eq!(weight(0, 1), 30);
		assert_eq!(<Sprint as ComputeWeights<_>>::total_weight(0), 120);
		assert_eq!(ValidatorSource::<Test>::get(), 0, "the epoch validates the next one");
	});
	assert!(Pallet::<Test>::silence_penalty() <= MAX_VALIDATOR_PENALTY);
}

/// Attack 4: sybils committing at the sprint's first block used to take every participant slot
/// (first come, first served) and shut the proven hosts out with `TooManyParticipants`. Hosts
/// with weight in the active epoch now have reserved slots; newcomers share the rest.
#[test]
fn sybils_cannot_crowd_out_proven_hosts() {
	ExtBuilder::default().build_and_execute(|| {
		// Epoch 0: hosts 1, 2 and 3 prove weight.
		prove(0, &[1, 2, 3], 100);
		run_to_offset(1, 2);
		assert_eq!(WeightedCount::<Test>::get(0), 3);
		let max = <Test as Config>::MaxParticipants::get();
		assert_eq!(Sprint::newcomer_slots(), max - 3);
		// Epoch 1: sybils fill every newcomer slot at the sprint's first block.
		for s in 0..max - 3 {
			let sybil = 1_000 + s as AccountId;
			register(sybil);
			assert_ok!(submit(commitment_call(sybil, 1, 10_000)));
		}
		assert_eq!(NewcomerCount::<Test>::get(1), max - 3);
		// An honest newcomer has to wait for the next epoch ...
		assert_eq!(submit(commitment_call(4, 1, 50)), Err(custom(Error::NoNewcomerSlot)));
		// ... but every proven host still commits.
		for h in [1, 2, 3] {
			assert_ok!(submit(commitment_call(h, 1, 100)));
		}
		assert_eq!(ParticipantCount::<Test>::get(1), max);
	});
}

/// `P(Binomial(m, q) > m / 2)`: the chance that a coalition holding a share `q` of the
/// validating weight seats a majority of an `m`-member committee, drawing seats independently
/// (drawing without replacement, as the chain does, only lowers it).
fn capture_probability(m: u32, q: f64) -> f64 {
	let mut p = 0.0;
	for k in (m / 2 + 1)..=m {
		let mut c = 1.0;
		for i in 0..k {
			c = c * (m - i) as f64 / (i + 1) as f64;
		}
		p += c * q.powi(k as i32) * (1.0 - q).powi((m - k) as i32);
	}
	p
}

/// Attacks 1-4 together over many epochs: 20 honest hosts, a coalition of 6 validators with
/// ~30% of the validating weight, and 10 fresh zero-collateral sybils every epoch claiming as much junk as an honest host
/// that the coalition vouches for and the honest validators reject. Checks, each epoch: honest
/// hosts are all accepted; no sybil weight exceeds the share cap; and over the run the number
/// of accepted sybils stays within the committee-capture bound of `docs/sprint-security.md`
/// computed from the coalition's actual share of each epoch's validator set.
#[test]
fn a_randomised_attack_over_many_epochs_stays_within_the_bounds() {
	let _reset = Reset;
	MaxSettlePerBlock::set(64);
	MaxShare::set(Perbill::from_percent(25));
	const EPOCHS: u32 = 30;
	let honest: Vec<AccountId> = (1..=20).collect();
	let coalition: Vec<AccountId> = (21..=26).collect();
	ExtBuilder::default().validators((1..=26).collect()).build_and_execute(|| {
		for h in 9..=26 {
			register(h);
		}
		let mut sybil_next: AccountId = 10_000;
		let mut bad: alloc::collections::BTreeSet<AccountId> = coalition.iter().copied().collect();
		let (mut expected, mut accepted, mut trials) = (0.0f64, 0u32, 0u32);
		let mut last_q = 0.0f64;
		for e in 0..EPOCHS {
			run_to_offset(e, 2);
			let info = Epochs::<Test>::get(e).unwrap();
			// The coalition's share of this epoch's validating weight (sybils accepted earlier
			// validate with it).
			let set = info.validator_set;
			let ends = ValidatorSetEnds::<Test>::get(set);
			let total = *ends.last().unwrap();
			let mut ours = 0u128;
			let mut prev = 0u128;
			for c in 0..ends.len() as u32 {
				for (v, end) in ValidatorChunks::<Test>::get(set, c) {
					if bad.contains(&v) {
						ours += end - prev;
					}
					prev = end;
				}
			}
			let q = ours as f64 / total as f64;
			last_q = q;
			for h in &honest {
				assert_ok!(submit(commitment_call(*h, e, 100)));
			}
			for c in &coalition {
				assert_ok!(submit(commitment_call(*c, e, 143)));
			}
			let sybils: Vec<AccountId> = (0..10).map(|i| sybil_next + i).collect();
			sybil_next += 10;
			for s in &sybils {
				register(*s);
				assert_ok!(submit(commitment_call(*s, e, 100)));
				bad.insert(*s);
			}
			let m = Sprint::committee(&info, &sybils[0]).len() as u32;
			expected += sybils.len() as f64 * capture_probability(m, q);
			trials += sybils.len() as u32;
			run_to_offset(e, 15);
			let validators: Vec<AccountId> =
				(1..=26).chain(10_000..sybil_next).filter(|v| is_active(*v)).collect();
			let is_bad = |v: AccountId| v > 20;
			for v in validators {
				let verdicts: Vec<_> = Sprint::assignments(e, &v)
					.into_iter()
					.map(|a| {
						let junk = a.target >= 10_000;
						let says_valid = !junk || is_bad(v);
						(
							a.target,
							if says_valid {
								verdict(a.count, 0)
							} else {
								verdict(a.count, a.count)
							},
						)
					})
					.collect();
				for batch in verdicts.chunks(MaxVerdictsPerCall::get() as usize) {
					assert_ok!(submit(verdicts_call(v, e, batch.to_vec())));
				}
			}
			run_to_offset(e + 1, 0);
			assert_eq!(<Sprint as ComputeWeights<_>>::active_epoch(), Some(e));
			let total_w = <Sprint as ComputeWeights<_>>::total_weight(e);
			for h in &honest {
				assert!(weight(e, *h) > 0, "honest host {h} rejected in epoch {e}");
			}
			for s in &sybils {
				let w = weight(e, *s);
				if w > 0 {
					accepted += 1;
					assert!(w * 4 <= total_w + 4, "sybil above the share cap");
				}
			}
			Sprint::do_try_state().expect("invariants hold every epoch");
		}
		let rate = accepted as f64 / trials as f64;
		println!(
			"{EPOCHS} epochs: {accepted} of {trials} sybils accepted ({rate:.3}); expected at most \
			 {expected:.1} from each epoch's coalition share (last q = {last_q:.3})"
		);
		assert!(
			(accepted as f64) <= expected * 1.25 + 5.0,
			"{accepted} of {trials} sybils accepted ({rate:.3}), bound {expected:.1}"
		);
		// The coalition does capture some committees: the bound is not vacuous.
		assert!(accepted > 0 && expected > 1.0, "{accepted} accepted, {expected:.1} expected");
	});
}

/// Whether `who` is an active host of the mock registry.
fn is_active(who: AccountId) -> bool {
	<MockRegistry as HostRegistry<_, _>>::is_active(&who)
}

/// Issue 17's frozen validators: the hosts that validate (1, 2, 3) go silent; honest host 4
/// commits. Epoch 1: its committee is silent, it is rejected, the epoch has no weight. Epoch 2
/// is a cross-validation epoch: 4 is the only participant (the lone survivor) and gets weight;
/// epoch 3 is validated by epoch 2's weighted host again. Emission sees positive totals again.
#[test]
fn the_chain_recovers_when_its_validators_vanish() {
	ExtBuilder::default().build_and_execute(|| {
		// Epoch 0: 1, 2, 3 prove weight.
		prove(0, &[1, 2, 3], 100);
		// Epoch 1: they are gone; 4 commits and faces their silent committee.
		run_to_offset(1, 2);
		assert_eq!(Epochs::<Test>::get(1).unwrap().validator_set, 0);
		assert_ok!(submit(commitment_call(4, 1, 50)));
		run_to_offset(2, 2);
		assert_eq!(<Sprint as ComputeWeights<_>>::total_weight(1), 0);
		// Epoch 2: cross-validation.
		assert_eq!(Epochs::<Test>::get(2).unwrap().validator_set, FALLBACK_SET);
		assert!(sprint_events().contains(&Event::CrossValidation { epoch: 2 }));
		assert_ok!(submit(commitment_call(4, 2, 50)));
		run_to_offset(3, 2);
		assert_eq!(weight(2, 4), 50, "the lone survivor is accepted");
		assert_eq!(FINALIZED.with(|f| f.borrow().last().copied()), Some((2, 50)));
		// Epoch 3 is normal again, validated by epoch 2's weighted host.
		assert_eq!(Epochs::<Test>::get(3).unwrap().validator_set, 2);
		assert!(!sprint_events().contains(&Event::CrossValidation { epoch: 3 }));
	});
}

/// In a cross-validation epoch the participants judge each other: honest hosts accept each
/// other, a cheater among them faces honest committee members only and is rejected (and
/// slashed); a quiet epoch (no participants) does not trigger the rule.
#[test]
fn a_cheater_joining_a_cross_validation_epoch_is_still_rejected() {
	ExtBuilder::default().validators(vec![9]).build_and_execute(|| {
		register(9);
		// Epoch 0: 4 and 5 commit; the only genesis validator, 9, is silent: nobody accepted.
		run_to_offset(0, 2);
		for h in [4, 5] {
			assert_ok!(submit(commitment_call(h, 0, 100)));
		}
		run_to_offset(1, 2);
		assert_eq!(<Sprint as ComputeWeights<_>>::total_weight(0), 0);
		assert_eq!(Epochs::<Test>::get(1).unwrap().validator_set, FALLBACK_SET);
		// Epoch 1: honest 4, 5, 6 and cheater 7.
		for h in [4, 5, 6, 7] {
			assert_ok!(submit(commitment_call(h, 1, 100)));
		}
		run_to_offset(1, 15);
		let info = Epochs::<Test>::get(1).unwrap();
		let c = Sprint::committee_of(1, &info, &7);
		let mut sorted = c.clone();
		sorted.sort();
		assert_eq!(sorted, vec![4, 5, 6], "the cheater faces every other participant");
		vote(1, &[4, 5, 6, 7], |target, count| match target {
			7 => verdict(count, count),
			_ => verdict(count, 0),
		});
		run_to_offset(2, 0);
		for h in [4, 5, 6] {
			assert_eq!(weight(1, h), 100, "honest host {h}");
		}
		assert_eq!(weight(1, 7), 0);
		assert!(SLASHES.with(|s| s.borrow().iter().any(|(h, _)| *h == 7)));
		// Epoch 2 is validated by epoch 1's hosts; a later quiet epoch changes nothing.
		run_to_offset(2, 2);
		assert_eq!(Epochs::<Test>::get(2).unwrap().validator_set, 1);
		run_to_offset(4, 2);
		assert_eq!(<Sprint as ComputeWeights<_>>::total_weight(3), 0);
		assert_eq!(
			Epochs::<Test>::get(4).unwrap().validator_set,
			1,
			"no participants, no fallback"
		);
	});
}

/// The capture that the churn simulation found (issue 17): a coalition that became the whole
/// validating set while the honest hosts were away rejects them when they return, and without
/// a further rule holds the set for ever. Epoch 0: honest 1-5 and colluders 6, 7 prove weight.
/// Epoch 1: only 6 and 7 commit (the others skip a sprint), so epoch 1's set is {6, 7}. Epoch 2:
/// 1-5 return; their committees are {6, 7}, which say "invalid": they are rejected. Their
/// proven weight (epoch 0, within `ProvenLookback`) is most of the epoch's, so epoch 2 is
/// contested and epoch 3 cross-validated, where the returning majority outvotes the coalition.
#[test]
fn a_captured_validator_set_is_contested_and_the_honest_hosts_recover() {
	ExtBuilder::default().build_and_execute(|| {
		let honest: [AccountId; 5] = [1, 2, 3, 4, 5];
		let coalition = [6, 7];
		for h in [4, 5, 6, 7] {
			register(h);
		}
		prove(0, &[1, 2, 3, 4, 5, 6, 7], 100);
		// Epoch 1: the coalition alone commits; the honest validators still judge it valid.
		run_to_offset(1, 2);
		for h in coalition {
			assert_ok!(submit(commitment_call(h, 1, 100)));
		}
		run_to_offset(1, 15);
		vote(1, &[1, 2, 3, 4, 5, 6, 7], |_, count| verdict(count, 0));
		// Epoch 2: everybody commits; the coalition judges everyone outside it invalid.
		run_to_offset(2, 2);
		assert_eq!(Epochs::<Test>::get(2).unwrap().validator_set, 1);
		for h in [1, 2, 3, 4, 5, 6, 7] {
			assert_ok!(submit(commitment_call(h, 2, 100)));
		}
		run_to_offset(2, 15);
		let collude = |target: AccountId, count: u32| {
			if coalition.contains(&target) {
				verdict(count, 0)
			} else {
				verdict(count, count)
			}
		};
		vote(2, &coalition, collude);
		run_to_offset(3, 0);
		for h in honest {
			assert_eq!(weight(2, h), 0, "host {h} rejected by the captured set");
		}
		assert!(weight(2, 6) > 0 && weight(2, 7) > 0);
		let (rejected, proven) = Contested::<Test>::get(2).expect("epoch 2 is contested");
		assert_eq!(rejected, 500);
		assert!(proven > rejected && rejected * 2 > proven);
		assert!(sprint_events().iter().any(|e| matches!(e, Event::Contested { epoch: 2, .. })));
		// Epoch 3: cross-validation among the participants; the coalition still lies.
		run_to_offset(3, 2);
		assert_eq!(Epochs::<Test>::get(3).unwrap().validator_set, FALLBACK_SET);
		for h in [1, 2, 3, 4, 5, 6, 7] {
			assert_ok!(submit(commitment_call(h, 3, 100)));
		}
		run_to_offset(3, 15);
		vote(3, &honest, |_, count| verdict(count, 0));
		vote(3, &coalition, collude);
		run_to_offset(4, 0);
		for h in honest {
			assert_eq!(weight(3, h), 100, "host {h} recovered");
		}
		assert!(Contested::<Test>::get(3).is_none());
		// Epoch 4 is validated by epoch 3's hosts, honest majority again.
		run_to_offset(4, 2);
		assert_eq!(Epochs::<Test>::get(4).unwrap().validator_set, 3);
	});
}

/// Rejections of hosts without recent weight (newcomers, sybils) never contest an epoch: the
/// rule weighs by proven weight only.
#[test]
fn rejected_newcomers_do_not_contest_an_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		for h in [4, 5, 6] {
			register(h);
		}
		run_to_offset(0, 2);
		for h in [4, 5, 6] {
			assert_ok!(submit(commitment_call(h, 0, 100)));
		}
		run_to_offset(0, 15);
		vote(0, &[1, 2, 3], |_, count| verdict(count, count));
		run_to_offset(1, 0);
		assert_eq!(<Sprint as ComputeWeights<_>>::total_weight(0), 0);
		assert!(Contested::<Test>::get(0).is_none());
		assert_eq!(Sprint::proven_weight(1, &4), 0);
	});
}
