//! A FRAME mock runtime for the inference market: System, Balances, the real hosts pallet and
//! this pallet, with compute weights from a table the tests set.
//!
//! Accounts are `u64`; payers sign with `TestSignature(signer, message)`. Hosts `H1..=H8` are
//! genesis hosts with worker keys `//worker{n}` and collateral; hosts 1-6 serve model 0, hosts
//! 7-8 serve model 1 only. Developers are accounts 100 and up.

use crate::{self as pallet_gonka_inference, *};
use codec::Encode;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstU128, ConstU32, ConstU64, Hooks, Randomness},
};
use gonka_primitives::{
	compute::{ComputeWeight, ComputeWeights},
	crypto::worker::WorkerPair,
	market::{attest_payload, claim_payload, quote, voucher_payload},
	pow::EpochIndex,
};
use pallet_gonka_hosts::{GenesisHost, GenesisModel};
use sp_core::{Pair as _, H256};
use sp_runtime::{testing::TestSignature, BuildStorage, FixedU128, Perbill};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;
/// Account ids are plain numbers in the mock.
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Hosts: pallet_gonka_hosts,
		Inference: pallet_gonka_inference,
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

/// Where slashed collateral goes.
pub const POT: AccountId = 999;
/// Collateral of every genesis host.
pub const COLLATERAL: u128 = 1_000_000;
/// Initial balance of hosts and developers.
pub const INITIAL: u128 = 10_000_000;
/// Price per 1,000 tokens of models 0 and 1.
pub const PRICE: u128 = 1_000;
/// The developer account most tests use.
pub const DEV: AccountId = 100;
/// Its delegate key.
pub const DELEGATE: AccountId = 101;
/// Minimum deposit.
pub const MIN_DEPOSIT: u128 = 1_000;

parameter_types! {
	pub const SlashPot: AccountId = POT;
	pub static GroupSize: u32 = 4;
	pub static ValidatorsPerSample: u32 = 3;
	pub static MinSamplingRate: Perbill = Perbill::from_percent(1);
	pub static RateHalfLife: u32 = 10;
	pub static MissTolerance: Perbill = Perbill::from_percent(5);
	pub static InvalidPenalty: u32 = 10;
	pub static InvalidSlash: u128 = 10_000;
	pub static FalseAccusationSlash: u128 = 1_000;
	pub static ValidationFee: Perbill = Perbill::from_percent(10);
	pub static MaxSessions: u32 = 1_000;
	pub const MinDeposit: u128 = MIN_DEPOSIT;
	pub const MaxDuration: u64 = 100;
	pub const ClaimWindow: u64 = 5;
	pub const ValidationWindow: u64 = 5;
}

impl pallet_gonka_hosts::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OnSlash = ResolveTo<SlashPot, Balances>;
	type CatalogueOrigin = frame_system::EnsureRoot<AccountId>;
	type HostDeposit = ConstU128<10>;
	type MinCollateral = ConstU128<0>;
	type UnbondingDelay = ConstU64<10>;
	type KeyRotationDelay = ConstU64<5>;
	type MaxHosts = ConstU32<100>;
	type MaxModels = ConstU32<8>;
	type MaxModelsPerHost = ConstU32<4>;
	type MaxUnbondingChunks = ConstU32<3>;
	type WeightInfo = ();
}

thread_local! {
	static WEIGHTS: RefCell<BTreeMap<AccountId, ComputeWeight>> = RefCell::new(BTreeMap::new());
	static EPOCH: RefCell<Option<EpochIndex>> = const { RefCell::new(Some(1)) };
}

/// Set `host`'s weight in the active epoch.
pub fn set_weight(host: AccountId, weight: ComputeWeight) {
	WEIGHTS.with(|w| w.borrow_mut().insert(host, weight));
}

/// Set the active epoch.
pub fn set_epoch(epoch: EpochIndex) {
	EPOCH.with(|e| *e.borrow_mut() = Some(epoch));
}

/// Compute weights from the thread-local table, all in the active epoch.
pub struct TableWeights;
impl ComputeWeights<AccountId> for TableWeights {
	fn active_epoch() -> Option<EpochIndex> {
		EPOCH.with(|e| *e.borrow())
	}
	fn weight_of(epoch: EpochIndex, who: &AccountId) -> ComputeWeight {
		if Some(epoch) == Self::active_epoch() {
			WEIGHTS.with(|w| w.borrow().get(who).copied().unwrap_or(0))
		} else {
			0
		}
	}
	fn total_weight(epoch: EpochIndex) -> ComputeWeight {
		if Some(epoch) == Self::active_epoch() {
			WEIGHTS.with(|w| w.borrow().values().sum())
		} else {
			0
		}
	}
}

