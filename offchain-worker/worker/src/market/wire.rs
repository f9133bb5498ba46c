//! The off-chain messages of the market between a client (gateway), executors and validators:
//! HTTP headers and JSON bodies. Chain types travel as hex of their SCALE encoding, so what is
//! signed is exactly what is sent. Byte layouts of the signed payloads: `docs/inference-market.md`.

use anyhow::{anyhow, Context};
use codec::{Decode, Encode};
use gonka_primitives::{
	crypto::worker::WorkerSignature,
	market::{Leaf, OutputToken, SessionId, SlotIndex, Voucher},
	Balance, Signature,
};
use serde::{Deserialize, Serialize};

/// Request header naming the session a completion is paid from.
pub const SESSION_HEADER: &str = "x-gonka-session";
/// Request header naming the session's slot (lane) the request is for.
pub const SLOT_HEADER: &str = "x-gonka-slot";
/// Set by an ingress host on a request it forwards to the slot's executor (one hop at most).
pub const FORWARDED_HEADER: &str = "x-gonka-forwarded";
/// `POST` path where a client delivers the voucher for the requests it was served on a lane.
pub const VOUCHER_PATH: &str = "/v1/market/vouchers";
/// `POST` path where an assigned validator fetches a sampled leaf's record and proof.
pub const RECORD_PATH: &str = "/v1/market/records";

/// Hex of `value`'s SCALE encoding.
pub fn to_hex<T: Encode>(value: &T) -> String {
	format!("0x{}", hex::encode(value.encode()))
}

/// Decodes a SCALE value from hex (`0x` optional), naming `what` on failure.
pub fn from_hex<T: Decode>(s: &str, what: &str) -> anyhow::Result<T> {
	let bytes = hex::decode(s.trim_start_matches("0x")).with_context(|| format!("{what}: hex"))?;
	T::decode(&mut &bytes[..]).map_err(|e| anyhow!("{what}: {e}"))
}

/// What an executor returns with each completion it served on a lane: the leaf and its
/// worker-key signature over `leaf_payload` (header `x-gonka-receipt`, or the last SSE comment).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Receipt {
	/// Session.
	pub session: SessionId,
	/// Slot.
	pub slot: SlotIndex,
	/// Hex SCALE [`Leaf`].
	pub leaf: String,
	/// Hex SCALE `WorkerSignature` over `leaf_payload(genesis, session, slot, leaf)`.
	pub signature: String,
}

impl Receipt {
	/// The leaf and signature.
	pub fn decode(&self) -> anyhow::Result<(Leaf, WorkerSignature)> {
		Ok((from_hex(&self.leaf, "receipt leaf")?, from_hex(&self.signature, "receipt signature")?))
	}
}

/// A payer-signed voucher as a client delivers it to the lane's executor.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SignedVoucher {
	/// Hex SCALE `Voucher<u128>`.
	pub voucher: String,
	/// Hex SCALE `MultiSignature` over `voucher_payload(genesis, voucher)`.
	pub signature: String,
}

impl SignedVoucher {
	/// Wraps a voucher and its payer signature.
	pub fn new(voucher: &Voucher<Balance>, signature: &Signature) -> Self {
		Self { voucher: to_hex(voucher), signature: to_hex(signature) }
	}

	/// The voucher and its signature.
	pub fn decode(&self) -> anyhow::Result<(Voucher<Balance>, Signature)> {
		Ok((from_hex(&self.voucher, "voucher")?, from_hex(&self.signature, "voucher signature")?))
	}
}

/// A validator's signed request for a sampled leaf's record.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FetchRequest {
	/// Session.
	pub session: SessionId,
	/// Slot.
	pub slot: SlotIndex,
	/// Leaf sequence number (1-based).
	pub seq: u64,
	/// The validator's host account, hex SCALE.
	pub validator: String,
	/// Hex SCALE `WorkerSignature` by the validator's worker key over `fetch_payload`.
	pub signature: String,
}

/// Everything a validator needs to re-execute one request and tie it to the claimed root.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Record {
	/// The API path the request was sent to.
	pub path: String,
	/// The exact request body (UTF-8 JSON).
	pub body: String,
	/// Hex SCALE `Vec<OutputToken>`: the generated tokens with their top-k log-probabilities.
	pub output: String,
	/// Hex SCALE [`Leaf`].
	pub leaf: String,
}

impl Record {
	/// The output tokens.
	pub fn output_tokens(&self) -> anyhow::Result<Vec<OutputToken>> {
		from_hex(&self.output, "record output")
	}

	/// The leaf.
	pub fn leaf(&self) -> anyhow::Result<Leaf> {
		from_hex(&self.leaf, "record leaf")
	}
}

/// The answer to a [`FetchRequest`]: the record and the leaf's Merkle proof (bottom-up sibling
/// hashes, hex) in the lane's tree of `count` leaves.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FetchResponse {
	/// The record.
	pub record: Record,
	/// Leaves in the tree the proof is for.
	pub count: u64,
	/// Sibling hashes, bottom up.
	pub proof: Vec<String>,
}
