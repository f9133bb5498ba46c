//! The sprint commitment: a binary Merkle tree (polkadot-sdk `binary-merkle-tree`, BlakeTwo256)
//! over the valid nonces, so that the runtime can verify a leaf with the same crate.
//!
//! Leaves are the SCALE encodings of [`PowLeaf`] in strictly increasing nonce order; the order is
//! what lets a validator detect a leaf committed twice (see [`crate::validate`]).

use binary_merkle_tree::{verify_proof, Leaf};
use codec::Encode;
use gonka_primitives::pow::{EpochIndex, PowLeaf, SprintCommitment};
use sp_core::H256;
use sp_runtime::traits::{BlakeTwo256, Hash};

/// Why a tree or a proof cannot be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TreeError {
	/// Two leaves share a nonce: each nonce may count once.
	#[error("nonce {0} appears more than once")]
	DuplicateNonce(u64),
	/// More leaves than a `u32` count can describe.
	#[error("{0} leaves exceed the u32 leaf count of the commitment")]
	TooManyLeaves(usize),
	/// A proof was asked for a leaf that does not exist.
	#[error("leaf index {index} is out of range (tree has {count} leaves)")]
	IndexOutOfRange {
		/// Requested index.
		index: u32,
		/// Leaves in the tree.
		count: u32,
	},
}

/// A leaf together with its Merkle path: what a host serves and a validator checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafProof {
	/// Position of the leaf in the tree (0-based, in nonce order).
	pub index: u32,
	/// The leaf.
	pub leaf: PowLeaf,
	/// Sibling hashes from the leaf up to (not including) the root, as `binary-merkle-tree`
	/// produces them.
	pub path: Vec<H256>,
}

/// The Merkle tree of a sprint, with every level kept so that a proof costs `O(log n)`.
///
/// Built exactly as `binary-merkle-tree` builds it (pairs hashed left to right, a last odd node
/// promoted unchanged), which the tests check against the crate for many sizes; keeping the
/// levels (about `2n` hashes) is what makes serving hundreds of proofs per request cheap on
/// sprints with millions of leaves.
#[derive(Clone, Debug)]
pub struct SprintTree {
	leaves: Vec<PowLeaf>,
	/// `levels[0]` are the leaf hashes, the last level is `[root]` (no levels when empty).
	levels: Vec<Vec<H256>>,
}

impl SprintTree {
	/// Orders the leaves by nonce, rejects duplicates, and computes the root.
	pub fn new(mut leaves: Vec<PowLeaf>) -> Result<Self, TreeError> {
		if u32::try_from(leaves.len()).is_err() {
			return Err(TreeError::TooManyLeaves(leaves.len()));
		}
		leaves.sort_unstable_by_key(|l| l.nonce);
		if let Some(w) = leaves.windows(2).find(|w| w[0].nonce == w[1].nonce) {
			return Err(TreeError::DuplicateNonce(w[0].nonce));
		}
		let mut levels = Vec::new();
		let mut level: Vec<H256> = leaves.iter().map(leaf_hash).collect();
		while level.len() > 1 {
			let next = level
				.chunks(2)
				.map(|pair| match pair {
					[left, right] => {
						let mut both = [0u8; 64];
						both[..32].copy_from_slice(left.as_bytes());
						both[32..].copy_from_slice(right.as_bytes());
						BlakeTwo256::hash(&both)
					},
					[odd] => *odd,
					_ => unreachable!("chunks(2) yields one or two items"),
				})
				.collect();
			levels.push(std::mem::replace(&mut level, next));
		}
		if !level.is_empty() {
			levels.push(level);
		}
		Ok(Self { leaves, levels })
	}

	/// The root committed on chain (all zeros for an empty tree).
	pub fn root(&self) -> H256 {
		self.levels.last().map_or_else(H256::zero, |top| top[0])
	}

	/// Number of leaves (valid nonces).
	pub fn count(&self) -> u32 {
		self.leaves.len() as u32
	}

	/// The leaves in tree order.
	pub fn leaves(&self) -> &[PowLeaf] {
		&self.leaves
	}

	/// The on-chain commitment of this tree for `epoch`.
	pub fn commitment(&self, epoch: EpochIndex) -> SprintCommitment {
		SprintCommitment { epoch, count: self.count(), merkle_root: self.root() }
	}

	/// The leaf at `index` with its path: the sibling at every level below the root, skipping
	/// levels where the node was promoted without a sibling.
	pub fn proof(&self, index: u32) -> Result<LeafProof, TreeError> {
		let leaf = *self
			.leaves
			.get(index as usize)
			.ok_or(TreeError::IndexOutOfRange { index, count: self.count() })?;
		let mut path = Vec::with_capacity(self.levels.len());
		let mut position = index as usize;
		for level in &self.levels[..self.levels.len() - 1] {
			if let Some(sibling) = level.get(position ^ 1) {
				path.push(*sibling);
			}
			position /= 2;
		}
		Ok(LeafProof { index, leaf, path })
	}
}

