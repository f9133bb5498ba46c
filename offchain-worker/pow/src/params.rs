//! Named parameter presets and the JSON form of [`PowParams`] used by files and the CLI.
//!
//! The chain type has no serde (it lives in the `no_std` runtime); this mirror gives the worker a
//! readable form for sprint directories, `--params` files and the proof server.

use gonka_primitives::pow::{PowParams, PowParamsError};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Why a `--params` argument could not be turned into parameters.
#[derive(Debug, thiserror::Error)]
pub enum ParamsError {
	/// Neither a preset name nor a readable file.
	#[error("`{0}` is neither a preset (tiny, bench) nor a readable JSON file: {1}")]
	Unreadable(String, std::io::Error),
	/// The file is not the JSON form of the parameters.
	#[error("invalid parameters JSON: {0}")]
	Json(#[from] serde_json::Error),
	/// The numbers do not describe a buildable model.
	#[error("parameters describe no valid model: {0:?}")]
	Invalid(PowParamsError),
}

/// JSON form of [`PowParams`] (same field names and units).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamsJson {
	/// See [`PowParams::dim`].
	pub dim: u32,
	/// See [`PowParams::layers`].
	pub layers: u32,
	/// See [`PowParams::heads`].
	pub heads: u32,
	/// See [`PowParams::kv_heads`].
	pub kv_heads: u32,
	/// See [`PowParams::ffn_dim`].
	pub ffn_dim: u32,
	/// See [`PowParams::vocab`].
	pub vocab: u32,
	/// See [`PowParams::seq_len`].
	pub seq_len: u32,
	/// See [`PowParams::rope_theta`].
	pub rope_theta: u32,
	/// See [`PowParams::r_target`] (distance times 10^9).
	pub r_target: u32,
}

impl From<PowParams> for ParamsJson {
	fn from(p: PowParams) -> Self {
		let PowParams {
			dim,
			layers,
			heads,
			kv_heads,
			ffn_dim,
			vocab,
			seq_len,
			rope_theta,
			r_target,
		} = p;
		Self { dim, layers, heads, kv_heads, ffn_dim, vocab, seq_len, rope_theta, r_target }
	}
}

impl From<ParamsJson> for PowParams {
	fn from(p: ParamsJson) -> Self {
		let ParamsJson {
			dim,
			layers,
			heads,
			kv_heads,
			ffn_dim,
			vocab,
			seq_len,
			rope_theta,
			r_target,
		} = p;
		Self { dim, layers, heads, kv_heads, ffn_dim, vocab, seq_len, rope_theta, r_target }
	}
}

/// A tiny model for tests and dev chains: runs in milliseconds on a CPU; about one nonce in ten
/// is valid (vocab 256: distances spread by ~0.045 around sqrt(2)).
pub fn tiny_params() -> PowParams {
	PowParams {
		dim: 64,
		layers: 2,
		heads: 4,
		kv_heads: 2,
		ffn_dim: 128,
		vocab: 256,
		seq_len: 16,
		rope_theta: 10_000,
		r_target: 1_356_000_000,
	}
}

/// The benchmark shape of issue 5 (dim 512, 8 layers, 8 heads, ffn 1536, vocab 8192, seq 64);
/// about one nonce in a hundred is valid.
pub fn bench_params() -> PowParams {
	PowParams {
		dim: 512,
		layers: 8,
		heads: 8,
		kv_heads: 8,
		ffn_dim: 1536,
		vocab: 8192,
		seq_len: 64,
		rope_theta: 10_000,
		r_target: 1_395_900_000,
	}
}

/// Resolves `--params`: a preset name (`tiny`, `bench`) or the path of a JSON file in the
/// [`ParamsJson`] form; the result is validated.
pub fn resolve_params(arg: &str) -> Result<PowParams, ParamsError> {
	let params = match arg {
		"tiny" => tiny_params(),
		"bench" => bench_params(),
		path => {
			let text = std::fs::read_to_string(Path::new(path))
				.map_err(|e| ParamsError::Unreadable(path.to_string(), e))?;
			serde_json::from_str::<ParamsJson>(&text)?.into()
		},
	};
	params.validate().map_err(ParamsError::Invalid)?;
	Ok(params)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn presets_are_valid_and_resolve_by_name() {
		assert_eq!(resolve_params("tiny").unwrap(), tiny_params());
		assert_eq!(resolve_params("bench").unwrap(), bench_params());
	}

	#[test]
	fn json_file_round_trips_and_bad_input_is_named() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("p.json");
		std::fs::write(&path, serde_json::to_string(&ParamsJson::from(tiny_params())).unwrap())
			.unwrap();
		assert_eq!(resolve_params(path.to_str().unwrap()).unwrap(), tiny_params());

		assert!(matches!(resolve_params("/no/such/file"), Err(ParamsError::Unreadable(..))));
		std::fs::write(&path, "{\"dim\": 1}").unwrap();
		assert!(matches!(resolve_params(path.to_str().unwrap()), Err(ParamsError::Json(_))));
		let mut bad = ParamsJson::from(tiny_params());
		bad.heads = 5;
		std::fs::write(&path, serde_json::to_string(&bad).unwrap()).unwrap();
		assert!(matches!(
			resolve_params(path.to_str().unwrap()),
			Err(ParamsError::Invalid(PowParamsError::DimNotDivisibleByHeads))
		));
	}
}
