//! [`ComputeTally`]: the tally `pallet-referenda` keeps for each referendum, in compute weight.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use frame_support::traits::{Get, VoteTally};
use gonka_primitives::compute::ComputeWeight;
use scale_info::TypeInfo;
use sp_runtime::Perbill;

/// Aye, nay and abstain weight of one referendum, for the pallet configured by `T`: support is
/// measured against `T::Electorate` (the total compute weight of the voting epoch). Encoded as
/// the three weights (48 bytes); `T` is not part of the encoding or the metadata.
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ComputeTally<T> {
	/// Weight voting aye.
	pub ayes: ComputeWeight,
	/// Weight voting nay.
	pub nays: ComputeWeight,
	/// Weight abstaining (counts for support, not for approval).
	pub abstains: ComputeWeight,
	#[codec(skip)]
	_config: PhantomData<T>,
}

// Manual impls: derives would require `T` itself to be Clone/Eq/Debug.
impl<T> Clone for ComputeTally<T> {
	fn clone(&self) -> Self {
		Self::from_parts(self.ayes, self.nays, self.abstains)
	}
}
impl<T> PartialEq for ComputeTally<T> {
	fn eq(&self, o: &Self) -> bool {
		(self.ayes, self.nays, self.abstains) == (o.ayes, o.nays, o.abstains)
	}
}
impl<T> Eq for ComputeTally<T> {}
impl<T> core::fmt::Debug for ComputeTally<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("ComputeTally")
			.field("ayes", &self.ayes)
			.field("nays", &self.nays)
			.field("abstains", &self.abstains)
			.finish()
	}
}

impl<T> ComputeTally<T> {
	/// A tally with the given weights.
	pub fn from_parts(ayes: ComputeWeight, nays: ComputeWeight, abstains: ComputeWeight) -> Self {
		Self { ayes, nays, abstains, _config: PhantomData }
	}

	/// Adds `weight` to the side of `vote`.
	pub fn add(&mut self, vote: crate::ComputeVote, weight: ComputeWeight) {
		*self.side(vote) = self.side(vote).saturating_add(weight);
	}

	/// Removes `weight` from the side of `vote`.
	pub fn remove(&mut self, vote: crate::ComputeVote, weight: ComputeWeight) {
		*self.side(vote) = self.side(vote).saturating_sub(weight);
	}

	fn side(&mut self, vote: crate::ComputeVote) -> &mut ComputeWeight {
		match vote {
			crate::ComputeVote::Aye => &mut self.ayes,
			crate::ComputeVote::Nay => &mut self.nays,
			crate::ComputeVote::Abstain => &mut self.abstains,
		}
	}
}

impl<Class, T: crate::Config> VoteTally<ComputeWeight, Class> for ComputeTally<T> {
	fn new(_: Class) -> Self {
		Self::from_parts(0, 0, 0)
	}

	fn ayes(&self, _: Class) -> ComputeWeight {
		self.ayes
	}

	/// `(ayes + abstains) / electorate`: the share of the active epoch's proven compute that
	/// took part for the proposal or abstained. Zero while no epoch has weight.
	fn support(&self, _: Class) -> Perbill {
		let electorate = T::Electorate::get();
		if electorate == 0 {
			return Perbill::zero();
		}
		Perbill::from_rational(self.ayes.saturating_add(self.abstains).min(electorate), electorate)
	}

	/// `ayes / (ayes + nays)`, zero when nobody voted aye or nay.
	fn approval(&self, _: Class) -> Perbill {
		let decided = self.ayes.saturating_add(self.nays);
		if decided == 0 {
			Perbill::zero()
		} else {
			Perbill::from_rational(self.ayes, decided)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn unanimity(_: Class) -> Self {
		Self::from_parts(T::Electorate::get().max(1), 0, 0)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn rejection(_: Class) -> Self {
		Self::from_parts(0, T::Electorate::get().max(1), 0)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn from_requirements(support: Perbill, approval: Perbill, _: Class) -> Self {
		let electorate = T::Electorate::get().max(1);
		let ayes = (support * electorate).max(1);
		let a = approval.deconstruct().max(1) as u128;
		let nays = ayes.saturating_mul(1_000_000_000u128.saturating_sub(a)) / a;
		Self::from_parts(ayes, nays, 0)
	}

	/// Gives the electorate weight (a benchmark account holding 1,000,000 in the active epoch)
	/// if it has none, so that [`Self::unanimity`] and [`Self::from_requirements`] can pass a
	/// poll; without it support is zero and `pallet-referenda`'s "passing" benchmarks cannot
	/// pass anything.
	#[cfg(feature = "runtime-benchmarks")]
	fn setup(_: Class, _: Perbill) {
		use crate::BenchmarkHelper as _;
		if T::Electorate::get() == 0 {
			let voter: T::AccountId = frame_benchmarking::account("electorate", 0, 0);
			T::BenchmarkHelper::set_weight(&voter, 1_000_000);
		}
	}
}
