//! GGUF container parser (versions 2 and 3): metadata key/values and tensor directory.
//!
//! Only the header is parsed eagerly; tensor bytes are read on demand with
//! [`GgufFile::read_tensor_bytes`], so a multi-gigabyte model never has to sit in memory twice
//! and no `unsafe` memory mapping is needed.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::{InferenceError, Result};

const GGUF_MAGIC: &[u8; 4] = b"GGUF";
const DEFAULT_ALIGNMENT: u64 = 32;
/// Upper bound on any single string or array length in the header, to reject corrupt files
/// before they make us allocate absurd amounts of memory.
const MAX_HEADER_ITEMS: u64 = 1 << 28;

/// A GGUF metadata value.
#[derive(Debug, Clone, PartialEq)]
pub enum GgufValue {
	/// Any unsigned integer type.
	U64(u64),
	/// Any signed integer type.
	I64(i64),
	/// `f32` or `f64`.
	F64(f64),
	/// Boolean.
	Bool(bool),
	/// UTF-8 string.
	String(String),
	/// Homogeneous array.
	Array(Vec<GgufValue>),
}

impl GgufValue {
	/// The value as an unsigned integer, if it is a non-negative integer.
	pub fn as_u64(&self) -> Option<u64> {
		match *self {
			Self::U64(v) => Some(v),
			Self::I64(v) => u64::try_from(v).ok(),
			_ => None,
		}
	}

	/// The value as a float, if it is numeric.
	pub fn as_f64(&self) -> Option<f64> {
		match *self {
			Self::F64(v) => Some(v),
			Self::U64(v) => Some(v as f64),
			Self::I64(v) => Some(v as f64),
			_ => None,
		}
	}

	/// The value as a string slice, if it is a string.
	pub fn as_str(&self) -> Option<&str> {
		match self {
			Self::String(s) => Some(s),
			_ => None,
		}
	}

	/// The value as a bool, if it is one.
	pub fn as_bool(&self) -> Option<bool> {
		match *self {
			Self::Bool(b) => Some(b),
			_ => None,
		}
	}

	/// The value as an array, if it is one.
	pub fn as_array(&self) -> Option<&[GgufValue]> {
		match self {
			Self::Array(a) => Some(a),
			_ => None,
		}
	}
}

/// ggml tensor encodings that this engine can dequantise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GgmlType {
	/// 32-bit float.
	F32,
	/// IEEE half precision.
	F16,
	/// bfloat16.
	BF16,
	/// 32-element blocks: f16 scale + 32 signed 8-bit values.
	Q8_0,
	/// 32-element blocks: f16 scale + 32 4-bit values offset by 8.
	Q4_0,
	/// 32-element blocks: f16 scale, f16 minimum + 32 4-bit values.
	Q4_1,
}

impl GgmlType {
	/// Maps ggml's numeric type id; `None` for encodings we do not implement.
	pub fn from_id(id: u32) -> Option<Self> {
		Some(match id {
			0 => Self::F32,
			1 => Self::F16,
			2 => Self::Q4_0,
			3 => Self::Q4_1,
			8 => Self::Q8_0,
			30 => Self::BF16,
			_ => return None,
		})
	}

	/// ggml's numeric id (the value stored in the file).
	pub fn id(self) -> u32 {
		match self {
			Self::F32 => 0,
			Self::F16 => 1,
			Self::Q4_0 => 2,
			Self::Q4_1 => 3,
			Self::Q8_0 => 8,
			Self::BF16 => 30,
		}
	}

	/// Elements per block and bytes per block.
	pub fn block_layout(self) -> (u64, u64) {
		match self {
			Self::F32 => (1, 4),
			Self::F16 | Self::BF16 => (1, 2),
			Self::Q8_0 => (32, 34),
			Self::Q4_0 => (32, 18),
			Self::Q4_1 => (32, 20),
		}
	}
}

/// Directory entry for one tensor.
#[derive(Debug, Clone)]
pub struct GgufTensorInfo {
	/// Tensor name, e.g. `blk.0.attn_q.weight`.
	pub name: String,
	/// Shape in PyTorch (row-major) order, i.e. ggml's `ne` reversed.
	pub shape: Vec<i64>,
	/// Raw ggml type id (kept even when unsupported so the error can name it).
	pub type_id: u32,
	/// Byte offset relative to the start of the data section.
	pub offset: u64,
}

