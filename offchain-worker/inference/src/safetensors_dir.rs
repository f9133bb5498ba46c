//! Reader for a Hugging Face checkpoint directory: one or more `*.safetensors` files.
//!
//! Only the JSON headers are read up front; each tensor is read with a seek when the loader
//! asks for it, so peak memory is one tensor plus the model, and no `unsafe` mmap is needed.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use tch::{Kind, Tensor};

use crate::error::{InferenceError, Result};

/// Largest JSON header we accept (the format's own limit is 100 MB).
const MAX_HEADER: u64 = 100 << 20;

#[derive(Deserialize)]
struct Entry {
	dtype: String,
	shape: Vec<i64>,
	data_offsets: [u64; 2],
}

/// Location of one tensor inside a shard.
#[derive(Debug, Clone)]
struct Located {
	file: PathBuf,
	dtype: String,
	shape: Vec<i64>,
	start: u64,
	end: u64,
}

/// The tensors of all `*.safetensors` shards in a directory.
#[derive(Debug)]
pub struct SafetensorsDir {
	tensors: BTreeMap<String, Located>,
}

impl SafetensorsDir {
	/// Indexes every `*.safetensors` file in `dir`.
	pub fn open(dir: &Path) -> Result<Self> {
		let mut shards: Vec<PathBuf> = std::fs::read_dir(dir)
			.map_err(|e| InferenceError::io(dir, e))?
			.filter_map(|e| e.ok().map(|e| e.path()))
			.filter(|p| p.extension().is_some_and(|x| x == "safetensors"))
			.collect();
		shards.sort();
		if shards.is_empty() {
			return Err(InferenceError::malformed(dir, "no *.safetensors files"));
		}
		let mut tensors = BTreeMap::new();
		for shard in shards {
			let mut f = File::open(&shard).map_err(|e| InferenceError::io(&shard, e))?;
			let file_len = f.metadata().map_err(|e| InferenceError::io(&shard, e))?.len();
			if file_len < 8 {
				return Err(InferenceError::malformed(
					&shard,
					"file too short for a safetensors header",
				));
			}
			let mut len = [0u8; 8];
			f.read_exact(&mut len).map_err(|e| InferenceError::io(&shard, e))?;
			let n = u64::from_le_bytes(len);
			if n > MAX_HEADER || 8 + n > file_len {
				return Err(InferenceError::malformed(
					&shard,
					format!("header length {n} is invalid"),
				));
			}
			let mut header = vec![0u8; n as usize];
			f.read_exact(&mut header).map_err(|e| InferenceError::io(&shard, e))?;
			let map: BTreeMap<String, serde_json::Value> = serde_json::from_slice(&header)
				.map_err(|e| InferenceError::malformed(&shard, e.to_string()))?;
			for (name, value) in map {
				if name == "__metadata__" {
					continue;
				}
				let e: Entry = serde_json::from_value(value)
					.map_err(|e| InferenceError::malformed(&shard, format!("{name}: {e}")))?;
				let (start, end) = (8 + n + e.data_offsets[0], 8 + n + e.data_offsets[1]);
				if end > file_len || start > end {
					return Err(InferenceError::malformed(
						&shard,
						format!("{name} lies outside the file"),
					));
				}
				tensors.insert(
					name,
					Located { file: shard.clone(), dtype: e.dtype, shape: e.shape, start, end },
				);
			}
		}
		Ok(Self { tensors })
	}

	/// Names of all tensors, sorted.
	pub fn names(&self) -> impl Iterator<Item = &str> {
		self.tensors.keys().map(String::as_str)
	}

	/// Reads tensor `name` as `f32` on CPU, or `None` if absent.
	pub fn load_f32(&self, name: &str) -> Result<Option<Tensor>> {
		let Some(t) = self.tensors.get(name) else {
			return Ok(None);
		};
		let kind = match t.dtype.as_str() {
			"F32" => Kind::Float,
			"F16" => Kind::Half,
			"BF16" => Kind::BFloat16,
			other => {
				return Err(InferenceError::UnsupportedTensorType {
					tensor: name.into(),
					encoding: other.into(),
				})
			},
		};
		let mut f = File::open(&t.file).map_err(|e| InferenceError::io(&t.file, e))?;
		f.seek(SeekFrom::Start(t.start)).map_err(|e| InferenceError::io(&t.file, e))?;
		let mut buf = vec![0u8; (t.end - t.start) as usize];
		f.read_exact(&mut buf).map_err(|e| InferenceError::io(&t.file, e))?;
		let numel: i64 = t.shape.iter().product();
		if numel as usize * kind.elt_size_in_bytes() != buf.len() {
			return Err(InferenceError::malformed(
				&t.file,
				format!("{name}: size does not match shape {:?}", t.shape),
			));
		}
		Ok(Some(Tensor::f_from_data_size(&buf, &t.shape, kind)?.to_kind(Kind::Float)))
	}

	/// Writes `tensors` as one safetensors file (used by tests to build checkpoints).
	pub fn write_f32(path: &Path, tensors: &[(String, Tensor)]) -> Result<()> {
		let mut header = serde_json::Map::new();
		let mut data = Vec::new();
		for (name, t) in tensors {
			let t = t.to_kind(Kind::Float).contiguous();
			let v: Vec<f32> = Vec::try_from(&t.flatten(0, -1))?;
			let start = data.len();
			for x in v {
				data.extend_from_slice(&x.to_le_bytes());
			}
			header.insert(
				name.clone(),
				serde_json::json!({"dtype": "F32", "shape": t.size(), "data_offsets": [start, data.len()]}),
			);
		}
		let mut h = serde_json::to_vec(&header)
			.map_err(|e| InferenceError::malformed(path, e.to_string()))?;
		while !h.len().is_multiple_of(8) {
			h.push(b' ');
		}
		let mut out = (h.len() as u64).to_le_bytes().to_vec();
		out.extend_from_slice(&h);
		out.extend_from_slice(&data);
		std::fs::write(path, out).map_err(|e| InferenceError::io(path, e))
	}
}
