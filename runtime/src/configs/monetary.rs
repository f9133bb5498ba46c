//! The GNK token (pallet-balances) and transaction fees.
//!
//! Fees and tips go to the collator staking pot, which pays the collators that author blocks.
//! (The community pool of the economics design receives protocol dust and slashes, not fees.)

use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU8, VariantCountOf},
	weights::ConstantMultiplier,
	PalletId,
};
use polkadot_runtime_common::SlowAdjustingFeeUpdate;
use sp_runtime::traits::AccountIdConversion;

use crate::{
	AccountId, Balance, Balances, Runtime, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason,
	System, WeightToFee, EXISTENTIAL_DEPOSIT, MICRO_GNK,
};

parameter_types! {
	/// Minimum balance an account must keep to exist.
	pub const ExistentialDeposit: Balance = EXISTENTIAL_DEPOSIT;
	/// Fee per byte of an extrinsic: 10 micro-GNK.
	pub const TransactionByteFee: Balance = 10 * MICRO_GNK;
	/// Identity of the community pool (`modlpy/gnk/pool`).
	pub const CommunityPoolPalletId: PalletId = PalletId(*b"gnk/pool");
	/// The community pool: receives slashed collateral and (with the emission issue) protocol
	/// dust and its genesis allocation; spending it is a governance decision.
	pub CommunityPool: AccountId = CommunityPoolPalletId::get().into_account_truncating();
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type MaxReserves = ConstU32<50>;
	type ReserveIdentifier = [u8; 8];
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type DoneSlashHandler = ();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = pallet_transaction_payment::FungibleAdapter<
		Balances,
		parachains_common::impls::DealWithFees<Runtime>,
	>;
	type WeightToFee = WeightToFee;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = SlowAdjustingFeeUpdate<Self>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}
