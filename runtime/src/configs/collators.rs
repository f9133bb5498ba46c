//! Block authoring: Aura with async backing, sessions and the collator set.
//!
//! Collators are the invulnerables chosen at genesis plus candidates who bond through
//! pallet-collator-selection. Block production is not the same as compute: a host's GNK and
//! voting power come from the sprint, not from authoring blocks.

use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64},
	PalletId,
};
use frame_system::EnsureRoot;

use crate::{
	AccountId, Aura, AuraId, Balance, Balances, BlockNumber, CollatorSelection, Runtime,
	RuntimeEvent, Session, SessionKeys, HOURS, MILLI_GNK, SLOT_DURATION,
};

parameter_types! {
	/// Session length: 6 hours of blocks.
	pub const Period: BlockNumber = 6 * HOURS;
	/// Sessions start at block 0.
	pub const Offset: BlockNumber = 0;
	/// The account that collects fees for collators.
	pub const PotId: PalletId = PalletId(*b"PotStake");
	/// Held from a collator while its session keys are set; returned when purged.
	pub const SessionKeyDeposit: Balance = 10 * MILLI_GNK;
}

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	type EventHandler = (CollatorSelection,);
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	// No stash/controller split: a collator is its own account.
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ShouldEndSession = pallet_session::PeriodicSessions<Period, Offset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<Period, Offset>;
	type SessionManager = CollatorSelection;
	type SessionHandler = <SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = crate::weights::pallet_session::WeightInfo<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<100_000>;
	type AllowMultipleBlocksPerSlot = ConstBool<true>;
	type SlotDuration = ConstU64<SLOT_DURATION>;
}

impl cumulus_pallet_aura_ext::Config for Runtime {}

impl pallet_collator_selection::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	// Root until compute-weighted governance routes this to a referendum track.
	type UpdateOrigin = EnsureRoot<AccountId>;
	type PotId = PotId;
	type MaxCandidates = ConstU32<100>;
	type MinEligibleCollators = ConstU32<1>;
	type MaxInvulnerables = ConstU32<20>;
	// A multiple of the session length, or kicking gets inconsistent.
	type KickThreshold = Period;
	type ValidatorId = AccountId;
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ValidatorRegistration = Session;
	type WeightInfo = crate::weights::pallet_collator_selection::WeightInfo<Runtime>;
}
