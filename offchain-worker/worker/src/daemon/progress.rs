//! What the daemon already did, on disk, so that a restarted worker neither repeats a submission
//! nor forgets a sprint it still has to serve proofs for.
//!
//! `<state-dir>/progress.json` lists the epochs committed, judged and claimed;
//! `<state-dir>/epoch-<E>/` holds each sprint's leaves (the `gonka-pow` sprint directory format),
//! reloaded into the proof server at start.

use anyhow::Context;
use gonka_primitives::pow::EpochIndex;
use serde_json::{json, Value};
use std::{
	collections::BTreeSet,
	path::{Path, PathBuf},
};

/// Epochs whose commitment, verdicts or claim went through.
#[derive(Debug, Default)]
pub struct Progress {
	path: PathBuf,
	/// Epochs whose commitment the chain accepted.
	pub committed: BTreeSet<EpochIndex>,
	/// Epochs whose verdicts the chain accepted.
	pub judged: BTreeSet<EpochIndex>,
	/// Epochs claimed.
	pub claimed: BTreeSet<EpochIndex>,
}

fn epochs(v: &Value, key: &str) -> BTreeSet<EpochIndex> {
	v[key]
		.as_array()
		.map(|a| a.iter().filter_map(|e| e.as_u64()).map(|e| e as EpochIndex).collect())
		.unwrap_or_default()
}

impl Progress {
	/// Loads `<dir>/progress.json` (empty progress if absent).
	pub fn load(dir: &Path) -> anyhow::Result<Self> {
		std::fs::create_dir_all(dir).with_context(|| format!("state dir {}", dir.display()))?;
		let path = dir.join("progress.json");
		let mut progress = Progress { path: path.clone(), ..Default::default() };
		if path.exists() {
			let text = std::fs::read_to_string(&path)?;
			let v: Value = serde_json::from_str(&text)
				.with_context(|| format!("{} is not valid JSON", path.display()))?;
			progress.committed = epochs(&v, "committed");
			progress.judged = epochs(&v, "judged");
			progress.claimed = epochs(&v, "claimed");
		}
		Ok(progress)
	}

	/// Writes the progress atomically (temp file + rename). Keeps the last 64 epochs of each.
	pub fn save(&mut self) -> anyhow::Result<()> {
		for set in [&mut self.committed, &mut self.judged, &mut self.claimed] {
			while set.len() > 64 {
				set.pop_first();
			}
		}
		let v =
			json!({ "committed": self.committed, "judged": self.judged, "claimed": self.claimed });
		let tmp = self.path.with_extension("json.tmp");
		std::fs::write(&tmp, serde_json::to_vec_pretty(&v)?)?;
		std::fs::rename(&tmp, &self.path)?;
		Ok(())
	}
}

/// Directory of epoch `e`'s sprint.
pub fn sprint_dir(state: &Path, e: EpochIndex) -> PathBuf {
	state.join(format!("epoch-{e}"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn progress_survives_a_restart() {
		let dir = tempfile::tempdir().unwrap();
		let mut p = Progress::load(dir.path()).unwrap();
		assert!(p.committed.is_empty());
		p.committed.insert(3);
		p.judged.insert(3);
		p.claimed.insert(2);
		p.save().unwrap();
		let again = Progress::load(dir.path()).unwrap();
		assert_eq!(again.committed, BTreeSet::from([3]));
		assert_eq!(again.judged, BTreeSet::from([3]));
		assert_eq!(again.claimed, BTreeSet::from([2]));
		std::fs::write(dir.path().join("progress.json"), "{oops").unwrap();
		assert!(Progress::load(dir.path()).unwrap_err().to_string().contains("not valid JSON"));
	}
}