/// Randomness: the hash of the subject, the block number and a salt tests may change.
pub struct TestRandomness;
thread_local! {
	static SALT: RefCell<u64> = const { RefCell::new(0) };
}
/// Change the randomness every later draw sees (as if another block hash came out).
pub fn set_salt(salt: u64) {
	SALT.with(|s| *s.borrow_mut() = salt);
}
impl Randomness<H256, u64> for TestRandomness {
	fn random(subject: &[u8]) -> (H256, u64) {
		let n = System::block_number();
		let salt = SALT.with(|s| *s.borrow());
		(H256(sp_io::hashing::blake2_256(&(subject, n, salt).encode())), n)
	}
}
impl Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Hosts = Hosts;
	type Weights = TableWeights;
	type Randomness = TestRandomness;
	type PayerSignature = TestSignature;
	type MinDeposit = MinDeposit;
	type GroupSize = GroupSize;
	type MaxDuration = MaxDuration;
	type ClaimWindow = ClaimWindow;
	type ValidationWindow = ValidationWindow;
	type ValidatorsPerSample = ValidatorsPerSample;
	type MinSamplingRate = MinSamplingRate;
	type RateHalfLife = RateHalfLife;
	type MissTolerance = MissTolerance;
	type InvalidPenalty = InvalidPenalty;
	type InvalidSlash = InvalidSlash;
	type FalseAccusationSlash = FalseAccusationSlash;
	type ValidationFee = ValidationFee;
	type MaxGroupSize = ConstU32<16>;
	type MaxSamplesPerLane = ConstU32<8>;
	type MaxValidatorsPerSample = ConstU32<5>;
	type MaxCandidates = ConstU32<64>;
	type MaxAgendaPerBlock = ConstU32<4>;
	type MaxSessions = MaxSessions;
	type ReputationEpochs = ConstU32<4>;
	type UnsignedPriority = ConstU64<1_000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// The worker key pair of host `n`.
pub fn worker(n: AccountId) -> WorkerPair {
	WorkerPair::from_string(&format!("//worker{n}"), None).expect("valid derivation")
}

/// Hosts serving model 0.
pub const MODEL0_HOSTS: [AccountId; 6] = [1, 2, 3, 4, 5, 6];
/// Hosts serving only model 1.
pub const MODEL1_HOSTS: [AccountId; 2] = [7, 8];

/// Builder of test externalities.
pub struct ExtBuilder;

impl ExtBuilder {
	/// Externalities at block 1: hosts 1-8 registered with weight 100 each, epoch 1 active.
	pub fn build() -> sp_io::TestExternalities {
		let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: (1..=8).chain(100..=120).map(|a| (a, INITIAL)).chain([(POT, 1)]).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut t)
		.unwrap();
		let models = (0..3)
			.map(|id| GenesisModel {
				id,
				name: format!("model-{id}"),
				weights_hash: H256::repeat_byte(id as u8 + 1),
				architecture: "llama:dim=64,layers=2".into(),
				validation_threshold: Perbill::from_percent(90),
				price_per_1k_tokens: PRICE,
				pow_weight_scale: FixedU128::from_u32(1),
				precision: Default::default(),
			})
			.collect();
		let hosts = (1..=8u64)
			.map(|n| GenesisHost {
				account: n,
				worker_key: worker(n).public(),
				endpoint: format!("http://host{n}.test:8080"),
				models: if n <= 6 { vec![0] } else { vec![1] },
				hardware: Default::default(),
				collateral: COLLATERAL,
			})
			.collect();
		pallet_gonka_hosts::GenesisConfig::<Test> { models, hosts }
			.assimilate_storage(&mut t)
			.unwrap();
		WEIGHTS.with(|w| *w.borrow_mut() = (1..=8).map(|h| (h, 100)).collect());
		set_epoch(1);
		set_salt(0);
		let mut ext = sp_io::TestExternalities::new(t);
		ext.register_extension(sp_keystore::KeystoreExt::new(
			sp_keystore::testing::MemoryKeystore::new(),
		));
		ext.execute_with(|| System::set_block_number(1));
		ext
	}
}

/// Run `test` in fresh externalities, then check the pallet's invariants.
pub fn test(test: impl FnOnce()) {
	ExtBuilder::build().execute_with(|| {
		test();
		Inference::do_try_state().expect("invariants hold");
	})
}

/// Externalities of the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::build()
}

/// Advance to block `n`, running the pallet's hook on each block.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Inference::on_idle(next, frame_support::weights::Weight::MAX);
		Inference::do_try_state().expect("invariants hold after every block");
	}
}

