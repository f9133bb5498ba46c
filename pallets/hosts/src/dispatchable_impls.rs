//! Bodies of the calls and the internal helpers they share with genesis and the
//! [`HostRegistry`](gonka_primitives::hosts::HostRegistry) implementation.

use crate::*;
use frame_support::{
	dispatch::DispatchResultWithPostInfo,
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungible::MutateHold,
		tokens::{fungible::hold::Balanced as BalancedHold, Precision},
		Get, Imbalance, OnUnbalanced,
	},
};
use gonka_primitives::crypto::worker_pop_payload;
use sp_application_crypto::RuntimeAppPublic;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError,
};

impl<T: Config> Pallet<T> {
	/// The block number rotations and unbonding are measured in.
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// The worker key of `info` that is valid at block `now`.
	pub fn key_in_force(info: &HostInfoOf<T>, now: BlockNumberFor<T>) -> &WorkerId {
		match &info.pending_key {
			Some(p) if now >= p.effective_at => &p.key,
			_ => &info.worker_key,
		}
	}

	/// Whether `info` describes an active host: enough active collateral.
	pub fn info_is_active(info: &HostInfoOf<T>) -> bool {
		info.collateral >= T::MinCollateral::get()
	}

	/// Apply a rotation whose time has come to the stored record: the pending key becomes the
	/// current one and the old key's reservation is freed. Returns whether anything changed.
	pub(crate) fn settle_rotation(info: &mut HostInfoOf<T>) -> bool {
		let now = Self::now();
		match info.pending_key.take() {
			Some(p) if now >= p.effective_at => {
				let old = core::mem::replace(&mut info.worker_key, p.key);
				WorkerKeyOwner::<T>::remove(&old);
				true
			},
			other => {
				info.pending_key = other;
				false
			},
		}
	}

	/// Check a proof of possession of `key` for `host`.
	pub(crate) fn check_key_proof(
		host: &T::AccountId,
		key: &WorkerId,
		proof: &WorkerSignature,
	) -> DispatchResult {
		ensure!(key.verify(&worker_pop_payload(host), proof), Error::<T>::InvalidKeyProof);
		Ok(())
	}

	/// Check that `models` are sorted-unique-able active catalogue models and return them
	/// sorted. Reads one `Models` entry per model.
	pub(crate) fn check_models(models: ModelsOf<T>) -> Result<ModelsOf<T>, DispatchError> {
		let mut models = models.into_inner();
		models.sort_unstable();
		// Same length as the input, so it fits the bound.
		let models = ModelsOf::<T>::truncate_from(models);
		ensure!(models.windows(2).all(|w| w[0] != w[1]), Error::<T>::DuplicateModel);
		for id in models.iter() {
			let model = Models::<T>::get(id).ok_or(Error::<T>::UnknownModel)?;
			ensure!(model.status == ModelStatus::Active, Error::<T>::ModelRetired);
		}
		Ok(models)
	}

	/// Validate and insert a new host record whose `deposit` the caller holds (or zero).
	/// Shared by [`Call::register`] and genesis; emits no event.
	pub(crate) fn insert_host(
		who: T::AccountId,
		endpoint: Endpoint,
		worker_key: WorkerId,
		models: ModelsOf<T>,
		hardware: HardwareSpec,
		deposit: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(endpoint::is_valid_endpoint(&endpoint), Error::<T>::InvalidEndpoint);
		ensure!(!Hosts::<T>::contains_key(&who), Error::<T>::AlreadyRegistered);
		ensure!(!WorkerKeyOwner::<T>::contains_key(&worker_key), Error::<T>::WorkerKeyInUse);
		let count = HostCount::<T>::get();
		ensure!(count < T::MaxHosts::get(), Error::<T>::TooManyHosts);
		let models = Self::check_models(models)?;

		for id in models.iter() {
			HostsByModel::<T>::insert(id, &who, ());
		}
		WorkerKeyOwner::<T>::insert(&worker_key, &who);
		HostCount::<T>::put(count + 1);
		Hosts::<T>::insert(
			&who,
			HostInfo {
				endpoint,
				worker_key,
				pending_key: None,
				models,
				hardware,
				collateral: Zero::zero(),
				unbonding: Zero::zero(),
				deposit,
				registered_at: Self::now(),
			},
		);
		Ok(())
	}

	pub(crate) fn do_register(
		who: T::AccountId,
		endpoint: Endpoint,
		worker_key: WorkerId,
		key_proof: WorkerSignature,
		models: ModelsOf<T>,
		hardware: HardwareSpec,
	) -> DispatchResult {
		Self::check_key_proof(&who, &worker_key, &key_proof)?;
		let deposit = T::HostDeposit::get();
		// Validate and insert first: nothing is held if the registration is invalid (the call
		// is transactional anyway, this just keeps the error the informative one).
		Self::insert_host(who.clone(), endpoint, worker_key.clone(), models, hardware, deposit)?;
		if !deposit.is_zero() {
			T::Currency::hold(&HoldReason::HostDeposit.into(), &who, deposit)?;
		}
		Self::deposit_event(Event::HostRegistered { host: who, worker_key, deposit });
		Ok(())
	}

