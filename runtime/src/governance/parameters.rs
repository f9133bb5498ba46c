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

use crate::{Balance, BlockNumber, Runtime, GNK, MINUTES};

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

	/// The inference market (`docs/inference-market.md`).
	#[dynamic_pallet_params]
	#[codec(index = 1)]
	pub mod inference {
		/// Smallest session deposit: 0.1 GNK (keeps the session table spam-free).
		#[codec(index = 0)]
		pub static MinDeposit: Balance = GNK / 10;
		/// Executor slots drawn per session (at most 16).
		#[codec(index = 1)]
		pub static GroupSize: u32 = 16;
		/// Longest a session stays open: a week.
		#[codec(index = 2)]
		pub static MaxDuration: BlockNumber = 7 * 24 * 60 * MINUTES;
		/// Blocks after closing during which executors may still claim: 10 minutes.
		#[codec(index = 3)]
		pub static ClaimWindow: BlockNumber = 10 * MINUTES;
		/// Blocks validators have to attest sampled leaves: 30 minutes.
		#[codec(index = 4)]
		pub static ValidationWindow: BlockNumber = 30 * MINUTES;
		/// Validators per sampled leaf (at most 5).
		#[codec(index = 5)]
		pub static ValidatorsPerSample: u32 = 3;
		/// The floor of the sampling rate.
		#[codec(index = 6)]
		pub static MinSamplingRate: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(1);
		/// Clean samples that halve a host's sampling rate.
		#[codec(index = 7)]
		pub static RateHalfLife: u32 = 100;
		/// Miss rate tolerated before a host's draw weight falls.
		#[codec(index = 8)]
		pub static MissTolerance: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(5);
		/// Collateral slashed per leaf confirmed invalid: 100 GNK (covers requests up to 1 GNK
		/// at the 1% floor, `docs/inference-market.md` 6).
		#[codec(index = 9)]
		pub static InvalidSlash: Balance = 100 * GNK;
		/// Collateral slashed per false accusation: 10 GNK.
		#[codec(index = 10)]
		pub static FalseAccusationSlash: Balance = 10 * GNK;
		/// Share of each lane's pay that goes to the validators agreeing with the outcome.
		#[codec(index = 11)]
		pub static ValidationFee: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(5);
		/// Clean samples one invalid leaf outweighs in a host's draw factor: 10.
		#[codec(index = 12)]
		pub static InvalidPenalty: u32 = 10;
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
