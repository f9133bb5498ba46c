//! JSON shapes of the proof-serving HTTP API, shared by the server, the client and the sprint
//! directory, so the three can never drift apart.
//!
//! Hashes travel as `0x`-prefixed lowercase hex; numbers as JSON numbers.

use crate::merkle::LeafProof;
use gonka_primitives::pow::{EpochIndex, PowLeaf, SprintCommitment};
use serde::{Deserialize, Serialize};
use sp_core::H256;

/// Largest number of leaf indices one proof request may ask for.
pub const MAX_INDICES_PER_REQUEST: usize = 256;

/// Largest accepted request body, in bytes (ample for [`MAX_INDICES_PER_REQUEST`] indices).
pub const MAX_REQUEST_BYTES: usize = 16 * 1024;

/// A value on the wire that does not decode.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WireError {
	/// Not `0x` followed by 64 hex digits.
	#[error("`{0}` is not a 0x-prefixed 32-byte hex string")]
	BadHash(String),
}

/// Formats a 32-byte value as `0x` + 64 lowercase hex digits.
pub fn hash_to_hex(h: &[u8; 32]) -> String {
	format!("0x{}", hex::encode(h))
}

/// Parses `0x` + 64 hex digits (the `0x` is optional) into 32 bytes.
pub fn hex_to_bytes32(s: &str) -> Result<[u8; 32], WireError> {
	let digits = s.strip_prefix("0x").unwrap_or(s);
	let mut out = [0u8; 32];
	hex::decode_to_slice(digits, &mut out).map_err(|_| WireError::BadHash(s.to_string()))?;
	Ok(out)
}

/// The commitment as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentJson {
	/// Epoch index.
	pub epoch: EpochIndex,
	/// Number of valid nonces.
	pub count: u32,
	/// Merkle root, hex.
	pub merkle_root: String,
}

impl From<SprintCommitment> for CommitmentJson {
	fn from(c: SprintCommitment) -> Self {
		Self {
			epoch: c.epoch,
			count: c.count,
			merkle_root: hash_to_hex(c.merkle_root.as_fixed_bytes()),
		}
	}
}

impl TryFrom<&CommitmentJson> for SprintCommitment {
	type Error = WireError;
	fn try_from(c: &CommitmentJson) -> Result<Self, WireError> {
		Ok(Self {
			epoch: c.epoch,
			count: c.count,
			merkle_root: H256(hex_to_bytes32(&c.merkle_root)?),
		})
	}
}

/// Body of `POST /v1/pow/{epoch}/proofs`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProofRequest {
	/// Leaf indices wanted (1 to [`MAX_INDICES_PER_REQUEST`], each below the leaf count).
	pub indices: Vec<u32>,
}

/// A leaf as JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeafJson {
	/// The nonce.
	pub nonce: u64,
	/// Fixed-point distance (10^-9 units).
	pub distance: u32,
}

/// A leaf with its Merkle path as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofJson {
	/// Leaf index.
	pub index: u32,
	/// The leaf.
	pub leaf: LeafJson,
	/// Sibling hashes, leaf to root, hex.
	pub path: Vec<String>,
}

impl From<&LeafProof> for ProofJson {
	fn from(p: &LeafProof) -> Self {
		Self {
			index: p.index,
			leaf: LeafJson { nonce: p.leaf.nonce, distance: p.leaf.distance },
			path: p.path.iter().map(|h| hash_to_hex(h.as_fixed_bytes())).collect(),
		}
	}
}

impl TryFrom<&ProofJson> for LeafProof {
	type Error = WireError;
	fn try_from(p: &ProofJson) -> Result<Self, WireError> {
		Ok(Self {
			index: p.index,
			leaf: PowLeaf { nonce: p.leaf.nonce, distance: p.leaf.distance },
			path: p.path.iter().map(|h| hex_to_bytes32(h).map(H256)).collect::<Result<_, _>>()?,
		})
	}
}

/// Answer to a proof request: the commitment the proofs are for, and one proof per index, in
/// request order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofsResponse {
	/// The commitment the server holds for the epoch.
	pub commitment: CommitmentJson,
	/// Requested proofs.
	pub proofs: Vec<ProofJson>,
}

/// Body of every 4xx answer: a stable machine-readable code and a human message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
	/// Stable error code, e.g. `index_out_of_range`.
	pub error: String,
	/// What went wrong, for humans.
	pub message: String,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hashes_round_trip_and_bad_hex_is_named() {
		let h = [0xabu8; 32];
		let s = hash_to_hex(&h);
		assert_eq!(s.len(), 66);
		assert_eq!(hex_to_bytes32(&s), Ok(h));
		assert_eq!(hex_to_bytes32(&s[2..]), Ok(h));
		assert_eq!(hex_to_bytes32("0x12"), Err(WireError::BadHash("0x12".into())));
	}

	#[test]
	fn proofs_round_trip_through_json() {
		let proof = LeafProof {
			index: 3,
			leaf: PowLeaf { nonce: 99, distance: 5 },
			path: vec![H256::repeat_byte(1), H256::repeat_byte(2)],
		};
		let json = serde_json::to_string(&ProofJson::from(&proof)).unwrap();
		let back: ProofJson = serde_json::from_str(&json).unwrap();
		assert_eq!(LeafProof::try_from(&back), Ok(proof));
	}
}
