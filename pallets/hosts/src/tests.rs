//! Tests of registration, updates, worker keys and the catalogue. Collateral, slashing, genesis
//! and the read APIs are in `tests_collateral.rs`. Every test ends with the `try_state` check
//! (`build_and_execute` / `test`).

use crate::{mock::*, Error, Event, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use gonka_primitives::hosts::HostRegistry;
use sp_core::{Pair as _, H256};
use sp_runtime::{DispatchError, FixedU128, Perbill, TokenError};

pub(crate) fn hw() -> HardwareSpec {
	HardwareSpec {
		gpu_model: b"H100".to_vec().try_into().unwrap(),
		gpu_count: 8,
		gpu_memory_gib: 80,
	}
}

pub(crate) fn models(ids: &[ModelId]) -> ModelsOf<Test> {
	ids.to_vec().try_into().unwrap()
}

/// Register `who` with worker key `worker(seed)` serving `ids`.
pub(crate) fn register(who: AccountId, seed: u64, ids: &[ModelId]) -> sp_runtime::DispatchResult {
	let pair = worker(seed);
	GonkaHosts::register(
		RuntimeOrigin::signed(who),
		endpoint("https://worker.example.com:8443/v1"),
		pair.public(),
		pop(&pair, who),
		models(ids),
		hw(),
	)
}

pub(crate) fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| if let RuntimeEvent::GonkaHosts(e) = r.event { Some(e) } else { None })
		.expect("an event of the pallet")
}

fn terms(price: u128) -> ModelTermsUpdate<u128> {
	ModelTermsUpdate {
		validation_threshold: Perbill::from_percent(95),
		price_per_1k_tokens: price,
		pow_weight_scale: FixedU128::from_rational(3, 2),
	}
}

fn add_model(name: &str) -> sp_runtime::DispatchResult {
	GonkaHosts::add_model(
		RuntimeOrigin::root(),
		name.as_bytes().to_vec().try_into().unwrap(),
		H256::repeat_byte(7),
		b"qwen3:dim=5120".to_vec().try_into().unwrap(),
		terms(9),
		ModelPrecision::F32,
	)
}

fn deposit_held(who: AccountId) -> u128 {
	Balances::balance_on_hold(&HoldReason::HostDeposit.into(), &who)
}

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

#[test]
fn register_works() {
	test(|| {
		assert_ok!(register(1, 1, &[2, 0]));
		let info = Hosts::<Test>::get(1).unwrap();
		assert_eq!(info.worker_key, worker(1).public());
		assert_eq!(info.models.to_vec(), vec![0, 2], "models are stored sorted");
		assert_eq!(info.hardware, hw());
		assert_eq!(info.deposit, DEPOSIT);
		assert_eq!(info.registered_at, 1);
		assert_eq!(deposit_held(1), DEPOSIT);
		assert_eq!(Balances::free_balance(1), INITIAL - DEPOSIT);
		assert_eq!(HostCount::<Test>::get(), 1);
		assert_eq!(WorkerKeyOwner::<Test>::get(worker(1).public()), Some(1));
		assert!(HostsByModel::<Test>::contains_key(0, 1));
		assert!(HostsByModel::<Test>::contains_key(2, 1));
		assert!(!HostsByModel::<Test>::contains_key(1, 1));
		assert_eq!(
			last_event(),
			Event::HostRegistered { host: 1, worker_key: worker(1).public(), deposit: DEPOSIT }
		);
		// Registered but without collateral: not active (MinCollateral is 100 in the mock).
		assert!(!<GonkaHosts as HostRegistry<_, _>>::is_active(&1));
		assert_eq!(<GonkaHosts as HostRegistry<_, _>>::worker_key(&1), Some(worker(1).public()));
		assert_eq!(
			<GonkaHosts as HostRegistry<_, _>>::host_of_worker(&worker(1).public()),
			Some(1)
		);
	});
}

