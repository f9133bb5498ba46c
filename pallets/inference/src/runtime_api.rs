//! Runtime API of the inference market, for clients (routing a request to its slot), workers
//! (claims, assignments) and explorers.
//!
//! The runtime implements it with the `Pallet::api_*` helpers, e.g.
//! ```ignore
//! impl InferenceApi<Block, AccountId, BlockNumber> for Runtime {
//!     fn session(id: SessionId) -> Option<SessionView<AccountId, BlockNumber>> {
//!         Inference::api_session(id)
//!     }
//!     fn lane(id: SessionId, slot: SlotIndex) -> Option<Lane<AccountId>> {
//!         pallet_gonka_inference::Lanes::<Runtime>::get(id, slot)
//!     }
//!     fn quote(model: ModelId, in_tokens: u64, out_tokens: u64) -> Option<Balance> {
//!         Inference::api_quote(model, in_tokens, out_tokens)
//!     }
//!     fn assignments(validator: AccountId) -> Vec<(SessionId, SlotIndex, u64)> {
//!         Inference::api_assignments(validator)
//!     }
//!     fn reputation(host: AccountId) -> ReputationView {
//!         Inference::api_reputation(host)
//!     }
//! }
//! ```

use crate::{Lane, ReputationView, SessionView};
use alloc::vec::Vec;
use codec::Codec;
use gonka_primitives::{
	hosts::ModelId,
	market::{SessionId, SlotIndex},
	Balance,
};

sp_api::decl_runtime_apis! {
	/// Read access to the inference market.
	pub trait InferenceApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// A session: owner, terms, escrow, phase and each slot's executor, endpoint and latest
		/// claimed voucher (`None` once settled).
		fn session(id: SessionId) -> Option<SessionView<AccountId, BlockNumber>>;
		/// One lane's state: executor, latest claimed voucher, samples drawn and rate applied.
		fn lane(id: SessionId, slot: SlotIndex) -> Option<Lane<AccountId>>;
		/// The price, in base units, of `in_tokens` prompt and `out_tokens` output tokens on an
		/// active catalogue model (`None` if unknown or retired).
		fn quote(model: ModelId, in_tokens: u64, out_tokens: u64) -> Option<Balance>;
		/// The sampled leaves `(session, slot, leaf seq)` `validator` must still attest.
		fn assignments(validator: AccountId) -> Vec<(SessionId, SlotIndex, u64)>;
		/// A host's market reputation: window counters, sampling rate, draw factor.
		fn reputation(host: AccountId) -> ReputationView;
	}
}