	pub(crate) fn do_update_host(
		who: T::AccountId,
		endpoint: Option<Endpoint>,
		models: Option<ModelsOf<T>>,
		hardware: Option<HardwareSpec>,
	) -> DispatchResultWithPostInfo {
		let mut info = Hosts::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		let old_count = info.models.len() as u32;
		let new_count = models.as_ref().map_or(0, |m| m.len() as u32);
		Self::settle_rotation(&mut info);
		if let Some(endpoint) = endpoint {
			ensure!(endpoint::is_valid_endpoint(&endpoint), Error::<T>::InvalidEndpoint);
			info.endpoint = endpoint;
		}
		if let Some(models) = models {
			let models = Self::check_models(models)?;
			for id in info.models.iter().filter(|id| models.binary_search(id).is_err()) {
				HostsByModel::<T>::remove(id, &who);
			}
			for id in models.iter().filter(|id| info.models.binary_search(id).is_err()) {
				HostsByModel::<T>::insert(id, &who, ());
			}
			info.models = models;
		}
		if let Some(hardware) = hardware {
			info.hardware = hardware;
		}
		Hosts::<T>::insert(&who, info);
		Self::deposit_event(Event::HostUpdated { host: who });
		Ok(Some(T::WeightInfo::update_host(old_count, new_count)).into())
	}

	pub(crate) fn do_deregister(who: T::AccountId) -> DispatchResultWithPostInfo {
		let info = Hosts::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(
			info.collateral.is_zero() && info.unbonding.is_zero(),
			Error::<T>::CollateralOutstanding
		);
		for id in info.models.iter() {
			HostsByModel::<T>::remove(id, &who);
		}
		WorkerKeyOwner::<T>::remove(&info.worker_key);
		if let Some(p) = &info.pending_key {
			WorkerKeyOwner::<T>::remove(&p.key);
		}
		Unbonding::<T>::remove(&who);
		Hosts::<T>::remove(&who);
		HostCount::<T>::mutate(|c| *c = c.saturating_sub(1));
		if !info.deposit.is_zero() {
			T::Currency::release(
				&HoldReason::HostDeposit.into(),
				&who,
				info.deposit,
				Precision::BestEffort,
			)?;
		}
		Self::deposit_event(Event::HostDeregistered { host: who });
		Ok(Some(T::WeightInfo::deregister(info.models.len() as u32)).into())
	}

	pub(crate) fn do_rotate_worker_key(
		who: T::AccountId,
		new_key: WorkerId,
		key_proof: WorkerSignature,
	) -> DispatchResult {
		let mut info = Hosts::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		Self::settle_rotation(&mut info);
		ensure!(info.pending_key.is_none(), Error::<T>::RotationPending);
		ensure!(!WorkerKeyOwner::<T>::contains_key(&new_key), Error::<T>::WorkerKeyInUse);
		Self::check_key_proof(&who, &new_key, &key_proof)?;
		let effective_at = Self::now().saturating_add(T::KeyRotationDelay::get());
		WorkerKeyOwner::<T>::insert(&new_key, &who);
		info.pending_key = Some(PendingKey { key: new_key.clone(), effective_at });
		Hosts::<T>::insert(&who, info);
		Self::deposit_event(Event::WorkerKeyRotationScheduled { host: who, new_key, effective_at });
		Ok(())
	}

	pub(crate) fn do_deposit_collateral(who: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut info = Hosts::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		T::Currency::hold(&HoldReason::Collateral.into(), &who, amount)?;
		info.collateral = info.collateral.saturating_add(amount);
		Hosts::<T>::insert(&who, info);
		Self::deposit_event(Event::CollateralDeposited { host: who, amount });
		Ok(())
	}

	pub(crate) fn do_withdraw_collateral(
		who: T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut info = Hosts::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(amount <= info.collateral, Error::<T>::InsufficientCollateral);
		let unlock_at = Self::now().saturating_add(T::UnbondingDelay::get());
		let mut chunks = Unbonding::<T>::get(&who).unwrap_or_default();
		match chunks.last_mut() {
			// Withdrawals that unlock in the same block share a chunk.
			Some(last) if last.unlock_at == unlock_at => {
				last.amount = last.amount.saturating_add(amount)
			},
			_ => chunks
				.try_push(UnbondingChunk { amount, unlock_at })
				.map_err(|_| Error::<T>::TooManyUnbondingChunks)?,
		}
		info.collateral -= amount;
		info.unbonding = info.unbonding.saturating_add(amount);
		Unbonding::<T>::insert(&who, chunks);
		Hosts::<T>::insert(&who, info);
		Self::deposit_event(Event::CollateralUnbonding { host: who, amount, unlock_at });
		Ok(())
	}

