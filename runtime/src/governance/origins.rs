//! The origins a referendum on a non-root track dispatches its call with.
//!
//! A track is identified by the origin its proposal asks for (`track_for` in
//! [`super::tracks`]). Root is frame_system's own origin; the others are this small pallet's
//! [`Origin`] variants, so each pallet's privileged calls can require *exactly* the track that
//! governs them (the sprint's PoW parameters accept [`ParametersAdmin`], never a catalogue
//! decision).

pub use pallet_custom_origins::*;

#[frame_support::pallet]
pub mod pallet_custom_origins {
	use crate::Balance;
	use frame_support::{
		pallet_prelude::*,
		traits::{EnsureOrigin, OriginTrait},
	};

	/// Nothing to configure: the pallet only declares origins.
	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The origin of an approved referendum on a non-root track.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// `parameters` track: sprint, emission and (later) inference parameters.
		ParametersAdmin,
		/// `catalogue` track: the model catalogue of the hosts pallet.
		CatalogueAdmin,
		/// `community-pool` track: spends from the community pool.
		CommunityPoolSpender,
	}

	/// Largest amount one `community-pool` referendum may spend: 1,000,000 GNK.
	pub const MAX_COMMUNITY_POOL_SPEND: Balance = 1_000_000 * crate::GNK;

	macro_rules! ensure_origin {
		($(#[$doc:meta])* $name:ident, $variant:ident, $success:ty, $value:expr) => {
			$(#[$doc])*
			pub struct $name;
			impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for $name
			where
				O: Into<Result<Origin, O>>,
			{
				type Success = $success;
				fn try_origin(o: O) -> Result<Self::Success, O> {
					match o.into() {
						Ok(Origin::$variant) => Ok($value),
						Ok(other) => Err(O::from(other)),
						Err(o) => Err(o),
					}
				}
				#[cfg(feature = "runtime-benchmarks")]
				fn try_successful_origin() -> Result<O, ()> {
					Ok(O::from(Origin::$variant))
				}
			}
		};
	}

	ensure_origin!(
		/// Passes only an approved `parameters` referendum.
		ParametersAdmin, ParametersAdmin, (), ()
	);
	ensure_origin!(
		/// Passes only an approved `catalogue` referendum.
		CatalogueAdmin, CatalogueAdmin, (), ()
	);
	ensure_origin!(
		/// Passes only an approved `community-pool` referendum; yields the most it may spend.
		CommunityPoolSpender, CommunityPoolSpender, Balance, MAX_COMMUNITY_POOL_SPEND
	);
}
