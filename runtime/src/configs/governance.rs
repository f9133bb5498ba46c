//! Governance pallets: referenda with compute-weighted votes, their preimages and scheduler,
//! runtime parameters and community-pool spends. The design is in [`crate::governance`].

use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration, tokens::UnityAssetBalanceConversion, ConstU32,
		EqualPrivilegeOnly, LinearStoragePrice,
	},
	PalletId,
};
use frame_system::EnsureRoot;
use sp_runtime::{traits::IdentityLookup, Permill};

use super::{CommunityPool, CommunityPoolPalletId, RuntimeBlockWeights};
use crate::{
	governance::{origins, tracks, EnsureActiveHost, ParametersOrRoot, RuntimeParameters},
	AccountId, Balance, Balances, BlockNumber, OriginCaller, Preimage, Referenda, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler, Sprint, System,
	Treasury, DAYS, GNK, MILLI_GNK,
};

parameter_types! {
	/// What a host pays to submit a referendum (refunded when it ends, unless killed): 100 GNK.
	pub const SubmissionDeposit: Balance = 100 * GNK;
	/// Referenda waiting for a deciding slot, per track.
	pub const MaxQueued: u32 = 100;
	/// Scheduled calls (enactments, referendum alarms) may use 80% of a block.
	pub MaximumSchedulerWeight: frame_support::weights::Weight =
		RuntimeBlockWeights::get().max_block.saturating_mul(4) / 5;
	/// Holding a preimage costs 1 GNK plus 1 milli-GNK per byte, refunded when it is removed.
	pub const PreimageBaseDeposit: Balance = GNK;
	/// Per-byte part of the preimage deposit.
	pub const PreimageByteDeposit: Balance = MILLI_GNK;
	/// Why the preimage deposit is held.
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
	/// The community pool is the treasury's account.
	pub const TreasuryPalletId: PalletId = CommunityPoolPalletId::get();
	/// Approved `spend_local` proposals are paid once a day; `spend` payouts are claimable at once.
	pub const SpendPeriod: BlockNumber = DAYS;
	/// An approved spend can be paid out for 30 days.
	pub const PayoutPeriod: BlockNumber = 30 * DAYS;
	/// Nothing of the pool is burnt.
	pub const Burn: Permill = Permill::zero();
}

impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_referenda::WeightInfo<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = EnsureActiveHost;
	// Cancelling or killing a referendum is itself a `root` decision.
	type CancelOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	// Deposits of killed referenda go to the community pool.
	type Slash = Treasury;
	type Votes = gonka_primitives::compute::ComputeWeight;
	type Tally = pallet_gonka_compute_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = MaxQueued;
	type UndecidingTimeout = tracks::UndecidingTimeout;
	type AlarmInterval = ConstU32<1>;
	type Tracks = tracks::ComputeTracks;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_gonka_compute_voting::Config for Runtime {
	type ComputeWeights = Sprint;
	type Electorate = pallet_gonka_compute_voting::ActiveElectorate<Sprint, AccountId>;
	type Polls = Referenda;
	// 200 votes re-weighed per block after an epoch switch: ~7% of a block's proof size.
	type MaxRecountPerBlock = ConstU32<200>;
	type WeightInfo = pallet_gonka_compute_voting::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = VotingBenchmarkHelper;
}

/// Gives a benchmark voter weight in the sprint pallet's active (and voting) epoch.
#[cfg(feature = "runtime-benchmarks")]
pub struct VotingBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_gonka_compute_voting::BenchmarkHelper<AccountId> for VotingBenchmarkHelper {
	fn set_weight(who: &AccountId, weight: gonka_primitives::compute::ComputeWeight) {
		let epoch = pallet_gonka_sprint::ActiveEpoch::<Runtime>::get().unwrap_or(0);
		pallet_gonka_sprint::ActiveEpoch::<Runtime>::put(epoch);
		// The voting epoch is the validator source (the latest epoch with weight).
		pallet_gonka_sprint::ValidatorSource::<Runtime>::put(epoch);
		pallet_gonka_sprint::Weights::<Runtime>::insert(epoch, who, weight);
		pallet_gonka_sprint::TotalWeight::<Runtime>::mutate(epoch, |total| {
			*total = Some(total.unwrap_or(0).saturating_add(weight))
		});
	}
}

impl origins::Config for Runtime {}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = crate::weights::pallet_scheduler::WeightInfo<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_preimage::WeightInfo<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

impl pallet_parameters::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeParameters = RuntimeParameters;
	// Every parameter is decided on the `parameters` track (or by `root`).
	type AdminOrigin = frame_support::traits::AsEnsureOriginWithArg<ParametersOrRoot>;
	type WeightInfo = crate::weights::pallet_parameters::WeightInfo<Runtime>;
}

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	// Voiding an approved spend is a `root` decision.
	type RejectOrigin = EnsureRoot<AccountId>;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = SpendPeriod;
	type Burn = Burn;
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = crate::weights::pallet_treasury::WeightInfo<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = ConstU32<100>;
	type SpendOrigin = origins::CommunityPoolSpender;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = IdentityLookup<AccountId>;
	type Paymaster = frame_support::traits::tokens::pay::PayFromAccount<Balances, CommunityPool>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = PayoutPeriod;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TreasuryBenchmarkHelper;
	type BlockNumberProvider = System;
}

/// Benchmark arguments of the community-pool treasury: the native asset and a beneficiary.
///
/// `pallet_treasury`'s `payout` and `check_status` benchmarks pay 100 base units, far below the
/// existential deposit: as on the live chain (where emission funds the pool and a beneficiary is
/// a host), the pool and the beneficiary are made to exist first, holding the existential
/// deposit, so that the payment is a transfer between existing accounts.
#[cfg(feature = "runtime-benchmarks")]
pub struct TreasuryBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl TreasuryBenchmarkHelper {
	fn ensure_exists(who: &AccountId) {
		use frame_support::traits::fungible::{Inspect, Mutate};
		let ed = <Balances as Inspect<AccountId>>::minimum_balance();
		if Balances::balance(who) < ed {
			Balances::mint_into(who, ed).expect("minting the existential deposit");
		}
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl pallet_treasury::ArgumentsFactory<(), AccountId> for TreasuryBenchmarkHelper {
	fn create_asset_kind(_seed: u32) {
		Self::ensure_exists(&CommunityPool::get());
	}
	fn create_beneficiary(seed: [u8; 32]) -> AccountId {
		let who = AccountId::from(seed);
		Self::ensure_exists(&who);
		who
	}
}
