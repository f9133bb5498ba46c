//! Compute-weighted governance: who proposes, who decides, and what each decision may do.
//!
//! The machinery is FRAME's: `pallet-referenda` runs referenda on [`tracks`], `pallet-preimage`
//! stores proposals, `pallet-scheduler` enacts them, `pallet-parameters` holds the tunable
//! [`parameters`], `pallet-treasury` spends the community pool. What is Gonka's is the
//! electorate: `pallet-gonka-compute-voting` tallies every vote with the voter's compute weight
//! in the active epoch (what the sprint proved), so "one CPU, one vote" rather than one token.
//!
//! - **Proposing**: any *active host* (registered in `Hosts`) may submit a referendum, paying the
//!   submission deposit ([`configs::SubmissionDeposit`](crate::configs::SubmissionDeposit));
//!   anyone may then place the track's decision deposit. Both come back when the referendum
//!   ends unless it was killed (referenda's rules). An account that is not an active host gets
//!   `BadOrigin` from `Referenda.submit`.
//! - **Voting**: `ComputeVoting.vote(poll, Aye|Nay|Abstain)`; accounts with no weight in the
//!   active epoch get `ComputeVoting.NoComputeWeight`.
//! - **Deciding**: each track has its own periods and thresholds ([`tracks`]); the periods scale
//!   with the chain's epoch clock.
//! - **No sudo**: privileged calls accept only the track that governs them: runtime upgrades
//!   (`System.authorize_upgrade`) and everything else need `root`; the sprint's PoW parameters
//!   and [`parameters`] need `parameters`; the model catalogue needs `catalogue`; community-pool
//!   spends need `community-pool`. Genesis still starts a network from the chain spec alone.

pub mod origins;
pub mod parameters;
pub mod tracks;

pub use parameters::{dynamic_params, RuntimeParameters, RuntimeParametersKey};

use frame_support::traits::{EitherOf, EnsureOriginWithArg};
use frame_system::EnsureRoot;
use gonka_primitives::hosts::HostRegistry;

use crate::{AccountId, Hosts, OriginCaller, RuntimeOrigin};

/// An approved `parameters` referendum, or `root`.
pub type ParametersOrRoot = EitherOf<EnsureRoot<AccountId>, origins::ParametersAdmin>;
/// An approved `catalogue` referendum, or `root`.
pub type CatalogueOrRoot = EitherOf<EnsureRoot<AccountId>, origins::CatalogueAdmin>;

/// Admits a signed origin whose account is an active host: the proposers of referenda.
pub struct EnsureActiveHost;

impl EnsureOriginWithArg<RuntimeOrigin, OriginCaller> for EnsureActiveHost {
	type Success = AccountId;

	fn try_origin(
		origin: RuntimeOrigin,
		_track_origin: &OriginCaller,
	) -> Result<AccountId, RuntimeOrigin> {
		match origin.clone().into() {
			Ok(frame_system::RawOrigin::Signed(who)) if Hosts::is_active(&who) => Ok(who),
			_ => Err(origin),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin(_track_origin: &OriginCaller) -> Result<RuntimeOrigin, ()> {
		use sp_runtime::RuntimeAppPublic;
		let who: AccountId = frame_benchmarking::account("proposer", 0, 0);
		let key = pallet_gonka_sprint::WorkerId::generate_pair(None);
		Hosts::benchmark_insert_host(who.clone(), key).map_err(|_| ())?;
		Ok(frame_system::RawOrigin::Signed(who).into())
	}
}
