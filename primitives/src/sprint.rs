//! The signed payloads of the sprint extrinsics: what a worker key signs so that the chain accepts
//! a fee-less commitment or verdict batch from it.
//!
//! Both the sprint pallet (which verifies) and the worker (which signs) build the bytes with these
//! functions, so they can never disagree. Each payload starts with its own ASCII tag, so a
//! signature over one kind of message can never be replayed as another kind (nor as the worker
//! key's proof of possession, [`crate::crypto::WORKER_POP_TAG`]). Every payload carries the
//! chain's genesis hash, so a signature made for one chain never verifies on another that shares
//! keys, and the epoch, so it is only ever valid for one epoch. A commitment also carries its
//! submission index (0 for a host's first commitment of the epoch, then 1, 2, ...): the chain
//! accepts index `k` only while the host has exactly `k` commitments recorded, so an earlier
//! signed commitment can never be replayed after a later one (`docs/sprint-security.md`).

use crate::pow::{EpochIndex, SprintCommitment, ValidationVerdict};
use alloc::vec::Vec;
use codec::Encode;

/// Tag of a commitment payload.
pub const COMMITMENT_TAG: &[u8] = b"gonka-sprint/v2/commit";

/// Tag of a verdict-batch payload.
pub const VERDICTS_TAG: &[u8] = b"gonka-sprint/v2/verdicts";

/// The bytes a host's worker key signs to commit: `COMMITMENT_TAG || genesis (32 bytes) ||
/// SCALE(commitment) || submission u32 LE || SCALE(host)`, i.e. `tag || genesis || epoch u32 LE ||
/// count u32 LE || merkle_root (32 bytes) || submission u32 LE || host`.
///
/// `genesis` is the hash of the chain's block 0; `submission` is how many commitments the chain
/// has already recorded for `host` in this epoch.
pub fn commitment_payload<AccountId: Encode>(
	genesis: &[u8; 32],
	commitment: &SprintCommitment,
	submission: u32,
	host: &AccountId,
) -> Vec<u8> {
	let mut payload = COMMITMENT_TAG.to_vec();
	payload.extend_from_slice(genesis);
	commitment.encode_to(&mut payload);
	submission.encode_to(&mut payload);
	host.encode_to(&mut payload);
	payload
}

/// The bytes a validator's worker key signs to submit verdicts: `VERDICTS_TAG || genesis (32
/// bytes) || epoch u32 LE || SCALE(validator) || SCALE(verdicts)`, where `verdicts` is the SCALE vector (compact length,
/// then each `(target, ValidationVerdict)`: target account, `samples_checked u32 LE`,
/// `mismatches u32 LE`, `proofs_not_served` as one byte 0/1), in the order submitted.
pub fn verdicts_payload<AccountId: Encode>(
	genesis: &[u8; 32],
	epoch: EpochIndex,
	validator: &AccountId,
	verdicts: &[(AccountId, ValidationVerdict)],
) -> Vec<u8> {
	let mut payload = VERDICTS_TAG.to_vec();
	payload.extend_from_slice(genesis);
	epoch.encode_to(&mut payload);
	validator.encode_to(&mut payload);
	verdicts.encode_to(&mut payload);
	payload
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::H256;

	#[test]
	fn payloads_are_tagged_and_laid_out_as_documented() {
		let c = SprintCommitment { epoch: 3, count: 0x0102, merkle_root: H256::repeat_byte(9) };
		let genesis = [0xab; 32];
		let p = commitment_payload(&genesis, &c, 5, &7u64);
		assert_eq!(&p[..COMMITMENT_TAG.len()], COMMITMENT_TAG);
		let rest = &p[COMMITMENT_TAG.len()..];
		assert_eq!(&rest[..32], &genesis);
		let rest = &rest[32..];
		assert_eq!(&rest[..8], &[3, 0, 0, 0, 2, 1, 0, 0]);
		assert_eq!(&rest[8..40], &[9u8; 32]);
		assert_eq!(&rest[40..44], &[5, 0, 0, 0]);
		assert_eq!(&rest[44..], &7u64.to_le_bytes());
		// Another chain, or another submission index, signs other bytes.
		assert_ne!(p, commitment_payload(&[0xcd; 32], &c, 5, &7u64));
		assert_ne!(p, commitment_payload(&genesis, &c, 4, &7u64));

		let v = ValidationVerdict { samples_checked: 5, mismatches: 1, proofs_not_served: true };
		let p = verdicts_payload(&genesis, 4, &1u64, &[(2u64, v)]);
		let rest = &p[VERDICTS_TAG.len()..];
		assert_eq!(&rest[..32], &genesis);
		let rest = &rest[32..];
		assert_eq!(&rest[..4], &[4, 0, 0, 0]);
		assert_eq!(&rest[4..12], &1u64.to_le_bytes());
		assert_eq!(rest[12], 4); // compact(1)
		assert_eq!(&rest[13..21], &2u64.to_le_bytes());
		assert_eq!(&rest[21..], &[5, 0, 0, 0, 1, 0, 0, 0, 1]);
	}
}