#[test]
fn register_without_models_is_allowed() {
	test(|| {
		assert_ok!(register(1, 1, &[]));
		assert!(Hosts::<Test>::get(1).unwrap().models.is_empty());
	});
}

#[test]
fn register_rejects_malformed_endpoint() {
	test(|| {
		for bad in [
			"",
			"worker.example.com:8080",
			"ftp://worker.example.com:21",
			"http://worker.example.com",
			"http://worker.example.com:99999",
			"http://user@worker.example.com:80",
			"http://worker example.com:80",
		] {
			let pair = worker(1);
			assert_noop!(
				GonkaHosts::register(
					RuntimeOrigin::signed(1),
					endpoint(bad),
					pair.public(),
					pop(&pair, 1),
					models(&[0]),
					hw(),
				),
				Error::<Test>::InvalidEndpoint
			);
		}
	});
}

#[test]
fn register_rejects_unknown_model() {
	test(|| {
		assert_noop!(register(1, 1, &[0, 7]), Error::<Test>::UnknownModel);
	});
}

#[test]
fn register_rejects_retired_model() {
	test(|| {
		assert_ok!(GonkaHosts::retire_model(RuntimeOrigin::root(), 1));
		assert_noop!(register(1, 1, &[1]), Error::<Test>::ModelRetired);
	});
}

#[test]
fn register_rejects_duplicate_model() {
	test(|| {
		assert_noop!(register(1, 1, &[0, 1, 0]), Error::<Test>::DuplicateModel);
	});
}

#[test]
fn register_rejects_duplicate_registration() {
	test(|| {
		assert_ok!(register(1, 1, &[0]));
		assert_noop!(register(1, 2, &[0]), Error::<Test>::AlreadyRegistered);
	});
}

#[test]
fn register_rejects_key_used_by_another_host() {
	test(|| {
		assert_ok!(register(1, 1, &[0]));
		// Account 2 somehow holds a proof for key 1 (it is the same key pair).
		assert_noop!(register(2, 1, &[0]), Error::<Test>::WorkerKeyInUse);
	});
}

#[test]
fn register_rejects_bad_key_proof() {
	test(|| {
		let pair = worker(1);
		// A proof made for another account cannot be replayed.
		assert_noop!(
			GonkaHosts::register(
				RuntimeOrigin::signed(2),
				endpoint("http://a.b:80"),
				pair.public(),
				pop(&pair, 1),
				models(&[0]),
				hw(),
			),
			Error::<Test>::InvalidKeyProof
		);
		// A proof signed by a different key does not prove possession of this one.
		assert_noop!(
			GonkaHosts::register(
				RuntimeOrigin::signed(2),
				endpoint("http://a.b:80"),
				pair.public(),
				pop(&worker(2), 2),
				models(&[0]),
				hw(),
			),
			Error::<Test>::InvalidKeyProof
		);
	});
}

#[test]
fn register_respects_max_hosts() {
	test(|| {
		MaxHosts::set(2);
		assert_ok!(register(1, 1, &[0]));
		assert_ok!(register(2, 2, &[0]));
		assert_noop!(register(3, 3, &[0]), Error::<Test>::TooManyHosts);
		MaxHosts::set(100);
	});
}

