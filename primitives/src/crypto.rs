//! The worker key: the warm key a GPU worker signs sprint commitments, validation verdicts and
//! inference results with.
//!
//! A host has two keys. The *host account* (cold key) holds the collateral and authorises; the
//! *worker key* (warm key) lives next to the GPUs, in a worker's keystore file or a node's
//! keystore, and may be rotated by the host account without moving any funds. Giving the worker
//! key its own application-crypto type and key type id (`gwrk`) means a keystore can hold it next
//! to session keys without ever confusing the two, and a leaked worker key can sign results but
//! never move GNK.

use sp_core::crypto::KeyTypeId;

/// Key type id of worker keys in a keystore (`gwrk`).
pub const WORKER_KEY_TYPE: KeyTypeId = KeyTypeId(*b"gwrk");

/// Domain-separation tag of the proof of possession a host submits with a new worker key: the
/// worker key signs `WORKER_POP_TAG ++ SCALE(host account)`. It proves the host controls the key,
/// so nobody can squat on (reserve) a worker key that belongs to somebody else.
pub const WORKER_POP_TAG: &[u8] = b"gonka/worker-key-pop/v1";

/// The sr25519 worker key as an application-specific crypto type.
pub mod worker {
	mod app {
		use sp_application_crypto::{app_crypto, sr25519};
		app_crypto!(sr25519, super::super::WORKER_KEY_TYPE);
	}

	sp_application_crypto::with_pair! {
		/// A worker key pair (only in `std`: workers and tests sign, the runtime verifies).
		pub type WorkerPair = app::Pair;
	}

	/// The public worker key: what the chain stores and checks signatures against.
	pub type WorkerId = app::Public;

	/// A signature by a worker key.
	pub type WorkerSignature = app::Signature;
}

/// The message a worker key signs to prove to the chain that `host` may use it: see
/// [`WORKER_POP_TAG`].
pub fn worker_pop_payload<AccountId: codec::Encode>(host: &AccountId) -> alloc::vec::Vec<u8> {
	let mut payload = WORKER_POP_TAG.to_vec();
	host.encode_to(&mut payload);
	payload
}

#[cfg(test)]
mod tests {
	use super::{worker::*, *};
	use sp_core::Pair;

	#[test]
	fn proof_of_possession_is_bound_to_the_host() {
		let pair = WorkerPair::from_seed(&[7; 32]);
		let proof = pair.sign(&worker_pop_payload(&1u64));
		assert!(WorkerPair::verify(&proof, worker_pop_payload(&1u64), &pair.public()));
		assert!(!WorkerPair::verify(&proof, worker_pop_payload(&2u64), &pair.public()));
		assert_eq!(WORKER_KEY_TYPE, KeyTypeId(*b"gwrk"));
	}
}
