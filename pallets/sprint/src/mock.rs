//! A FRAME mock runtime for the sprint pallet: System and the pallet, with an in-memory host
//! registry and a deterministic randomness source.

use crate::{self as pallet_gonka_sprint, *};
use alloc::collections::BTreeMap;
use core::cell::RefCell;
use frame_support::{
	derive_impl,
	pallet_prelude::{TransactionSource, TransactionValidityError},
	parameter_types,
	traits::{Authorize, Hooks, Randomness},
};
use frame_system::EnsureRoot;
use gonka_primitives::{
	crypto::worker::WorkerPair,
	hosts::{Endpoint, ModelId, ModelTerms, SlashReason},
	sprint::{commitment_payload, verdicts_payload},
};
use sp_core::{Pair as _, H256};
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use sp_runtime::{BuildStorage, DispatchError, DispatchResult, Perbill};

type Block = frame_system::mocking::MockBlock<Test>;
/// Account ids are plain numbers in the mock.
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Sprint: pallet_gonka_sprint,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// A registered host of the mock registry.
#[derive(Clone, Debug)]
pub struct MockHost {
	/// Its worker key.
	pub key: WorkerId,
	/// Whether it is active.
	pub active: bool,
}

thread_local! {
	/// The mock host registry.
	pub static HOSTS: RefCell<BTreeMap<AccountId, MockHost>> = const { RefCell::new(BTreeMap::new()) };
	/// Slashes: (host, amount).
	pub static SLASHES: RefCell<Vec<(AccountId, u128)>> = const { RefCell::new(Vec::new()) };
	/// Collateral of hosts that differs from the default [`DEFAULT_COLLATERAL`].
	pub static COLLATERAL: RefCell<BTreeMap<AccountId, u128>> = const { RefCell::new(BTreeMap::new()) };
	/// `on_weights_finalized` calls: (epoch, total).
	pub static FINALIZED: RefCell<Vec<(EpochIndex, u128)>> = const { RefCell::new(Vec::new()) };
}

/// Collateral of a mock host unless [`set_collateral`] says otherwise.
pub const DEFAULT_COLLATERAL: u128 = 1_000;

/// Set `who`'s slashable collateral.
pub fn set_collateral(who: AccountId, amount: u128) {
	COLLATERAL.with(|c| c.borrow_mut().insert(who, amount));
}

/// Rotate `who`'s worker key to the deterministic key of `seed_of` (takes effect at once).
pub fn rotate_key(who: AccountId, seed_of: AccountId) {
	HOSTS.with(|h| {
		if let Some(x) = h.borrow_mut().get_mut(&who) {
			x.key = pair(seed_of).public();
		}
	});
}

/// The worker key pair of mock host `who` (deterministic).
pub fn pair(who: AccountId) -> WorkerPair {
	let mut seed = [0u8; 32];
	seed[..8].copy_from_slice(&who.to_le_bytes());
	seed[31] = 0x5a;
	WorkerPair::from_seed(&seed)
}

/// Register `who` in the mock registry with its deterministic worker key.
pub fn register(who: AccountId) {
	HOSTS.with(|h| h.borrow_mut().insert(who, MockHost { key: pair(who).public(), active: true }));
}

/// Register `who` with a given worker key (benchmarks).
#[cfg(feature = "runtime-benchmarks")]
pub fn register_with_key(who: AccountId, key: WorkerId) {
	HOSTS.with(|h| h.borrow_mut().insert(who, MockHost { key, active: true }));
}