	pub(crate) fn do_withdraw_unbonded(who: T::AccountId) -> DispatchResult {
		let mut info = Hosts::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		let mut chunks = Unbonding::<T>::get(&who).unwrap_or_default();
		let now = Self::now();
		let mut unlocked: BalanceOf<T> = Zero::zero();
		chunks.retain(|c| {
			if c.unlock_at <= now {
				unlocked = unlocked.saturating_add(c.amount);
				false
			} else {
				true
			}
		});
		ensure!(!unlocked.is_zero(), Error::<T>::NothingUnlocked);
		T::Currency::release(&HoldReason::Collateral.into(), &who, unlocked, Precision::Exact)?;
		info.unbonding = info.unbonding.saturating_sub(unlocked);
		if chunks.is_empty() {
			Unbonding::<T>::remove(&who);
		} else {
			Unbonding::<T>::insert(&who, chunks);
		}
		Hosts::<T>::insert(&who, info);
		Self::deposit_event(Event::CollateralWithdrawn { host: who, amount: unlocked });
		Ok(())
	}

	/// Slash up to `amount` of `who`'s collateral: active first, then unbonding chunks, newest
	/// first. Returns the amount slashed. Emits [`Event::Slashed`] when it is positive.
	pub fn do_slash(who: &T::AccountId, amount: BalanceOf<T>, reason: SlashReason) -> BalanceOf<T> {
		let Some(mut info) = Hosts::<T>::get(who) else {
			return Zero::zero();
		};
		let wanted = amount.min(info.collateral.saturating_add(info.unbonding));
		if wanted.is_zero() {
			return Zero::zero();
		}
		let (credit, _missing) =
			<T::Currency as BalancedHold<_>>::slash(&HoldReason::Collateral.into(), who, wanted);
		let slashed = credit.peek();
		T::OnSlash::on_unbalanced(credit);

		// Book the slash: active collateral first, then the newest unbonding chunks.
		let from_active = slashed.min(info.collateral);
		info.collateral -= from_active;
		let mut rest = slashed - from_active;
		if !rest.is_zero() {
			let mut chunks = Unbonding::<T>::get(who).unwrap_or_default();
			for chunk in chunks.iter_mut().rev() {
				let take = rest.min(chunk.amount);
				chunk.amount -= take;
				info.unbonding = info.unbonding.saturating_sub(take);
				rest -= take;
				if rest.is_zero() {
					break;
				}
			}
			chunks.retain(|c| !c.amount.is_zero());
			if chunks.is_empty() {
				Unbonding::<T>::remove(who);
			} else {
				Unbonding::<T>::insert(who, chunks);
			}
		}
		Hosts::<T>::insert(who, info);
		Self::deposit_event(Event::Slashed { host: who.clone(), amount: slashed, reason });
		slashed
	}

	pub(crate) fn check_model_fields(
		name: &ModelName,
		architecture: &Architecture,
		terms: &ModelTermsUpdate<BalanceOf<T>>,
	) -> DispatchResult {
		ensure!(!name.is_empty() && !architecture.is_empty(), Error::<T>::EmptyModelField);
		Self::check_terms(terms)
	}

	fn check_terms(terms: &ModelTermsUpdate<BalanceOf<T>>) -> DispatchResult {
		ensure!(!terms.pow_weight_scale.is_zero(), Error::<T>::ZeroPowWeightScale);
		Ok(())
	}

	pub(crate) fn do_add_model(
		name: ModelName,
		weights_hash: sp_core::H256,
		architecture: Architecture,
		terms: ModelTermsUpdate<BalanceOf<T>>,
		precision: ModelPrecision,
	) -> Result<ModelId, DispatchError> {
		Self::check_model_fields(&name, &architecture, &terms)?;
		let id = NextModelId::<T>::get();
		ensure!(id < T::MaxModels::get(), Error::<T>::CatalogueFull);
		Models::<T>::insert(
			id,
			ModelInfo {
				name,
				weights_hash,
				architecture,
				validation_threshold: terms.validation_threshold,
				price_per_1k_tokens: terms.price_per_1k_tokens,
				pow_weight_scale: terms.pow_weight_scale,
				status: ModelStatus::Active,
				precision,
			},
		);
		NextModelId::<T>::put(id + 1);
		Self::deposit_event(Event::ModelAdded { model: id });
		Ok(id)
	}

