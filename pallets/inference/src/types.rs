//! Types stored by the inference pallet and returned by its runtime API.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use gonka_primitives::{
	hosts::{Endpoint, ModelId},
	market::{SlotIndex, Verdict, Voucher},
	pow::EpochIndex,
	Balance,
};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

/// Where a session is in its life (`docs/inference-market.md`, "State machine").
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum SessionPhase<BlockNumber> {
	/// Requests are served; top-ups and claims accepted. Closes at `expires_at` or by the owner.
	Open,
	/// Closed: executors may still claim until block `until` (inclusive); lane roots are then
	/// final.
	Claiming {
		/// Last block a claim is accepted in.
		until: BlockNumber,
	},
	/// Samples are drawn; assigned validators attest until block `until` (inclusive), then the
	/// session settles.
	Validating {
		/// Last block an attestation is accepted in.
		until: BlockNumber,
	},
}

/// An escrowed session: a developer's deposit, held on the owner's account under
/// `HoldReason::Escrow`, and the executor group that serves it.
#[derive(
	CloneNoBound, DebugNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxGroup))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Session<AccountId, BlockNumber, MaxGroup: Get<u32>>
where
	AccountId: Clone + core::fmt::Debug + PartialEq + Eq,
	BlockNumber: Clone + core::fmt::Debug + PartialEq + Eq,
{
	/// Who deposited and gets every unspent unit back.
	pub owner: AccountId,
	/// A key that may sign vouchers and report misses besides the owner (a gateway, a browser).
	pub delegate: Option<AccountId>,
	/// The catalogue model served.
	pub model: ModelId,
	/// Price per 1,000 tokens, fixed from the catalogue at opening (later price changes do not
	/// touch open sessions).
	pub price_per_1k_tokens: Balance,
	/// Most tokens (prompt + output) one request may use: a lane's cumulative tokens never exceed
	/// `seq * max_tokens_per_request`.
	pub max_tokens_per_request: u32,
	/// Everything deposited (opening deposit plus top-ups), base units.
	pub deposit: Balance,
	/// Sum of the lanes' claimed voucher amounts (at most `deposit`).
	pub claimed: Balance,
	/// Block the session was opened in.
	pub opened_at: BlockNumber,
	/// Block at which it closes by itself if still open.
	pub expires_at: BlockNumber,
	/// Where it is in its life.
	pub phase: SessionPhase<BlockNumber>,
	/// Executor of each slot (with replacement: a host may hold several slots).
	pub group: BoundedVec<AccountId, MaxGroup>,
}

/// The state of one lane (executor slot) of a session: its latest claimed voucher.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Lane<AccountId> {
	/// The executor the slot belongs to.
	pub executor: AccountId,
	/// The latest voucher claimed (highest `seq`).
	pub voucher: Voucher<Balance>,
	/// Samples drawn from it once the claim window closed (0 before).
	pub samples: u32,
	/// The sampling rate applied (from the executor's reputation at sampling time).
	pub rate: Perbill,
}

/// A sampled leaf awaiting its validators' verdicts.
#[derive(
	CloneNoBound, DebugNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxValidators))]
#[codec(mel_bound(AccountId: MaxEncodedLen))]
pub struct Sample<AccountId, MaxValidators: Get<u32>>
where
	AccountId: Clone + core::fmt::Debug + PartialEq + Eq,
{
	/// Assigned validators (distinct, never the executor), drawn by weight.
	pub validators: BoundedVec<AccountId, MaxValidators>,
	/// `(index in validators, verdict)` for each attestation received.
	pub verdicts: BoundedVec<(u8, Verdict), MaxValidators>,
}

/// A host's market record for one epoch.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct EpochRecord {
	/// The epoch (the compute-weight epoch active when the events were recorded).
	pub epoch: EpochIndex,
	/// Requests served in settled lanes.
	pub served: u64,
	/// Sampled leaves judged valid.
	pub valid: u32,
	/// Sampled leaves judged invalid (or withheld).
	pub invalid: u32,
	/// Misses: lanes the payer reported as not served, and validation assignments left silent.
	pub misses: u32,
	/// Validation assignments received.
	pub assigned: u32,
	/// Attestations of `Invalid`/`Withheld` on a leaf the majority found valid.
	pub false_accusations: u32,
}

impl EpochRecord {
	/// Add `other`'s counters to `self` (saturating).
	pub fn add(&mut self, other: &EpochRecord) {
		self.served = self.served.saturating_add(other.served);
		self.valid = self.valid.saturating_add(other.valid);
		self.invalid = self.invalid.saturating_add(other.invalid);
		self.misses = self.misses.saturating_add(other.misses);
		self.assigned = self.assigned.saturating_add(other.assigned);
		self.false_accusations = self.false_accusations.saturating_add(other.false_accusations);
	}
}

/// A host's reputation as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct ReputationView {
	/// Counters summed over the reputation window.
	pub window: EpochRecord,
	/// Share of its leaves sampled for validation (`Pallet::sampling_rate`).
	pub sampling_rate: Perbill,
	/// Factor applied to its compute weight in executor draws (`Pallet::draw_factor`).
	pub draw_factor: Perbill,
	/// GNK (base units) earned from the market since genesis (`Earned`).
	pub earned: Balance,
}

/// One executor slot as the runtime API reports it: where to send the slot's requests.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct SlotView<AccountId> {
	/// Slot index (the lane).
	pub slot: SlotIndex,
	/// The executor.
	pub executor: AccountId,
	/// Its registered endpoint (`None` if it left the registry).
	pub endpoint: Option<Endpoint>,
	/// The latest voucher it claimed, if any.
	pub claimed: Option<Voucher<Balance>>,
}

/// A session as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct SessionView<AccountId, BlockNumber> {
	/// Owner.
	pub owner: AccountId,
	/// Delegate key, if any.
	pub delegate: Option<AccountId>,
	/// Model.
	pub model: ModelId,
	/// Price per 1,000 tokens for this session.
	pub price_per_1k_tokens: Balance,
	/// Per-request token cap.
	pub max_tokens_per_request: u32,
	/// Total deposited.
	pub deposit: Balance,
	/// Sum of claimed vouchers.
	pub claimed: Balance,
	/// Still spendable: `deposit - claimed` (what an executor may extend credit against).
	pub available: Balance,
	/// Expiry block.
	pub expires_at: BlockNumber,
	/// Phase.
	pub phase: SessionPhase<BlockNumber>,
	/// The executor slots, with endpoints.
	pub slots: alloc::vec::Vec<SlotView<AccountId>>,
}

/// Running totals of the market's escrow, checked by `try_state`:
/// `deposited == paid + refunded + held by open sessions`.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct EscrowTotals {
	/// Everything ever deposited into sessions.
	pub deposited: Balance,
	/// Everything paid to executors and validators.
	pub paid: Balance,
	/// Everything returned to owners.
	pub refunded: Balance,
}
