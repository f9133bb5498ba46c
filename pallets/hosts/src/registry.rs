//! The [`HostRegistry`] implementation other pallets use, and the read helpers behind the
//! runtime API.

use crate::*;
use alloc::vec::Vec;
use gonka_primitives::hosts::{HostRegistry, ModelTerms};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> HostRegistry<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn is_active(host: &T::AccountId) -> bool {
		Hosts::<T>::get(host).is_some_and(|info| Self::info_is_active(&info))
	}

	fn worker_key(host: &T::AccountId) -> Option<WorkerId> {
		let now = Self::now();
		Hosts::<T>::get(host).map(|info| Self::key_in_force(&info, now).clone())
	}

	fn host_of_worker(key: &WorkerId) -> Option<T::AccountId> {
		let host = WorkerKeyOwner::<T>::get(key)?;
		let info = Hosts::<T>::get(&host)?;
		(Self::key_in_force(&info, Self::now()) == key).then_some(host)
	}

	fn endpoint(host: &T::AccountId) -> Option<Endpoint> {
		Hosts::<T>::get(host).map(|info| info.endpoint)
	}

	fn hosts_serving(
		model: ModelId,
		start_after: Option<T::AccountId>,
		limit: u32,
	) -> Vec<T::AccountId> {
		if !Models::<T>::get(model).is_some_and(|m| m.status == ModelStatus::Active) {
			return Vec::new();
		}
		let iter = match start_after {
			Some(after) => HostsByModel::<T>::iter_key_prefix_from(
				model,
				HostsByModel::<T>::hashed_key_for(model, after),
			),
			None => HostsByModel::<T>::iter_key_prefix(model),
		};
		iter.take(limit as usize).collect()
	}

	fn hosts_serving_window(model: ModelId, entropy: [u8; 16], limit: u32) -> Vec<T::AccountId> {
		if limit == 0 || !Models::<T>::get(model).is_some_and(|m| m.status == ModelStatus::Active) {
			return Vec::new();
		}
		// Keys are `prefix || twox64(model) || model || blake2_128(account) || account`: a start
		// key ending in 16 random bytes lands at a uniformly random point of the host list.
		use codec::Encode;
		use frame_support::{storage::StoragePrefixedMap, StorageHasher, Twox64Concat};
		let mut start = HostsByModel::<T>::final_prefix().to_vec();
		start.extend_from_slice(&Twox64Concat::hash(&model.encode()));
		start.extend_from_slice(&entropy);
		let mut window: Vec<T::AccountId> =
			HostsByModel::<T>::iter_key_prefix_from(model, start).take(limit as usize).collect();
		if (window.len() as u32) < limit {
			let wrap = limit as usize - window.len();
			let first = window.first().cloned();
			for host in HostsByModel::<T>::iter_key_prefix(model).take(wrap) {
				if Some(&host) == first.as_ref() {
					break;
				}
				window.push(host);
			}
		}
		window
	}

	fn model_terms(model: ModelId) -> Option<ModelTerms<BalanceOf<T>>> {
		Models::<T>::get(model).map(|m| ModelTerms {
			active: m.status == ModelStatus::Active,
			validation_threshold: m.validation_threshold,
			price_per_1k_tokens: m.price_per_1k_tokens,
			pow_weight_scale: m.pow_weight_scale,
		})
	}

	fn collateral(host: &T::AccountId) -> BalanceOf<T> {
		Hosts::<T>::get(host)
			.map_or_else(Zero::zero, |info| info.collateral.saturating_add(info.unbonding))
	}

	fn slash(host: &T::AccountId, amount: BalanceOf<T>, reason: SlashReason) -> BalanceOf<T> {
		Self::do_slash(host, amount, reason)
	}

	fn host_count() -> u32 {
		HostCount::<T>::get()
	}
}

/// Most hosts one runtime API page returns, whatever the caller asks for.
pub const MAX_API_PAGE: u32 = 1_000;

