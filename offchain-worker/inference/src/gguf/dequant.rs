//! Dequantisation of ggml block formats into `f32` tensors, and the matching quantisers.
//!
//! Everything is expressed as libtorch tensor ops over the raw bytes rather than Rust loops:
//! libtorch is precompiled with vectorisation, so loading stays fast even in debug builds of
//! this crate, and the bit layout is spelled out once per format. The quantisers exist so the
//! validation study can build a "same model, different quantisation" substitute in Rust; they
//! follow ggml's reference (`quantize_row_*_ref`) rounding rules.

use tch::{Kind, Tensor};

use super::reader::GgmlType;
use crate::error::{InferenceError, Result};
use crate::model::QuantBlocks;

/// Elements per quantisation block for the Q* formats.
pub const QK: i64 = 32;

/// Decodes `bytes` stored as `ty` into an `f32` tensor of `shape` (row-major, on CPU).
pub fn dequantize(name: &str, bytes: &[u8], ty: GgmlType, shape: &[i64]) -> Result<Tensor> {
	let numel: i64 = shape.iter().product();
	let (block, block_bytes) = ty.block_layout();
	let expected = numel as u64 / block * block_bytes;
	if bytes.len() as u64 != expected || !(numel as u64).is_multiple_of(block) {
		return Err(InferenceError::MalformedFile {
			path: name.into(),
			reason: format!("tensor {name}: {} bytes for {numel} elements of {ty:?}", bytes.len()),
		});
	}
	let out = match ty {
		GgmlType::F32 => Tensor::f_from_data_size(bytes, shape, Kind::Float)?,
		GgmlType::F16 => Tensor::f_from_data_size(bytes, shape, Kind::Half)?.to_kind(Kind::Float),
		GgmlType::BF16 => {
			Tensor::f_from_data_size(bytes, shape, Kind::BFloat16)?.to_kind(Kind::Float)
		},
		GgmlType::Q8_0 | GgmlType::Q4_0 | GgmlType::Q4_1 => {
			let nb = numel / QK;
			let raw = Tensor::f_from_data_size(bytes, &[nb, block_bytes as i64], Kind::Uint8)?;
			let f16_col = |start: i64| {
				raw.narrow(1, start, 2).contiguous().view_dtype(Kind::Half).to_kind(Kind::Float)
			};
			let d = f16_col(0);
			let values = match ty {
				GgmlType::Q8_0 => {
					raw.narrow(1, 2, QK).contiguous().view_dtype(Kind::Int8).to_kind(Kind::Float)
						* &d
				},
				GgmlType::Q4_0 => {
					(unpack_nibbles(&raw.narrow(1, 2, QK / 2)).to_kind(Kind::Float) - 8.0) * &d
				},
				GgmlType::Q4_1 => {
					unpack_nibbles(&raw.narrow(1, 4, QK / 2)).to_kind(Kind::Float) * &d + f16_col(2)
				},
				_ => unreachable!("outer match restricts to block formats"),
			};
			values.reshape(shape)
		},
	};
	Ok(out)
}

/// Decodes a block-quantised matrix (`Q4_0`, `Q4_1`, `Q8_0`; `shape = [rows, cols]`) into its
/// codes and per-block factors without rounding anything; `None` for float encodings.
pub fn decode_blocks(
	name: &str,
	bytes: &[u8],
	ty: GgmlType,
	shape: &[i64],
) -> Result<Option<QuantBlocks>> {
	if !matches!(ty, GgmlType::Q8_0 | GgmlType::Q4_0 | GgmlType::Q4_1) || shape.len() != 2 {
		return Ok(None);
	}
	let (rows, cols) = (shape[0], shape[1]);
	let (_, block_bytes) = ty.block_layout();
	let nb = rows * cols / QK;
	if cols % QK != 0 || bytes.len() as u64 != nb as u64 * block_bytes {
		return Err(InferenceError::MalformedFile {
			path: name.into(),
			reason: format!("tensor {name}: {} bytes for {rows}x{cols} of {ty:?}", bytes.len()),
		});
	}
	let raw = Tensor::f_from_data_size(bytes, &[nb, block_bytes as i64], Kind::Uint8)?;
	let f16_col = |start: i64| {
		raw.narrow(1, start, 2).contiguous().view_dtype(Kind::Half).to_kind(Kind::Float)
	};
	let per_block = |t: Tensor| t.reshape([rows, cols / QK]);
	let scale = f16_col(0);
	let (codes, offset, bits) = match ty {
		GgmlType::Q8_0 => {
			(raw.narrow(1, 2, QK).contiguous().view_dtype(Kind::Int8), scale.zeros_like(), 8)
		},
		GgmlType::Q4_0 => (unpack_nibbles(&raw.narrow(1, 2, QK / 2)), &scale * -8.0, 4),
		GgmlType::Q4_1 => (unpack_nibbles(&raw.narrow(1, 4, QK / 2)), f16_col(2), 4),
		_ => unreachable!("checked above"),
	};
	Ok(Some(QuantBlocks {
		codes: codes.to_kind(Kind::Int8).reshape([rows, cols]),
		scale: per_block(scale),
		offset: per_block(offset),
		bits,
	}))
}

