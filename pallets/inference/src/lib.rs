//! # Inference market pallet
//!
//! The on-chain half of Gonka's inference market: a developer with funds buys LLM inference from
//! the hosts that proved their compute in the sprint, with no permission from anyone, and pays
//! exactly what it signed for validated work. The protocol, byte layouts and trust assumptions
//! are in `docs/inference-market.md`; this pallet implements that document.
//!
//! ## Sessions (escrow)
//!
//! [`Call::open_session`] by any signed account holds a deposit (at least
//! [`Config::MinDeposit`]) on the owner's account under [`HoldReason::Escrow`] and draws the
//! session's executor *group*: [`Config::GroupSize`] slots, with replacement, among the active
//! hosts that serve the model, with probability proportional to their compute weight in the
//! active epoch times their reputation's draw factor ([`Pallet::draw_factor`]). Hosts that do not
//! serve the model are never drawn. The funds stay on the owner's account, on hold, until
//! settlement. [`Call::top_up`] adds to the hold, [`Call::close`] (owner) or the expiry closes it.
//!
//! ## Metering: one lane per slot, cumulative vouchers
//!
//! Off chain, after each request on slot `s` the payer (owner or delegate) signs a cumulative
//! [`Voucher`] and the executor signs the request's [`Leaf`](gonka_primitives::market::Leaf).
//! On chain, [`Call::claim`] (fee-less, authorised by the executor's worker key) stores a
//! lane's latest voucher; only a higher `seq` replaces it. Storage is O(sessions x slots).
//!
//! ## Settlement that never loses escrow
//!
//! Closing opens a claim window of [`Config::ClaimWindow`] blocks. At its end the chain draws,
//! from randomness of a block *after* the window, `k = min(ceil(n * rate), MaxSamplesPerLane)`
//! leaves of each claimed lane (`rate` from the executor's reputation, [`Pallet::sampling_rate`])
//! and [`Config::ValidatorsPerSample`] validators per leaf, by weight, never the executor.
//! Validators [`Call::attest`] (fee-less) during [`Config::ValidationWindow`] blocks; then the
//! session settles (hook, or [`Call::finalize`] by anyone): each lane pays its voucher amount
//! minus `amount * invalid / k` (the invalid leaves' share scaled by `1/rate`), a
//! [`Config::ValidationFee`] share of the pay goes to the validators that agreed with the
//! outcome, invalid leaves slash the executor [`Config::InvalidSlash`] each, and everything else
//! is released to the owner. Invariant (`try_state`): `deposited == paid + refunded + held` in
//! total and per owner.
//!
//! ## Reputation
//!
//! Per host, [`Config::ReputationEpochs`] epochs of [`EpochRecord`] counters. New hosts are
//! sampled at 100%; each clean sample lowers the rate, any invalid leaf in the window restores
//! 100%; misses beyond [`Config::MissTolerance`] lower the host's draw weight.
//!
//! ## Weights
//!
//! [`weights`] holds hand-derived estimates with exact storage counts, like the other Gonka
//! pallets, pending a `frame-omni-bencher` run.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod draw;
mod reputation;
pub mod runtime_api;
mod session;
mod settlement;
pub mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_property;
#[cfg(test)]
mod tests_settlement;

pub use gonka_primitives::{
	crypto::worker::{WorkerId, WorkerSignature},
	hosts::ModelId,
	market::{SessionId, SlotIndex, Verdict, Voucher},
	Balance,
};
pub use types::*;
pub use weights::WeightInfo;

/// Largest `MaxCandidates` the pallet accepts (`integrity_test`): the hosts a validator draw
/// scans. The measured weights hold for the runtime's own value; raising it means re-running
/// `scripts/bench/weights.sh`.
pub const MAX_CANDIDATES: u64 = 64;

/// Largest `MaxValidatorsPerSample` the pallet accepts (`integrity_test`), with the same caveat.
pub const MAX_VALIDATORS: u64 = 5;

/// Domain tag of the randomness that draws a session's group.
pub const GROUP_TAG: &[u8] = b"gonka-market/v1/group";
/// Domain tag of the randomness that draws a session's samples and validators.
pub const SAMPLE_TAG: &[u8] = b"gonka-market/v1/sample";

/// A session as stored.
pub type SessionOf<T> = Session<
	<T as frame_system::Config>::AccountId,
	frame_system::pallet_prelude::BlockNumberFor<T>,
	<T as Config>::MaxGroupSize,
>;

