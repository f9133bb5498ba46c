//! Benchmarks of `pallet-gonka-hosts` (frame-benchmarking v2).
//!
//! Every benchmark sets up the worst case of its call: the registration deposit and collateral
//! are non-zero, a due rotation has to be settled, model lists are full and disjoint, unbonding
//! chunk lists are full. Worker keys are generated in the keystore the benchmark CLI provides
//! (`RuntimeAppPublic::generate_pair`), so the proof-of-possession check is the real one.
//!
//! Requirements on the runtime: `MaxModels >= 2 * MaxModelsPerHost` (catalogue models are
//! created up to that number), and genesis catalogue models, if any, are active.

use super::*;
use crate::Pallet as Hosts;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	EnsureOrigin, Get,
};
use frame_system::RawOrigin;
use gonka_primitives::{crypto::worker_pop_payload, hosts::HostRegistry};
use sp_application_crypto::RuntimeAppPublic;
use sp_runtime::{
	traits::{One, Saturating, Zero},
	FixedU128, Perbill,
};

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(event.into());
}

/// A stake that is positive, at least `MinCollateral` and above the existential deposit.
fn stake<T: Config>() -> BalanceOf<T> {
	T::MinCollateral::get().max(T::Currency::minimum_balance()).max(One::one()) * 10u32.into()
}

/// Give `who` enough to pay the deposit and plenty of stake.
fn fund<T: Config>(who: &T::AccountId) {
	let amount = T::HostDeposit::get()
		.saturating_add(stake::<T>().saturating_mul(1_000u32.into()))
		.saturating_add(T::Currency::minimum_balance().saturating_mul(10u32.into()));
	T::Currency::set_balance(who, amount);
}

/// A fresh worker key and its proof of possession for `who`.
fn new_key<T: Config>(who: &T::AccountId) -> (WorkerId, WorkerSignature) {
	let key = WorkerId::generate_pair(None);
	let proof = key.sign(&worker_pop_payload(who)).expect("key is in the keystore");
	(key, proof)
}

fn endpoint() -> Endpoint {
	b"https://worker-0001.hosts.gonka.example:8443/v1/proofs"
		.to_vec()
		.try_into()
		.expect("short enough")
}

fn hardware() -> HardwareSpec {
	HardwareSpec {
		gpu_model: alloc::vec![b'G'; MAX_GPU_MODEL_LEN as usize].try_into().expect("exact bound"),
		gpu_count: 8,
		gpu_memory_gib: 80,
	}
}

fn terms<T: Config>() -> ModelTermsUpdate<BalanceOf<T>> {
	ModelTermsUpdate {
		validation_threshold: Perbill::from_percent(90),
		price_per_1k_tokens: 1_000u32.into(),
		pow_weight_scale: FixedU128::from_u32(2),
	}
}

/// Make sure the catalogue holds at least `n` models and return the ids `0..n`.
fn models<T: Config>(n: u32) -> Vec<ModelId> {
	while NextModelId::<T>::get() < n {
		Hosts::<T>::do_add_model(
			alloc::vec![b'm'; MAX_MODEL_NAME_LEN as usize].try_into().expect("exact bound"),
			Default::default(),
			alloc::vec![b'a'; MAX_ARCHITECTURE_LEN as usize].try_into().expect("exact bound"),
			terms::<T>(),
			ModelPrecision::Native,
		)
		.expect("MaxModels >= 2 * MaxModelsPerHost");
	}
	(0..n).collect()
}

/// Register a funded host `who` serving `ids`; returns its worker key.
fn registered<T: Config>(who: &T::AccountId, ids: Vec<ModelId>) -> WorkerId {
	fund::<T>(who);
	let (key, proof) = new_key::<T>(who);
	Hosts::<T>::do_register(
		who.clone(),
		endpoint(),
		key.clone(),
		proof,
		ids.try_into().expect("at most MaxModelsPerHost"),
		hardware(),
	)
	.expect("valid registration");
	key
}

