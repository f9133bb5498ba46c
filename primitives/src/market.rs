//! The inference market's wire format: what a payer, an executor and a validator sign, and how
//! the chain prices tokens. `docs/inference-market.md` is the protocol; this module is its byte
//! layout, shared by the inference pallet (which verifies) and workers and clients (which sign).
//!
//! Every signed payload starts with its own ASCII tag and the chain's genesis hash, so a
//! signature made for one kind of message, or for another chain, never verifies as another.
//! Integers are SCALE: fixed-width little endian unless marked compact.

use crate::hosts::ModelId;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;

/// Sequential identifier of a session (escrow), never reused.
pub type SessionId = u64;

/// Index of an executor slot in a session's group (`0..group size`); one payment lane per slot.
pub type SlotIndex = u8;

/// Tag of a payer's voucher.
pub const VOUCHER_TAG: &[u8] = b"gonka-market/v1/voucher";
/// Tag of an executor's signed leaf (one served request).
pub const LEAF_TAG: &[u8] = b"gonka-market/v1/leaf";
/// Tag of an executor's claim of a voucher.
pub const CLAIM_TAG: &[u8] = b"gonka-market/v1/claim";
/// Tag of a validator's attestation of a sampled leaf.
pub const ATTEST_TAG: &[u8] = b"gonka-market/v1/attest";
/// Tag of an inner node of a lane's leaf tree.
pub const NODE_TAG: &[u8] = b"gonka-market/v1/node";
/// Tag of a validator's request for a sampled leaf's record ([`fetch_payload`]).
pub const FETCH_TAG: &[u8] = b"gonka-market/v1/fetch";
/// Tag of a leaf's prompt hash ([`prompt_hash`]).
pub const PROMPT_TAG: &[u8] = b"gonka-market/v1/prompt";
/// Tag of a leaf's output hash ([`output_hash`]).
pub const OUTPUT_TAG: &[u8] = b"gonka-market/v1/output";
/// Tag of a leaf's request id ([`request_id`]).
pub const REQUEST_TAG: &[u8] = b"gonka-market/v1/request";
/// Tag of a payer's authorization of one request on a lane ([`authorization_payload`]).
pub const AUTHORIZATION_TAG: &[u8] = b"gonka-market/v1/authorize";

/// The payer's cumulative promise for one lane: after the `seq`-th request served on `slot` of
/// `session`, the payer owes `amount` in total for `in_tokens` prompt and `out_tokens` output
/// tokens, and the executor's signed leaves `1..=seq` hash to `leaves_root`.
///
/// SCALE: `session u64 || slot u8 || seq u64 || amount u128 || in_tokens u64 || out_tokens u64
/// || leaves_root [u8; 32]` = 81 bytes.
#[derive(
	Clone,
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
pub struct Voucher<Balance> {
	/// The session it spends.
	pub session: SessionId,
	/// The lane (executor slot) it pays.
	pub slot: SlotIndex,
	/// Number of requests served on this lane so far (1 for the first).
	pub seq: u64,
	/// Cumulative amount owed on this lane, in base units: exactly
	/// [`quote`]`(price, in_tokens, out_tokens)`.
	pub amount: Balance,
	/// Cumulative prompt tokens.
	pub in_tokens: u64,
	/// Cumulative output tokens.
	pub out_tokens: u64,
	/// Root of the lane's leaf tree over leaves `1..=seq` ([`leaves_root`]).
	pub leaves_root: H256,
}

/// One served request as the executor signs it before releasing the output.
///
/// SCALE: `seq u64 || request_id [32] || prompt_hash [32] || output_hash [32] || in_tokens u32 ||
/// out_tokens u32 || model u32` = 116 bytes.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Leaf {
	/// Position in the lane (1 for the first request).
	pub seq: u64,
	/// The request id the client or ingress host chose.
	pub request_id: H256,
	/// BLAKE2b-256 of the canonical request body (messages and sampling parameters).
	pub prompt_hash: H256,
	/// BLAKE2b-256 of the output token ids (SCALE `Vec<u32>`) and their top-k log-probabilities.
	pub output_hash: H256,
	/// Prompt tokens of this request.
	pub in_tokens: u32,
	/// Output tokens of this request.
	pub out_tokens: u32,
	/// Catalogue model that served it.
	pub model: ModelId,
}