/// The in-memory host registry.
pub struct MockRegistry;
impl HostRegistry<AccountId, u128> for MockRegistry {
	fn is_active(host: &AccountId) -> bool {
		HOSTS.with(|h| h.borrow().get(host).is_some_and(|x| x.active))
	}
	fn worker_key(host: &AccountId) -> Option<WorkerId> {
		HOSTS.with(|h| h.borrow().get(host).map(|x| x.key.clone()))
	}
	fn host_of_worker(key: &WorkerId) -> Option<AccountId> {
		HOSTS.with(|h| h.borrow().iter().find(|(_, x)| &x.key == key).map(|(a, _)| *a))
	}
	fn endpoint(_: &AccountId) -> Option<Endpoint> {
		None
	}
	fn hosts_serving(_: ModelId, _: Option<AccountId>, _: u32) -> Vec<AccountId> {
		Vec::new()
	}
	fn hosts_serving_window(_: ModelId, _: [u8; 16], _: u32) -> Vec<AccountId> {
		Vec::new()
	}
	fn model_terms(_: ModelId) -> Option<ModelTerms<u128>> {
		None
	}
	fn collateral(host: &AccountId) -> u128 {
		COLLATERAL.with(|c| c.borrow().get(host).copied().unwrap_or(DEFAULT_COLLATERAL))
	}
	fn slash(host: &AccountId, amount: u128, _: SlashReason) -> u128 {
		let held = Self::collateral(host);
		let taken = amount.min(held);
		set_collateral(*host, held - taken);
		SLASHES.with(|s| s.borrow_mut().push((*host, taken)));
		taken
	}
	fn host_count() -> u32 {
		HOSTS.with(|h| h.borrow().len() as u32)
	}
}

/// Deterministic randomness: the hash of the subject and the block number.
pub struct TestRandomness;
impl Randomness<H256, u64> for TestRandomness {
	fn random(subject: &[u8]) -> (H256, u64) {
		let n = System::block_number();
		let mut pre = subject.to_vec();
		pre.extend_from_slice(&n.to_le_bytes());
		(H256(sp_io::hashing::blake2_256(&pre)), n)
	}
}

/// Records `on_weights_finalized` calls.
pub struct RecordFinalized;
impl OnWeightsFinalized for RecordFinalized {
	fn on_weights_finalized(epoch: EpochIndex, total: u128) {
		FINALIZED.with(|f| f.borrow_mut().push((epoch, total)));
	}
}

/// Epoch length of the mock (the dev preset's).
pub const EPOCH: u32 = 40;
/// Sprint start offset.
pub const SPRINT_START: u32 = 2;
/// Sprint length.
pub const SPRINT: u32 = 10;
/// Commit grace.
pub const GRACE: u32 = 3;
/// Validation window.
pub const VALIDATION: u32 = 15;
/// Sample size.
pub const SAMPLES: u32 = 1000;
/// Collateral slashed from a rejected host.
pub const REJECTION_SLASH: u128 = 50;

parameter_types! {
	pub const DefaultClock: EpochClock = EpochClock {
		epoch_length: EPOCH,
		sprint_start: SPRINT_START,
		sprint_length: SPRINT,
		commit_grace: GRACE,
		validation_window: VALIDATION,
	};
	pub static CommitteeSize: u32 = 5;
	pub const SampleSize: u32 = SAMPLES;
	pub const HonestMismatchRate: Perbill = Perbill::from_percent(2);
	pub const Significance: Perbill = Perbill::from_parts(1_000_000); // 1e-3
	pub static MaxShare: Perbill = Perbill::from_percent(100);
	pub const SilencePenalty: Perbill = Perbill::from_percent(10);
	pub const RejectionSlash: u128 = REJECTION_SLASH;
	pub static ContradictionPenalty: Perbill = Perbill::from_percent(10);
	pub static NewHostNonces: u32 = 1_000_000;
	pub static MaxGrowthFactor: u32 = 2;
	pub static CollateralPerNonce: u128 = 0;
	pub const MaxCommitmentsPerHost: u32 = 2;
	pub const MaxParticipants: u32 = 64;
	pub const MaxVerdictsPerCall: u32 = 8;
	pub const ChunkSize: u32 = 2;
	pub const MaxGenesisValidators: u32 = 32;
	pub static MaxSettlePerBlock: u32 = 2;
	pub const MaxPrunePerBlock: u32 = 3;
	pub const HistoryDepth: u32 = 2;
	pub const ProvenLookback: u32 = 2;
	pub const UnsignedPriority: u64 = 1 << 20;
}