impl GgufTensorInfo {
	/// Number of elements.
	pub fn numel(&self) -> u64 {
		self.shape.iter().map(|&d| d as u64).product()
	}

	/// The decoded encoding, or an error naming the tensor and type id.
	pub fn ggml_type(&self) -> Result<GgmlType> {
		GgmlType::from_id(self.type_id).ok_or_else(|| InferenceError::UnsupportedTensorType {
			tensor: self.name.clone(),
			encoding: format!("ggml type {}", self.type_id),
		})
	}

	/// Size in bytes of the stored tensor data.
	pub fn byte_len(&self) -> Result<u64> {
		let (block, bytes) = self.ggml_type()?.block_layout();
		let n = self.numel();
		if !n.is_multiple_of(block) {
			return Err(InferenceError::metadata(
				&self.name,
				format!("{n} elements is not a multiple of the block size {block}"),
			));
		}
		Ok(n / block * bytes)
	}
}

/// A parsed GGUF file: metadata, tensor directory and the location of the data section.
#[derive(Debug)]
pub struct GgufFile {
	path: PathBuf,
	/// GGUF format version.
	pub version: u32,
	/// All metadata key/values.
	pub metadata: BTreeMap<String, GgufValue>,
	/// Tensor directory in file order.
	pub tensors: Vec<GgufTensorInfo>,
	data_offset: u64,
	file_len: u64,
}

impl GgufFile {
	/// Parses the header of the GGUF file at `path`.
	pub fn open(path: &Path) -> Result<Self> {
		let file = File::open(path).map_err(|e| InferenceError::io(path, e))?;
		let file_len = file.metadata().map_err(|e| InferenceError::io(path, e))?.len();
		let mut r = HeaderReader { inner: BufReader::with_capacity(1 << 20, file), path };
		let mut magic = [0u8; 4];
		r.bytes(&mut magic)?;
		if &magic != GGUF_MAGIC {
			return Err(InferenceError::malformed(path, "not a GGUF file (bad magic)"));
		}
		let version = r.u32()?;
		if !(2..=3).contains(&version) {
			return Err(InferenceError::malformed(
				path,
				format!("unsupported GGUF version {version}"),
			));
		}
		let n_tensors = r.count()?;
		let n_kv = r.count()?;
		let mut metadata = BTreeMap::new();
		for _ in 0..n_kv {
			let key = r.string()?;
			let ty = r.u32()?;
			let value = r.value(ty)?;
			metadata.insert(key, value);
		}
		let mut tensors = Vec::with_capacity(n_tensors as usize);
		for _ in 0..n_tensors {
			let name = r.string()?;
			let n_dims = r.u32()?;
			if n_dims > 4 {
				return Err(InferenceError::malformed(
					path,
					format!("tensor {name} has {n_dims} dims"),
				));
			}
			let mut ne = Vec::with_capacity(n_dims as usize);
			for _ in 0..n_dims {
				let d = r.u64()?;
				ne.push(
					i64::try_from(d)
						.map_err(|_| InferenceError::malformed(path, "dimension overflow"))?,
				);
			}
			ne.reverse();
			let type_id = r.u32()?;
			let offset = r.u64()?;
			tensors.push(GgufTensorInfo { name, shape: ne, type_id, offset });
		}
		let alignment = metadata
			.get("general.alignment")
			.and_then(GgufValue::as_u64)
			.unwrap_or(DEFAULT_ALIGNMENT);
		if alignment == 0 {
			return Err(InferenceError::malformed(path, "general.alignment is 0"));
		}
		let header_end = r.inner.stream_position().map_err(|e| InferenceError::io(path, e))?;
		let data_offset = header_end.div_ceil(alignment) * alignment;
		let gguf =
			Self { path: path.to_path_buf(), version, metadata, tensors, data_offset, file_len };
		for t in &gguf.tensors {
			// Unsupported encodings are reported when (and if) the tensor is used.
			if let Ok(len) = t.byte_len() {
				if gguf.data_offset + t.offset + len > file_len {
					return Err(InferenceError::malformed(
						path,
						format!("tensor {} extends past end of file", t.name),
					));
				}
			}
		}
		Ok(gguf)
	}