	pub(crate) fn do_set_model_terms(
		model: ModelId,
		terms: ModelTermsUpdate<BalanceOf<T>>,
	) -> DispatchResult {
		Self::check_terms(&terms)?;
		Models::<T>::try_mutate(model, |m| -> DispatchResult {
			let m = m.as_mut().ok_or(Error::<T>::UnknownModel)?;
			m.validation_threshold = terms.validation_threshold;
			m.price_per_1k_tokens = terms.price_per_1k_tokens;
			m.pow_weight_scale = terms.pow_weight_scale;
			Ok(())
		})?;
		Self::deposit_event(Event::ModelTermsUpdated { model });
		Ok(())
	}

	pub(crate) fn do_retire_model(model: ModelId) -> DispatchResult {
		Models::<T>::try_mutate(model, |m| -> DispatchResult {
			let m = m.as_mut().ok_or(Error::<T>::UnknownModel)?;
			ensure!(m.status == ModelStatus::Active, Error::<T>::AlreadyRetired);
			m.status = ModelStatus::Retired;
			Ok(())
		})?;
		Self::deposit_event(Event::ModelRetired { model });
		Ok(())
	}

	/// Check the pallet's invariants:
	/// - `HostCount` equals the number of hosts, and does not exceed `MaxHosts`;
	/// - every worker key in `WorkerKeyOwner` belongs to exactly one host, as its current or
	///   pending key, and every host's current and pending keys are reserved for it;
	/// - held collateral equals `collateral + unbonding` recorded, `unbonding` equals the sum
	///   of the chunks, and the held deposit equals the recorded deposit;
	/// - `HostsByModel` holds exactly the `(model, host)` pairs of the hosts' model lists, whose
	///   models are sorted, unique and in the catalogue;
	/// - catalogue ids are below `NextModelId <= MaxModels`.
	#[cfg(any(test, feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::traits::fungible::InspectHold;
		use sp_runtime::TryRuntimeError;
		fn check(cond: bool, msg: &'static str) -> Result<(), TryRuntimeError> {
			if cond {
				Ok(())
			} else {
				Err(TryRuntimeError::Other(msg))
			}
		}

		let next_model = NextModelId::<T>::get();
		check(next_model <= T::MaxModels::get(), "NextModelId above MaxModels")?;
		for id in Models::<T>::iter_keys() {
			check(id < next_model, "model id at or above NextModelId")?;
		}

		let mut hosts = 0u32;
		let mut keys = 0u32;
		let mut model_entries = 0u32;
		for (who, info) in Hosts::<T>::iter() {
			hosts += 1;
			keys += 1;
			check(
				WorkerKeyOwner::<T>::get(&info.worker_key).as_ref() == Some(&who),
				"current worker key not reserved for its host",
			)?;
			if let Some(p) = &info.pending_key {
				keys += 1;
				check(p.key != info.worker_key, "pending key equals current key")?;
				check(
					WorkerKeyOwner::<T>::get(&p.key).as_ref() == Some(&who),
					"pending worker key not reserved for its host",
				)?;
			}
			let chunks = Unbonding::<T>::get(&who);
			check(chunks.as_ref().is_none_or(|c| !c.is_empty()), "empty Unbonding entry")?;
			let chunk_sum = chunks
				.unwrap_or_default()
				.iter()
				.fold(BalanceOf::<T>::zero(), |acc, c| acc.saturating_add(c.amount));
			check(chunk_sum == info.unbonding, "unbonding differs from the sum of chunks")?;
			check(
				T::Currency::balance_on_hold(&HoldReason::Collateral.into(), &who)
					== info.collateral.saturating_add(info.unbonding),
				"held collateral differs from recorded collateral",
			)?;
			check(
				T::Currency::balance_on_hold(&HoldReason::HostDeposit.into(), &who) == info.deposit,
				"held deposit differs from recorded deposit",
			)?;
			check(info.models.windows(2).all(|w| w[0] < w[1]), "host models not sorted-unique")?;
			for id in info.models.iter() {
				model_entries += 1;
				check(Models::<T>::contains_key(id), "host declares an unknown model")?;
				check(HostsByModel::<T>::contains_key(id, &who), "HostsByModel entry missing")?;
			}
		}
		check(hosts == HostCount::<T>::get(), "HostCount differs from the number of hosts")?;
		check(hosts <= T::MaxHosts::get(), "more hosts than MaxHosts")?;
		check(
			WorkerKeyOwner::<T>::iter_keys().count() as u32 == keys,
			"WorkerKeyOwner has keys of no host",
		)?;
		check(
			HostsByModel::<T>::iter_keys().count() as u32 == model_entries,
			"HostsByModel has entries of no host",
		)?;
		for who in Unbonding::<T>::iter_keys() {
			check(Hosts::<T>::contains_key(&who), "Unbonding entry of no host")?;
		}
		Ok(())
	}
}