#[test]
fn register_requires_the_deposit() {
	test(|| {
		// Account 50 has no funds at all.
		let pair = worker(50);
		assert_noop!(
			GonkaHosts::register(
				RuntimeOrigin::signed(50),
				endpoint("http://a.b:80"),
				pair.public(),
				pop(&pair, 50),
				models(&[0]),
				hw(),
			),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn register_requires_signed_origin() {
	test(|| {
		let pair = worker(1);
		assert_noop!(
			GonkaHosts::register(
				RuntimeOrigin::root(),
				endpoint("http://a.b:80"),
				pair.public(),
				pop(&pair, 1),
				models(&[0]),
				hw(),
			),
			DispatchError::BadOrigin
		);
	});
}

// ---------------------------------------------------------------------------------------------
// Updates and deregistration
// ---------------------------------------------------------------------------------------------

#[test]
fn update_host_works() {
	test(|| {
		assert_ok!(register(1, 1, &[0, 1]));
		let new_hw = HardwareSpec { gpu_count: 1, ..hw() };
		assert_ok!(GonkaHosts::update_host(
			RuntimeOrigin::signed(1),
			Some(endpoint("http://[::1]:9000")),
			Some(models(&[2, 1])),
			Some(new_hw.clone()),
		));
		let info = Hosts::<Test>::get(1).unwrap();
		assert_eq!(info.endpoint, endpoint("http://[::1]:9000"));
		assert_eq!(info.models.to_vec(), vec![1, 2]);
		assert_eq!(info.hardware, new_hw);
		assert!(!HostsByModel::<Test>::contains_key(0, 1));
		assert!(HostsByModel::<Test>::contains_key(1, 1));
		assert!(HostsByModel::<Test>::contains_key(2, 1));
		assert_eq!(last_event(), Event::HostUpdated { host: 1 });

		// `None` keeps everything.
		assert_ok!(GonkaHosts::update_host(RuntimeOrigin::signed(1), None, None, None));
		assert_eq!(Hosts::<Test>::get(1).unwrap(), info);
	});
}

#[test]
fn update_host_rejects_bad_input() {
	test(|| {
		assert_noop!(
			GonkaHosts::update_host(RuntimeOrigin::signed(1), None, None, None),
			Error::<Test>::NotRegistered
		);
		assert_ok!(register(1, 1, &[0]));
		assert_noop!(
			GonkaHosts::update_host(
				RuntimeOrigin::signed(1),
				Some(endpoint("http://x")),
				None,
				None
			),
			Error::<Test>::InvalidEndpoint
		);
		assert_noop!(
			GonkaHosts::update_host(RuntimeOrigin::signed(1), None, Some(models(&[5])), None),
			Error::<Test>::UnknownModel
		);
		assert_noop!(
			GonkaHosts::update_host(RuntimeOrigin::signed(1), None, Some(models(&[1, 1])), None),
			Error::<Test>::DuplicateModel
		);
		assert_ok!(GonkaHosts::retire_model(RuntimeOrigin::root(), 2));
		assert_noop!(
			GonkaHosts::update_host(RuntimeOrigin::signed(1), None, Some(models(&[2])), None),
			Error::<Test>::ModelRetired
		);
	});
}

#[test]
fn update_host_refunds_unused_weight() {
	test(|| {
		assert_ok!(register(1, 1, &[0]));
		let call = crate::Call::<Test>::update_host {
			endpoint: None,
			models: Some(models(&[1])),
			hardware: None,
		};
		let declared =
			frame_support::dispatch::GetDispatchInfo::get_dispatch_info(&call).call_weight;
		let post =
			GonkaHosts::update_host(RuntimeOrigin::signed(1), None, Some(models(&[1])), None)
				.unwrap();
		let actual = post.actual_weight.unwrap();
		assert_eq!(actual, <() as WeightInfo>::update_host(1, 1));
		assert!(actual.all_lte(declared));
	});
}

#[test]
fn deregister_works() {
	test(|| {
		assert_ok!(register(1, 1, &[0, 1]));
		assert_ok!(GonkaHosts::deregister(RuntimeOrigin::signed(1)));
		assert!(Hosts::<Test>::get(1).is_none());
		assert_eq!(HostCount::<Test>::get(), 0);
		assert_eq!(deposit_held(1), 0);
		assert_eq!(Balances::free_balance(1), INITIAL);
		assert!(WorkerKeyOwner::<Test>::get(worker(1).public()).is_none());
		assert_eq!(HostsByModel::<Test>::iter().count(), 0);
		assert_eq!(last_event(), Event::HostDeregistered { host: 1 });
		// The freed key can be used again, by its owner, for another account.
		assert_ok!(register(2, 1, &[0]));
	});
}

#[test]
fn deregister_rejects_unknown_host() {
	test(|| {
		assert_noop!(
			GonkaHosts::deregister(RuntimeOrigin::signed(1)),
			Error::<Test>::NotRegistered
		);
	});
}

#[test]
fn deregister_with_collateral_or_pending_unbonding_fails() {
	test(|| {
		assert_ok!(register(1, 1, &[0]));
		assert_ok!(GonkaHosts::deposit_collateral(RuntimeOrigin::signed(1), 500));
		assert_noop!(
			GonkaHosts::deregister(RuntimeOrigin::signed(1)),
			Error::<Test>::CollateralOutstanding
		);
		assert_ok!(GonkaHosts::withdraw_collateral(RuntimeOrigin::signed(1), 500));
		// Everything is unbonding, nothing active: still outstanding.
		assert_noop!(
			GonkaHosts::deregister(RuntimeOrigin::signed(1)),
			Error::<Test>::CollateralOutstanding
		);
		System::set_block_number(1 + UNBONDING);
		assert_ok!(GonkaHosts::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_ok!(GonkaHosts::deregister(RuntimeOrigin::signed(1)));
		assert_eq!(Balances::free_balance(1), INITIAL);
	});
}

// ---------------------------------------------------------------------------------------------
// Worker key rotation
// ---------------------------------------------------------------------------------------------

fn rotate(who: AccountId, seed: u64) -> sp_runtime::DispatchResult {
	let pair = worker(seed);
	GonkaHosts::rotate_worker_key(RuntimeOrigin::signed(who), pair.public(), pop(&pair, who))
}

#[test]
fn rotation_switches_at_the_effective_block_without_gap_or_overlap() {
	test(|| {
		let (old, new) = (worker(1).public(), worker(11).public());
		assert_ok!(register(1, 1, &[0]));
		assert_ok!(rotate(1, 11));
		let effective_at = 1 + ROTATION;
		assert_eq!(
			last_event(),
			Event::WorkerKeyRotationScheduled { host: 1, new_key: new.clone(), effective_at }
		);
		type R = GonkaHosts;
		for n in 1..effective_at {
			System::set_block_number(n);
			assert_eq!(<R as HostRegistry<_, _>>::worker_key(&1), Some(old.clone()));
			assert_eq!(<R as HostRegistry<_, _>>::host_of_worker(&old), Some(1));
			assert_eq!(<R as HostRegistry<_, _>>::host_of_worker(&new), None);
		}
		for n in effective_at..effective_at + 3 {
			System::set_block_number(n);
			assert_eq!(<R as HostRegistry<_, _>>::worker_key(&1), Some(new.clone()));
			assert_eq!(<R as HostRegistry<_, _>>::host_of_worker(&new), Some(1));
			assert_eq!(<R as HostRegistry<_, _>>::host_of_worker(&old), None);
		}
		// Until settled, the old key stays reserved: nobody can grab it.
		assert_noop!(register(2, 1, &[0]), Error::<Test>::WorkerKeyInUse);
		// The host's next call settles the record and frees the old key.
		assert_ok!(GonkaHosts::update_host(RuntimeOrigin::signed(1), None, None, None));
		let info = Hosts::<Test>::get(1).unwrap();
		assert_eq!(info.worker_key, new);
		assert!(info.pending_key.is_none());
		assert_eq!(WorkerKeyOwner::<Test>::get(&old), None);
		assert_ok!(register(2, 1, &[0]));
	});
}

#[test]
fn pending_key_is_reserved() {
	test(|| {
		assert_ok!(register(1, 1, &[0]));
		assert_ok!(rotate(1, 11));
		assert_noop!(register(2, 11, &[0]), Error::<Test>::WorkerKeyInUse);
		assert_ok!(register(2, 2, &[0]));
		assert_noop!(rotate(2, 11), Error::<Test>::WorkerKeyInUse);
		assert_noop!(rotate(2, 1), Error::<Test>::WorkerKeyInUse);
	});
}

#[test]
fn rotation_rejects_bad_input() {
	test(|| {
		assert_noop!(rotate(1, 11), Error::<Test>::NotRegistered);
		assert_ok!(register(1, 1, &[0]));
		// Rotating to the current key.
		assert_noop!(rotate(1, 1), Error::<Test>::WorkerKeyInUse);
		// Proof for another account.
		let pair = worker(11);
		assert_noop!(
			GonkaHosts::rotate_worker_key(RuntimeOrigin::signed(1), pair.public(), pop(&pair, 2)),
			Error::<Test>::InvalidKeyProof
		);
		assert_ok!(rotate(1, 11));
		// One rotation at a time.
		assert_noop!(rotate(1, 12), Error::<Test>::RotationPending);
		// Once the first rotation is in force, the next one may be scheduled; it settles the
		// first on the way.
		System::set_block_number(1 + ROTATION);
		assert_ok!(rotate(1, 12));
		let info = Hosts::<Test>::get(1).unwrap();
		assert_eq!(info.worker_key, worker(11).public());
		assert_eq!(info.pending_key.unwrap().key, worker(12).public());
		assert_eq!(WorkerKeyOwner::<Test>::get(worker(1).public()), None);
	});
}

#[test]
fn deregister_during_rotation_frees_both_keys() {
	test(|| {
		assert_ok!(register(1, 1, &[0]));
		assert_ok!(rotate(1, 11));
		assert_ok!(GonkaHosts::deregister(RuntimeOrigin::signed(1)));
		assert_eq!(WorkerKeyOwner::<Test>::iter().count(), 0);
	});
}

// ---------------------------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------------------------

#[test]
fn add_model_works() {
	test(|| {
		assert_eq!(NextModelId::<Test>::get(), 3);
		assert_ok!(add_model("Qwen/Qwen3-32B"));
		let m = Models::<Test>::get(3).unwrap();
		assert_eq!(m.name.to_vec(), b"Qwen/Qwen3-32B".to_vec());
		assert_eq!(m.weights_hash, H256::repeat_byte(7));
		assert_eq!(m.price_per_1k_tokens, 9);
		assert_eq!(m.pow_weight_scale, FixedU128::from_rational(3, 2));
		assert_eq!(m.status, ModelStatus::Active);
		assert_eq!(NextModelId::<Test>::get(), 4);
		assert_eq!(last_event(), Event::ModelAdded { model: 3 });
		// Hosts can declare it right away.
		assert_ok!(register(1, 1, &[3]));
	});
}

#[test]
fn catalogue_requires_the_catalogue_origin() {
	test(|| {
		assert_noop!(
			GonkaHosts::add_model(
				RuntimeOrigin::signed(1),
				b"x".to_vec().try_into().unwrap(),
				H256::zero(),
				b"y".to_vec().try_into().unwrap(),
				terms(1),
				ModelPrecision::F32,
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			GonkaHosts::set_model_terms(RuntimeOrigin::signed(1), 0, terms(1)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			GonkaHosts::retire_model(RuntimeOrigin::signed(1), 0),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn add_model_rejects_bad_input() {
	test(|| {
		assert_noop!(
			GonkaHosts::add_model(
				RuntimeOrigin::root(),
				Default::default(),
				H256::zero(),
				b"arch".to_vec().try_into().unwrap(),
				terms(1),
				ModelPrecision::F32,
			),
			Error::<Test>::EmptyModelField
		);
		assert_noop!(
			GonkaHosts::add_model(
				RuntimeOrigin::root(),
				b"name".to_vec().try_into().unwrap(),
				H256::zero(),
				Default::default(),
				terms(1),
				ModelPrecision::F32,
			),
			Error::<Test>::EmptyModelField
		);
		let zero_scale =
			ModelTermsUpdate { pow_weight_scale: FixedU128::from_inner(0), ..terms(1) };
		assert_noop!(
			GonkaHosts::add_model(
				RuntimeOrigin::root(),
				b"name".to_vec().try_into().unwrap(),
				H256::zero(),
				b"arch".to_vec().try_into().unwrap(),
				zero_scale,
				ModelPrecision::F32,
			),
			Error::<Test>::ZeroPowWeightScale
		);
	});
}

#[test]
fn catalogue_is_bounded() {
	test(|| {
		// MaxModels is 8 and genesis holds 3.
		for i in 3..8 {
			assert_ok!(add_model(&format!("m{i}")));
		}
		assert_noop!(add_model("one too many"), Error::<Test>::CatalogueFull);
	});
}

#[test]
fn set_model_terms_works() {
	test(|| {
		assert_ok!(GonkaHosts::set_model_terms(RuntimeOrigin::root(), 1, terms(42)));
		let m = Models::<Test>::get(1).unwrap();
		assert_eq!(m.price_per_1k_tokens, 42);
		assert_eq!(m.validation_threshold, Perbill::from_percent(95));
		assert_eq!(last_event(), Event::ModelTermsUpdated { model: 1 });
		let t = <GonkaHosts as HostRegistry<_, _>>::model_terms(1).unwrap();
		assert!(t.active);
		assert_eq!(t.price_per_1k_tokens, 42);
		assert_noop!(
			GonkaHosts::set_model_terms(RuntimeOrigin::root(), 9, terms(1)),
			Error::<Test>::UnknownModel
		);
		let zero_scale =
			ModelTermsUpdate { pow_weight_scale: FixedU128::from_inner(0), ..terms(1) };
		assert_noop!(
			GonkaHosts::set_model_terms(RuntimeOrigin::root(), 1, zero_scale),
			Error::<Test>::ZeroPowWeightScale
		);
	});
}

#[test]
fn retire_model_works() {
	test(|| {
		assert_ok!(register(1, 1, &[0, 1]));
		assert_ok!(GonkaHosts::retire_model(RuntimeOrigin::root(), 0));
		assert_eq!(Models::<Test>::get(0).unwrap().status, ModelStatus::Retired);
		assert_eq!(last_event(), Event::ModelRetired { model: 0 });
		assert!(!<GonkaHosts as HostRegistry<_, _>>::model_terms(0).unwrap().active);
		// Nobody is routed a retired model, though the host's declaration is kept.
		assert!(<GonkaHosts as HostRegistry<_, _>>::hosts_serving(0, None, 10).is_empty());
		assert_eq!(Hosts::<Test>::get(1).unwrap().models.to_vec(), vec![0, 1]);
		// The host may drop it, but not re-declare it.
		assert_ok!(GonkaHosts::update_host(
			RuntimeOrigin::signed(1),
			None,
			Some(models(&[1])),
			None
		));
		assert_noop!(
			GonkaHosts::update_host(RuntimeOrigin::signed(1), None, Some(models(&[0, 1])), None),
			Error::<Test>::ModelRetired
		);
		assert_noop!(
			GonkaHosts::retire_model(RuntimeOrigin::root(), 0),
			Error::<Test>::AlreadyRetired
		);
		assert_noop!(
			GonkaHosts::retire_model(RuntimeOrigin::root(), 9),
			Error::<Test>::UnknownModel
		);
	});
}

#[test]
fn hosts_serving_is_paged() {
	test(|| {
		for who in 1..=7 {
			assert_ok!(register(who, who, if who % 2 == 0 { &[0, 1] } else { &[0] }));
		}
		let mut seen = Vec::new();
		let mut cursor = None;
		loop {
			let page = <GonkaHosts as HostRegistry<_, _>>::hosts_serving(0, cursor, 3);
			assert!(page.len() <= 3);
			if page.is_empty() {
				break;
			}
			cursor = page.last().cloned();
			seen.extend(page);
		}
		seen.sort();
		assert_eq!(seen, (1..=7).collect::<Vec<_>>());
		let mut evens = <GonkaHosts as HostRegistry<_, _>>::hosts_serving(1, None, 100);
		evens.sort();
		assert_eq!(evens, vec![2, 4, 6]);
		assert!(<GonkaHosts as HostRegistry<_, _>>::hosts_serving(2, None, 100).is_empty());
		assert!(<GonkaHosts as HostRegistry<_, _>>::hosts_serving(99, None, 100).is_empty());
		assert_eq!(<GonkaHosts as HostRegistry<_, _>>::host_count(), 7);
	});
}

#[test]
fn a_window_of_hosts_serving_a_model_starts_at_a_random_point_and_wraps() {
	test(|| {
		for who in 1..=7 {
			assert_ok!(register(who, who, &[0]));
		}
		let order = <GonkaHosts as HostRegistry<_, _>>::hosts_serving(0, None, 100);
		let mut starts = std::collections::BTreeSet::new();
		for e in 0..=255u8 {
			let window = <GonkaHosts as HostRegistry<_, _>>::hosts_serving_window(0, [e; 16], 4);
			assert_eq!(window.len(), 4);
			// Four consecutive hosts of the storage order, wrapping around its end.
			let first = order.iter().position(|h| *h == window[0]).unwrap();
			let expected: Vec<_> = (0..4).map(|i| order[(first + i) % order.len()]).collect();
			assert_eq!(window, expected);
			starts.insert(window[0]);
		}
		// Different entropy starts the window at different hosts (all of them unless two
		// accounts' hashes share a first byte).
		assert!(starts.len() >= 6, "{starts:?}");
		// A window larger than the list holds every host once.
		let mut all = <GonkaHosts as HostRegistry<_, _>>::hosts_serving_window(0, [0xff; 16], 64);
		all.sort();
		assert_eq!(all, (1..=7).collect::<Vec<_>>());
		assert!(<GonkaHosts as HostRegistry<_, _>>::hosts_serving_window(1, [0; 16], 4).is_empty());
		assert!(<GonkaHosts as HostRegistry<_, _>>::hosts_serving_window(0, [0; 16], 0).is_empty());
	});
}

#[test]
fn migration_v1_gives_existing_models_f32_precision() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	test(|| {
		let old = migrations::v1::OldModelInfo::<u128> {
			name: b"old".to_vec().try_into().unwrap(),
			weights_hash: H256::repeat_byte(3),
			architecture: b"llama".to_vec().try_into().unwrap(),
			validation_threshold: Perbill::from_percent(99),
			price_per_1k_tokens: 5,
			pow_weight_scale: FixedU128::from_u32(1),
			status: ModelStatus::Retired,
		};
		let key = Models::<Test>::hashed_key_for(3);
		frame_support::storage::unhashed::put(&key, &old);
		NextModelId::<Test>::put(4);
		StorageVersion::new(0).put::<GonkaHosts>();
		migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let new = Models::<Test>::get(3).expect("entry decodes in the new format");
		assert_eq!(new.precision, ModelPrecision::F32);
		assert_eq!((new.price_per_1k_tokens, new.status), (5, ModelStatus::Retired));
		assert_eq!(&new.name[..], b"old");
		assert_eq!(GonkaHosts::on_chain_storage_version(), StorageVersion::new(1));
		// A second run is a no-op (the version gate).
		let again = Models::<Test>::get(3);
		migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Models::<Test>::get(3), again);
	});
}

#[test]
fn a_model_keeps_the_precision_it_was_added_with() {
	test(|| {
		let id = NextModelId::<Test>::get();
		assert_ok!(GonkaHosts::add_model(
			RuntimeOrigin::root(),
			b"native".to_vec().try_into().unwrap(),
			H256::repeat_byte(9),
			b"llama".to_vec().try_into().unwrap(),
			terms(1),
			ModelPrecision::Native,
		));
		assert_eq!(Models::<Test>::get(id).unwrap().precision, ModelPrecision::Native);
		// Changing the terms leaves the precision alone.
		assert_ok!(GonkaHosts::set_model_terms(RuntimeOrigin::root(), id, terms(2)));
		assert_eq!(Models::<Test>::get(id).unwrap().precision, ModelPrecision::Native);
	});
}
