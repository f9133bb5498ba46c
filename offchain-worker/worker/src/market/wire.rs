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
/// Request header carrying the payer's authorization of the request: `<seq>:<0x hex SCALE
/// MultiSignature>` over `authorization_payload(genesis, session, slot, seq, prompt_hash)`, by the
/// session's owner or delegate, `seq` being the leaf number the request will get on the lane.
pub const AUTHORIZATION_HEADER: &str = "x-gonka-authorization";
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

/// A payer's authorization of one request ([`AUTHORIZATION_HEADER`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Authorization {
	/// The leaf number the request will get on its lane (lane's requests served + 1).
	pub seq: u64,
	/// Signature over `authorization_payload`.
	pub signature: Signature,
}

impl Authorization {
	/// The header value: `<seq>:<0x hex SCALE signature>`.
	pub fn header(&self) -> String {
		format!("{}:{}", self.seq, to_hex(&self.signature))
	}

	/// Parses a header value made by [`Authorization::header`].
	pub fn parse(value: &str) -> anyhow::Result<Self> {
		let (seq, signature) =
			value.trim().split_once(':').ok_or_else(|| anyhow!("expected <seq>:<signature>"))?;
		Ok(Self {
			seq: seq.parse().map_err(|_| anyhow!("{seq:?} is not a sequence number"))?,
			signature: from_hex(signature, "authorization signature")?,
		})
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

#[cfg(test)]
mod tests {
	use super::*;
	use gonka_primitives::market::{authorization_payload, prompt_hash};
	use sp_core::Pair as _;
	use sp_runtime::traits::Verify;

	#[test]
	fn an_authorization_round_trips_through_its_header_and_binds_body_lane_and_seq() {
		let payer = sp_core::sr25519::Pair::from_string("//Charlie", None).unwrap();
		let who = sp_runtime::AccountId32::new(payer.public().0);
		let genesis = [7u8; 32];
		let body = br#"{"model":"m","prompt":"hi"}"#;
		let hash = prompt_hash("/v1/completions", body);
		let payload = authorization_payload(&genesis, 3, 1, 5, &hash);
		let auth = Authorization { seq: 5, signature: Signature::Sr25519(payer.sign(&payload)) };
		let parsed = Authorization::parse(&auth.header()).unwrap();
		assert_eq!(parsed, auth);
		assert!(parsed.signature.verify(&payload[..], &who));
		// Another body, slot or seq is not authorized by it.
		let other_body = prompt_hash("/v1/completions", br#"{"model":"m","prompt":"ho"}"#);
		for other in [
			authorization_payload(&genesis, 3, 1, 5, &other_body),
			authorization_payload(&genesis, 3, 2, 5, &hash),
			authorization_payload(&genesis, 3, 1, 6, &hash),
		] {
			assert!(!parsed.signature.verify(&other[..], &who));
		}
		assert!(Authorization::parse("5").is_err());
		assert!(Authorization::parse("x:0x00").is_err());
		assert!(Authorization::parse("5:0xzz").is_err());
	}
}