/// ggml packs element `j` of a block in the low nibble of byte `j` and element `j + 16` in the
/// high nibble; returns `[n_blocks, 32]` codes (`u8`, 0..=15) in element order.
fn unpack_nibbles(qs: &Tensor) -> Tensor {
	let lo = qs.bitwise_and(0x0F);
	let hi = qs.bitwise_right_shift_tensor_scalar(4);
	Tensor::cat(&[lo, hi], 1)
}

/// Quantises `weights` to `ty` with ggml's reference rounding and decodes it back to `f32`.
///
/// The result is exactly what a model file re-encoded in `ty` would load as, which is what the
/// validation study needs to emulate a host that serves a cheaper quantisation.
pub fn requantize(weights: &Tensor, ty: GgmlType) -> Result<Tensor> {
	let shape = weights.size();
	let numel: i64 = shape.iter().product();
	let x = weights.to_kind(Kind::Float);
	let round_f16 = |t: Tensor| t.to_kind(Kind::Half).to_kind(Kind::Float);
	let out = match ty {
		GgmlType::F32 => x,
		GgmlType::F16 => round_f16(x),
		GgmlType::BF16 => x.to_kind(Kind::BFloat16).to_kind(Kind::Float),
		GgmlType::Q8_0 | GgmlType::Q4_0 | GgmlType::Q4_1 => {
			if numel % QK != 0 {
				return Err(InferenceError::InvalidRequest(format!(
					"{numel} elements is not a multiple of {QK}"
				)));
			}
			let b = x.reshape([numel / QK, QK]);
			let y = match ty {
				GgmlType::Q8_0 => {
					let amax = b.abs().amax(1, true);
					let d = &amax / 127.0;
					let id = safe_reciprocal(&d);
					let q = (&b * id).round();
					q * round_f16(d)
				},
				GgmlType::Q4_0 => {
					// The signed value with the largest magnitude maps to -8.
					let idx = b.abs().argmax(1, true);
					let max = b.gather(1, &idx, false);
					let d = &max / -8.0;
					let id = safe_reciprocal(&d);
					let q = (&b * id + 8.5).trunc().clamp(0.0, 15.0);
					(q - 8.0) * round_f16(d)
				},
				GgmlType::Q4_1 => {
					let min = b.amin(1, true);
					let max = b.amax(1, true);
					let d = (&max - &min) / 15.0;
					let id = safe_reciprocal(&d);
					let q = ((&b - &min) * id + 0.5).trunc().clamp(0.0, 15.0);
					q * round_f16(d) + round_f16(min)
				},
				_ => unreachable!("outer match restricts to block formats"),
			};
			y.reshape(&shape)
		},
	};
	Ok(out)
}

/// `1/d`, with 0 where `d == 0` (an all-zero block), as ggml does.
fn safe_reciprocal(d: &Tensor) -> Tensor {
	let zero = d.eq(0.0);
	d.reciprocal().masked_fill(&zero, 0.0)
}

#[cfg(test)]
mod tests {
	use super::*;
	use half::f16;

	fn f16_bytes(v: f32) -> [u8; 2] {
		f16::from_f32(v).to_le_bytes()
	}

