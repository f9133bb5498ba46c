//! Tests of collateral (holds, unbonding, slashing), genesis and the read APIs.

use crate::{
	mock::*,
	tests::{hw, last_event, register},
	Error, Event, *,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use gonka_primitives::hosts::HostRegistry;
use sp_core::Pair as _;
use sp_runtime::TokenError;

type Registry = GonkaHosts;

fn held(who: AccountId) -> u128 {
	Balances::balance_on_hold(&HoldReason::Collateral.into(), &who)
}

fn deposit(who: AccountId, amount: u128) -> sp_runtime::DispatchResult {
	GonkaHosts::deposit_collateral(RuntimeOrigin::signed(who), amount)
}

fn withdraw(who: AccountId, amount: u128) -> sp_runtime::DispatchResult {
	GonkaHosts::withdraw_collateral(RuntimeOrigin::signed(who), amount)
}

#[test]
fn deposit_collateral_works() {
	test(|| {
		assert_ok!(register(1, 1, &[0]));
		assert_ok!(deposit(1, 60));
		assert!(!<Registry as HostRegistry<_, _>>::is_active(&1), "below MinCollateral");
		assert_ok!(deposit(1, 40));
		assert_eq!(last_event(), Event::CollateralDeposited { host: 1, amount: 40 });
		assert_eq!(held(1), 100);
		assert_eq!(Hosts::<Test>::get(1).unwrap().collateral, 100);
		assert_eq!(Balances::free_balance(1), INITIAL - DEPOSIT - 100);
		assert!(<Registry as HostRegistry<_, _>>::is_active(&1));
		assert_eq!(<Registry as HostRegistry<_, _>>::collateral(&1), 100);
	});
}

#[test]
fn deposit_collateral_rejects_bad_input() {
	test(|| {
		assert_noop!(deposit(1, 10), Error::<Test>::NotRegistered);
		assert_ok!(register(1, 1, &[0]));
		assert_noop!(deposit(1, 0), Error::<Test>::ZeroAmount);
		// More than the free balance (the deposit is already held).
		assert_noop!(deposit(1, INITIAL), TokenError::FundsUnavailable);
	});
}

#[test]
fn withdraw_starts_unbonding_and_release_waits_for_the_delay() {
	test(|| {
		assert_ok!(register(1, 1, &[0]));
		assert_ok!(deposit(1, 500));
		assert_ok!(withdraw(1, 200));
		assert_eq!(
			last_event(),
			Event::CollateralUnbonding { host: 1, amount: 200, unlock_at: 1 + UNBONDING }
		);
		let info = Hosts::<Test>::get(1).unwrap();
		assert_eq!((info.collateral, info.unbonding), (300, 200));
		// Still on hold, still counted as slashable.
		assert_eq!(held(1), 500);
		assert_eq!(<Registry as HostRegistry<_, _>>::collateral(&1), 500);

		System::set_block_number(UNBONDING);
		assert_noop!(
			GonkaHosts::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingUnlocked
		);
		System::set_block_number(1 + UNBONDING);
		assert_ok!(GonkaHosts::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(last_event(), Event::CollateralWithdrawn { host: 1, amount: 200 });
		assert_eq!(held(1), 300);
		assert_eq!(Hosts::<Test>::get(1).unwrap().unbonding, 0);
		assert!(Unbonding::<Test>::get(1).is_none());
		assert_eq!(Balances::free_balance(1), INITIAL - DEPOSIT - 300);
	});
}

#[test]
fn withdraw_more_than_held_fails() {
	test(|| {
		assert_noop!(withdraw(1, 1), Error::<Test>::NotRegistered);
		assert_ok!(register(1, 1, &[0]));
		assert_noop!(withdraw(1, 1), Error::<Test>::InsufficientCollateral);
		assert_ok!(deposit(1, 100));
		assert_noop!(withdraw(1, 0), Error::<Test>::ZeroAmount);
		assert_noop!(withdraw(1, 101), Error::<Test>::InsufficientCollateral);
		assert_ok!(withdraw(1, 60));
		// Unbonding collateral cannot be withdrawn twice.
		assert_noop!(withdraw(1, 41), Error::<Test>::InsufficientCollateral);
	});
}

#[test]
fn unbonding_chunks_are_merged_per_block_and_bounded() {
	test(|| {
		assert_ok!(register(1, 1, &[0]));
		assert_ok!(deposit(1, 1_000));
		assert_ok!(withdraw(1, 10));
		assert_ok!(withdraw(1, 10));
		assert_eq!(Unbonding::<Test>::get(1).unwrap().len(), 1, "same block, same chunk");
		System::set_block_number(2);
		assert_ok!(withdraw(1, 10));
		System::set_block_number(3);
		assert_ok!(withdraw(1, 10));
		System::set_block_number(4);
		// MaxUnbondingChunks is 3.
		assert_noop!(withdraw(1, 10), Error::<Test>::TooManyUnbondingChunks);
		// Releasing the first chunk makes room again.
		System::set_block_number(1 + UNBONDING);
		assert_ok!(GonkaHosts::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(last_event(), Event::CollateralWithdrawn { host: 1, amount: 20 });
		assert_eq!(Unbonding::<Test>::get(1).unwrap().len(), 2);
		assert_ok!(withdraw(1, 10));
	});
}

#[test]
fn withdraw_unbonded_without_chunks_fails() {
	test(|| {
		assert_noop!(
			GonkaHosts::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NotRegistered
		);
		assert_ok!(register(1, 1, &[0]));
		assert_noop!(
			GonkaHosts::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingUnlocked
		);
	});
}

#[test]
fn slash_takes_active_collateral_first_and_pays_the_pot() {
	test(|| {
		assert_ok!(register(1, 1, &[0]));
		assert_ok!(deposit(1, 500));
		let slashed =
			<Registry as HostRegistry<_, _>>::slash(&1, 120, SlashReason::InvalidInference);
		assert_eq!(slashed, 120);
		assert_eq!(
			last_event(),
			Event::Slashed { host: 1, amount: 120, reason: SlashReason::InvalidInference }
		);
		assert_eq!(held(1), 380);
		assert_eq!(Hosts::<Test>::get(1).unwrap().collateral, 380);
		assert_eq!(Balances::free_balance(POT), 1 + 120);
		// The deposit is never slashed.
		assert_eq!(Balances::balance_on_hold(&HoldReason::HostDeposit.into(), &1), DEPOSIT);
	});
}

#[test]
fn slash_reaches_unbonding_chunks_newest_first() {
	test(|| {
		assert_ok!(register(1, 1, &[0]));
		assert_ok!(deposit(1, 600));
		assert_ok!(withdraw(1, 100)); // chunk A, unlocks at 11
		System::set_block_number(2);
		assert_ok!(withdraw(1, 200)); // chunk B, unlocks at 12
								// Active 300, unbonding 300. Slash 450: 300 active, then 150 from B.
		let slashed =
			<Registry as HostRegistry<_, _>>::slash(&1, 450, SlashReason::InvalidSprintProof);
		assert_eq!(slashed, 450);
		let info = Hosts::<Test>::get(1).unwrap();
		assert_eq!((info.collateral, info.unbonding), (0, 150));
		let chunks = Unbonding::<Test>::get(1).unwrap();
		assert_eq!(
			chunks.iter().map(|c| (c.amount, c.unlock_at)).collect::<Vec<_>>(),
			vec![(100, 1 + UNBONDING), (50, 2 + UNBONDING)]
		);
		// Slash the rest, and more: only what is held is taken.
		let slashed = <Registry as HostRegistry<_, _>>::slash(&1, 1_000, SlashReason::Governance);
		assert_eq!(slashed, 150);
		assert!(Unbonding::<Test>::get(1).is_none());
		assert_eq!(held(1), 0);
		assert_eq!(Balances::free_balance(POT), 1 + 600);
		// Now the host can leave.
		assert_ok!(GonkaHosts::deregister(RuntimeOrigin::signed(1)));
	});
}

#[test]
fn slash_of_nothing_is_a_noop() {
	test(|| {
		assert_eq!(<Registry as HostRegistry<_, _>>::slash(&1, 10, SlashReason::Unavailable), 0);
		assert_ok!(register(1, 1, &[0]));
		System::reset_events();
		assert_eq!(<Registry as HostRegistry<_, _>>::slash(&1, 10, SlashReason::Unavailable), 0);
		assert_ok!(deposit(1, 100));
		assert_eq!(<Registry as HostRegistry<_, _>>::slash(&1, 0, SlashReason::Unavailable), 0);
		assert!(!System::events()
			.iter()
			.any(|r| matches!(r.event, RuntimeEvent::GonkaHosts(Event::Slashed { .. }))));
	});
}

#[test]
fn slash_below_min_collateral_deactivates() {
	test(|| {
		assert_ok!(register(1, 1, &[0]));
		assert_ok!(deposit(1, 100));
		assert!(<Registry as HostRegistry<_, _>>::is_active(&1));
		<Registry as HostRegistry<_, _>>::slash(&1, 1, SlashReason::FaultyValidation);
		assert!(!<Registry as HostRegistry<_, _>>::is_active(&1));
	});
}

// ---------------------------------------------------------------------------------------------
// Genesis
// ---------------------------------------------------------------------------------------------

fn genesis_host(account: AccountId, seed: u64, collateral: u128) -> GenesisHost<AccountId, u128> {
	GenesisHost {
		account,
		worker_key: worker(seed).public(),
		endpoint: "http://10.0.0.1:8080".into(),
		models: vec![1, 0],
		hardware: GenesisHardware { gpu_model: "H100".into(), gpu_count: 8, gpu_memory_gib: 80 },
		collateral,
	}
}

#[test]
fn genesis_builds_catalogue_and_hosts() {
	ExtBuilder::default()
		.with_host(genesis_host(1, 1, 500))
		.with_host(genesis_host(2, 2, 0))
		.build_and_execute(|| {
			assert_eq!(NextModelId::<Test>::get(), 3);
			assert_eq!(Models::<Test>::iter().count(), 3);
			assert_eq!(HostCount::<Test>::get(), 2);
			let info = Hosts::<Test>::get(1).unwrap();
			assert_eq!(info.models.to_vec(), vec![0, 1]);
			assert_eq!(info.collateral, 500);
			assert_eq!(info.deposit, 0, "genesis hosts pay no deposit");
			assert_eq!(info.hardware, hw());
			assert_eq!(held(1), 500);
			assert!(<Registry as HostRegistry<_, _>>::is_active(&1));
			assert!(!<Registry as HostRegistry<_, _>>::is_active(&2));
			assert_eq!(
				<Registry as HostRegistry<_, _>>::host_of_worker(&worker(2).public()),
				Some(2)
			);
			// A genesis host can leave like any other, getting nothing back it did not pay.
			assert_ok!(GonkaHosts::deregister(RuntimeOrigin::signed(2)));
			assert_eq!(Balances::free_balance(2), INITIAL);
		});
}

#[test]
#[should_panic(expected = "invalid genesis host")]
fn genesis_rejects_unknown_model() {
	let mut host = genesis_host(1, 1, 0);
	host.models = vec![42];
	ExtBuilder::default().with_host(host).build();
}

#[test]
#[should_panic(expected = "invalid genesis host")]
fn genesis_rejects_shared_worker_key() {
	ExtBuilder::default().with_host(genesis_host(1, 1, 0)).with_host(genesis_host(2, 1, 0)).build();
}

#[test]
#[should_panic(expected = "invalid genesis host")]
fn genesis_rejects_bad_endpoint() {
	let mut host = genesis_host(1, 1, 0);
	host.endpoint = "10.0.0.1:8080".into();
	ExtBuilder::default().with_host(host).build();
}

#[test]
#[should_panic(expected = "genesis host cannot hold its collateral")]
fn genesis_rejects_unaffordable_collateral() {
	ExtBuilder::default().with_host(genesis_host(1, 1, INITIAL * 2)).build();
}

#[test]
fn genesis_config_round_trips_through_json() {
	let config = crate::GenesisConfig::<Test> {
		models: genesis_models(),
		hosts: vec![genesis_host(1, 1, 5)],
	};
	let json = serde_json::to_string(&config).unwrap();
	assert!(json.contains("\"workerKey\""), "{json}");
	assert!(json.contains("\"pricePer1kTokens\""), "{json}");
	let back: crate::GenesisConfig<Test> = serde_json::from_str(&json).unwrap();
	assert_eq!(back.hosts, config.hosts);
	assert_eq!(back.models, config.models);
}

// ---------------------------------------------------------------------------------------------
// Read APIs
// ---------------------------------------------------------------------------------------------

#[test]
fn runtime_api_helpers_page_hosts_and_list_the_catalogue() {
	test(|| {
		for who in 1..=5 {
			assert_ok!(register(who, who, &[0]));
		}
		assert_ok!(deposit(3, 100));
		let mut seen = Vec::new();
		let mut cursor = None;
		loop {
			let page = GonkaHosts::api_hosts(cursor, 2);
			assert!(page.len() <= 2);
			let Some(last) = page.last() else { break };
			cursor = Some(last.account);
			seen.extend(page.into_iter().map(|v| v.account));
		}
		seen.sort();
		assert_eq!(seen, vec![1, 2, 3, 4, 5]);

		let view = GonkaHosts::api_host(3).unwrap();
		assert_eq!(view.account, 3);
		assert!(view.active);
		assert_eq!(view.collateral, 100);
		assert_eq!(view.endpoint, b"https://worker.example.com:8443/v1".to_vec());
		assert_eq!(view.worker_key, worker(3).public());
		assert!(GonkaHosts::api_host(9).is_none());

		let catalogue = GonkaHosts::api_catalogue();
		assert_eq!(catalogue.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![0, 1, 2]);
		assert_eq!(GonkaHosts::api_hosts_serving(0, None, 10).len(), 5);
	});
}

#[test]
fn host_view_shows_the_key_in_force() {
	test(|| {
		assert_ok!(register(1, 1, &[0]));
		let pair = worker(11);
		assert_ok!(GonkaHosts::rotate_worker_key(
			RuntimeOrigin::signed(1),
			pair.public(),
			pop(&pair, 1)
		));
		let view = GonkaHosts::api_host(1).unwrap();
		assert_eq!(view.worker_key, worker(1).public());
		assert_eq!(view.pending_key.unwrap().key, pair.public());
		System::set_block_number(1 + ROTATION);
		let view = GonkaHosts::api_host(1).unwrap();
		assert_eq!(view.worker_key, pair.public());
		assert!(view.pending_key.is_none());
	});
}

#[test]
fn endpoint_and_worker_key_of_unknown_hosts_are_none() {
	test(|| {
		assert!(<Registry as HostRegistry<_, _>>::endpoint(&1).is_none());
		assert!(<Registry as HostRegistry<_, _>>::worker_key(&1).is_none());
		assert_eq!(<Registry as HostRegistry<_, _>>::collateral(&1), 0);
		assert_ok!(register(1, 1, &[0]));
		assert_eq!(
			<Registry as HostRegistry<_, _>>::endpoint(&1),
			Some(endpoint("https://worker.example.com:8443/v1"))
		);
	});
}

#[test]
fn integrity_test_passes() {
	use frame_support::traits::Hooks;
	new_test_ext().execute_with(|| {
		<GonkaHosts as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn every_storage_item_is_bounded() {
	use frame_support::traits::StorageInfoTrait;
	for info in <GonkaHosts as StorageInfoTrait>::storage_info() {
		assert!(
			info.max_size.is_some(),
			"{} has no max size",
			String::from_utf8_lossy(&info.storage_name)
		);
	}
}

#[test]
fn registry_holds_ten_thousand_hosts_and_pages_them() {
	const N: u64 = 10_000;
	MaxHosts::set(N as u32);
	let mut builder = ExtBuilder::default();
	for who in 1..=N {
		let mut raw = [0u8; 32];
		raw[..8].copy_from_slice(&who.to_le_bytes());
		builder = builder.with_host(GenesisHost {
			account: 100_000 + who,
			worker_key: sp_core::sr25519::Public::from_raw(raw).into(),
			endpoint: "http://10.0.0.1:8080".into(),
			models: vec![(who % 3) as ModelId],
			hardware: Default::default(),
			collateral: 0,
		});
	}
	builder.build_and_execute(|| {
		assert_eq!(HostCount::<Test>::get(), N as u32);
		let mut total = 0;
		for model in 0..3 {
			let mut cursor = None;
			loop {
				let page = <Registry as HostRegistry<_, _>>::hosts_serving(model, cursor, 1_000);
				let Some(last) = page.last() else { break };
				cursor = Some(*last);
				total += page.len();
			}
		}
		assert_eq!(total, N as usize);
		// A new host beyond the bound is refused.
		assert_noop!(register(1, 1, &[0]), Error::<Test>::TooManyHosts);
	});
	MaxHosts::set(100);
}

// ---------------------------------------------------------------------------------------------
// try_state catches corruption
// ---------------------------------------------------------------------------------------------

fn corrupted(corrupt: impl FnOnce()) {
	ExtBuilder::default().build().execute_with(|| {
		assert_ok!(register(1, 1, &[0]));
		assert_ok!(deposit(1, 100));
		assert_ok!(GonkaHosts::do_try_state());
		corrupt();
		assert!(GonkaHosts::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_a_wrong_host_count() {
	corrupted(|| HostCount::<Test>::put(2));
}

#[test]
fn try_state_detects_a_key_owned_by_two_hosts_or_none() {
	corrupted(|| WorkerKeyOwner::<Test>::insert(worker(9).public(), 1));
}

#[test]
fn try_state_detects_unrecorded_collateral() {
	corrupted(|| {
		use frame_support::traits::fungible::MutateHold;
		assert_ok!(Balances::hold(&HoldReason::Collateral.into(), &1, 5));
	});
}

#[test]
fn try_state_detects_a_stale_model_index() {
	corrupted(|| HostsByModel::<Test>::insert(2, 1, ()));
}

#[cfg(feature = "runtime-benchmarks")]
#[test]
fn benchmark_helper_makes_an_active_host() {
	test(|| {
		let key = GonkaHosts::benchmark_active_host(&42, 2);
		assert!(<Registry as HostRegistry<_, _>>::is_active(&42));
		assert_eq!(<Registry as HostRegistry<_, _>>::host_of_worker(&key), Some(42));
		assert_eq!(Hosts::<Test>::get(42).unwrap().models.len(), 2);
	});
}