/// What a validator found when it re-executed a sampled leaf.
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
pub enum Verdict {
	/// The executor's output passes the catalogue model's validation threshold.
	Valid,
	/// It does not.
	Invalid,
	/// The executor did not serve the leaf's payload and Merkle proof when asked: counts as
	/// invalid.
	Withheld,
}

impl Verdict {
	/// Whether the verdict condemns the leaf (`Invalid` or `Withheld`).
	pub fn condemns(self) -> bool {
		!matches!(self, Verdict::Valid)
	}
}

/// The price of `in_tokens + out_tokens` tokens at `price_per_1k_tokens` base units per 1,000
/// tokens, rounded down: `(in + out) * price / 1000`, saturating. The chain accepts a voucher
/// only if its `amount` equals this for its cumulative tokens.
pub fn quote(price_per_1k_tokens: u128, in_tokens: u64, out_tokens: u64) -> u128 {
	let tokens = (in_tokens as u128).saturating_add(out_tokens as u128);
	tokens.saturating_mul(price_per_1k_tokens) / 1_000
}

/// Bytes the payer (session owner or its delegate) signs: `VOUCHER_TAG || genesis [32] ||
/// SCALE(voucher)`.
pub fn voucher_payload<Balance: Encode>(genesis: &[u8; 32], voucher: &Voucher<Balance>) -> Vec<u8> {
	let mut payload = VOUCHER_TAG.to_vec();
	payload.extend_from_slice(genesis);
	voucher.encode_to(&mut payload);
	payload
}

/// Bytes the executor's worker key signs for each request before releasing its output:
/// `LEAF_TAG || genesis [32] || session u64 || slot u8 || SCALE(leaf)`.
pub fn leaf_payload(
	genesis: &[u8; 32],
	session: SessionId,
	slot: SlotIndex,
	leaf: &Leaf,
) -> Vec<u8> {
	let mut payload = LEAF_TAG.to_vec();
	payload.extend_from_slice(genesis);
	session.encode_to(&mut payload);
	slot.encode_to(&mut payload);
	leaf.encode_to(&mut payload);
	payload
}

/// Bytes the executor's worker key signs to claim a voucher: `CLAIM_TAG || genesis [32] ||
/// SCALE(voucher)`.
pub fn claim_payload<Balance: Encode>(genesis: &[u8; 32], voucher: &Voucher<Balance>) -> Vec<u8> {
	let mut payload = CLAIM_TAG.to_vec();
	payload.extend_from_slice(genesis);
	voucher.encode_to(&mut payload);
	payload
}

/// Bytes a validator's worker key signs to attest: `ATTEST_TAG || genesis [32] || session u64 ||
/// slot u8 || leaf u64 || SCALE(validator) || verdict u8` (0 valid, 1 invalid, 2 withheld).
pub fn attest_payload<AccountId: Encode>(
	genesis: &[u8; 32],
	session: SessionId,
	slot: SlotIndex,
	leaf: u64,
	validator: &AccountId,
	verdict: Verdict,
) -> Vec<u8> {
	let mut payload = ATTEST_TAG.to_vec();
	payload.extend_from_slice(genesis);
	session.encode_to(&mut payload);
	slot.encode_to(&mut payload);
	leaf.encode_to(&mut payload);
	validator.encode_to(&mut payload);
	verdict.encode_to(&mut payload);
	payload
}

/// Bytes a validator's worker key signs to fetch a sampled leaf's record from its executor (off
/// chain; the executor serves only assigned validators): `FETCH_TAG || genesis [32] ||
/// session u64 || slot u8 || leaf u64 || SCALE(validator)`.
pub fn fetch_payload<AccountId: Encode>(
	genesis: &[u8; 32],
	session: SessionId,
	slot: SlotIndex,
	leaf: u64,
	validator: &AccountId,
) -> Vec<u8> {
	let mut payload = FETCH_TAG.to_vec();
	payload.extend_from_slice(genesis);
	session.encode_to(&mut payload);
	slot.encode_to(&mut payload);
	leaf.encode_to(&mut payload);
	validator.encode_to(&mut payload);
	payload
}

