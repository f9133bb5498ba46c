//! Unit tests of the emission pallet on the mock runtime. Every test built with `test(..)` ends
//! with `do_try_state` and the exact issuance identity (see `mock::check_invariants`). The
//! schedule's numerical tests (f64 reference, exhaustion) are in `schedule.rs`.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, Hooks},
};
use frame_system::RawOrigin;
use gonka_primitives::GNK;

/// `R0` with the default parameters.
const R0: Balance = 323_000 * GNK;

fn reward(epoch: EpochIndex) -> Balance {
	Emission::schedule().reward(epoch)
}

fn balance(who: AccountId) -> Balance {
	Balances::balance(&who)
}

fn claim(who: AccountId, epoch: EpochIndex) -> frame_support::dispatch::DispatchResult {
	Emission::claim(RawOrigin::Signed(who).into(), epoch)
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Emission(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Settle epochs `from..=to` with `host` at weight 1.
fn settle_range(from: EpochIndex, to: EpochIndex, host: AccountId) {
	for e in from..=to {
		settle(e, &[(host, 1)]);
	}
}

#[test]
fn genesis_mints_the_community_pool_allocation() {
	test(|| {
		assert_eq!(balance(POOL), 120_000_000 * GNK);
		assert_eq!(CommunityPoolGenesis::<Test>::get(), 120_000_000 * GNK);
		assert_eq!(Balances::total_issuance(), 2 * INITIAL + 120_000_000 * GNK);
		assert_eq!(TotalMinted::<Test>::get(), 0);
	});
	let json = serde_json::to_value(GenesisConfig::<Test>::default()).unwrap();
	assert_eq!(json, serde_json::json!({ "communityPoolAllocation": 120_000_000u128 * GNK }));
}

#[test]
fn integrity_and_window_clamp() {
	test(|| {
		<Emission as Hooks<u64>>::integrity_test();
		assert_eq!(Emission::claim_window(), WINDOW);
		ClaimWindow::set(100);
		assert_eq!(Emission::claim_window(), 7, "clamped to MaxOpenEpochs - 1");
		ClaimWindow::set(WINDOW);
	});
}

#[test]
fn settlement_commits_the_scheduled_reward_without_minting() {
	test(|| {
		let issuance = Balances::total_issuance();
		settle(0, &[(1, 10)]);
		let info = EpochRewards::<Test>::get(0).unwrap();
		assert_eq!(info, EpochReward { reward: R0, total_weight: 10, paid: 0, claimed_weight: 0 });
		assert_eq!(TotalCommitted::<Test>::get(), R0);
		assert_eq!(Balances::total_issuance(), issuance, "nothing minted until claimed");
		assert_eq!(LastSettled::<Test>::get(), Some(0));
		assert_eq!(OpenEpochs::<Test>::get().into_inner(), vec![0]);
		assert_eq!(events(), vec![Event::EpochOpened { epoch: 0, reward: R0, total_weight: 10 }]);
		settle(1, &[(1, 10)]);
		assert_eq!(EpochRewards::<Test>::get(1).unwrap().reward, reward(1));
		assert_eq!(TotalCommitted::<Test>::get(), R0 + reward(1));
	});
}

#[test]
fn proportional_payout_with_uneven_weights() {
	test(|| {
		settle(0, &[(1, 1), (2, 2), (3, 7)]);
		for who in [1, 2, 3] {
			assert_ok!(claim(who, 0));
		}
		assert_eq!(balance(1), R0 / 10);
		assert_eq!(balance(2), R0 / 5);
		assert_eq!(balance(3), R0 * 7 / 10);
		assert_eq!(TotalMinted::<Test>::get(), R0);
		let info = EpochRewards::<Test>::get(0).unwrap();
		assert_eq!((info.paid, info.claimed_weight), (R0, 10));
		assert!(events().contains(&Event::RewardClaimed {
			epoch: 0,
			host: 3,
			weight: 7,
			amount: R0 * 7 / 10
		}));

		// Epoch 1: 5 : 3, not a divisor of the reward.
		settle(1, &[(1, 5), (4, 3)]);
		assert_ok!(claim(1, 1));
		assert_ok!(claim(4, 1));
		let r1 = reward(1);
		assert_eq!(balance(1), R0 / 10 + r1 * 5 / 8);
		assert_eq!(balance(4), r1 * 3 / 8);
	});
}

#[test]
fn rounding_dust_goes_to_the_community_pool_when_the_epoch_closes() {
	test(|| {
		settle(0, &[(1, 1), (2, 1), (3, 1)]);
		for who in [1, 2, 3] {
			assert_ok!(claim(who, 0));
		}
		let share = R0 / 3;
		assert_eq!(balance(1), share);
		let dust = R0 - 3 * share;
		assert_eq!(dust, 2);
		// Still open: the dust is outstanding, not lost.
		assert_eq!(EpochRewards::<Test>::get(0).unwrap().remainder(), dust);
		// Settling epoch WINDOW + 1 closes epoch 0 (zero-weight epochs close too).
		for e in 1..=WINDOW {
			settle(e, &[]);
		}
		assert!(EpochRewards::<Test>::get(0).is_some());
		settle(WINDOW + 1, &[]);
		assert!(EpochRewards::<Test>::get(0).is_none());
		assert_eq!(balance(POOL), POOL_GENESIS + dust);
		assert_eq!(TotalMinted::<Test>::get(), R0, "epoch 0 minted exactly its reward");
		assert!(events().contains(&Event::EpochClosed {
			epoch: 0,
			to_community_pool: dust,
			unclaimed_weight: 0
		}));
	});
}

#[test]
fn a_zero_weight_epoch_mints_nothing_and_carries_nothing_over() {
	test(|| {
		settle(0, &[]);
		assert_eq!(
			events(),
			vec![Event::EpochSkipped { epoch: 0, scheduled: R0, reason: SkipReason::NoWeight }]
		);
		assert_eq!(TotalCommitted::<Test>::get(), 0);
		assert!(EpochRewards::<Test>::get(0).is_none());
		assert_noop!(claim(1, 0), Error::<Test>::NoRewardForEpoch);
		settle(1, &[(1, 5)]);
		assert_eq!(EpochRewards::<Test>::get(1).unwrap().reward, reward(1), "no carry-over");
		assert_ok!(claim(1, 1));
		assert_eq!(balance(1), reward(1));
		// Even after the window, the skipped epoch stays "no reward", never "expired".
		assert_eq!(TotalMinted::<Test>::get(), reward(1));
	});
}

#[test]
fn the_pallet_pays_by_the_capped_weights_it_is_told() {
	test(|| {
		// Raw nonces: host 1 has 90% of them; the sprint pallet capped it at 25% of the total
		// and reports the capped weights. Emission pays by what ComputeWeights reports.
		settle(0, &[(1, 4), (2, 3), (3, 3), (4, 3), (5, 3)]);
		assert_ok!(claim(1, 0));
		assert_eq!(balance(1), R0 / 4);
		assert_ok!(claim(2, 0));
		assert_eq!(balance(2), R0 * 3 / 16);
		// A later change in what ComputeWeights reports is what is paid (within the total).
		set_weight(0, 3, 1);
		assert_ok!(claim(3, 0));
		assert_eq!(balance(3), R0 / 16);
	});
}

#[test]
fn old_epochs_can_be_claimed_within_the_window() {
	test(|| {
		settle(0, &[(1, 1), (2, 3)]);
		settle_range(1, WINDOW, 1);
		assert_eq!(LastSettled::<Test>::get(), Some(WINDOW));
		assert_ok!(claim(2, 0));
		assert_eq!(balance(2), R0 * 3 / 4);
		// Host 1 claims in any order.
		for e in (0..=WINDOW).rev() {
			assert_ok!(claim(1, e));
		}
		let expected: Balance = R0 / 4 + (1..=WINDOW).map(reward).sum::<Balance>();
		assert_eq!(balance(1), expected);
		assert_eq!(Claimed::<Test>::get(1).into_inner(), (0..=WINDOW).collect::<Vec<_>>());
	});
}

#[test]
fn unclaimed_rewards_expire_to_the_community_pool() {
	test(|| {
		settle(0, &[(1, 1), (2, 2)]);
		assert_ok!(claim(1, 0));
		settle_range(1, WINDOW + 1, 1);
		let remainder = R0 - R0 / 3;
		assert_eq!(balance(POOL), POOL_GENESIS + remainder);
		assert!(events().contains(&Event::EpochClosed {
			epoch: 0,
			to_community_pool: remainder,
			unclaimed_weight: 2
		}));
		assert_noop!(claim(2, 0), Error::<Test>::ClaimExpired);
		assert_eq!(TotalMinted::<Test>::get(), R0);
		// Epoch 1 is still open for host 1.
		assert_ok!(claim(1, 1));
	});
}

#[test]
fn double_claims_are_rejected() {
	test(|| {
		settle(0, &[(1, 1), (2, 1)]);
		assert_ok!(claim(1, 0));
		assert_noop!(claim(1, 0), Error::<Test>::AlreadyClaimed);
		assert_noop!(
			Emission::claim_for(RawOrigin::Signed(100).into(), 1, 0),
			Error::<Test>::AlreadyClaimed
		);
		// Still rejected after later epochs prune the host's record of closed epochs.
		settle_range(1, WINDOW, 1);
		assert_ok!(claim(1, WINDOW));
		assert_noop!(claim(1, 0), Error::<Test>::AlreadyClaimed);
		assert_noop!(claim(1, WINDOW), Error::<Test>::AlreadyClaimed);
		assert_eq!(balance(1), R0 / 2 + reward(WINDOW));
	});
}

#[test]
fn claims_for_epochs_that_are_not_final_are_rejected() {
	test(|| {
		set_weight(0, 1, 10);
		assert_noop!(claim(1, 0), Error::<Test>::EpochNotFinal);
		settle(0, &[(1, 10)]);
		set_weight(1, 1, 10);
		assert_noop!(claim(1, 1), Error::<Test>::EpochNotFinal);
		assert_noop!(claim(1, EpochIndex::MAX), Error::<Test>::EpochNotFinal);
		assert_ok!(claim(1, 0));
	});
}

#[test]
fn hosts_without_weight_cannot_claim() {
	test(|| {
		settle(0, &[(1, 10)]);
		assert_noop!(claim(9, 0), Error::<Test>::NoWeight);
		assert_noop!(
			Emission::claim(RawOrigin::None.into(), 0),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn claim_for_pays_the_host_not_the_caller() {
	test(|| {
		settle(0, &[(5, 1)]);
		assert_ok!(Emission::claim_for(RawOrigin::Signed(100).into(), 5, 0));
		assert_eq!(balance(5), R0, "a brand-new account is created by the mint");
		assert_eq!(balance(100), INITIAL);
	});
}

#[test]
fn out_of_order_settlements_are_ignored() {
	test(|| {
		settle(2, &[(1, 1)]);
		settle(1, &[(1, 1)]);
		settle(2, &[(1, 1)]);
		assert_eq!(TotalCommitted::<Test>::get(), reward(2));
		assert_eq!(LastSettled::<Test>::get(), Some(2));
		assert!(events().contains(&Event::SettlementIgnored { epoch: 1, last_settled: 2 }));
		assert_noop!(claim(1, 1), Error::<Test>::NoRewardForEpoch);
	});
}

#[test]
fn more_weight_than_settled_is_refused() {
	test(|| {
		settle(0, &[(1, 10)]);
		set_weight(0, 2, 5);
		assert_ok!(claim(1, 0));
		assert_noop!(claim(2, 0), Error::<Test>::InconsistentWeights);
		assert_eq!(TotalMinted::<Test>::get(), R0);
	});
}

#[test]
fn the_allocation_is_never_exceeded() {
	test(|| {
		let allocation = 2 * R0 + R0 / 2;
		MiningAllocation::set(allocation);
		settle_range(0, 3, 1);
		let r: Vec<_> = (0..=3).map(|e| EpochRewards::<Test>::get(e).map(|i| i.reward)).collect();
		assert_eq!(r[0], Some(R0));
		assert_eq!(r[1], Some(reward(1)));
		assert_eq!(r[2], Some(allocation - R0 - reward(1)), "the last epoch takes what is left");
		assert_eq!(r[3], None);
		assert!(events().contains(&Event::EpochSkipped {
			epoch: 3,
			scheduled: 0,
			reason: SkipReason::AllocationExhausted
		}));
		for e in 0..=2 {
			assert_ok!(claim(1, e));
		}
		// Governance raising R0 afterwards does not mint beyond the allocation either.
		InitialReward::set(10 * R0);
		settle(4, &[(1, 1)]);
		assert_eq!(TotalCommitted::<Test>::get(), allocation);
		assert!(EpochRewards::<Test>::get(4).is_none());
		assert_eq!(TotalMinted::<Test>::get(), allocation);
		assert_eq!(balance(1), allocation);
		InitialReward::set(R0);
		MiningAllocation::set(defaults::MINING_ALLOCATION);
	});
}

#[test]
fn governance_changing_the_schedule_mid_stream_stays_within_the_allocation() {
	test(|| {
		settle(0, &[(1, 1)]);
		// A steeper decay later: committed rewards are fixed at settlement.
		DecayRate::set(sp_arithmetic::Perquintill::from_percent(50));
		settle(1, &[(1, 1)]);
		assert_eq!(EpochRewards::<Test>::get(0).unwrap().reward, R0);
		assert!(EpochRewards::<Test>::get(1).unwrap().reward < R0 * 61 / 100);
		DecayRate::set(defaults::DECAY_RATE);
	});
}

#[test]
fn claim_records_stay_bounded() {
	test(|| {
		for e in 0..40 {
			settle(e, &[(1, 1), (2, 1)]);
			assert_ok!(claim(1, e));
			assert!(Claimed::<Test>::get(1).len() as u32 <= WINDOW + 1);
			assert!(OpenEpochs::<Test>::get().len() as u32 <= WINDOW + 1);
			check_invariants();
		}
		// Host 2 never claimed: every closed epoch's half went to the pool.
		let closed: Balance = (0..40 - WINDOW - 1).map(|e| reward(e) - reward(e) / 2).sum();
		assert_eq!(balance(POOL), POOL_GENESIS + closed);
	});
}

#[test]
fn a_thousand_hosts_claim_in_o1_each() {
	test(|| {
		let hosts: Vec<_> = (1..=1_000u64).map(|h| (h, h as u128 * 7 + 3)).collect();
		let total = settle(0, &hosts);
		for (h, _) in &hosts {
			assert_ok!(claim(*h, 0));
		}
		let paid = EpochRewards::<Test>::get(0).unwrap().paid;
		assert!(paid <= R0 && R0 - paid < 1_000, "dust below one unit per host");
		for (h, w) in hosts.iter().take(5) {
			assert_eq!(balance(*h), R0 * w / total);
		}
		settle_range(1, WINDOW + 1, 1);
		// Epoch 0 minted exactly its reward: claims plus dust to the pool.
		assert_eq!(balance(POOL), POOL_GENESIS + (R0 - paid));
	});
}

#[test]
fn runtime_api_helpers() {
	test(|| {
		assert_eq!(Emission::api_claimable(1, 0), 0);
		assert_eq!(Emission::api_reward_per_weight(0), None);
		settle(0, &[(1, 1), (2, 3)]);
		settle(1, &[(1, 2), (2, 2)]);
		assert_eq!(Emission::api_claimable(1, 0), R0 / 4);
		assert_eq!(Emission::api_claimable(9, 0), 0);
		assert_eq!(Emission::api_claimable_epochs(1), vec![(0, R0 / 4), (1, reward(1) / 2)]);
		assert_ok!(claim(1, 0));
		assert_eq!(Emission::api_claimable(1, 0), 0);
		assert_eq!(Emission::api_claimable_epochs(1), vec![(1, reward(1) / 2)]);
		assert_eq!(
			Emission::api_reward_per_weight(0),
			Some(sp_runtime::FixedU128::from_rational(R0, 4))
		);
		let totals = Emission::api_totals();
		assert_eq!(totals.committed, R0 + reward(1));
		assert_eq!(totals.minted, R0 / 4);
		assert_eq!(totals.mining_allocation, defaults::MINING_ALLOCATION);
		assert_eq!(totals.community_pool_genesis, POOL_GENESIS);
		assert_eq!(totals.last_settled, Some(1));
		assert_eq!(totals.open_epochs, vec![0, 1]);
		assert_eq!(Emission::schedule().reward(0), R0);
	});
}

#[test]
fn weights_grow_with_closed_epochs() {
	use crate::weights::WeightInfo;
	assert!(<() as WeightInfo>::on_weights_finalized(8)
		.all_gt(<() as WeightInfo>::on_weights_finalized(0)));
	new_test_ext().execute_with(|| {
		assert_eq!(Emission::settlement_weight(), <() as WeightInfo>::on_weights_finalized(8));
	});
}
