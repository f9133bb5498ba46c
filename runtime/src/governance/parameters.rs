//! Runtime parameters the `parameters` track tunes without a runtime upgrade
//! (pallet-parameters).
//!
//! Each value here is read by its pallet at the moment it is used, so an enacted referendum
//! takes effect from the next block. Defaults are the values the pallets were designed with;
//! the sprint's PoW parameters are not here because the sprint pallet stores them itself
//! (`Sprint::set_pow_params`, also on the `parameters` track). Emission's schedule (R0, decay,
//! allocation) is deliberately absent: it is a published promise, changed only by a runtime
//! upgrade on the `root` track.

// The `dynamic_pallet_params` macro generates undocumented modules.
#![allow(missing_docs)]

use frame_support::dynamic_params::{dynamic_pallet_params, dynamic_params};

use crate::{Balance, Runtime, GNK};

/// The tunable parameters, grouped by the pallet that reads them.
#[dynamic_params(RuntimeParameters, pallet_parameters::Parameters::<Runtime>)]
pub mod dynamic_params {
	use super::*;

	/// Sprint settlement.
	#[dynamic_pallet_params]
	#[codec(index = 0)]
	pub mod sprint {
		/// No host holds more than this share of an epoch's accepted weight.
		#[codec(index = 0)]
		pub static MaxShare: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(25);
		/// Weight a validator loses per assigned target it leaves unjudged.
		#[codec(index = 1)]
		pub static SilencePenalty: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(10);
		/// Collateral slashed from a host its committee found invalid (plus
		/// `CollateralPerNonce` for each nonce it claimed).
		#[codec(index = 2)]
		pub static RejectionSlash: Balance = 100 * GNK;
		/// Weight a validator loses per verdict that contradicts the decided outcome (at most
		/// 50% is applied per verdict).
		#[codec(index = 3)]
		pub static ContradictionPenalty: sp_runtime::Perbill =
			sp_runtime::Perbill::from_percent(10);
		/// Nonces a host without weight in the active epoch may claim with no collateral.
		#[codec(index = 4)]
		pub static NewHostNonces: u32 = 10_000;
		/// A host may claim up to this multiple of its active weight with no collateral.
		#[codec(index = 5)]
		pub static MaxGrowthFactor: u32 = 2;
		/// Collateral (base units) backing each nonce claimed beyond the record allowance, and
		/// slashed per claimed nonce on rejection: 0.01 GNK.
		#[codec(index = 6)]
		pub static CollateralPerNonce: Balance = GNK / 100;
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl Default for RuntimeParameters {
	fn default() -> Self {
		RuntimeParameters::Sprint(dynamic_params::sprint::Parameters::MaxShare(
			dynamic_params::sprint::MaxShare,
			Some(sp_runtime::Perbill::from_percent(25)),
		))
	}
}
