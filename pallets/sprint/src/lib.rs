//! # Sprint pallet
//!
//! The on-chain half of Gonka's sprint proof of work (byte-level protocol in
//! `docs/sprint-protocol.md`; threat model, defences and bounds in `docs/sprint-security.md`).
//! Once per epoch the chain fixes a seed, every host's GPU worker searches nonces of a random
//! transformer built from that seed and commits `(count, merkle_root)`, a weighted random committee of validators checks samples of
//! every commitment off chain and submits verdicts, and the chain turns accepted commitments into
//! per-host *compute weights* that drive emission, governance and inference routing.
//!
//! ## Epoch clock
//!
//! Fixed at genesis in [`Clock`] ([`gonka_primitives::epoch`] has the table): an epoch of
//! `epoch_length` blocks contains a waiting phase, the sprint (`sprint_length` blocks from offset
//! `sprint_start`), a commit grace, a validation window and a settlement phase. Weights settled
//! during epoch `e`'s settlement phase become active at the first block of epoch `e + 1`
//! ([`Event::WeightsActivated`]).
//!
//! ## Seed
//!
//! At the sprint's first block (offset `sprint_start`, in `on_initialize`):
//! `seed = blake2_256(SEED_TAG || epoch u32 LE || SCALE(r))` with
//! `r = Randomness::random(SEED_TAG || epoch u32 LE).0`, stored in [`Epochs`] together with the
//! PoW parameters in force and the validator set of the epoch ([`Event::SprintStarted`]).
//!
//! What a block author can bias: with [`ParentHashRandomness`] (the parent block hash) the author
//! of the block *before* the sprint's first block chooses the seed among the hashes it can
//! produce (extrinsic selection and ordering, or not authoring at all). With relay-chain
//! randomness (BABE of the relay parent) the bias moves to relay-chain block authors and is
//! limited to withholding. What the bias buys is limited by design: (1) the seed is unknown
//! before that block, so nobody can search nonces ahead of the sprint, and the sprint is only
//! `sprint_length` blocks long; (2) the seed only picks the model, the target vector and the
//! committees; a grinding author can try a few seeds (each costs it the block) to get a model on
//! which its hardware is marginally faster, or a committee with more of its own validators, but
//! committees are drawn by weight so its expected share of seats equals its share of weight; (3)
//! every sample index also depends on the validator and the target, and a cheating host cannot
//! know which of its leaves will be sampled. Domain separation (`SEED_TAG`, epoch) means the seed
//! never equals any other hash the chain uses.
//!
//! ## Commitments
//!
//! [`Pallet::submit_commitment`] carries `SprintCommitment { epoch, count, merkle_root }`, the
//! submission index, the host account and an sr25519 signature by the host's worker key (as
//! registered in the hosts registry, `Config::Hosts`) over
//! [`gonka_primitives::sprint::commitment_payload`] (`"gonka-sprint/v2/commit" || genesis ||
//! epoch u32 LE || count u32 LE || root || submission u32 LE || SCALE(host)`). It is a *general*
//! transaction authorised by `#[pallet::authorize]` (checked by `frame_system::AuthorizeCall`,
//! the first transaction extension), so it needs no account, no nonce and no fee: a host with
//! zero balance can commit. The authorisation verifies the signature before anything else.
//! Rate limit: at most `MaxCommitmentsPerHost` per host per epoch, the last one counts; index `k`
//! is accepted only while the host has `k` commitments ([`Error::StaleSubmission`]: no replay),
//! counts never decrease ([`Error::CountDecreased`]) and never exceed [`Pallet::count_limit`]
//! ([`Error::CountAboveLimit`]); the pool keeps one per host and index at a fixed priority.
//! Hosts weighted in the active epoch have reserved participant slots; newcomers share the rest
//! ([`Error::NoNewcomerSlot`]). The key that signed is kept ([`CommitmentKeys`]) for validators.
//! Commitments are accepted only in the current epoch's `Sprint` and `CommitGrace` phases
//! ([`Error::OutsideCommitWindow`]).
//!
//! ## Committees
//!
//! The validator set of epoch `e` is the set of hosts with positive final weight in the last
//! epoch whose total weight was positive (before any such epoch: the genesis validators, weight 1
//! each), snapshot at the sprint's first block. Each participant `T` gets a committee of
//! `min(CommitteeSize, n)` *distinct* validators other than `T` (`n` of them in the set), drawn
//! by weight without replacement: draw `i = 0, 1, ...` (at most `CommitteeSize + 1` draws) maps
//! `u128 LE of blake2_256(COMMITTEE_TAG || seed || T || i u32 LE)[0..16] mod R` onto the
//! cumulative-weight line with the intervals already drawn removed (`R` the weight left; accounts
//! are their 32 raw bytes, or the BLAKE2b-256 of their SCALE encoding when that is not 32 bytes
//! long); a drawn `T` is removed without a seat ([`Pallet::committee`]).
//! Selection is proportional to weight, but inside the committee every member's vote weighs the
//! same, so no single validator, however heavy, decides a committee of three or more alone (the
//! simulation test, `tests/simulation.rs`, shows why that matters). A validator set smaller than
//! `CommitteeSize` (bootstrap) gives smaller committees. The set is stored in chunks of
//! `ChunkSize` entries with a small index of chunk boundaries, so a draw reads at most two
//! storage items whatever the number of validators.
//!
//! ## Liveness: cross-validation when the validators are gone
//!
//! Committees come from the last epoch with weight, so if its hosts go silent or leave, every
//! newcomer faces a silent committee, nobody is accepted, and without a rule the chain would stay
//! at zero weight for ever (no emission, no electorate, no sudo to fix it). The rule: when the
//! sprint of epoch `e` starts and the last activated epoch had participants but a total weight of
//! zero, epoch `e` is a *cross-validation* epoch ([`Event::CrossValidation`],
//! `EpochInfo::validator_set == FALLBACK_SET`): each participant's committee is drawn from `e`'s
//! own participants, with equal weights, by the same draw without replacement
//! ([`Pallet::participant_committee`]), and the same majority test decides. A cross-validation
//! epoch's only participant (nobody else is left to check it) is accepted: the *lone survivor*.
//! An honest host therefore gets weight at most two epochs after the validating set went silent
//! (one epoch rejected by the silent committee, the next cross-validated), and emission and
//! governance resume at the following activation. A cheater among honest participants of a
//! cross-validation epoch faces a committee of honest hosts and is rejected as usual; what it can
//! do with sybil participants, and as a lone survivor, is bounded in `docs/sprint-security.md`.
//!
//! A set can also be *captured* rather than silent: a coalition that was most of the live hosts
//! during an outage becomes the whole validating set and then rejects the honest hosts when they
//! return, with a positive total. The *contest rule* undoes it: a host's proven weight
//! ([`Pallet::proven_weight`]) is its latest positive weight within the last
//! [`Config::ProvenLookback`] epochs; when more than half of an epoch's participants' proven
//! weight is rejected, the epoch is [`Contested`] ([`Event::Contested`]) and the next one is a
//! cross-validation epoch too. Newcomers and sybils have no proven weight, so they cannot
//! trigger it (`docs/sprint-protocol.md` 9.4.1).
//!
//! ## Verdicts and the test
//!
//! A validator submits, in one bounded [`Pallet::submit_verdicts`] (also fee-less, worker-signed,
//! authorised), a `ValidationVerdict` for each of its targets over
//! [`gonka_primitives::sprint::verdicts_payload`]. It must be a committee member of every target, each
//! `(validator, target)` verdict is recorded once, and `samples_checked` must equal
//! `min(SampleSize, count)` unless `proofs_not_served`. A verdict is *valid* iff the proofs were
//! served and `mismatches <= c(samples_checked)`, the binomial critical value of [`critical`] for
//! `HonestMismatchRate` and `Significance`.
//!
//! ## Decision, weights and penalties
//!
//! A participant is accepted iff its committee is not empty and the members that submitted a
//! valid verdict are more than half of it (a silent member counts as "not valid", so a silent
//! *majority* rejects: safety over liveness; an empty committee accepts nobody). Accepted weight
//! = `count` (model scale factor 1), capped by [`Pallet::share_cap`] against the *other* accepted
//! hosts' total. A validator that left `m` of its assigned targets without a verdict and gave `c`
//! verdicts against the decided outcome loses `min(m * SilencePenalty + c *
//! ContradictionPenalty, 100%)` of its own weight for the epoch. A host rejected because more
//! than half of its committee found it *invalid* (not merely silent) is slashed `RejectionSlash
//! + count * CollateralPerNonce` through `Config::Hosts` (`SlashReason::InvalidSprintProof`).
//! Parameters are clamped where they are read ([`MIN_MAX_SHARE`], [`MAX_VALIDATOR_PENALTY`]).
//!
//! ## Settlement at scale
//!
//! Settlement never does O(hosts) work in one block: a cursor ([`Settlement`]) processes at most
//! `MaxSettlePerBlock` participants per block in `on_initialize`, in two passes (tally, then
//! finalize, since the cap needs the total). At 10,000 hosts and the runtime's 32 per block
//! (a quarter of a block's weight, `runtime/tests/sprint_limits.rs`) that is 626 blocks. Epochs older than `HistoryDepth` are pruned with `clear_prefix`, `MaxPrunePerBlock`
//! keys per block.
//!
//! ## Weights
//!
//! [`weights`] holds hand-derived estimates pending a run of `frame-omni-bencher` on reference
//! hardware; their storage read/write counts are exact.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod clock;
pub mod critical;
mod dispatchable_impls;
pub mod runtime_api;
mod settlement;
pub mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_adversary;
#[cfg(test)]
mod tests_settlement;

