//! The pallet's logic: settlement, claims, closing, read helpers and invariants.

use crate::{schedule::ExponentialDecay, *};
use alloc::vec::Vec;
use frame_support::{
	dispatch::DispatchResult,
	ensure,
	traits::{fungible::Mutate, Get},
	weights::Weight,
};
use sp_runtime::FixedU128;

impl<T: Config> Pallet<T> {
	/// The schedule with the runtime's parameters.
	pub fn schedule() -> ExponentialDecay {
		ExponentialDecay::new(
			T::InitialReward::get(),
			T::DecayRate::get(),
			T::MiningAllocation::get(),
		)
	}

	/// The claim window in force: `ClaimWindow`, at most `MaxOpenEpochs - 1`.
	pub fn claim_window() -> u32 {
		T::ClaimWindow::get().min(T::MaxOpenEpochs::get().saturating_sub(1))
	}

	/// Worst-case weight of one settlement ([`OnWeightsFinalized::on_weights_finalized`]),
	/// closing up to `MaxOpenEpochs` epochs: what the sprint pallet must charge for it.
	pub fn settlement_weight() -> Weight {
		T::WeightInfo::on_weights_finalized(T::MaxOpenEpochs::get())
	}

	/// Settle `epoch` with total weight `total`: close the epochs whose window has passed, then
	/// commit the epoch's reward (or skip it). Returns how many epochs were closed.
	pub(crate) fn settle(epoch: EpochIndex, total: ComputeWeight) -> u32 {
		if let Some(last) = LastSettled::<T>::get() {
			if epoch <= last {
				Self::deposit_event(Event::SettlementIgnored { epoch, last_settled: last });
				return 0;
			}
		}
		LastSettled::<T>::put(epoch);
		let mut open = OpenEpochs::<T>::get();
		let window = Self::claim_window();
		let expired = open.iter().take_while(|e| e.saturating_add(window) < epoch).count();
		let mut closed: Vec<EpochIndex> = open.drain(..expired).collect();

		let scheduled = Self::schedule().reward(epoch);
		let reward =
			scheduled.min(T::MiningAllocation::get().saturating_sub(TotalCommitted::<T>::get()));
		if total == 0 || reward == 0 {
			let reason =
				if total == 0 { SkipReason::NoWeight } else { SkipReason::AllocationExhausted };
			Self::deposit_event(Event::EpochSkipped { epoch, scheduled, reason });
		} else {
			if open.is_full() {
				// Unreachable while ClaimWindow < MaxOpenEpochs: everything open is within the
				// window, i.e. at most ClaimWindow epochs before this one. Close the oldest.
				closed.push(open.remove(0));
			}
			// Cannot fail: there is room now.
			let _ = open.try_push(epoch);
			EpochRewards::<T>::insert(
				epoch,
				EpochReward { reward, total_weight: total, paid: 0, claimed_weight: 0 },
			);
			TotalCommitted::<T>::mutate(|c| *c = c.saturating_add(reward));
			Self::deposit_event(Event::EpochOpened { epoch, reward, total_weight: total });
		}
		OpenEpochs::<T>::put(open);
		for e in &closed {
			Self::close(*e);
		}
		closed.len() as u32
	}

	/// Close `epoch`: mint its remainder (unclaimed shares and dust) to the community pool.
	fn close(epoch: EpochIndex) {
		let Some(info) = EpochRewards::<T>::take(epoch) else {
			frame_support::defensive!("open epoch without a reward entry");
			return;
		};
		let remainder = info.remainder();
		let mut minted = 0;
		if remainder > 0 {
			match T::Currency::mint_into(&T::CommunityPool::get(), remainder) {
				Ok(_) => {
					minted = remainder;
					TotalMinted::<T>::mutate(|m| *m = m.saturating_add(remainder));
				},
				// The pool exists from genesis, so this cannot happen; if it did, the remainder
				// is forfeited (never minted), which keeps every invariant.
				Err(_) => {
					frame_support::defensive!("cannot mint a remainder to the pool");
				},
			}
		}
		Self::deposit_event(Event::EpochClosed {
			epoch,
			to_community_pool: minted,
			unclaimed_weight: info.total_weight.saturating_sub(info.claimed_weight),
		});
	}

	/// The error for a claim of an epoch without an open reward entry.
	fn closed_epoch_error(epoch: EpochIndex) -> Error<T> {
		match LastSettled::<T>::get() {
			None => Error::<T>::EpochNotFinal,
			Some(last) if epoch > last => Error::<T>::EpochNotFinal,
			Some(last) if epoch.saturating_add(Self::claim_window()) < last => {
				Error::<T>::ClaimExpired
			},
			Some(_) => Error::<T>::NoRewardForEpoch,
		}
	}

