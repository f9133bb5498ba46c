//! Storage migrations of the hosts pallet.

use crate::*;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};

/// Version 0 → 1: catalogue entries gain [`ModelInfo::precision`]; existing models are
/// computed in [`ModelPrecision::F32`], what every host computed them in before.
pub mod v1 {
	use super::*;

	/// The catalogue entry as version 0 stored it.
	#[derive(Encode, Decode)]
	pub struct OldModelInfo<Balance> {
		/// See [`ModelInfo::name`].
		pub name: ModelName,
		/// See [`ModelInfo::weights_hash`].
		pub weights_hash: sp_core::H256,
		/// See [`ModelInfo::architecture`].
		pub architecture: Architecture,
		/// See [`ModelInfo::validation_threshold`].
		pub validation_threshold: sp_runtime::Perbill,
		/// See [`ModelInfo::price_per_1k_tokens`].
		pub price_per_1k_tokens: Balance,
		/// See [`ModelInfo::pow_weight_scale`].
		pub pow_weight_scale: sp_runtime::FixedU128,
		/// See [`ModelInfo::status`].
		pub status: ModelStatus,
	}

	/// Rewrites every catalogue entry (at most `MaxModels` reads and writes).
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			Models::<T>::translate::<OldModelInfo<BalanceOf<T>>, _>(|_, old| {
				count += 1;
				Some(ModelInfo {
					name: old.name,
					weights_hash: old.weights_hash,
					architecture: old.architecture,
					validation_threshold: old.validation_threshold,
					price_per_1k_tokens: old.price_per_1k_tokens,
					pow_weight_scale: old.pow_weight_scale,
					status: old.status,
					precision: ModelPrecision::F32,
				})
			});
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((Models::<T>::iter_keys().count() as u32).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u32::decode(&mut &state[..]).map_err(|_| "bad pre_upgrade state")?;
			let after: alloc::vec::Vec<_> = Models::<T>::iter_values().collect();
			ensure!(after.len() as u32 == before, "catalogue entries were lost");
			ensure!(
				after.iter().all(|m| m.precision == ModelPrecision::F32),
				"migrated models must be f32"
			);
			Ok(())
		}
	}

	/// The migration to add to the runtime's `Migrations`: runs once, when the on-chain storage
	/// version is 0, and sets it to 1.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