pub use types::*;
pub use weights::WeightInfo;

/// Largest `CommitteeSize` the pallet accepts (`integrity_test`): a host's settlement makes up
/// to `CommitteeSize + 1` committee draws in one `on_initialize` step. The measured weights hold
/// for the runtime's own value; raising it means re-running `scripts/bench/weights.sh`.
pub const MAX_COMMITTEE_SIZE: u64 = 16;

/// Largest `ProvenLookback` the pallet accepts (`integrity_test`): the epochs a newcomer check
/// reads back. Like [`MAX_COMMITTEE_SIZE`], a larger runtime value needs re-measured weights.
pub const MAX_PROVEN_LOOKBACK: u64 = 8;

use frame_system::pallet_prelude::BlockNumberFor;
pub use gonka_primitives::{
	compute::{ComputeWeight, ComputeWeights, OnWeightsFinalized},
	crypto::worker::{WorkerId, WorkerSignature},
	hosts::HostRegistry,
	pow::{EpochIndex, PowParams, SprintCommitment, ValidationVerdict},
	Balance,
};

/// Domain-separation tag of the seed derivation.
pub const SEED_TAG: &[u8] = b"gonka-sprint/v1/seed";
/// Domain-separation tag of the committee draw.
pub const COMMITTEE_TAG: &[u8] = b"gonka-sprint/v1/committee";
/// Smallest `MaxShare` the pallet applies, whatever governance sets: 1%. A share of zero would cap
/// every host at zero and leave the chain with no weight, no emission and no electorate.
pub const MIN_MAX_SHARE: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(1);
/// Largest per-target `SilencePenalty` and per-verdict `ContradictionPenalty` the pallet applies:
/// 50%, so that one missed or contradicting verdict never wipes a validator out alone.
pub const MAX_VALIDATOR_PENALTY: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(50);