impl<T: Config> Pallet<T> {
	fn view(
		account: T::AccountId,
		info: HostInfoOf<T>,
	) -> HostView<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> {
		let now = Self::now();
		let worker_key = Self::key_in_force(&info, now).clone();
		let active = Self::info_is_active(&info);
		HostView {
			account,
			endpoint: info.endpoint.into_inner(),
			worker_key,
			pending_key: info.pending_key.filter(|p| p.effective_at > now),
			models: info.models.into_inner(),
			hardware: info.hardware,
			collateral: info.collateral,
			unbonding: info.unbonding,
			active,
			registered_at: info.registered_at,
		}
	}

	/// Runtime API: up to `limit` (at most [`crate::MAX_API_PAGE`]) hosts in storage order,
	/// starting after `start_after`.
	pub fn api_hosts(
		start_after: Option<T::AccountId>,
		limit: u32,
	) -> Vec<HostView<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let iter = match start_after {
			Some(after) => Hosts::<T>::iter_from(Hosts::<T>::hashed_key_for(after)),
			None => Hosts::<T>::iter(),
		};
		iter.take(limit.min(MAX_API_PAGE) as usize).map(|(a, i)| Self::view(a, i)).collect()
	}

	/// Runtime API: one host.
	pub fn api_host(
		who: T::AccountId,
	) -> Option<HostView<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		Hosts::<T>::get(&who).map(|info| Self::view(who, info))
	}

	/// Runtime API: the whole catalogue (bounded by `MaxModels`), by id.
	pub fn api_catalogue() -> Vec<(ModelId, ModelInfo<BalanceOf<T>>)> {
		let mut models: Vec<_> = Models::<T>::iter().collect();
		models.sort_by_key(|(id, _)| *id);
		models
	}

	/// Runtime API: a page of the hosts serving `model`, at most [`crate::MAX_API_PAGE`].
	pub fn api_hosts_serving(
		model: ModelId,
		start_after: Option<T::AccountId>,
		limit: u32,
	) -> Vec<T::AccountId> {
		<Self as HostRegistry<_, _>>::hosts_serving(model, start_after, limit.min(MAX_API_PAGE))
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Register `who` with worker key `key`, no models and no deposit: lets the benchmarks of
	/// pallets that need an active host (the sprint pallet) create one in a real runtime.
	pub fn benchmark_insert_host(who: T::AccountId, key: WorkerId) -> sp_runtime::DispatchResult {
		let endpoint: Endpoint =
			b"https://bench.gonka.invalid:8443".to_vec().try_into().expect("short");
		Self::insert_host(who, endpoint, key, Default::default(), Default::default(), Zero::zero())
	}

	/// Register `who` with worker key `key`, serving `model` (which must exist): lets the
	/// inference market's benchmarks create executors.
	pub fn benchmark_insert_host_serving(
		who: T::AccountId,
		key: WorkerId,
		model: ModelId,
	) -> sp_runtime::DispatchResult {
		let endpoint: Endpoint =
			b"https://bench.gonka.invalid:8443".to_vec().try_into().expect("short");
		let models: ModelsOf<T> = alloc::vec![model].try_into().expect("MaxModelsPerHost > 0");
		Self::insert_host(who, endpoint, key, models, Default::default(), Zero::zero())
	}

	/// An active catalogue model with a positive price: the first one, or a new one if the
	/// catalogue is empty.
	pub fn benchmark_model() -> ModelId {
		if let Some((id, _)) = Models::<T>::iter().find(|(_, m)| m.status == ModelStatus::Active) {
			return id;
		}
		Self::do_add_model(
			b"bench/model".to_vec().try_into().expect("short"),
			sp_core::H256::repeat_byte(1),
			b"llama:dim=64,layers=2".to_vec().try_into().expect("short"),
			ModelTermsUpdate {
				validation_threshold: sp_runtime::Perbill::from_percent(90),
				price_per_1k_tokens: 1_000u32.into(),
				pow_weight_scale: sp_runtime::FixedU128::from_u32(1),
			},
			ModelPrecision::F32,
		)
		.expect("the catalogue has room")
	}
}
