//! A FRAME mock runtime for the emission pallet: System, Balances and the pallet, with
//! `ComputeWeights` served from an in-memory table.

use crate::{self as pallet_gonka_emission, *};
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::ConstU128};
use gonka_primitives::GNK;
use sp_arithmetic::Perquintill;
use sp_runtime::BuildStorage;
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;
/// Account ids are plain numbers in the mock.
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Emission: pallet_gonka_emission,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = u128;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
}

/// The community pool account.
pub const POOL: AccountId = 1_000_000;
/// Community pool allocation at genesis in the mock (the default).
pub const POOL_GENESIS: Balance = defaults::COMMUNITY_POOL_ALLOCATION;
/// Balance of accounts 100 and 101 at genesis (fee payers that are not hosts).
pub const INITIAL: Balance = 1_000 * GNK;
/// Claim window of the mock.
pub const WINDOW: u32 = 3;

parameter_types! {
	pub const CommunityPool: AccountId = POOL;
	pub static InitialReward: Balance = defaults::INITIAL_REWARD;
	pub static DecayRate: Perquintill = defaults::DECAY_RATE;
	pub static MiningAllocation: Balance = defaults::MINING_ALLOCATION;
	pub static ClaimWindow: u32 = WINDOW;
	pub const MaxOpenEpochs: u32 = 8;
}

thread_local! {
	static WEIGHTS: RefCell<BTreeMap<(EpochIndex, AccountId), ComputeWeight>> =
		const { RefCell::new(BTreeMap::new()) };
	static TOTALS: RefCell<BTreeMap<EpochIndex, ComputeWeight>> =
		const { RefCell::new(BTreeMap::new()) };
}

/// The sprint pallet's weights, as a table the tests fill in.
pub struct MockWeights;
impl ComputeWeights<AccountId> for MockWeights {
	fn active_epoch() -> Option<EpochIndex> {
		TOTALS.with(|t| t.borrow().keys().last().copied())
	}
	fn weight_of(epoch: EpochIndex, who: &AccountId) -> ComputeWeight {
		WEIGHTS.with(|w| w.borrow().get(&(epoch, *who)).copied().unwrap_or(0))
	}
	fn total_weight(epoch: EpochIndex) -> ComputeWeight {
		TOTALS.with(|t| t.borrow().get(&epoch).copied().unwrap_or(0))
	}
}

/// Report `weight` for `who` in `epoch` (without touching the total).
pub fn set_weight(epoch: EpochIndex, who: AccountId, weight: ComputeWeight) {
	WEIGHTS.with(|w| w.borrow_mut().insert((epoch, who), weight));
}

/// Report the final weights of `epoch` (total = their sum) and settle it. Returns the total.
pub fn settle(epoch: EpochIndex, weights: &[(AccountId, ComputeWeight)]) -> ComputeWeight {
	let total = weights.iter().map(|(_, w)| w).sum();
	for (who, w) in weights {
		set_weight(epoch, *who, *w);
	}
	TOTALS.with(|t| t.borrow_mut().insert(epoch, total));
	<Emission as OnWeightsFinalized>::on_weights_finalized(epoch, total);
	total
}

#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper<AccountId> for MockWeights {
	fn set_weight(epoch: EpochIndex, who: &AccountId, weight: ComputeWeight, total: ComputeWeight) {
		set_weight(epoch, *who, weight);
		TOTALS.with(|t| t.borrow_mut().insert(epoch, total));
	}
}

impl Config for Test {
	type Currency = Balances;
	type ComputeWeights = MockWeights;
	type CommunityPool = CommunityPool;
	type InitialReward = InitialReward;
	type DecayRate = DecayRate;
	type MiningAllocation = MiningAllocation;
	type ClaimWindow = ClaimWindow;
	type MaxOpenEpochs = MaxOpenEpochs;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockWeights;
}

/// Genesis: accounts 100 and 101 funded, the community pool allocation minted.
pub fn new_test_ext() -> sp_io::TestExternalities {
	WEIGHTS.with(|w| w.borrow_mut().clear());
	TOTALS.with(|t| t.borrow_mut().clear());
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(100, INITIAL), (101, INITIAL)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_gonka_emission::GenesisConfig::<Test>::default()
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` on a fresh genesis, then check the invariants, including the exact issuance
/// identity: issuance = genesis balances + pool allocation + everything emission minted.
pub fn test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		check_invariants();
	});
}

/// The pallet's `try_state` plus the mock's exact issuance identity.
pub fn check_invariants() {
	Emission::do_try_state().expect("invariants hold");
	assert_eq!(
		Balances::total_issuance(),
		2 * INITIAL + CommunityPoolGenesis::<Test>::get() + TotalMinted::<Test>::get(),
		"issuance = genesis + pool allocation + minted"
	);
}