/// A validator-set entry: the validator and the cumulative weight at the end of its interval.
pub type ValidatorEntry<T> = (<T as frame_system::Config>::AccountId, ComputeWeight);

/// Most chunks a validator set can have: `ceil(MaxParticipants / ChunkSize)`.
pub struct MaxChunks<T>(core::marker::PhantomData<T>);
impl<T: Config> frame_support::traits::Get<u32> for MaxChunks<T> {
	fn get() -> u32 {
		T::MaxParticipants::get().div_ceil(T::ChunkSize::get().max(1))
	}
}

/// The verdicts of one extrinsic: `(target, verdict)` pairs.
pub type VerdictsOf<T> = frame_support::BoundedVec<
	(<T as frame_system::Config>::AccountId, ValidationVerdict),
	<T as Config>::MaxVerdictsPerCall,
>;

/// A `Randomness` source for the seed: the hash of `subject` and the parent block hash. See the
/// crate docs for what it lets a block author bias; a parachain may prefer relay-chain
/// randomness.
pub struct ParentHashRandomness<T>(core::marker::PhantomData<T>);
impl<T: frame_system::Config> frame_support::traits::Randomness<T::Hash, BlockNumberFor<T>>
	for ParentHashRandomness<T>
{
	fn random(subject: &[u8]) -> (T::Hash, BlockNumberFor<T>) {
		use sp_runtime::traits::Hash;
		let parent = frame_system::Pallet::<T>::parent_hash();
		(T::Hashing::hash_of(&(subject, parent)), frame_system::Pallet::<T>::block_number())
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{BuildGenesisConfig, Randomness},
	};
	use frame_system::{ensure_authorized, pallet_prelude::*};
	use sp_runtime::{traits::SaturatedConversion, Perbill};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the sprint pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The host registry (worker keys, activity, slashing).
		type Hosts: HostRegistry<Self::AccountId, Balance>;

		/// Source of the seed's randomness (see the crate docs for what an author can bias).
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;

		/// Who may set the PoW parameters: root now, referenda later.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Told when an epoch's weights become final (emission opens the epoch's rewards).
		type OnWeightsFinalized: OnWeightsFinalized;

		/// The epoch clock of a chain whose genesis does not set one ([`Clock`]); production
		/// chains use [`EpochClock::PRODUCTION`].
		type DefaultClock: Get<EpochClock>;

		/// Committee members drawn per participant (distinct validators, equal votes).
		#[pallet::constant]
		type CommitteeSize: Get<u32>;

		/// Leaves a validator samples per target (`samples` of `sample_indices`), at most
		/// [`critical::MAX_SAMPLE_SIZE`].
		#[pallet::constant]
		type SampleSize: Get<u32>;

		/// Probability that one sample of an honest host mismatches (float noise).
		#[pallet::constant]
		type HonestMismatchRate: Get<Perbill>;

		/// Probability that one validator wrongly finds an honest host invalid (the test's
		/// significance level).
		#[pallet::constant]
		type Significance: Get<Perbill>;

		/// Largest share of the epoch's uncapped accepted weight one host's weight may reach.
		#[pallet::constant]
		type MaxShare: Get<Perbill>;

		/// Share of its own epoch weight a validator loses per assigned target it left without a
		/// verdict (capped at 100%).
		#[pallet::constant]
		type SilencePenalty: Get<Perbill>;

		/// Collateral slashed from a host that more than half of its committee found invalid
		/// (zero: none), on top of `count * CollateralPerNonce`.
		#[pallet::constant]
		type RejectionSlash: Get<Balance>;

		/// Share of its own epoch weight a validator loses per verdict that contradicts the
		/// decided outcome (said valid of a host the majority found invalid, or invalid of an
		/// accepted host); added to the silence penalty, the sum capped at 100%.
		#[pallet::constant]
		type ContradictionPenalty: Get<Perbill>;

		/// Nonces a host may claim on its proven record alone when it has no weight in the active
		/// epoch (a newcomer's allowance). See [`Pallet::count_limit`].
		#[pallet::constant]
		type NewHostNonces: Get<u32>;

		/// A host with weight `w` in the active epoch may claim up to `MaxGrowthFactor * w`
		/// nonces on its record alone (growth limit per epoch).
		#[pallet::constant]
		type MaxGrowthFactor: Get<u32>;

		/// Slashable collateral (base units) that backs each nonce claimed beyond the record
		/// allowance; also slashed per committed nonce on rejection. Zero: claims are bounded by
		/// the record allowance alone.
		#[pallet::constant]
		type CollateralPerNonce: Get<Balance>;

		/// Commitments one host may submit per epoch (the last one counts).
		#[pallet::constant]
		type MaxCommitmentsPerHost: Get<u32>;

		/// Most hosts that may commit in one epoch (bounds the validator set too).
		#[pallet::constant]
		type MaxParticipants: Get<u32>;

		/// Most verdicts in one `submit_verdicts`.
		#[pallet::constant]
		type MaxVerdictsPerCall: Get<u32>;

		/// Entries per stored chunk of a validator set.
		#[pallet::constant]
		type ChunkSize: Get<u32>;

		/// Most genesis (bootstrap) validators.
		#[pallet::constant]
		type MaxGenesisValidators: Get<u32>;

		/// Participants settled per block per pass.
		#[pallet::constant]
		type MaxSettlePerBlock: Get<u32>;

		/// Storage keys pruned per block.
		#[pallet::constant]
		type MaxPrunePerBlock: Get<u32>;

		/// Epochs of history kept (at least 2): epoch `e - HistoryDepth` is pruned when epoch
		/// `e`'s weights activate.
		#[pallet::constant]
		type HistoryDepth: Get<u32>;

		/// Epochs a host stays *proven* after its last positive weight (the contest rule, see
		/// the crate docs): at most `HistoryDepth` and [`MAX_PROVEN_LOOKBACK`].
		#[pallet::constant]
		type ProvenLookback: Get<u32>;

		/// Transaction-pool priority of commitments and verdicts.
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;

		/// Weights of this pallet's calls and settlement steps.
		type WeightInfo: WeightInfo;

		/// Creates hosts with worker keys in the registry for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// What the benchmarks need from the runtime.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// Make `who` an active host whose worker key is a fresh key in the benchmark keystore
		/// (`RuntimeAppPublic::generate_pair`); return the key.
		fn register_host(who: &AccountId) -> WorkerId;
	}

	/// The epoch clock (phase lengths), fixed at genesis; see [`clock`].
	#[pallet::storage]
	pub type Clock<T: Config> = StorageValue<_, EpochClock, ValueQuery, T::DefaultClock>;

	/// The PoW parameters new sprints use (snapshot into [`Epochs`] at each sprint start).
	#[pallet::storage]
	pub type Params<T> = StorageValue<_, PowParams, OptionQuery>;

	/// Seed, parameters and validator set of each epoch whose sprint has started.
	#[pallet::storage]
	pub type Epochs<T> = StorageMap<_, Twox64Concat, EpochIndex, EpochInfo, OptionQuery>;

	/// Commitments by epoch and host.
	#[pallet::storage]
	pub type Commitments<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		T::AccountId,
		CommitmentRecord,
		OptionQuery,
	>;

	/// The hosts that committed in an epoch, by order of first commitment.
	#[pallet::storage]
	pub type Participants<T: Config> =
		StorageDoubleMap<_, Twox64Concat, EpochIndex, Twox64Concat, u32, T::AccountId, OptionQuery>;

	/// Number of [`Participants`] of an epoch.
	#[pallet::storage]
	pub type ParticipantCount<T> = StorageMap<_, Twox64Concat, EpochIndex, u32, ValueQuery>;

	/// Participants of an epoch that had no weight in the active epoch when they first committed
	/// (newcomers). Newcomers share the `MaxParticipants - WeightedCount(active epoch)` slots the
	/// proven hosts leave, so no number of newcomers can crowd a proven host out.
	#[pallet::storage]
	pub type NewcomerCount<T> = StorageMap<_, Twox64Concat, EpochIndex, u32, ValueQuery>;

	/// Number of hosts with positive final weight in a settled epoch.
	#[pallet::storage]
	pub type WeightedCount<T> = StorageMap<_, Twox64Concat, EpochIndex, u32, ValueQuery>;

	/// Verdicts by (epoch, target, validator), from their submission until the target's
	/// settlement tally consumes them (pruning clears any left over).
	#[pallet::storage]
	pub type Verdicts<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, EpochIndex>,
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		ValidationVerdict,
		OptionQuery,
	>;

	/// Tally of each participant (settlement pass 1).
	#[pallet::storage]
	pub type Outcomes<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		T::AccountId,
		Outcome,
		OptionQuery,
	>;

	/// The worker key that signed each host's latest commitment of an epoch: validators
	/// recompute the host's nonces with this key, whatever rotation happens later in the epoch.
	#[pallet::storage]
	pub type CommitmentKeys<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		T::AccountId,
		WorkerId,
		OptionQuery,
	>;

	/// Verdicts of a validator that contradicted the decided outcome in an epoch.
	#[pallet::storage]
	pub type Contradicted<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		T::AccountId,
		u32,
		ValueQuery,
	>;

	/// Seats a validator left without a verdict in an epoch.
	#[pallet::storage]
	pub type Missed<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		T::AccountId,
		u32,
		ValueQuery,
	>;

	/// Final compute weights by epoch and host (only positive weights are stored). Read them
	/// through [`ComputeWeights`]: an epoch's entries are final once it is activated.
	#[pallet::storage]
	pub type Weights<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		T::AccountId,
		ComputeWeight,
		ValueQuery,
	>;

	/// Sum of the final weights of each activated epoch.
	#[pallet::storage]
	pub type TotalWeight<T> = StorageMap<_, Twox64Concat, EpochIndex, ComputeWeight, OptionQuery>;

	/// Settled epochs in which more than half of the participants' proven weight was rejected:
	/// `(rejected, proven)` (the contest rule). Pruned with the epoch.
	#[pallet::storage]
	pub type Contested<T> =
		StorageMap<_, Twox64Concat, EpochIndex, (ComputeWeight, ComputeWeight), OptionQuery>;

	/// Validator sets in chunks, keyed by (set, chunk index): entries with cumulative weights.
	#[pallet::storage]
	pub type ValidatorChunks<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Twox64Concat,
		u32,
		BoundedVec<ValidatorEntry<T>, <T as Config>::ChunkSize>,
		ValueQuery,
	>;

	/// Cumulative weight at the end of each chunk of a validator set (the last is the total).
	#[pallet::storage]
	pub type ValidatorSetEnds<T: Config> = StorageMap<
		_,
		Twox64Concat,
		EpochIndex,
		BoundedVec<ComputeWeight, MaxChunks<T>>,
		ValueQuery,
	>;

	/// The validator set the next sprint snapshots ([`GENESIS_SET`] until an epoch with positive
	/// total weight is activated).
	#[pallet::storage]
	pub type ValidatorSource<T> = StorageValue<_, EpochIndex, ValueQuery, GenesisSetKey>;

	/// Default of [`ValidatorSource`].
	pub struct GenesisSetKey;
	impl Get<EpochIndex> for GenesisSetKey {
		fn get() -> EpochIndex {
			GENESIS_SET
		}
	}

	/// The settlement in progress, if any.
	#[pallet::storage]
	pub type Settlement<T> = StorageValue<_, SettlementState, OptionQuery>;

	/// The next epoch to settle (epochs settle in order).
	#[pallet::storage]
	pub type NextToSettle<T> = StorageValue<_, EpochIndex, ValueQuery>;

	/// A settled epoch and its total, waiting for the epoch switch to activate.
	#[pallet::storage]
	pub type PendingActivation<T> = StorageValue<_, (EpochIndex, ComputeWeight), OptionQuery>;

	/// The latest activated epoch.
	#[pallet::storage]
	pub type ActiveEpoch<T> = StorageValue<_, EpochIndex, OptionQuery>;

	/// Epochs whose data is being pruned, oldest first.
	#[pallet::storage]
	pub type PruneQueue<T> = StorageValue<_, BoundedVec<EpochIndex, ConstU32<16>>, ValueQuery>;

	/// Events of the sprint pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The PoW parameters for future sprints were set.
		ParamsSet {
			/// The new parameters.
			params: PowParams,
		},
		/// An epoch's sprint started: its seed is fixed.
		SprintStarted {
			/// The epoch.
			epoch: EpochIndex,
			/// The seed workers build the model from.
			seed: sp_core::H256,
		},
		/// A commitment was stored (replacing the host's earlier one this epoch, if any).
		CommitmentAccepted {
			/// The epoch.
			epoch: EpochIndex,
			/// The host.
			host: T::AccountId,
			/// Committed count.
			count: u32,
			/// Committed root.
			merkle_root: sp_core::H256,
		},
		/// A verdict was recorded.
		VerdictRecorded {
			/// The epoch.
			epoch: EpochIndex,
			/// Who judged.
			validator: T::AccountId,
			/// Who was judged.
			target: T::AccountId,
			/// Whether the verdict passes the test.
			valid: bool,
		},
		/// A participant was accepted (pass 1; its final weight may be capped or penalised).
		HostAccepted {
			/// The epoch.
			epoch: EpochIndex,
			/// The host.
			host: T::AccountId,
			/// Uncapped weight.
			weight: ComputeWeight,
		},
		/// A participant was rejected.
		HostRejected {
			/// The epoch.
			epoch: EpochIndex,
			/// The host.
			host: T::AccountId,
			/// Collateral slashed.
			slashed: Balance,
		},
		/// A validator lost weight for assigned targets it left without a verdict or judged
		/// against the decided outcome.
		ValidatorPenalised {
			/// The epoch.
			epoch: EpochIndex,
			/// The validator.
			validator: T::AccountId,
			/// Assigned targets without a verdict.
			missed: u32,
			/// Verdicts that contradicted the decided outcome.
			contradicted: u32,
			/// Weight removed.
			lost: ComputeWeight,
		},
		/// The last activated epoch had participants but accepted nobody, or was contested:
		/// this epoch's participants validate each other (the liveness rule).
		CrossValidation {
			/// The epoch.
			epoch: EpochIndex,
		},
		/// More than half of the proven weight that took part in `epoch` was rejected (the
		/// contest rule): the next sprint is cross-validated.
		Contested {
			/// The settled epoch.
			epoch: EpochIndex,
			/// Proven weight of its rejected participants.
			rejected: ComputeWeight,
			/// Proven weight of all its participants.
			proven: ComputeWeight,
		},
		/// An epoch's weights became final and active.
		WeightsActivated {
			/// The epoch.
			epoch: EpochIndex,
			/// Sum of its weights.
			total: ComputeWeight,
		},
		/// An old epoch's data was deleted.
		EpochPruned {
			/// The epoch.
			epoch: EpochIndex,
		},
	}

	/// Errors of the sprint pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The PoW parameters do not describe a buildable model (`PowParams::validate`).
		InvalidPowParams,
		/// Commitments are only accepted in the current epoch's sprint and commit grace.
		OutsideCommitWindow,
		/// Verdicts are only accepted in the current epoch's validation window.
		OutsideValidationWindow,
		/// The epoch has no seed: its sprint never started (e.g. no parameters were set).
		NoSprint,
		/// The host is not an active host of the registry.
		NotActiveHost,
		/// The host has no worker key in the registry.
		NoWorkerKey,
		/// The worker-key signature does not verify.
		BadSignature,
		/// A commitment must claim at least one nonce.
		ZeroCount,
		/// The host already submitted `MaxCommitmentsPerHost` commitments this epoch.
		TooManyCommitments,
		/// `MaxParticipants` hosts already committed this epoch.
		TooManyParticipants,
		/// The slots left for hosts without weight in the active epoch are taken this epoch
		/// (the rest are reserved for the hosts that proved weight). Try again next epoch.
		NoNewcomerSlot,
		/// A verdict batch must hold at least one verdict.
		NoVerdicts,
		/// The same target appears twice in one batch.
		DuplicateTarget,
		/// The target did not commit in this epoch.
		TargetNotCommitted,
		/// The validator is not a member of the target's committee.
		NotInCommittee,
		/// This validator already judged this target this epoch.
		VerdictAlreadyRecorded,
		/// `samples_checked` differs from `min(SampleSize, count)`.
		WrongSampleCount,
		/// More mismatches than samples checked.
		TooManyMismatches,
		/// The commitment's submission index is not the number of commitments the host already
		/// has this epoch: it is an old (replayed) or out-of-order commitment. Sign the next one
		/// with `SprintApi::commitment`'s `submissions`.
		StaleSubmission,
		/// A later commitment of an epoch may not claim fewer nonces than the earlier one.
		CountDecreased,
		/// The count exceeds what the host may claim: `max(NewHostNonces, MaxGrowthFactor *
		/// last weight) + collateral / CollateralPerNonce` (`Pallet::count_limit`). Bond more
		/// collateral or let the record grow.
		CountAboveLimit,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			Self::on_block(n.saturated_into::<u32>())
		}

		fn integrity_test() {
			assert_eq!(T::DefaultClock::get().validate(), Ok(()), "the default clock must run");
			assert!(
				T::ProvenLookback::get() <= T::HistoryDepth::get()
					&& T::ProvenLookback::get() as u64 <= MAX_PROVEN_LOOKBACK,
				"the proven lookback stays within history and the settlement weight"
			);
			assert!(
				T::CommitteeSize::get() >= 1
					&& T::CommitteeSize::get() as u64 <= MAX_COMMITTEE_SIZE,
				"committee size in range"
			);
			let n = T::SampleSize::get();
			assert!((1..=critical::MAX_SAMPLE_SIZE).contains(&n), "sample size in range");
			assert!(
				critical::start_mass(n, T::HonestMismatchRate::get())
					> sp_runtime::FixedU128::from_rational(1, 1_000_000_000_000),
				"(1 - honest rate)^SampleSize too small for fixed-point tails"
			);
			assert!(T::ChunkSize::get() >= 1 && T::MaxSettlePerBlock::get() >= 1);
			assert!(T::MaxGenesisValidators::get() <= T::MaxParticipants::get());
			assert!(T::HistoryDepth::get() >= 2, "keep the validator source epoch");
			assert!(T::MaxCommitmentsPerHost::get() >= 1 && T::MaxPrunePerBlock::get() >= 1);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight = <T as Config>::WeightInfo)]
	impl<T: Config> Pallet<T> {
		/// Set the PoW parameters of future sprints (from the next sprint start on).
		///
		/// Origin: `ParamsOrigin`. Fails with [`Error::InvalidPowParams`] unless
		/// `PowParams::validate` accepts them.
		#[pallet::call_index(0)]
		pub fn set_pow_params(origin: OriginFor<T>, params: PowParams) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::do_set_pow_params(params)
		}

		/// Commit a host's sprint result: fee-less, authorised by the host's worker-key signature
		/// over `gonka_primitives::sprint::commitment_payload(&genesis, &commitment, submission,
		/// &host)`. `submission` is the number of commitments the host already has this epoch
		/// (0 first); counts never decrease within an epoch and are bounded by
		/// [`Pallet::count_limit`].
		///
		/// Submit as a general (bare) transaction; `frame_system::AuthorizeCall` runs the
		/// authorisation, which checks the signature and everything the dispatch checks.
		#[pallet::call_index(1)]
		#[pallet::authorize(Pallet::<T>::authorize_commitment)]
		pub fn submit_commitment(
			origin: OriginFor<T>,
			commitment: SprintCommitment,
			submission: u32,
			host: T::AccountId,
			signature: WorkerSignature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			let _ = signature;
			Self::do_submit_commitment(commitment, submission, host)
		}

		/// Record a validator's verdicts for the current epoch: fee-less, authorised by the
		/// validator's worker-key signature over
		/// `gonka_primitives::sprint::verdicts_payload(&genesis, epoch, &validator, &verdicts)`.
		#[pallet::call_index(2)]
		#[pallet::authorize(Pallet::<T>::authorize_verdicts)]
		// The committee draws' proof is charged once, with the authorisation: dispatch reads
		// the same chunks again within the same block.
		#[pallet::weight(T::WeightInfo::submit_verdicts(verdicts.len() as u32)
			.saturating_add(Weight::from_parts(
				Pallet::<T>::committee_weight(verdicts.len() as u32).ref_time(), 0)))]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_submit_verdicts(verdicts.len() as u32)
			.saturating_add(Pallet::<T>::committee_weight(verdicts.len() as u32)))]
		pub fn submit_verdicts(
			origin: OriginFor<T>,
			epoch: EpochIndex,
			validator: T::AccountId,
			verdicts: VerdictsOf<T>,
			signature: WorkerSignature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			let _ = signature;
			Self::do_submit_verdicts(epoch, validator, verdicts)
		}
	}

	/// Genesis: the PoW parameters and the bootstrap validators of the first epochs.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The epoch clock (`None`: `Config::DefaultClock`).
		pub clock: Option<EpochClock>,
		/// PoW parameters of the first sprints (`None`: sprints start without parameters and
		/// nobody can mine until governance sets them).
		pub pow_params: Option<PowParams>,
		/// Validators of the epochs before the first epoch with positive weight (weight 1 each).
		pub validators: alloc::vec::Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(clock) = self.clock {
				assert_eq!(clock.validate(), Ok(()), "the genesis epoch clock cannot run");
				Clock::<T>::put(clock);
			}
			if let Some(params) = self.pow_params {
				assert!(params.validate().is_ok(), "genesis PoW parameters are invalid");
				Params::<T>::put(params);
			}
			assert!(
				self.validators.len() as u32 <= T::MaxGenesisValidators::get(),
				"too many genesis validators"
			);
			let mut seen = alloc::collections::BTreeSet::new();
			for (i, v) in self.validators.iter().enumerate() {
				assert!(seen.insert(v.clone()), "duplicate genesis validator");
				Pallet::<T>::append_validator(GENESIS_SET, i as u32, v.clone(), 1, i as u128 + 1);
			}
		}
	}
}
