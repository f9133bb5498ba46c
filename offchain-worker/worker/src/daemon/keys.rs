//! The worker's keys, read from files so that secrets never appear on a command line (where
//! `ps` and shell history would show them).
//!
//! A key file holds one secret: a secret URI (`//Alice//worker`, a BIP-39 phrase with optional
//! `//derivation`) or a 32-byte hex seed (`0x...`). A file readable by group or others is refused
//! on Unix: chmod 600 it.

use anyhow::{anyhow, bail, Context};
use gonka_primitives::crypto::worker::WorkerPair;
use sp_core::Pair as _;
use std::path::Path;

/// Reads the one secret of a key file.
fn read_secret(path: &Path) -> anyhow::Result<String> {
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(path)
			.with_context(|| format!("key file {}", path.display()))?
			.permissions()
			.mode();
		if mode & 0o077 != 0 {
			bail!(
				"key file {} is readable by other users (mode {:o}): run `chmod 600 {}`",
				path.display(),
				mode & 0o777,
				path.display()
			);
		}
	}
	let text = std::fs::read_to_string(path)
		.with_context(|| format!("cannot read key file {}", path.display()))?;
	let secret = text.trim();
	if secret.is_empty() {
		bail!("key file {} is empty: put a secret URI or a 0x-hex seed in it", path.display());
	}
	Ok(secret.to_string())
}

/// The worker key (signs commitments and verdicts; its public key keys the nonce inputs).
pub fn worker_key(path: &Path) -> anyhow::Result<WorkerPair> {
	let secret = read_secret(path)?;
	WorkerPair::from_string(&secret, None)
		.map_err(|e| anyhow!("key file {}: not a secret URI or seed ({e:?})", path.display()))
}

/// The host account key (pays fees: claims its GNK).
pub fn host_key(path: &Path) -> anyhow::Result<subxt_signer::sr25519::Keypair> {
	use std::str::FromStr;
	let secret = read_secret(path)?;
	let uri = subxt_signer::SecretUri::from_str(&secret)
		.map_err(|e| anyhow!("key file {}: not a secret URI ({e})", path.display()))?;
	subxt_signer::sr25519::Keypair::from_uri(&uri)
		.map_err(|e| anyhow!("key file {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::os::unix::fs::PermissionsExt;

	fn key_file(dir: &tempfile::TempDir, name: &str, text: &str, mode: u32) -> std::path::PathBuf {
		let path = dir.path().join(name);
		std::fs::write(&path, text).unwrap();
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
		path
	}

	#[test]
	fn keys_load_from_private_files_only() {
		let dir = tempfile::tempdir().unwrap();
		let ok = key_file(&dir, "w", "//Alice//worker\n", 0o600);
		let expected = WorkerPair::from_string("//Alice//worker", None).unwrap().public();
		assert_eq!(worker_key(&ok).unwrap().public(), expected);
		let host = key_file(&dir, "h", "//Alice", 0o600);
		let alice = subxt_signer::sr25519::dev::alice().public_key().0;
		assert_eq!(host_key(&host).unwrap().public_key().0, alice);

		let open = key_file(&dir, "o", "//Alice//worker", 0o644);
		let err = worker_key(&open).err().expect("refused").to_string();
		assert!(err.contains("chmod 600"), "{err}");
		let empty = key_file(&dir, "e", "  \n", 0o600);
		assert!(worker_key(&empty).err().expect("refused").to_string().contains("empty"));
		let missing = dir.path().join("nope");
		assert!(worker_key(&missing).is_err());
	}
}
