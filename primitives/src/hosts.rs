//! What the rest of the chain needs to know about hosts, without depending on the hosts pallet.
//!
//! The sprint, inference and governance pallets take a `type Hosts: HostRegistry<..>` in their
//! `Config` and the runtime plugs in `pallet_gonka_hosts::Pallet<Runtime>`. Keeping the trait here
//! means those pallets compile and test against a few-line mock, and the hosts pallet can change
//! its storage without touching them.

use crate::crypto::worker::WorkerId;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::ConstU32;
use sp_runtime::{BoundedVec, FixedU128, Perbill};

/// Identifier of a model in the on-chain catalogue. Ids are never reused: a model that should
/// no longer be served is retired, not removed, so that old settlements keep their meaning.
pub type ModelId = u32;

/// Longest endpoint URL a host may register, in bytes.
pub const MAX_ENDPOINT_LEN: u32 = 256;

/// A host's public endpoint: an `http://` or `https://` URL with a host name and a port, where
/// validators fetch sprint proofs and the router sends inference traffic. Stored as bytes
/// (validated UTF-8/ASCII by the hosts pallet) so that it has a bounded encoding.
pub type Endpoint = BoundedVec<u8, ConstU32<MAX_ENDPOINT_LEN>>;

/// Why collateral is slashed. It ends up in the `Slashed` event, so explorers and the slashed
/// host can tell which part of the protocol punished whom.
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
pub enum SlashReason {
	/// A validator re-executed an inference sample and the executor's output did not match.
	InvalidInference,
	/// The host's sprint commitment was judged invalid by the validating majority.
	InvalidSprintProof,
	/// The host did not serve the Merkle proofs or inference it was asked for.
	Unavailable,
	/// A validator voted against the majority in a way the protocol punishes.
	FaultyValidation,
	/// A governance decision (referendum or privileged origin).
	Governance,
}

/// The economic terms of a catalogue model that the sprint and inference pallets act on.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct ModelTerms<Balance> {
	/// Whether hosts may (still) declare and be routed traffic for this model.
	pub active: bool,
	/// Share of sampled outputs that must match for an inference to be judged valid.
	pub validation_threshold: Perbill,
	/// Price a developer pays per 1,000 tokens served by this model.
	pub price_per_1k_tokens: Balance,
	/// Multiplier applied to a host's sprint weight when the sprint runs on this model.
	pub pow_weight_scale: FixedU128,
}

/// The host registry as other pallets see it.
///
/// All reads are O(1) storage reads except [`HostRegistry::hosts_serving`], which is paged so
/// that a caller's weight is bounded by the `limit` it passes.
pub trait HostRegistry<AccountId, Balance> {
	/// Whether `host` is registered and may take part in sprints and inference now.
	fn is_active(host: &AccountId) -> bool;

	/// The worker key that is valid for `host` at the current block (after any scheduled
	/// rotation has taken effect), or `None` if `host` is not registered.
	fn worker_key(host: &AccountId) -> Option<WorkerId>;

	/// The host whose currently valid worker key is `key`. A key that has been rotated out or
	/// that is scheduled but not yet in force maps to `None`: exactly one key per host signs at
	/// any block.
	fn host_of_worker(key: &WorkerId) -> Option<AccountId>;

	/// The endpoint `host` registered.
	fn endpoint(host: &AccountId) -> Option<Endpoint>;

	/// Up to `limit` hosts that declared `model`, in storage order, starting after `start_after`
	/// (pass the last host of the previous page; `None` for the first page). Empty if the model
	/// is unknown or retired.
	fn hosts_serving(model: ModelId, start_after: Option<AccountId>, limit: u32) -> Vec<AccountId>;

	/// Up to `limit` hosts that declared `model`, starting at a position in storage order chosen
	/// by `entropy` and wrapping around: a window of a random place in the list. Storage order
	/// is by hash of the account, so for a uniform `entropy` every host is equally likely to be
	/// in the window; all of them are when `limit` covers the list. Empty if the model is unknown
	/// or retired. Reads at most `limit + 1` entries.
	fn hosts_serving_window(model: ModelId, entropy: [u8; 16], limit: u32) -> Vec<AccountId>;

	/// The terms of a catalogue model, or `None` if there is no such model.
	fn model_terms(model: ModelId) -> Option<ModelTerms<Balance>>;

	/// Collateral of `host` that can still be slashed (active plus unbonding).
	fn collateral(host: &AccountId) -> Balance;

	/// Slash up to `amount` of `host`'s collateral for `reason`, sending it to the runtime's slash
	/// destination. Returns the amount actually slashed (less than `amount` when the host holds
	/// less). Never fails: slashing a host with nothing at stake slashes zero.
	fn slash(host: &AccountId, amount: Balance, reason: SlashReason) -> Balance;

	/// Number of registered hosts.
	fn host_count() -> u32;
}