/// The hash of a leaf: `BlakeTwo256(SCALE(leaf))`.
pub fn leaf_hash(leaf: &PowLeaf) -> H256 {
	BlakeTwo256::hash(&leaf.encode())
}

/// Checks that `proof` places its leaf at its index in the tree of `count` leaves under `root`,
/// exactly as the runtime would with `binary_merkle_tree::verify_proof`.
pub fn verify_leaf(root: &H256, count: u32, proof: &LeafProof) -> bool {
	verify_proof::<BlakeTwo256, _, _>(
		root,
		proof.path.iter().copied(),
		count,
		proof.index,
		Leaf::Hash(leaf_hash(&proof.leaf)),
	)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn leaves(n: u64) -> Vec<PowLeaf> {
		(0..n).map(|i| PowLeaf { nonce: i * 7 + 3, distance: 1_000 + i as u32 }).collect()
	}

	#[test]
	fn roots_and_proofs_match_the_crate() {
		// Every size up to 33 (all odd/even promotion patterns of five levels), then larger
		// trees at their first, middle and last leaves.
		let sizes = (1..=33u64).map(|n| (n, (0..n as u32).collect::<Vec<_>>()));
		let large = [64u64, 65, 100].map(|n| (n, vec![0, n as u32 / 2, n as u32 - 1]));
		for (n, indices) in sizes.chain(large) {
			let tree = SprintTree::new(leaves(n)).unwrap();
			let encoded: Vec<Vec<u8>> = leaves(n).iter().map(|l| l.encode()).collect();
			let root = binary_merkle_tree::merkle_root::<BlakeTwo256, _>(encoded.clone());
			assert_eq!(tree.root(), root, "root of {n} leaves");
			for i in indices {
				let theirs =
					binary_merkle_tree::merkle_proof::<BlakeTwo256, _, _>(encoded.clone(), i);
				assert_eq!(tree.proof(i).unwrap().path, theirs.proof, "proof of {i} in {n}");
			}
		}
	}

	#[test]
	fn single_leaf_root_is_the_leaf_hash_and_empty_root_is_zero() {
		let leaf = PowLeaf { nonce: 1, distance: 2 };
		assert_eq!(SprintTree::new(vec![leaf]).unwrap().root(), leaf_hash(&leaf));
		let empty = SprintTree::new(vec![]).unwrap();
		assert_eq!(empty.root(), H256::zero());
		assert_eq!(
			empty.commitment(4),
			SprintCommitment { epoch: 4, count: 0, merkle_root: H256::zero() }
		);
	}

	#[test]
	fn two_leaf_root_is_hash_of_concatenated_leaf_hashes() {
		let (a, b) = (PowLeaf { nonce: 1, distance: 2 }, PowLeaf { nonce: 5, distance: 6 });
		let mut both = leaf_hash(&a).as_bytes().to_vec();
		both.extend_from_slice(leaf_hash(&b).as_bytes());
		assert_eq!(SprintTree::new(vec![b, a]).unwrap().root(), BlakeTwo256::hash(&both));
	}

	#[test]
	fn every_proof_verifies_and_tampering_fails() {
		let tree = SprintTree::new(leaves(11)).unwrap();
		for i in 0..tree.count() {
			let proof = tree.proof(i).unwrap();
			assert!(verify_leaf(&tree.root(), tree.count(), &proof));
			let mut forged = proof.clone();
			forged.leaf.distance += 1;
			assert!(!verify_leaf(&tree.root(), tree.count(), &forged));
			let mut moved = proof.clone();
			moved.index = (i + 1) % tree.count();
			assert!(!verify_leaf(&tree.root(), tree.count(), &moved));
			if let Some(first) = proof.path.first() {
				let mut bad_path = proof.clone();
				bad_path.path[0] = H256::repeat_byte(first.as_bytes()[0].wrapping_add(1));
				assert!(!verify_leaf(&tree.root(), tree.count(), &bad_path));
			}
		}
	}

	#[test]
	fn leaves_are_sorted_and_duplicates_rejected() {
		let mut shuffled = leaves(5);
		shuffled.reverse();
		let tree = SprintTree::new(shuffled).unwrap();
		assert!(tree.leaves().windows(2).all(|w| w[0].nonce < w[1].nonce));
		assert_eq!(tree.root(), SprintTree::new(leaves(5)).unwrap().root());
		let mut dup = leaves(3);
		dup.push(PowLeaf { nonce: 3, distance: 9 });
		assert_eq!(SprintTree::new(dup).unwrap_err(), TreeError::DuplicateNonce(3));
		assert_eq!(
			SprintTree::new(leaves(3)).unwrap().proof(3).unwrap_err(),
			TreeError::IndexOutOfRange { index: 3, count: 3 }
		);
	}
}