/// Open a session of `DEV` on model 0 with `deposit`, 1,000 tokens per request, 20 blocks,
/// `DELEGATE` as delegate. Returns its id.
pub fn open(deposit: u128) -> SessionId {
	let id = NextSessionId::<Test>::get();
	Inference::open_session(RuntimeOrigin::signed(DEV), 0, deposit, 1_000, 20, Some(DELEGATE))
		.expect("opens");
	id
}

/// A voucher for `seq` requests of `tokens_each` tokens (half prompt, half output) on `slot`.
pub fn voucher(session: SessionId, slot: SlotIndex, seq: u64, tokens_each: u64) -> Voucher<u128> {
	let (i, o) = (seq * tokens_each / 2, seq * tokens_each - seq * tokens_each / 2);
	Voucher {
		session,
		slot,
		seq,
		amount: quote(PRICE, i, o),
		in_tokens: i,
		out_tokens: o,
		leaves_root: H256::repeat_byte(seq as u8),
	}
}

/// The payer `signer`'s signature over `v`.
pub fn payer_sig(signer: AccountId, v: &Voucher<u128>) -> TestSignature {
	TestSignature(signer, voucher_payload(&Inference::genesis_hash(), v))
}

/// A claim of `v`, signed by `DEV` and by the worker key of host `executor_key`.
pub fn claim_call_as(v: Voucher<u128>, payer: AccountId, executor_key: AccountId) -> Call<Test> {
	let executor_signature =
		worker(executor_key).sign(&claim_payload(&Inference::genesis_hash(), &v));
	Call::claim { payer_signature: payer_sig(payer, &v), voucher: v, executor_signature }
}

/// A correctly signed claim of `v` (payer `DEV`, the slot's executor's key).
pub fn claim_call(v: Voucher<u128>) -> Call<Test> {
	let executor = Sessions::<Test>::get(v.session).unwrap().group[v.slot as usize];
	claim_call_as(v, DEV, executor)
}

/// An attestation by `validator` (signed with its worker key).
pub fn attest_call(
	session: SessionId,
	slot: SlotIndex,
	leaf: u64,
	validator: AccountId,
	verdict: Verdict,
) -> Call<Test> {
	let payload =
		attest_payload(&Inference::genesis_hash(), session, slot, leaf, &validator, verdict);
	Call::attest {
		session,
		slot,
		leaf,
		validator,
		verdict,
		signature: worker(validator).sign(&payload),
	}
}

/// Why a fee-less call failed.
#[derive(Debug, PartialEq)]
pub enum SubmitError {
	/// The pool would refuse it.
	Authorize(frame_support::pallet_prelude::TransactionValidityError),
	/// Its dispatch failed.
	Dispatch(sp_runtime::DispatchError),
}

/// Authorise `call` as the pool would, then dispatch it with the `Authorized` origin.
pub fn submit(call: Call<Test>) -> Result<(), SubmitError> {
	use frame_support::{
		pallet_prelude::TransactionSource,
		traits::{Authorize, UnfilteredDispatchable},
	};
	call.authorize(TransactionSource::External)
		.expect("the call has an authorisation")
		.map_err(SubmitError::Authorize)?;
	call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into())
		.map(|_| ())
		.map_err(|e| SubmitError::Dispatch(e.error))
}

/// Dispatch `call` with the `Authorized` origin without its authorisation (to see the
/// dispatch's own named errors).
pub fn dispatch_authorized(call: Call<Test>) -> sp_runtime::DispatchResult {
	use frame_support::traits::UnfilteredDispatchable;
	call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into())
		.map(|_| ())
		.map_err(|e| e.error)
}

/// The error index of `e` as the pool reports it.
pub fn custom(e: Error<Test>) -> SubmitError {
	SubmitError::Authorize(crate::session::invalid::<Test>(e))
}

/// The inference events emitted so far.
pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Inference(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Free balance of `who`.
pub fn free(who: AccountId) -> u128 {
	use frame_support::traits::fungible::Inspect;
	Balances::balance(&who)
}

/// Benchmark helper of the mock: hosts from the real registry, weights in the table.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper<AccountId, TestSignature> for MockBenchmarkHelper {
	fn make_host(who: &AccountId, model: ModelId, weight: u128) -> WorkerId {
		use sp_runtime::RuntimeAppPublic;
		let key = WorkerId::generate_pair(None);
		Hosts::benchmark_insert_host_serving(*who, key.clone(), model).expect("fresh host");
		set_weight(*who, weight);
		key
	}
	fn model() -> ModelId {
		0
	}
	fn payer(seed: u32, balance: Balance) -> AccountId {
		use frame_support::traits::fungible::Mutate;
		let who = 10_000 + seed as u64;
		Balances::set_balance(&who, balance);
		who
	}
	fn sign(payer: &AccountId, payload: &[u8]) -> TestSignature {
		TestSignature(*payer, payload.to_vec())
	}
}
