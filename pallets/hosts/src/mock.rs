//! A FRAME mock runtime for the hosts pallet: System, Balances and the pallet.

use crate::{self as pallet_gonka_hosts, *};
use frame_support::{
	derive_impl, parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstU128},
};
use gonka_primitives::crypto::{worker::WorkerPair, worker_pop_payload};
use sp_core::{Pair as _, H256};
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use sp_runtime::{BuildStorage, FixedU128, Perbill};

type Block = frame_system::mocking::MockBlock<Test>;
/// Account ids are plain numbers in the mock.
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		GonkaHosts: pallet_gonka_hosts,
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
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// The account slashed collateral goes to (the community pool of the real runtime).
pub const POT: AccountId = 999;
/// Registration deposit.
pub const DEPOSIT: u128 = 10;
/// Active collateral needed to be active.
pub const MIN_COLLATERAL: u128 = 100;
/// Unbonding delay in blocks.
pub const UNBONDING: u64 = 10;
/// Rotation delay in blocks.
pub const ROTATION: u64 = 5;
/// Initial balance of accounts 1..=20.
pub const INITIAL: u128 = 10_000;

parameter_types! {
	pub const SlashPot: AccountId = POT;
	pub static MaxHosts: u32 = 100;
	pub static MaxModels: u32 = 8;
	pub const MaxModelsPerHost: u32 = 4;
	pub const MaxUnbondingChunks: u32 = 3;
	pub const HostDeposit: u128 = DEPOSIT;
	pub const MinCollateral: u128 = MIN_COLLATERAL;
	pub const UnbondingDelay: u64 = UNBONDING;
	pub const KeyRotationDelay: u64 = ROTATION;
}

impl Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnSlash = ResolveTo<SlashPot, Balances>;
	type CatalogueOrigin = frame_system::EnsureRoot<AccountId>;
	type HostDeposit = HostDeposit;
	type MinCollateral = MinCollateral;
	type UnbondingDelay = UnbondingDelay;
	type KeyRotationDelay = KeyRotationDelay;
	type MaxHosts = MaxHosts;
	type MaxModels = MaxModels;
	type MaxModelsPerHost = MaxModelsPerHost;
	type MaxUnbondingChunks = MaxUnbondingChunks;
	type WeightInfo = ();
}

/// A deterministic worker key pair for `seed`.
pub fn worker(seed: u64) -> WorkerPair {
	WorkerPair::from_string(&format!("//worker{seed}"), None).expect("valid derivation")
}

/// The proof of possession of `pair` for `host`.
pub fn pop(pair: &WorkerPair, host: AccountId) -> WorkerSignature {
	pair.sign(&worker_pop_payload(&host))
}

/// A valid endpoint.
pub fn endpoint(s: &str) -> Endpoint {
	s.as_bytes().to_vec().try_into().expect("short enough")
}

/// The genesis catalogue of the mock: three active models, ids 0, 1, 2.
pub fn genesis_models() -> Vec<GenesisModel<u128>> {
	(0..3)
		.map(|id| GenesisModel {
			id,
			name: format!("model-{id}"),
			weights_hash: H256::repeat_byte(id as u8 + 1),
			architecture: "llama:dim=64,layers=2".into(),
			validation_threshold: Perbill::from_percent(90),
			price_per_1k_tokens: 5,
			pow_weight_scale: FixedU128::from_u32(1),
			precision: Default::default(),
		})
		.collect()
}

/// Builder of test externalities.
#[derive(Default)]
pub struct ExtBuilder {
	hosts: Vec<GenesisHost<AccountId, u128>>,
}

impl ExtBuilder {
	/// Add a genesis host.
	pub fn with_host(mut self, host: GenesisHost<AccountId, u128>) -> Self {
		self.hosts.push(host);
		self
	}

	/// Externalities at block 1, with a keystore for benchmarks.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: (1..=20).map(|a| (a, INITIAL)).chain([(POT, 1)]).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut t)
		.unwrap();
		pallet_gonka_hosts::GenesisConfig::<Test> { models: genesis_models(), hosts: self.hosts }
			.assimilate_storage(&mut t)
			.unwrap();
		let mut ext = sp_io::TestExternalities::new(t);
		ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Run `test`, then check the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			GonkaHosts::do_try_state().expect("invariants hold");
		})
	}
}

/// Externalities of the benchmark test suite.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}

/// Shorthand for `ExtBuilder::default().build_and_execute(test)`.
pub fn test(test: impl FnOnce()) {
	ExtBuilder::default().build_and_execute(test)
}