	/// Path of the underlying file.
	pub fn path(&self) -> &Path {
		&self.path
	}

	/// Size of the file in bytes.
	pub fn file_len(&self) -> u64 {
		self.file_len
	}

	/// Looks up a metadata value.
	pub fn get(&self, key: &str) -> Option<&GgufValue> {
		self.metadata.get(key)
	}

	/// A required string metadata value.
	pub fn get_str(&self, key: &str) -> Result<&str> {
		self.get(key)
			.and_then(GgufValue::as_str)
			.ok_or_else(|| InferenceError::metadata(key, "missing or not a string"))
	}

	/// A required unsigned integer metadata value.
	pub fn get_u64(&self, key: &str) -> Result<u64> {
		self.get(key)
			.and_then(GgufValue::as_u64)
			.ok_or_else(|| InferenceError::metadata(key, "missing or not an unsigned integer"))
	}

	/// Finds a tensor's directory entry by name.
	pub fn tensor_info(&self, name: &str) -> Option<&GgufTensorInfo> {
		self.tensors.iter().find(|t| t.name == name)
	}

	/// Reads a tensor's raw stored bytes (still quantised).
	pub fn read_tensor_bytes(&self, info: &GgufTensorInfo) -> Result<Vec<u8>> {
		let len = info.byte_len()?;
		let mut file = File::open(&self.path).map_err(|e| InferenceError::io(&self.path, e))?;
		file.seek(SeekFrom::Start(self.data_offset + info.offset))
			.map_err(|e| InferenceError::io(&self.path, e))?;
		let mut buf = vec![0u8; len as usize];
		file.read_exact(&mut buf).map_err(|e| InferenceError::io(&self.path, e))?;
		Ok(buf)
	}
}

/// Little-endian primitive reader over the header with bounds on lengths.
struct HeaderReader<'a> {
	inner: BufReader<File>,
	path: &'a Path,
}