/// Schedule a rotation for `who` and move to the block where it is in force, so the next
/// mutating call has to settle it.
fn rotation_due<T: Config>(who: &T::AccountId) {
	let (key, proof) = new_key::<T>(who);
	Hosts::<T>::do_rotate_worker_key(who.clone(), key, proof).expect("rotation scheduled");
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now.saturating_add(T::KeyRotationDelay::get()));
}

/// Active collateral `stake` plus `chunks` unbonding chunks created in consecutive blocks.
fn with_unbonding<T: Config>(who: &T::AccountId, chunks: u32) {
	let amount = stake::<T>();
	Hosts::<T>::do_deposit_collateral(who.clone(), amount.saturating_mul((chunks + 1).into()))
		.expect("funded");
	for _ in 0..chunks {
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(One::one()));
		Hosts::<T>::do_withdraw_collateral(who.clone(), amount).expect("enough collateral");
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register(m: Linear<0, { T::MaxModelsPerHost::get() }>) -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		fund::<T>(&caller);
		let (key, proof) = new_key::<T>(&caller);
		let ids: ModelsOf<T> = models::<T>(m).try_into().expect("m <= MaxModelsPerHost");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), endpoint(), key.clone(), proof, ids, hardware());

		assert_last_event::<T>(Event::HostRegistered {
			host: caller.clone(),
			worker_key: key,
			deposit: T::HostDeposit::get(),
		});
		assert_eq!(Hosts::<T>::hosts_serving_count(&caller), m);
		Ok(())
	}

	#[benchmark]
	fn update_host(
		o: Linear<0, { T::MaxModelsPerHost::get() }>,
		n: Linear<0, { T::MaxModelsPerHost::get() }>,
	) -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		let all = models::<T>(o + n);
		let (old, new) = all.split_at(o as usize);
		registered::<T>(&caller, old.to_vec());
		rotation_due::<T>(&caller);
		let new: ModelsOf<T> = new.to_vec().try_into().expect("n <= MaxModelsPerHost");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), Some(endpoint()), Some(new), Some(hardware()));

		assert_last_event::<T>(Event::HostUpdated { host: caller.clone() });
		assert_eq!(Hosts::<T>::hosts_serving_count(&caller), n);
		Ok(())
	}

	#[benchmark]
	fn deregister(m: Linear<0, { T::MaxModelsPerHost::get() }>) -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		registered::<T>(&caller, models::<T>(m));
		// A pending rotation: both keys have to be freed.
		let (key, proof) = new_key::<T>(&caller);
		Hosts::<T>::do_rotate_worker_key(caller.clone(), key, proof).expect("scheduled");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert_last_event::<T>(Event::HostDeregistered { host: caller.clone() });
		assert!(crate::Hosts::<T>::get(&caller).is_none());
		Ok(())
	}

	#[benchmark]
	fn rotate_worker_key() -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		registered::<T>(&caller, models::<T>(1));
		rotation_due::<T>(&caller);
		let (key, proof) = new_key::<T>(&caller);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), key.clone(), proof);

		let effective_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::KeyRotationDelay::get());
		assert_last_event::<T>(Event::WorkerKeyRotationScheduled {
			host: caller,
			new_key: key,
			effective_at,
		});
		Ok(())
	}

	#[benchmark]
	fn deposit_collateral() -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		registered::<T>(&caller, models::<T>(1));
		// An existing collateral hold, so the hold entry is updated rather than created.
		Hosts::<T>::do_deposit_collateral(caller.clone(), stake::<T>()).expect("funded");
		let amount = stake::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), amount);

		assert_last_event::<T>(Event::CollateralDeposited { host: caller, amount });
		Ok(())
	}

	#[benchmark]
	fn withdraw_collateral() -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		registered::<T>(&caller, models::<T>(1));
		with_unbonding::<T>(&caller, T::MaxUnbondingChunks::get() - 1);
		let now = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		frame_system::Pallet::<T>::set_block_number(now);
		let amount = stake::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), amount);

		assert_last_event::<T>(Event::CollateralUnbonding {
			host: caller.clone(),
			amount,
			unlock_at: now.saturating_add(T::UnbondingDelay::get()),
		});
		assert_eq!(
			Unbonding::<T>::get(&caller).map(|c| c.len() as u32),
			Some(T::MaxUnbondingChunks::get())
		);
		Ok(())
	}

	#[benchmark]
	fn withdraw_unbonded() -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		registered::<T>(&caller, models::<T>(1));
		let chunks = T::MaxUnbondingChunks::get();
		with_unbonding::<T>(&caller, chunks);
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(T::UnbondingDelay::get()));

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert_last_event::<T>(Event::CollateralWithdrawn {
			host: caller.clone(),
			amount: stake::<T>().saturating_mul(chunks.into()),
		});
		assert!(Unbonding::<T>::get(&caller).is_none());
		Ok(())
	}

	#[benchmark]
	fn add_model() -> Result<(), BenchmarkError> {
		let origin =
			T::CatalogueOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let id = NextModelId::<T>::get();
		if id >= T::MaxModels::get() {
			return Err(BenchmarkError::Skip);
		}

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			alloc::vec![b'm'; MAX_MODEL_NAME_LEN as usize].try_into().expect("exact bound"),
			Default::default(),
			alloc::vec![b'a'; MAX_ARCHITECTURE_LEN as usize].try_into().expect("exact bound"),
			terms::<T>(),
			ModelPrecision::Native,
		);

		assert_last_event::<T>(Event::ModelAdded { model: id });
		Ok(())
	}

	#[benchmark]
	fn set_model_terms() -> Result<(), BenchmarkError> {
		let origin =
			T::CatalogueOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let id = models::<T>(1)[0];

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, terms::<T>());

		assert_last_event::<T>(Event::ModelTermsUpdated { model: id });
		Ok(())
	}

	#[benchmark]
	fn retire_model() -> Result<(), BenchmarkError> {
		let origin =
			T::CatalogueOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let id = models::<T>(1)[0];

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert_last_event::<T>(Event::ModelRetired { model: id });
		Ok(())
	}

	/// `HostRegistry::slash` as other pallets call it, worst case: everything (active and every
	/// unbonding chunk) is slashed.
	#[benchmark]
	fn slash() -> Result<(), BenchmarkError> {
		let host: T::AccountId = account("host", 0, 0);
		registered::<T>(&host, models::<T>(1));
		with_unbonding::<T>(&host, T::MaxUnbondingChunks::get());
		let total = <Hosts<T> as HostRegistry<_, _>>::collateral(&host);
		let slashed;

		#[block]
		{
			slashed = <Hosts<T> as HostRegistry<_, _>>::slash(
				&host,
				total,
				SlashReason::InvalidSprintProof,
			);
		}

		assert_eq!(slashed, total);
		assert!(<Hosts<T> as HostRegistry<_, _>>::collateral(&host).is_zero());
		Ok(())
	}

	impl_benchmark_test_suite!(Hosts, crate::mock::new_test_ext(), crate::mock::Test);
}

impl<T: Config> Pallet<T> {
	/// Number of `HostsByModel` entries of `who` (benchmark checks only).
	fn hosts_serving_count(who: &T::AccountId) -> u32 {
		crate::Hosts::<T>::get(who).map_or(0, |info| {
			info.models.iter().filter(|id| HostsByModel::<T>::contains_key(id, who)).count() as u32
		})
	}

	/// For the benchmarks of pallets that read the registry (sprint, inference): make `who` an
	/// active host serving the first `models` catalogue models (created if missing), with a
	/// fresh worker key generated in the benchmark keystore, and return that key. The runtime
	/// wires it into those pallets' `BenchmarkHelper`s, so they never depend on this pallet.
	pub fn benchmark_active_host(who: &T::AccountId, models: u32) -> WorkerId {
		let key = registered::<T>(who, self::models::<T>(models));
		Self::do_deposit_collateral(who.clone(), stake::<T>()).expect("funded");
		key
	}
}
