//! The host registry: hosts, worker keys, collateral and the model catalogue.

use frame_support::{
	parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstU32},
};

use super::CommunityPool;
use crate::{Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason, DAYS, GNK, HOURS};

parameter_types! {
	/// Refundable deposit a host pays for its registry entry (keeps the registry spam-free).
	pub const HostDeposit: Balance = GNK;
	/// Collateral needed to count as active. Zero: one GPU is as welcome as a thousand; the
	/// sprint, not the collateral, decides weight.
	pub const MinCollateral: Balance = 0;
	/// Withdrawn collateral stays slashable this long (a week).
	pub const UnbondingDelay: BlockNumber = 7 * DAYS;
	/// A rotated worker key takes over this many blocks later (longer than a sprint phase).
	pub const KeyRotationDelay: BlockNumber = HOURS;
}

impl pallet_gonka_hosts::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnSlash = ResolveTo<CommunityPool, Balances>;
	// The model catalogue is decided on the `catalogue` track.
	type CatalogueOrigin = crate::governance::CatalogueOrRoot;
	type HostDeposit = HostDeposit;
	type MinCollateral = MinCollateral;
	type UnbondingDelay = UnbondingDelay;
	type KeyRotationDelay = KeyRotationDelay;
	type MaxHosts = ConstU32<100_000>;
	type MaxModels = ConstU32<256>;
	type MaxModelsPerHost = ConstU32<32>;
	type MaxUnbondingChunks = ConstU32<16>;
	type WeightInfo = pallet_gonka_hosts::weights::SubstrateWeight<Runtime>;
}
