//! The sprint directory: what `pow run` writes and `serve-proofs` / `verify` read.
//!
//! Two JSON files: `sprint.json` (epoch, seed, worker key, parameters, commitment, search
//! counters) and `leaves.json` (the valid nonces in tree order). Reading rebuilds the tree and
//! checks it against the recorded root, so a damaged directory is caught before it is served.

use crate::{
	derive::{Seed, WorkerKey},
	merkle::{SprintTree, TreeError},
	params::ParamsJson,
	wire::{hash_to_hex, hex_to_bytes32, CommitmentJson, LeafJson, WireError},
};
use gonka_primitives::pow::{EpochIndex, PowLeaf, PowParams, SprintCommitment};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// File name of the manifest.
pub const MANIFEST_FILE: &str = "sprint.json";
/// File name of the leaves.
pub const LEAVES_FILE: &str = "leaves.json";

/// Why a sprint directory could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	/// File system error on a path.
	#[error("{path}: {source}")]
	Io {
		/// The file or directory.
		path: PathBuf,
		/// The error.
		source: std::io::Error,
	},
	/// A file is not the expected JSON.
	#[error("{path}: {source}")]
	Json {
		/// The file.
		path: PathBuf,
		/// The error.
		source: serde_json::Error,
	},
	/// A hex field does not decode.
	#[error(transparent)]
	Wire(#[from] WireError),
	/// The leaves do not form a tree (duplicates, too many).
	#[error(transparent)]
	Tree(#[from] TreeError),
	/// The leaves do not hash to the recorded commitment.
	#[error("leaves give root {computed} / count {count}, but sprint.json records {recorded}")]
	CommitmentMismatch {
		/// Root of the leaves as read.
		computed: String,
		/// Leaf count as read.
		count: u32,
		/// Root recorded in the manifest.
		recorded: String,
	},
	/// The manifest's format version is not one this worker reads.
	#[error("unsupported sprint directory version {0}")]
	UnsupportedVersion(u32),
}

/// Format version written to `sprint.json`.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Manifest {
	version: u32,
	epoch: EpochIndex,
	seed: String,
	worker_key: String,
	params: ParamsJson,
	commitment: CommitmentJson,
	nonces_searched: u64,
	seconds: f64,
}

/// A finished sprint: everything needed to serve and verify its proofs.
#[derive(Clone, Debug)]
pub struct SprintRecord {
	/// The epoch.
	pub epoch: EpochIndex,
	/// The epoch seed.
	pub seed: Seed,
	/// The key the nonces were searched with.
	pub worker_key: WorkerKey,
	/// The model shape and radius.
	pub params: PowParams,
	/// The tree over the valid nonces.
	pub tree: SprintTree,
	/// Nonces tried (valid or not).
	pub nonces_searched: u64,
	/// Wall time of the search.
	pub seconds: f64,
}

impl SprintRecord {
	/// The on-chain commitment of this sprint.
	pub fn commitment(&self) -> SprintCommitment {
		self.tree.commitment(self.epoch)
	}
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
	move |source| StoreError::Io { path: path.to_path_buf(), source }
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), StoreError> {
	let text = serde_json::to_string_pretty(value)
		.map_err(|source| StoreError::Json { path: path.to_path_buf(), source })?;
	// Write then rename, so a reader never sees half a file.
	let tmp = path.with_extension("json.tmp");
	std::fs::write(&tmp, text).map_err(io(&tmp))?;
	std::fs::rename(&tmp, path).map_err(io(path))
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, StoreError> {
	let text = std::fs::read_to_string(path).map_err(io(path))?;
	serde_json::from_str(&text)
		.map_err(|source| StoreError::Json { path: path.to_path_buf(), source })
}

/// Writes `record` into `dir` (created if missing); the leaves file first, the manifest last.
pub fn write_sprint(dir: &Path, record: &SprintRecord) -> Result<(), StoreError> {
	std::fs::create_dir_all(dir).map_err(io(dir))?;
	let leaves: Vec<LeafJson> = record
		.tree
		.leaves()
		.iter()
		.map(|l| LeafJson { nonce: l.nonce, distance: l.distance })
		.collect();
	write_json(&dir.join(LEAVES_FILE), &leaves)?;
	let manifest = Manifest {
		version: FORMAT_VERSION,
		epoch: record.epoch,
		seed: hash_to_hex(&record.seed),
		worker_key: hash_to_hex(&record.worker_key),
		params: record.params.into(),
		commitment: record.commitment().into(),
		nonces_searched: record.nonces_searched,
		seconds: record.seconds,
	};
	write_json(&dir.join(MANIFEST_FILE), &manifest)
}

/// Reads a sprint directory and checks its leaves against its recorded commitment.
pub fn read_sprint(dir: &Path) -> Result<SprintRecord, StoreError> {
	let manifest: Manifest = read_json(&dir.join(MANIFEST_FILE))?;
	if manifest.version != FORMAT_VERSION {
		return Err(StoreError::UnsupportedVersion(manifest.version));
	}
	let leaves: Vec<LeafJson> = read_json(&dir.join(LEAVES_FILE))?;
	let tree = SprintTree::new(
		leaves.iter().map(|l| PowLeaf { nonce: l.nonce, distance: l.distance }).collect(),
	)?;
	let recorded = SprintCommitment::try_from(&manifest.commitment)?;
	if tree.commitment(manifest.epoch) != recorded {
		return Err(StoreError::CommitmentMismatch {
			computed: hash_to_hex(tree.root().as_fixed_bytes()),
			count: tree.count(),
			recorded: manifest.commitment.merkle_root,
		});
	}
	Ok(SprintRecord {
		epoch: manifest.epoch,
		seed: hex_to_bytes32(&manifest.seed)?,
		worker_key: hex_to_bytes32(&manifest.worker_key)?,
		params: manifest.params.into(),
		tree,
		nonces_searched: manifest.nonces_searched,
		seconds: manifest.seconds,
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::params::tiny_params;

	fn record() -> SprintRecord {
		let leaves = (0..5).map(|i| PowLeaf { nonce: i * 3, distance: 10 + i as u32 }).collect();
		SprintRecord {
			epoch: 7,
			seed: [1; 32],
			worker_key: [2; 32],
			params: tiny_params(),
			tree: SprintTree::new(leaves).unwrap(),
			nonces_searched: 50,
			seconds: 1.5,
		}
	}

	#[test]
	fn round_trips() {
		let dir = tempfile::tempdir().unwrap();
		write_sprint(dir.path(), &record()).unwrap();
		let back = read_sprint(dir.path()).unwrap();
		assert_eq!(back.commitment(), record().commitment());
		assert_eq!(back.tree.leaves(), record().tree.leaves());
		assert_eq!((back.seed, back.worker_key, back.params), ([1; 32], [2; 32], tiny_params()));
	}

	#[test]
	fn tampered_leaves_are_caught() {
		let dir = tempfile::tempdir().unwrap();
		write_sprint(dir.path(), &record()).unwrap();
		let path = dir.path().join(LEAVES_FILE);
		let text =
			std::fs::read_to_string(&path).unwrap().replace("\"distance\": 10", "\"distance\": 11");
		std::fs::write(&path, text).unwrap();
		assert!(matches!(read_sprint(dir.path()), Err(StoreError::CommitmentMismatch { .. })));
	}

	#[test]
	fn missing_directory_is_an_io_error_naming_the_file() {
		let err = read_sprint(Path::new("/no/such/sprint")).unwrap_err();
		assert!(matches!(err, StoreError::Io { .. }));
		assert!(err.to_string().contains("sprint.json"));
	}
}
