//! [`ComputeTally`]: the tally `pallet-referenda` keeps for each referendum, in compute weight.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use frame_support::traits::{Get, VoteTally};
use gonka_primitives::compute::ComputeWeight;
use scale_info::TypeInfo;
use sp_runtime::Perbill;

/// Aye, nay and abstain weight of one referendum. `Electorate` gives the total compute weight of
/// the active epoch: support is measured against it.
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(Electorate))]
#[codec(mel_bound())]
pub struct ComputeTally<Electorate> {
	/// Weight voting aye.
	pub ayes: ComputeWeight,
	/// Weight voting nay.
	pub nays: ComputeWeight,
	/// Weight abstaining (counts for support, not for approval).
	pub abstains: ComputeWeight,
	#[codec(skip)]
	_electorate: PhantomData<Electorate>,
}

// Manual impls: derives would require `Electorate` itself to be Clone/Eq/Debug.
impl<E> Clone for ComputeTally<E> {
	fn clone(&self) -> Self {
		Self::from_parts(self.ayes, self.nays, self.abstains)
	}
}
impl<E> PartialEq for ComputeTally<E> {
	fn eq(&self, o: &Self) -> bool {
		(self.ayes, self.nays, self.abstains) == (o.ayes, o.nays, o.abstains)
	}
}
impl<E> Eq for ComputeTally<E> {}
impl<E> core::fmt::Debug for ComputeTally<E> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("ComputeTally")
			.field("ayes", &self.ayes)
			.field("nays", &self.nays)
			.field("abstains", &self.abstains)
			.finish()
	}
}

impl<E> ComputeTally<E> {
	/// A tally with the given weights.
	pub fn from_parts(ayes: ComputeWeight, nays: ComputeWeight, abstains: ComputeWeight) -> Self {
		Self { ayes, nays, abstains, _electorate: PhantomData }
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

impl<Class, E: Get<ComputeWeight>> VoteTally<ComputeWeight, Class> for ComputeTally<E> {
	fn new(_: Class) -> Self {
		Self::from_parts(0, 0, 0)
	}

	fn ayes(&self, _: Class) -> ComputeWeight {
		self.ayes
	}

	/// `(ayes + abstains) / electorate`: the share of the active epoch's proven compute that
	/// took part for the proposal or abstained. Zero while no epoch has weight.
	fn support(&self, _: Class) -> Perbill {
		let electorate = E::get();
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
		Self::from_parts(E::get().max(1), 0, 0)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn rejection(_: Class) -> Self {
		Self::from_parts(0, E::get().max(1), 0)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn from_requirements(support: Perbill, approval: Perbill, _: Class) -> Self {
		let electorate = E::get().max(1);
		let ayes = (support * electorate).max(1);
		let a = approval.deconstruct().max(1) as u128;
		let nays = ayes.saturating_mul(1_000_000_000u128.saturating_sub(a)) / a;
		Self::from_parts(ayes, nays, 0)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn setup(_: Class, _: Perbill) {}
}
