//! Reputation: per-host counters over the last [`Config::ReputationEpochs`] epochs, the sampling
//! rate they give and the draw factor (`docs/inference-market.md` 7).
//!
//! - `rate = 100%` if the window holds an invalid leaf, else
//!   `max(MinSamplingRate, H / (H + valid))` with `H = RateHalfLife`: a new host is sampled
//!   fully, `H` clean samples halve its rate, `3H` quarter it, down to the floor.
//! - `miss_rate = misses / (served + assigned + misses)`; the miss factor is 100% while
//!   `miss_rate <= MissTolerance` and `1 - miss_rate` beyond.
//! - The fraud factor is `valid / (valid + InvalidPenalty * invalid)` (100% with no invalid
//!   leaf): one invalid leaf outweighs `InvalidPenalty` clean samples, and a host whose samples
//!   are all invalid gets factor 0 (no slots) until they leave the window.
//! - The draw factor is `miss factor * fraud factor`.

use crate::*;
use frame_support::traits::Get;
use gonka_primitives::compute::ComputeWeights;
use sp_runtime::Perbill;

impl<T: Config> Pallet<T> {
	/// The epoch reputation is recorded under: the active compute-weight epoch (0 before any).
	pub(crate) fn reputation_epoch() -> gonka_primitives::pow::EpochIndex {
		T::Weights::active_epoch().unwrap_or(0)
	}

	/// Apply `f` to `host`'s record for the current reputation epoch, dropping records that
	/// fell out of the window.
	pub(crate) fn record(host: &T::AccountId, f: impl FnOnce(&mut EpochRecord)) {
		let epoch = Self::reputation_epoch();
		let depth = T::ReputationEpochs::get();
		Reputation::<T>::mutate(host, |window| {
			window.retain(|r| r.epoch.saturating_add(depth) > epoch);
			if window.last().is_none_or(|r| r.epoch != epoch) {
				if window.is_full() {
					window.remove(0);
				}
				let _ = window.try_push(EpochRecord { epoch, ..Default::default() });
			}
			if let Some(last) = window.last_mut() {
				f(last);
			}
		});
	}

	/// `host`'s counters summed over the window.
	pub fn reputation_window(host: &T::AccountId) -> EpochRecord {
		let epoch = Self::reputation_epoch();
		let depth = T::ReputationEpochs::get();
		let mut sum = EpochRecord { epoch, ..Default::default() };
		for r in Reputation::<T>::get(host).iter().filter(|r| r.epoch.saturating_add(depth) > epoch)
		{
			sum.add(r);
		}
		sum
	}

	/// The share of `host`'s leaves sampled for validation (see the module docs).
	pub fn sampling_rate(host: &T::AccountId) -> Perbill {
		let w = Self::reputation_window(host);
		if w.invalid > 0 {
			return Perbill::one();
		}
		let h = T::RateHalfLife::get().max(1) as u64;
		Perbill::from_rational(h, h + w.valid as u64).max(T::MinSamplingRate::get())
	}

	/// The factor on `host`'s compute weight in executor draws: the miss factor times the fraud
	/// factor (see the module docs).
	pub fn draw_factor(host: &T::AccountId) -> Perbill {
		let w = Self::reputation_window(host);
		let events = w.served.saturating_add(w.assigned as u64).saturating_add(w.misses as u64);
		let miss_factor = if events == 0 {
			Perbill::one()
		} else {
			let miss_rate = Perbill::from_rational(w.misses as u64, events);
			if miss_rate <= T::MissTolerance::get() {
				Perbill::one()
			} else {
				Perbill::one() - miss_rate
			}
		};
		let fraud_factor = if w.invalid == 0 {
			Perbill::one()
		} else {
			let penalty = (T::InvalidPenalty::get() as u64).saturating_mul(w.invalid as u64);
			Perbill::from_rational(w.valid as u64, (w.valid as u64).saturating_add(penalty))
		};
		miss_factor * fraud_factor
	}

	/// Runtime API: `host`'s reputation.
	pub fn api_reputation(host: T::AccountId) -> ReputationView {
		ReputationView {
			window: Self::reputation_window(&host),
			sampling_rate: Self::sampling_rate(&host),
			draw_factor: Self::draw_factor(&host),
			earned: Earned::<T>::get(&host),
		}
	}
}