	/// Pay `host` its share of `epoch`.
	pub(crate) fn do_claim(host: T::AccountId, epoch: EpochIndex) -> DispatchResult {
		let mut info =
			EpochRewards::<T>::get(epoch).ok_or_else(|| Self::closed_epoch_error(epoch))?;
		// An open entry implies a settlement at or after `epoch`.
		let last = LastSettled::<T>::get().unwrap_or(epoch);
		let oldest_open = last.saturating_sub(Self::claim_window());

		let mut record = Claimed::<T>::get(&host);
		record.retain(|e| *e >= oldest_open);
		let position = match record.binary_search(&epoch) {
			Ok(_) => return Err(Error::<T>::AlreadyClaimed.into()),
			Err(position) => position,
		};
		let weight = T::ComputeWeights::weight_of(epoch, &host);
		ensure!(weight > 0, Error::<T>::NoWeight);
		let claimed_weight = info
			.claimed_weight
			.checked_add(weight)
			.filter(|w| *w <= info.total_weight)
			.ok_or(Error::<T>::InconsistentWeights)?;
		let amount = info.share_of(weight);
		let paid = info
			.paid
			.checked_add(amount)
			.filter(|p| *p <= info.reward)
			.ok_or(Error::<T>::InconsistentWeights)?;
		record.try_insert(position, epoch).map_err(|_| Error::<T>::TooManyClaims)?;

		if amount > 0 {
			T::Currency::mint_into(&host, amount)?;
		}
		info.paid = paid;
		info.claimed_weight = claimed_weight;
		EpochRewards::<T>::insert(epoch, info);
		Claimed::<T>::insert(&host, record);
		TotalMinted::<T>::mutate(|m| *m = m.saturating_add(amount));
		Self::deposit_event(Event::RewardClaimed { epoch, host, weight, amount });
		Ok(())
	}

	// ---- Read helpers (runtime API) ----

	/// What `who` can claim now for `epoch` (zero if nothing, already claimed or not open).
	pub fn api_claimable(who: T::AccountId, epoch: EpochIndex) -> Balance {
		let Some(info) = EpochRewards::<T>::get(epoch) else {
			return 0;
		};
		if Claimed::<T>::get(&who).contains(&epoch) {
			return 0;
		}
		info.share_of(T::ComputeWeights::weight_of(epoch, &who))
	}

	/// Every open epoch in which `who` has something to claim, with the amount.
	pub fn api_claimable_epochs(who: T::AccountId) -> Vec<(EpochIndex, Balance)> {
		let claimed = Claimed::<T>::get(&who);
		OpenEpochs::<T>::get()
			.into_iter()
			.filter(|e| !claimed.contains(e))
			.filter_map(|e| {
				let info = EpochRewards::<T>::get(e)?;
				let amount = info.share_of(T::ComputeWeights::weight_of(e, &who));
				(amount > 0).then_some((e, amount))
			})
			.collect()
	}

	/// Base units per unit of weight in an open epoch.
	pub fn api_reward_per_weight(epoch: EpochIndex) -> Option<FixedU128> {
		EpochRewards::<T>::get(epoch)?.reward_per_weight()
	}

	/// The totals.
	pub fn api_totals() -> EmissionTotals {
		EmissionTotals {
			mining_allocation: T::MiningAllocation::get(),
			committed: TotalCommitted::<T>::get(),
			minted: TotalMinted::<T>::get(),
			community_pool_genesis: CommunityPoolGenesis::<T>::get(),
			last_settled: LastSettled::<T>::get(),
			open_epochs: OpenEpochs::<T>::get().into_inner(),
		}
	}

	/// Check the accounting invariants (see the crate docs).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::traits::fungible::Inspect;
		use sp_runtime::TryRuntimeError;
		fn check(cond: bool, msg: &'static str) -> Result<(), TryRuntimeError> {
			if cond {
				Ok(())
			} else {
				Err(TryRuntimeError::Other(msg))
			}
		}
		let committed = TotalCommitted::<T>::get();
		let minted = TotalMinted::<T>::get();
		check(committed <= T::MiningAllocation::get(), "committed above the mining allocation")?;
		check(minted <= committed, "minted above committed")?;
		check(
			T::Currency::total_issuance()
				>= minted.saturating_add(CommunityPoolGenesis::<T>::get()),
			"total issuance below what emission minted",
		)?;

		let open = OpenEpochs::<T>::get();
		check(open.windows(2).all(|w| w[0] < w[1]), "open epochs not sorted")?;
		let last = LastSettled::<T>::get();
		let mut outstanding: Balance = 0;
		for e in open.iter() {
			let info = EpochRewards::<T>::get(e)
				.ok_or(TryRuntimeError::Other("open epoch without reward"))?;
			check(info.paid <= info.reward, "paid above reward")?;
			check(info.claimed_weight <= info.total_weight, "claimed weight above total")?;
			check(
				last.is_some_and(|l| *e <= l && e.saturating_add(Self::claim_window()) >= l),
				"open epoch outside the claim window",
			)?;
			outstanding = outstanding.saturating_add(info.remainder());
		}
		check(EpochRewards::<T>::iter_keys().count() == open.len(), "reward entry not open")?;
		check(minted.saturating_add(outstanding) <= committed, "outstanding above committed")?;
		Ok(())
	}
}
