//! Benchmarks of `pallet-gonka-emission` (frame-benchmarking v2).
//!
//! - `claim`: the host's claim record is full (it claimed every other open epoch, so the
//!   pruning pass and the sorted insert see `ClaimWindow + 1` entries) and the mint goes to a
//!   host account.
//! - `on_weights_finalized(c)`: a settlement that closes `c` open epochs (each minting a
//!   remainder to the community pool) and opens a new one late in the schedule (epoch ~16,000,
//!   15-bit exponent, the longest `q^n` before the allocation runs out).
//!
//! Requirement on the runtime: `BenchmarkHelper::set_weight` makes `ComputeWeights` report the
//! given weight (the sprint pallet's helper).

use super::*;
use crate::Pallet as Emission;
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::RawOrigin;

/// Report weight 1 of 2 for `who` in `epoch` and settle it.
fn settle_with<T: Config>(epoch: EpochIndex, who: &T::AccountId) {
	T::BenchmarkHelper::set_weight(epoch, who, 1, 2);
	Emission::<T>::settle(epoch, 2);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn claim() -> Result<(), BenchmarkError> {
		let host: T::AccountId = account("host", 0, 0);
		let window = Emission::<T>::claim_window();
		let base = LastSettled::<T>::get().map_or(0, |l| l + 1);
		for i in 0..=window {
			settle_with::<T>(base + i, &host);
		}
		for i in 0..window {
			Emission::<T>::do_claim(host.clone(), base + i)?;
		}
		let target = base + window;
		let paid_before = TotalMinted::<T>::get();

		#[extrinsic_call]
		claim(RawOrigin::Signed(host.clone()), target);

		assert_eq!(Claimed::<T>::get(&host).len() as u32, window + 1);
		assert!(TotalMinted::<T>::get() > paid_before);
		Ok(())
	}

	#[benchmark]
	fn on_weights_finalized(
		c: Linear<0, { T::MaxOpenEpochs::get() }>,
	) -> Result<(), BenchmarkError> {
		let host: T::AccountId = account("host", 0, 0);
		let window = Emission::<T>::claim_window();
		let base: EpochIndex = 16_000;
		let mut open = BoundedVec::<EpochIndex, T::MaxOpenEpochs>::new();
		for i in 0..c {
			EpochRewards::<T>::insert(
				base + i,
				EpochReward {
					reward: T::InitialReward::get(),
					total_weight: 2,
					paid: 0,
					claimed_weight: 0,
				},
			);
			open.try_push(base + i).map_err(|_| BenchmarkError::Stop("MaxOpenEpochs"))?;
		}
		OpenEpochs::<T>::put(open);
		LastSettled::<T>::put(base + c);
		let target = base + c + window;
		T::BenchmarkHelper::set_weight(target, &host, 1, 2);

		#[block]
		{
			Emission::<T>::settle(target, 2);
		}

		assert_eq!(LastSettled::<T>::get(), Some(target));
		assert!(OpenEpochs::<T>::get().iter().all(|e| *e == target));
		Ok(())
	}

	impl_benchmark_test_suite!(Emission, crate::mock::new_test_ext(), crate::mock::Test);
}