impl pallet_gonka_sprint::Config for Test {
	type Hosts = MockRegistry;
	type Randomness = TestRandomness;
	type ParamsOrigin = EnsureRoot<AccountId>;
	type OnWeightsFinalized = RecordFinalized;
	type DefaultClock = DefaultClock;
	type CommitteeSize = CommitteeSize;
	type SampleSize = SampleSize;
	type HonestMismatchRate = HonestMismatchRate;
	type Significance = Significance;
	type MaxShare = MaxShare;
	type SilencePenalty = SilencePenalty;
	type RejectionSlash = RejectionSlash;
	type ContradictionPenalty = ContradictionPenalty;
	type NewHostNonces = NewHostNonces;
	type MaxGrowthFactor = MaxGrowthFactor;
	type CollateralPerNonce = CollateralPerNonce;
	type MaxCommitmentsPerHost = MaxCommitmentsPerHost;
	type MaxParticipants = MaxParticipants;
	type MaxVerdictsPerCall = MaxVerdictsPerCall;
	type ChunkSize = ChunkSize;
	type MaxGenesisValidators = MaxGenesisValidators;
	type MaxSettlePerBlock = MaxSettlePerBlock;
	type MaxPrunePerBlock = MaxPrunePerBlock;
	type HistoryDepth = HistoryDepth;
	type ProvenLookback = ProvenLookback;
	type UnsignedPriority = UnsignedPriority;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Registers benchmark hosts in the mock registry with keystore keys.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn register_host(who: &AccountId) -> WorkerId {
		use sp_runtime::RuntimeAppPublic;
		let key = WorkerId::generate_pair(None);
		register_with_key(*who, key.clone());
		key
	}
}

/// Tiny valid PoW parameters.
pub fn tiny_params() -> PowParams {
	PowParams {
		dim: 64,
		layers: 2,
		heads: 4,
		kv_heads: 2,
		ffn_dim: 128,
		vocab: 256,
		seq_len: 16,
		rope_theta: 10_000,
		r_target: 1_356_000_000,
	}
}

/// Builds test externalities.
pub struct ExtBuilder {
	validators: Vec<AccountId>,
	hosts: Vec<AccountId>,
	params: bool,
	clock: Option<EpochClock>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { validators: vec![1, 2, 3], hosts: (1..=8).collect(), params: true, clock: None }
	}
}

impl ExtBuilder {
	/// A genesis epoch clock instead of the default.
	pub fn clock(mut self, clock: EpochClock) -> Self {
		self.clock = Some(clock);
		self
	}

	/// Genesis validators.
	pub fn validators(mut self, v: Vec<AccountId>) -> Self {
		self.validators = v;
		self
	}
	/// Start without PoW parameters.
	pub fn without_params(mut self) -> Self {
		self.params = false;
		self
	}

	/// Externalities at block 1, with a keystore for benchmarks.
	pub fn build(self) -> sp_io::TestExternalities {
		HOSTS.with(|h| h.borrow_mut().clear());
		SLASHES.with(|s| s.borrow_mut().clear());
		COLLATERAL.with(|c| c.borrow_mut().clear());
		FINALIZED.with(|f| f.borrow_mut().clear());
		for h in &self.hosts {
			register(*h);
		}
		let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_gonka_sprint::GenesisConfig::<Test> {
			clock: self.clock,
			pow_params: self.params.then(tiny_params),
			validators: self.validators,
		}
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
			Sprint::do_try_state().expect("invariants hold");
		})
	}
}

/// Externalities of the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}