impl HeaderReader<'_> {
	fn bytes(&mut self, buf: &mut [u8]) -> Result<()> {
		self.inner.read_exact(buf).map_err(|e| {
			if e.kind() == std::io::ErrorKind::UnexpectedEof {
				InferenceError::malformed(self.path, "truncated header")
			} else {
				InferenceError::io(self.path, e)
			}
		})
	}

	fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
		let mut b = [0u8; N];
		self.bytes(&mut b)?;
		Ok(b)
	}

	fn u32(&mut self) -> Result<u32> {
		Ok(u32::from_le_bytes(self.array()?))
	}

	fn u64(&mut self) -> Result<u64> {
		Ok(u64::from_le_bytes(self.array()?))
	}

	fn count(&mut self) -> Result<u64> {
		let n = self.u64()?;
		if n > MAX_HEADER_ITEMS {
			return Err(InferenceError::malformed(
				self.path,
				format!("implausible item count {n}"),
			));
		}
		Ok(n)
	}

	fn string(&mut self) -> Result<String> {
		let n = self.count()? as usize;
		let mut buf = vec![0u8; n];
		self.bytes(&mut buf)?;
		// Some converters emit token strings that are not valid UTF-8 (partial byte tokens);
		// keep them lossily rather than rejecting the whole model.
		Ok(String::from_utf8(buf)
			.unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
	}

	fn value(&mut self, ty: u32) -> Result<GgufValue> {
		Ok(match ty {
			0 => GgufValue::U64(u64::from(u8::from_le_bytes(self.array()?))),
			1 => GgufValue::I64(i64::from(i8::from_le_bytes(self.array()?))),
			2 => GgufValue::U64(u64::from(u16::from_le_bytes(self.array()?))),
			3 => GgufValue::I64(i64::from(i16::from_le_bytes(self.array()?))),
			4 => GgufValue::U64(u64::from(self.u32()?)),
			5 => GgufValue::I64(i64::from(i32::from_le_bytes(self.array()?))),
			6 => GgufValue::F64(f64::from(f32::from_le_bytes(self.array()?))),
			7 => GgufValue::Bool(self.array::<1>()?[0] != 0),
			8 => GgufValue::String(self.string()?),
			9 => {
				let item_ty = self.u32()?;
				let n = self.count()?;
				let mut items = Vec::with_capacity(n.min(1 << 20) as usize);
				for _ in 0..n {
					items.push(self.value(item_ty)?);
				}
				GgufValue::Array(items)
			},
			10 => GgufValue::U64(self.u64()?),
			11 => GgufValue::I64(i64::from_le_bytes(self.array()?)),
			12 => GgufValue::F64(f64::from_le_bytes(self.array()?)),
			other => {
				return Err(InferenceError::malformed(
					self.path,
					format!("unknown metadata value type {other}"),
				))
			},
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn put_str(out: &mut Vec<u8>, s: &str) {
		out.extend_from_slice(&(s.len() as u64).to_le_bytes());
		out.extend_from_slice(s.as_bytes());
	}

	/// A minimal GGUF v3 file: two metadata keys and one 2x3 F32 tensor.
	fn tiny_gguf() -> Vec<u8> {
		let mut out = b"GGUF".to_vec();
		out.extend_from_slice(&3u32.to_le_bytes());
		out.extend_from_slice(&1u64.to_le_bytes()); // tensors
		out.extend_from_slice(&2u64.to_le_bytes()); // kv
		put_str(&mut out, "general.architecture");
		out.extend_from_slice(&8u32.to_le_bytes());
		put_str(&mut out, "llama");
		put_str(&mut out, "list");
		out.extend_from_slice(&9u32.to_le_bytes());
		out.extend_from_slice(&5u32.to_le_bytes()); // i32 items
		out.extend_from_slice(&2u64.to_le_bytes());
		out.extend_from_slice(&(-1i32).to_le_bytes());
		out.extend_from_slice(&7i32.to_le_bytes());
		put_str(&mut out, "w");
		out.extend_from_slice(&2u32.to_le_bytes());
		out.extend_from_slice(&3u64.to_le_bytes()); // ne[0] = columns
		out.extend_from_slice(&2u64.to_le_bytes()); // ne[1] = rows
		out.extend_from_slice(&0u32.to_le_bytes()); // F32
		out.extend_from_slice(&0u64.to_le_bytes());
		while !out.len().is_multiple_of(32) {
			out.push(0);
		}
		for i in 0..6 {
			out.extend_from_slice(&(i as f32).to_le_bytes());
		}
		out
	}

	fn write_temp(name: &str, bytes: &[u8]) -> PathBuf {
		let p = std::env::temp_dir().join(format!("gonka-gguf-{}-{name}", std::process::id()));
		std::fs::write(&p, bytes).unwrap();
		p
	}

	#[test]
	fn parses_metadata_and_tensor_directory() {
		let p = write_temp("ok.gguf", &tiny_gguf());
		let g = GgufFile::open(&p).unwrap();
		assert_eq!(g.get_str("general.architecture").unwrap(), "llama");
		assert_eq!(
			g.get("list").unwrap().as_array().unwrap(),
			&[GgufValue::I64(-1), GgufValue::I64(7)]
		);
		let t = g.tensor_info("w").unwrap();
		assert_eq!(t.shape, vec![2, 3], "ggml ne is reversed into row-major shape");
		let bytes = g.read_tensor_bytes(t).unwrap();
		assert_eq!(&bytes[4..8], &1f32.to_le_bytes());
		std::fs::remove_file(p).unwrap();
	}

	#[test]
	fn rejects_bad_magic_and_truncation() {
		let mut bad = tiny_gguf();
		bad[0] = b'X';
		let p = write_temp("magic.gguf", &bad);
		assert!(matches!(GgufFile::open(&p), Err(InferenceError::MalformedFile { .. })));
		let good = tiny_gguf();
		let p2 = write_temp("trunc.gguf", &good[..good.len() - 8]);
		let err = GgufFile::open(&p2).unwrap_err();
		assert!(err.to_string().contains("past end of file"), "{err}");
		let p3 = write_temp("short.gguf", &good[..30]);
		assert!(GgufFile::open(&p3).unwrap_err().to_string().contains("truncated"));
		for p in [p, p2, p3] {
			std::fs::remove_file(p).unwrap();
		}
	}
}