/// Bytes the payer (session owner or its delegate) signs to have one request served on a lane
/// (off chain; an executor serves nothing a payer did not ask for, and a replayed request names
/// a used sequence number): `AUTHORIZATION_TAG || genesis [32] || session u64 || slot u8 ||
/// seq u64 || prompt_hash [32]`, `seq` being the leaf number the request will get.
pub fn authorization_payload(
	genesis: &[u8; 32],
	session: SessionId,
	slot: SlotIndex,
	seq: u64,
	prompt_hash: &H256,
) -> Vec<u8> {
	let mut payload = AUTHORIZATION_TAG.to_vec();
	payload.extend_from_slice(genesis);
	session.encode_to(&mut payload);
	slot.encode_to(&mut payload);
	seq.encode_to(&mut payload);
	payload.extend_from_slice(prompt_hash.as_bytes());
	payload
}

/// A leaf's `prompt_hash`: `blake2_256(PROMPT_TAG || path || 0x00 || body)` over the API path
/// (`/v1/chat/completions`, `/v1/completions`) and the exact request body bytes the client sent.
pub fn prompt_hash(path: &str, body: &[u8]) -> H256 {
	let mut bytes = PROMPT_TAG.to_vec();
	bytes.extend_from_slice(path.as_bytes());
	bytes.push(0);
	bytes.extend_from_slice(body);
	H256(sp_crypto_hashing::blake2_256(&bytes))
}

/// One generated token as an executor records it: the token id, its log-probability and the
/// top alternatives, log-probabilities as IEEE-754 `f32` bit patterns (so hashes are exact).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct OutputToken {
	/// Token id.
	pub token: u32,
	/// `f32::to_bits` of `log p(token)`.
	pub logprob_bits: u32,
	/// `(token id, f32::to_bits(log p))` of the most likely tokens, best first.
	pub top: Vec<(u32, u32)>,
}

/// A leaf's `output_hash`: `blake2_256(OUTPUT_TAG || SCALE(output))`.
pub fn output_hash(output: &[OutputToken]) -> H256 {
	let mut bytes = OUTPUT_TAG.to_vec();
	output.encode_to(&mut bytes);
	H256(sp_crypto_hashing::blake2_256(&bytes))
}

/// A leaf's `request_id`: `blake2_256(REQUEST_TAG || session u64 || slot u8 || seq u64 ||
/// prompt_hash)`, so both sides derive it.
pub fn request_id(session: SessionId, slot: SlotIndex, seq: u64, prompt_hash: &H256) -> H256 {
	let mut bytes = REQUEST_TAG.to_vec();
	session.encode_to(&mut bytes);
	slot.encode_to(&mut bytes);
	seq.encode_to(&mut bytes);
	bytes.extend_from_slice(prompt_hash.as_bytes());
	H256(sp_crypto_hashing::blake2_256(&bytes))
}

/// Hash of a leaf in the lane's tree: `blake2_256(LEAF_TAG || SCALE(leaf))`.
pub fn leaf_hash(leaf: &Leaf) -> H256 {
	let mut bytes = LEAF_TAG.to_vec();
	leaf.encode_to(&mut bytes);
	H256(sp_crypto_hashing::blake2_256(&bytes))
}

fn node(left: &H256, right: &H256) -> H256 {
	let mut bytes = NODE_TAG.to_vec();
	bytes.extend_from_slice(left.as_bytes());
	bytes.extend_from_slice(right.as_bytes());
	H256(sp_crypto_hashing::blake2_256(&bytes))
}

/// Root of a lane's leaf tree: a binary tree over the leaf hashes in `seq` order; each level pairs
/// neighbours as `blake2_256(NODE_TAG || left || right)` and carries an odd last node up
/// unchanged. The root of no leaves is `H256::zero()`, of one leaf its hash.
pub fn leaves_root(hashes: &[H256]) -> H256 {
	if hashes.is_empty() {
		return H256::zero();
	}
	let mut level = hashes.to_vec();
	while level.len() > 1 {
		level = level
			.chunks(2)
			.map(|pair| if pair.len() == 2 { node(&pair[0], &pair[1]) } else { pair[0] })
			.collect();
	}
	level[0]
}

/// The siblings proving leaf `index` (0-based) of `hashes` against [`leaves_root`], bottom-up;
/// a level where the node has no sibling contributes nothing.
pub fn leaf_proof(hashes: &[H256], index: usize) -> Vec<H256> {
	let mut proof = Vec::new();
	let mut level = hashes.to_vec();
	let mut i = index;
	while level.len() > 1 {
		let sibling = i ^ 1;
		if sibling < level.len() {
			proof.push(level[sibling]);
		}
		level = level
			.chunks(2)
			.map(|pair| if pair.len() == 2 { node(&pair[0], &pair[1]) } else { pair[0] })
			.collect();
		i /= 2;
	}
	proof
}