/// Advance to block `n`, running `on_initialize` of every block on the way (events of earlier
/// blocks are kept).
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Sprint::on_initialize(next);
	}
}

/// Advance to `offset` of `epoch`.
pub fn run_to_offset(epoch: u32, offset: u32) {
	run_to((epoch * EPOCH + offset) as u64)
}

/// A signed commitment call of `host`, with the submission index the chain expects next.
pub fn commitment_call(host: AccountId, epoch: u32, count: u32) -> Call<Test> {
	let submission = Commitments::<Test>::get(epoch, host).map_or(0, |r| r.submissions);
	commitment_call_as(host, host, epoch, count, submission)
}

/// A commitment of `host` with an explicit submission index, signed by the key of `signer`.
pub fn commitment_call_as(
	signer: AccountId,
	host: AccountId,
	epoch: u32,
	count: u32,
	submission: u32,
) -> Call<Test> {
	let commitment = SprintCommitment { epoch, count, merkle_root: H256::repeat_byte(host as u8) };
	let payload = commitment_payload(&Sprint::genesis_hash(), &commitment, submission, &host);
	let signature = pair(signer).sign(&payload);
	Call::submit_commitment { commitment, submission, host, signature }
}

/// A signed verdicts call of `validator`.
pub fn verdicts_call(
	validator: AccountId,
	epoch: u32,
	verdicts: Vec<(AccountId, ValidationVerdict)>,
) -> Call<Test> {
	verdicts_call_as(validator, validator, epoch, verdicts, Sprint::genesis_hash())
}

/// A verdicts call of `validator` signed by the key of `signer` for the chain of `genesis`
/// (forgeries and other chains' signatures).
pub fn verdicts_call_as(
	signer: AccountId,
	validator: AccountId,
	epoch: u32,
	verdicts: Vec<(AccountId, ValidationVerdict)>,
	genesis: [u8; 32],
) -> Call<Test> {
	let payload = verdicts_payload(&genesis, epoch, &validator, &verdicts);
	let signature = pair(signer).sign(&payload);
	Call::submit_verdicts {
		epoch,
		validator,
		verdicts: verdicts.try_into().expect("within MaxVerdictsPerCall"),
		signature,
	}
}

/// Why a submission failed.
#[derive(Debug, PartialEq, Eq)]
pub enum SubmitError {
	/// The authorisation refused it (the pool would).
	Authorize(TransactionValidityError),
	/// The dispatch failed.
	Dispatch(DispatchError),
}

/// Authorise `call` as the pool would, then dispatch it with the `Authorized` origin, as
/// `AuthorizeCall` does in a block.
pub fn submit(call: Call<Test>) -> Result<(), SubmitError> {
	use frame_support::traits::UnfilteredDispatchable;
	call.authorize(TransactionSource::External)
		.expect("the call has an authorisation")
		.map_err(SubmitError::Authorize)?;
	call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into())
		.map(|_| ())
		.map_err(|e| SubmitError::Dispatch(e.error))
}

/// Dispatch `call` with the `Authorized` origin without running the authorisation (to see the
/// dispatch's own named errors).
pub fn dispatch_authorized(call: Call<Test>) -> DispatchResult {
	use frame_support::traits::UnfilteredDispatchable;
	call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into())
		.map(|_| ())
		.map_err(|e| e.error)
}

/// A verdict with `mismatches` of a full sample of `count` leaves.
pub fn verdict(count: u32, mismatches: u32) -> ValidationVerdict {
	ValidationVerdict { samples_checked: SAMPLES.min(count), mismatches, proofs_not_served: false }
}

/// The verdict of a host that did not serve its proofs.
pub fn not_served() -> ValidationVerdict {
	ValidationVerdict { samples_checked: 0, mismatches: 0, proofs_not_served: true }
}

/// Events of this pallet so far.
pub fn sprint_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Sprint(e) => Some(e),
			_ => None,
		})
		.collect()
}