	#[test]
	fn decoded_blocks_are_exactly_the_dequantised_tensor() {
		for ty in [GgmlType::Q8_0, GgmlType::Q4_0, GgmlType::Q4_1] {
			let (rows, cols) = (3i64, 64i64);
			let (_, block_bytes) = ty.block_layout();
			let mut bytes = Vec::new();
			for b in 0..(rows * cols / QK) {
				let mut block: Vec<u8> =
					(0..block_bytes).map(|i| (i as i64 * 37 + b * 11) as u8).collect();
				block[..2].copy_from_slice(&f16_bytes(0.01 + b as f32 * 0.003));
				if ty == GgmlType::Q4_1 {
					block[2..4].copy_from_slice(&f16_bytes(-0.05 * b as f32));
				}
				bytes.extend(block);
			}
			let dense = dequantize("t", &bytes, ty, &[rows, cols]).unwrap();
			let blocks = decode_blocks("t", &bytes, ty, &[rows, cols]).unwrap().unwrap();
			assert_eq!(blocks.bits, if ty == GgmlType::Q8_0 { 8 } else { 4 });
			assert!(blocks.dequantize().equal(&dense), "{ty:?}");
		}
		assert!(decode_blocks("t", &[0u8; 8], GgmlType::F32, &[1, 2]).unwrap().is_none());
		assert!(decode_blocks("t", &[0u8; 10], GgmlType::Q8_0, &[1, 32]).is_err());
	}

	#[test]
	fn q8_0_block_decodes_scale_times_int8() {
		let mut block = Vec::new();
		block.extend_from_slice(&f16_bytes(0.5));
		for j in 0..32i8 {
			block.push((j - 16) as u8);
		}
		let t = dequantize("t", &block, GgmlType::Q8_0, &[32]).unwrap();
		let v: Vec<f32> = Vec::try_from(&t).unwrap();
		let expected: Vec<f32> = (0..32).map(|j| (j as f32 - 16.0) * 0.5).collect();
		assert_eq!(v, expected);
	}

	#[test]
	fn q4_0_and_q4_1_use_low_then_high_nibbles() {
		let qs: Vec<u8> = (0..16u8).map(|j| j | ((15 - j) << 4)).collect();
		let mut q40 = f16_bytes(2.0).to_vec();
		q40.extend_from_slice(&qs);
		let v: Vec<f32> =
			Vec::try_from(&dequantize("t", &q40, GgmlType::Q4_0, &[1, 32]).unwrap().flatten(0, -1))
				.unwrap();
		for j in 0..16 {
			assert_eq!(v[j], (j as f32 - 8.0) * 2.0);
			assert_eq!(v[j + 16], ((15 - j) as f32 - 8.0) * 2.0);
		}
		let mut q41 = f16_bytes(0.25).to_vec();
		q41.extend_from_slice(&f16_bytes(-1.0));
		q41.extend_from_slice(&qs);
		let v: Vec<f32> =
			Vec::try_from(&dequantize("t", &q41, GgmlType::Q4_1, &[32]).unwrap()).unwrap();
		for j in 0..16 {
			assert_eq!(v[j], j as f32 * 0.25 - 1.0);
			assert_eq!(v[j + 16], (15 - j) as f32 * 0.25 - 1.0);
		}
	}

	#[test]
	fn wrong_byte_count_is_rejected() {
		let err = dequantize("w", &[0u8; 33], GgmlType::Q8_0, &[32]).unwrap_err();
		assert!(err.to_string().contains("33 bytes"), "{err}");
	}

	#[test]
	fn requantize_error_shrinks_with_more_bits() {
		tch::manual_seed(7);
		let w = Tensor::randn([64, 128], (Kind::Float, tch::Device::Cpu));
		let err = |ty| (requantize(&w, ty).unwrap() - &w).abs().mean(Kind::Float).double_value(&[]);
		let (e8, e4, e41) = (err(GgmlType::Q8_0), err(GgmlType::Q4_0), err(GgmlType::Q4_1));
		assert!(e8 > 0.0 && e8 < e4 / 5.0, "q8 {e8} vs q4 {e4}");
		assert!(e41 < e4 * 1.5, "q4_1 {e41} vs q4_0 {e4}");
		// Quantising is idempotent up to the f16 rounding of the scale.
		let once = requantize(&w, GgmlType::Q8_0).unwrap();
		let twice = requantize(&once, GgmlType::Q8_0).unwrap();
		assert!((once - twice).abs().max().double_value(&[]) < 1e-3);
	}
}