/// Whether `proof` shows that `hash` is leaf `index` of a tree of `count` leaves with `root`.
pub fn verify_leaf_proof(
	root: &H256,
	hash: H256,
	index: usize,
	count: usize,
	proof: &[H256],
) -> bool {
	if index >= count {
		return false;
	}
	let (mut acc, mut i, mut width, mut used) = (hash, index, count, 0);
	while width > 1 {
		let sibling = i ^ 1;
		if sibling < width {
			let Some(s) = proof.get(used) else { return false };
			acc = if i % 2 == 0 { node(&acc, s) } else { node(s, &acc) };
			used += 1;
		}
		i /= 2;
		width = width.div_ceil(2);
	}
	used == proof.len() && acc == *root
}

#[cfg(test)]
mod tests {
	use super::*;

	fn leaf(seq: u64) -> Leaf {
		Leaf {
			seq,
			request_id: H256::repeat_byte(seq as u8),
			prompt_hash: H256::repeat_byte(1),
			output_hash: H256::repeat_byte(2),
			in_tokens: 10,
			out_tokens: 20,
			model: 0,
		}
	}

	#[test]
	fn voucher_and_leaf_layouts_are_as_documented() {
		let v = Voucher::<u128> {
			session: 7,
			slot: 3,
			seq: 2,
			amount: 5,
			in_tokens: 1,
			out_tokens: 4,
			leaves_root: H256::repeat_byte(9),
		};
		assert_eq!(v.encode().len(), 81);
		assert_eq!(leaf(1).encode().len(), 116);
		let genesis = [0xab; 32];
		let p = voucher_payload(&genesis, &v);
		assert_eq!(&p[..VOUCHER_TAG.len()], VOUCHER_TAG);
		let rest = &p[VOUCHER_TAG.len() + 32..];
		assert_eq!(&rest[..8], &7u64.to_le_bytes());
		assert_eq!(rest[8], 3);
		assert_eq!(&rest[9..17], &2u64.to_le_bytes());
		assert_eq!(&rest[17..33], &5u128.to_le_bytes());
		// The claim signs the same voucher under another tag: never interchangeable.
		assert_ne!(voucher_payload(&genesis, &v)[..], claim_payload(&genesis, &v)[..]);
		let a = attest_payload(&genesis, 7, 3, 9, &1u64, Verdict::Withheld);
		assert_eq!(*a.last().unwrap(), 2);
		assert_eq!(a.len(), ATTEST_TAG.len() + 32 + 8 + 1 + 8 + 8 + 1);
	}

	#[test]
	fn quote_rounds_down_per_thousand_tokens() {
		assert_eq!(quote(1_000, 600, 400), 1_000);
		assert_eq!(quote(7, 100, 42), 0);
		assert_eq!(quote(7, 1_000, 429), 10);
		assert_eq!(quote(u128::MAX, u64::MAX, u64::MAX), u128::MAX / 1_000);
	}

	#[test]
	fn every_leaf_proves_against_the_root() {
		for n in 1..=9usize {
			let hashes: Vec<H256> = (1..=n as u64).map(|s| leaf_hash(&leaf(s))).collect();
			let root = leaves_root(&hashes);
			for i in 0..n {
				let proof = leaf_proof(&hashes, i);
				assert!(verify_leaf_proof(&root, hashes[i], i, n, &proof), "n={n} i={i}");
				assert!(!verify_leaf_proof(&root, hashes[(i + 1) % n], i, n, &proof) || n == 1);
				// A proof with one sibling changed, or one too many, fails. (The leaf count is not
				// bound by the proof: the voucher signs `seq` next to the root.)
				if let Some(first) = proof.first() {
					let mut bad = proof.clone();
					bad[0] = H256(sp_crypto_hashing::blake2_256(first.as_bytes()));
					assert!(!verify_leaf_proof(&root, hashes[i], i, n, &bad));
				}
				let mut long = proof.clone();
				long.push(H256::zero());
				assert!(!verify_leaf_proof(&root, hashes[i], i, n, &long));
			}
		}
		assert_eq!(leaves_root(&[]), H256::zero());
	}
}