/// A sample as stored.
pub type SampleOf<T> =
	Sample<<T as frame_system::Config>::AccountId, <T as Config>::MaxValidatorsPerSample>;

/// A host's reputation window as stored.
pub type ReputationOf<T> = frame_support::BoundedVec<EpochRecord, <T as Config>::ReputationEpochs>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectHold, Mutate, MutateHold},
			Randomness,
		},
	};
	use frame_system::{ensure_authorized, pallet_prelude::*};
	use gonka_primitives::{compute::ComputeWeights, hosts::HostRegistry};
	use sp_runtime::{
		traits::{IdentifyAccount, Verify},
		Perbill,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the inference market.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency deposits are held in (GNK).
		type Currency: Inspect<Self::AccountId, Balance = Balance>
			+ Mutate<Self::AccountId>
			+ InspectHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ MutateHold<Self::AccountId>;

		/// The runtime's aggregate hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The host registry: who serves which model, worker keys, endpoints, slashing.
		type Hosts: HostRegistry<Self::AccountId, Balance>;

		/// Compute weights of the active epoch (the sprint pallet).
		type Weights: ComputeWeights<Self::AccountId>;

		/// Randomness for group and sample draws (the parent block hash in the Gonka runtime;
		/// `docs/inference-market.md` says what a block author can bias with it).
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;

		/// The signature a payer signs vouchers with (`MultiSignature` in the runtime: any
		/// account key scheme).
		type PayerSignature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>
			+ Parameter;

		/// Smallest deposit a session may be opened with (base units). Tunable.
		type MinDeposit: Get<Balance>;
		/// Executor slots drawn per session (at most [`Config::MaxGroupSize`]). Tunable.
		type GroupSize: Get<u32>;
		/// Longest a session may stay open, in blocks. Tunable.
		type MaxDuration: Get<BlockNumberFor<Self>>;
		/// Blocks after closing during which executors may still claim. Tunable.
		type ClaimWindow: Get<BlockNumberFor<Self>>;
		/// Blocks after sampling during which validators attest. Tunable.
		type ValidationWindow: Get<BlockNumberFor<Self>>;
		/// Validators assigned per sampled leaf (at most [`Config::MaxValidatorsPerSample`]).
		/// Tunable.
		type ValidatorsPerSample: Get<u32>;
		/// Lowest sampling rate, reached with a long clean history. Tunable.
		type MinSamplingRate: Get<Perbill>;
		/// Clean samples in the reputation window that halve a host's sampling rate
		/// (`rate = max(MinSamplingRate, H / (H + valid))`). Tunable.
		type RateHalfLife: Get<u32>;
		/// Miss rate a host may have before its draw weight falls. Tunable.
		type MissTolerance: Get<Perbill>;
		/// How many clean samples one invalid leaf in the reputation window outweighs in the
		/// draw factor (`valid / (valid + InvalidPenalty * invalid)`): a host whose samples are
		/// all invalid is drawn for no slot until they age out. Tunable.
		type InvalidPenalty: Get<u32>;
		/// Collateral slashed per leaf confirmed invalid (base units). Tunable; must exceed the
		/// largest request's price divided by `MinSamplingRate` (`docs/inference-market.md` 6).
		type InvalidSlash: Get<Balance>;
		/// Collateral slashed from a validator per `Invalid`/`Withheld` attestation on a leaf the
		/// majority found valid. Tunable.
		type FalseAccusationSlash: Get<Balance>;
		/// Share of each lane's pay that goes to the validators agreeing with the outcome.
		/// Tunable.
		type ValidationFee: Get<Perbill>;

		/// Bound: most executor slots per session.
		#[pallet::constant]
		type MaxGroupSize: Get<u32>;
		/// Bound: most samples per lane.
		#[pallet::constant]
		type MaxSamplesPerLane: Get<u32>;
		/// Bound: most validators per sample.
		#[pallet::constant]
		type MaxValidatorsPerSample: Get<u32>;
		/// Bound: most hosts read to draw a group or validators (a random window of the hosts
		/// serving the model).
		#[pallet::constant]
		type MaxCandidates: Get<u32>;
		/// Bound: most sessions scheduled at one block (the idle hook advances them as the block's
		/// leftover weight allows, carrying the rest over).
		#[pallet::constant]
		type MaxAgendaPerBlock: Get<u32>;
		/// Bound: most sessions in existence (open, claiming or validating).
		#[pallet::constant]
		type MaxSessions: Get<u32>;
		/// Bound: epochs of reputation kept per host.
		#[pallet::constant]
		type ReputationEpochs: Get<u32>;

		/// Priority of claims and attestations in the pool.
		type UnsignedPriority: Get<TransactionPriority>;

		/// Weights of the calls and hooks.
		type WeightInfo: WeightInfo;

		/// Creates hosts, weights and payer signatures for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::PayerSignature>;
	}

	/// What the benchmarks need from the runtime.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId, Signature> {
		/// Register `who` as an active host serving model `model` with compute weight `weight`;
		/// returns its worker key (in the keystore).
		fn make_host(who: &AccountId, model: ModelId, weight: u128) -> WorkerId;
		/// A catalogue model with a positive price.
		fn model() -> ModelId;
		/// A payer account whose key is in the keystore, funded with `balance`.
		fn payer(seed: u32, balance: Balance) -> AccountId;
		/// `payer`'s signature over `payload`.
		fn sign(payer: &AccountId, payload: &[u8]) -> Signature;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A session's escrow, on the owner's account until settlement.
		#[codec(index = 0)]
		Escrow,
	}

	/// Sessions in existence, by id.
	#[pallet::storage]
	pub type Sessions<T: Config> = StorageMap<_, Twox64Concat, SessionId, SessionOf<T>>;

	/// Number of entries in [`Sessions`] (at most [`Config::MaxSessions`]).
	#[pallet::storage]
	pub type SessionCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The id the next session gets.
	#[pallet::storage]
	pub type NextSessionId<T: Config> = StorageValue<_, SessionId, ValueQuery>;

	/// Each lane's latest claim, by session and slot.
	#[pallet::storage]
	pub type Lanes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, SessionId, Twox64Concat, SlotIndex, Lane<T::AccountId>>;

	/// Lanes whose payer reported a miss (a request accepted and not served), once per lane.
	#[pallet::storage]
	pub type Misses<T: Config> =
		StorageDoubleMap<_, Twox64Concat, SessionId, Twox64Concat, SlotIndex, ()>;

	/// Sampled leaves, by session and `(slot, leaf seq)`.
	#[pallet::storage]
	pub type Samples<T: Config> =
		StorageDoubleMap<_, Twox64Concat, SessionId, Twox64Concat, (SlotIndex, u64), SampleOf<T>>;

	/// Pending validation assignments, by validator: `(session, slot, leaf)` exists while the
	/// validator has not attested and the session has not settled.
	#[pallet::storage]
	pub type Assignments<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		(SessionId, SlotIndex, u64),
		(),
	>;

	/// Sessions due for a step at a block (expiry, sampling, settlement), advanced by the idle hook
	/// from that block on.
	#[pallet::storage]
	pub type Agenda<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<SessionId, T::MaxAgendaPerBlock>,
		ValueQuery,
	>;

	/// The first block whose agenda the idle hook has not finished (`None` before the first
	/// run: start at the current block).
	#[pallet::storage]
	pub type AgendaCursor<T: Config> = StorageValue<_, BlockNumberFor<T>>;

	/// Per-host market history over the last [`Config::ReputationEpochs`] epochs, oldest first.
	#[pallet::storage]
	pub type Reputation<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ReputationOf<T>, ValueQuery>;

	/// Escrow totals (checked against the holds by `try_state`).
	#[pallet::storage]
	pub type Totals<T: Config> = StorageValue<_, EscrowTotals, ValueQuery>;

	/// GNK (base units) each account earned from the market since genesis: executor pay and
	/// validation fees (`Σ Earned == Totals.paid`, checked by `try_state`). One entry per host
	/// ever paid, so bounded by the host registry's history.
	#[pallet::storage]
	pub type Earned<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Balance, ValueQuery>;

	/// Events of the inference market.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A session was opened and its group drawn.
		SessionOpened {
			/// Its id.
			session: SessionId,
			/// The owner.
			owner: T::AccountId,
			/// The model.
			model: ModelId,
			/// Deposit held.
			deposit: Balance,
			/// The executor of each slot.
			group: alloc::vec::Vec<T::AccountId>,
		},
		/// More funds were put on hold for a session.
		ToppedUp {
			/// The session.
			session: SessionId,
			/// Amount added.
			amount: Balance,
		},
		/// A session closed (by its owner or at expiry); claims are accepted until `claim_until`.
		SessionClosed {
			/// The session.
			session: SessionId,
			/// Last block of the claim window.
			claim_until: BlockNumberFor<T>,
		},
		/// An executor claimed a voucher on its lane.
		Claimed {
			/// The session.
			session: SessionId,
			/// The lane.
			slot: SlotIndex,
			/// The executor.
			executor: T::AccountId,
			/// Requests covered.
			seq: u64,
			/// Cumulative amount.
			amount: Balance,
		},
		/// The payer reported a lane's executor for a request it accepted and did not serve.
		MissReported {
			/// The session.
			session: SessionId,
			/// The lane.
			slot: SlotIndex,
			/// The executor.
			executor: T::AccountId,
		},
		/// Samples and validators were drawn; attestations are accepted until `attest_until`.
		Sampled {
			/// The session.
			session: SessionId,
			/// Leaves sampled over all lanes.
			samples: u32,
			/// Last block of the validation window.
			attest_until: BlockNumberFor<T>,
		},
		/// A validator attested a sampled leaf.
		Attested {
			/// The session.
			session: SessionId,
			/// The lane.
			slot: SlotIndex,
			/// The leaf's seq.
			leaf: u64,
			/// The validator.
			validator: T::AccountId,
			/// What it found.
			verdict: Verdict,
		},
		/// A sampled leaf was confirmed invalid by its validators' majority.
		LeafInvalid {
			/// The session.
			session: SessionId,
			/// The lane.
			slot: SlotIndex,
			/// The leaf's seq.
			leaf: u64,
			/// The executor.
			executor: T::AccountId,
		},
		/// A session settled and was removed: `paid + refunded` equals its deposit.
		SessionSettled {
			/// The session.
			session: SessionId,
			/// Paid to executors.
			executors_paid: Balance,
			/// Paid to validators.
			validators_paid: Balance,
			/// Returned to the owner.
			refunded: Balance,
			/// Leaves confirmed invalid.
			invalid_leaves: u32,
		},
	}

	/// Errors of the inference market.
	#[pallet::error]
	pub enum Error<T> {
		/// The deposit is below [`Config::MinDeposit`].
		DepositTooLow,
		/// The caller cannot put the deposit on hold (free balance too low).
		InsufficientBalance,
		/// The duration is zero or longer than [`Config::MaxDuration`].
		BadDuration,
		/// The per-request token cap is zero.
		ZeroTokenCap,
		/// The model is not in the catalogue.
		UnknownModel,
		/// The model is retired.
		ModelRetired,
		/// No active host with compute weight serves the model: nobody to draw.
		NoExecutors,
		/// [`Config::MaxSessions`] sessions exist.
		TooManySessions,
		/// No room in the hooks' agenda for the next [`crate::AGENDA_SEARCH`] blocks.
		AgendaFull,
		/// No such session (never opened, or already settled and removed).
		UnknownSession,
		/// Only the session's owner may do this.
		NotOwner,
		/// Only the owner or the delegate may do this.
		NotPayer,
		/// The session is not open.
		NotOpen,
		/// The session's claim window is over.
		ClaimWindowClosed,
		/// The slot index is outside the session's group.
		BadSlot,
		/// The voucher names another session or slot than the claim.
		VoucherMismatch,
		/// The voucher is not signed by the session's owner or delegate.
		BadVoucherSignature,
		/// The claim is not signed by the slot executor's current worker key.
		BadSignature,
		/// The voucher's `seq` is not higher than the lane's stored one.
		StaleVoucher,
		/// The voucher lowers a cumulative amount or token count of the stored one.
		VoucherDecreased,
		/// The voucher's amount is not the catalogue price of its tokens.
		WrongAmount,
		/// The voucher's tokens exceed `seq * max_tokens_per_request`.
		TooManyTokens,
		/// The claims of all lanes would exceed the deposit.
		EscrowExceeded,
		/// A miss was already reported for this lane.
		MissAlreadyReported,
		/// The session is not in its validation window.
		NotValidating,
		/// The leaf was not sampled.
		NotSampled,
		/// The validator is not assigned to this leaf.
		NotAssigned,
		/// The validator already attested this leaf.
		AlreadyAttested,
		/// The session has no step due yet (still open before expiry, or a window still running).
		NotDue,
		/// The amount must be positive.
		ZeroAmount,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::run_agenda(n, remaining)
		}

		fn integrity_test() {
			assert!(T::MaxGroupSize::get() > 0, "MaxGroupSize must be positive");
			assert!(T::MaxGroupSize::get() <= 256, "slots are u8");
			assert!(T::MaxValidatorsPerSample::get() <= 255, "validator index is u8");
			assert!(T::MaxSamplesPerLane::get() > 0, "MaxSamplesPerLane must be positive");
			assert!(T::MaxAgendaPerBlock::get() > 0, "MaxAgendaPerBlock must be positive");
			assert!(T::ReputationEpochs::get() > 0, "ReputationEpochs must be positive");
			assert!(T::MaxCandidates::get() > 0, "MaxCandidates must be positive");
			assert!(
				T::MaxCandidates::get() as u64 <= MAX_CANDIDATES,
				"MaxCandidates above what the weights account for"
			);
			assert!(
				T::MaxValidatorsPerSample::get() as u64 <= MAX_VALIDATORS,
				"MaxValidatorsPerSample above what the weights account for"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Open a session: hold `deposit` of the caller's balance and draw the executor group
		/// for `model`. `duration` blocks until it closes by itself (at most
		/// [`Config::MaxDuration`]); `delegate` may sign vouchers besides the owner.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::open_session())]
		pub fn open_session(
			origin: OriginFor<T>,
			model: ModelId,
			#[pallet::compact] deposit: Balance,
			max_tokens_per_request: u32,
			duration: BlockNumberFor<T>,
			delegate: Option<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_open_session(who, model, deposit, max_tokens_per_request, duration, delegate)
				.map(|_| ())
		}

		/// Add `amount` to an open session's escrow (owner only).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::top_up())]
		pub fn top_up(
			origin: OriginFor<T>,
			session: SessionId,
			#[pallet::compact] amount: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_top_up(who, session, amount)
		}

		/// Close an open session now (owner only); the claim window starts.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::close())]
		pub fn close(origin: OriginFor<T>, session: SessionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let s = Sessions::<T>::get(session).ok_or(Error::<T>::UnknownSession)?;
			ensure!(s.owner == who, Error::<T>::NotOwner);
			Self::do_close(session, s)
		}

		/// Claim `voucher` on `slot` of `session`: fee-less, authorised by the slot executor's
		/// worker-key signature `executor_signature` over
		/// [`claim_payload`](gonka_primitives::market::claim_payload); `payer_signature` is the
		/// owner's or delegate's over [`voucher_payload`](gonka_primitives::market::voucher_payload).
		#[pallet::call_index(3)]
		#[pallet::authorize(Pallet::<T>::authorize_claim)]
		#[pallet::weight(T::WeightInfo::claim())]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_claim())]
		pub fn claim(
			origin: OriginFor<T>,
			voucher: Voucher<Balance>,
			payer_signature: T::PayerSignature,
			executor_signature: WorkerSignature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			let _ = (payer_signature, executor_signature);
			Self::do_claim(voucher)
		}

		/// Report that `slot`'s executor accepted a request and did not serve it (owner or
		/// delegate; once per lane). Counts a miss in the executor's reputation.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::report_miss())]
		pub fn report_miss(
			origin: OriginFor<T>,
			session: SessionId,
			slot: SlotIndex,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_report_miss(who, session, slot)
		}

		/// Attest a sampled leaf: fee-less, authorised by `validator`'s worker-key signature over
		/// [`attest_payload`](gonka_primitives::market::attest_payload).
		#[pallet::call_index(5)]
		#[pallet::authorize(Pallet::<T>::authorize_attest)]
		#[pallet::weight(T::WeightInfo::attest())]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_attest())]
		pub fn attest(
			origin: OriginFor<T>,
			session: SessionId,
			slot: SlotIndex,
			leaf: u64,
			validator: T::AccountId,
			verdict: Verdict,
			signature: WorkerSignature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			let _ = signature;
			Self::do_attest(session, slot, leaf, validator, verdict)
		}

		/// Take a session's next due step (anyone): close it at expiry, draw its samples after
		/// the claim window, or settle it after the validation window. The hooks do the same
		/// at the scheduled blocks; this call is for when they could not (a full agenda).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::settle(T::MaxGroupSize::get(), T::MaxSamplesPerLane::get())
			.max(T::WeightInfo::sample(T::MaxGroupSize::get(), T::MaxSamplesPerLane::get())))]
		pub fn finalize(origin: OriginFor<T>, session: SessionId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::advance(session).map(|_| ())
		}
	}
}

/// Blocks the agenda is searched for room when a step is scheduled.
pub const AGENDA_SEARCH: u32 = 64;
