//! Weight matrices in the form the forward pass multiplies with: dense in a float dtype, or kept
//! in the model file's own block quantisation and multiplied by libtorch's packed int4 kernel.
//!
//! Every variant computes `y = x · Wᵀ` for `x: [tokens, in]` and a weight of logical shape
//! `[out, in]` (Hugging Face's `nn.Linear` convention); only the storage and kernel differ.
//!
//! The quantised variants are *exact*: a GGUF block format stores each weight as
//! `code · scale + offset` with one `(scale, offset)` pair per 32 inputs, and libtorch's
//! `_weight_int4pack_mm_for_cpu` computes with `(code − 8) · scale' + zero` per group of 32,
//! which is the same number for `scale' = scale`, `zero = offset + 8·scale`. An 8-bit code
//! (Q8_0) is split into two 4-bit halves `q = 16·hi + lo`, each an exact int4 matrix, and the two
//! products are added. So a host computing on the file's own 4.5/8.5 bits per weight produces the
//! numbers of the f32 reference up to float summation order — the same noise as a different
//! batch size, far inside the validation threshold (`docs/inference-validation.md`).

use tch::{Device, Kind, Tensor};

use crate::error::{InferenceError, Result};

/// Inputs per quantisation group (ggml's block size and the int4 kernel's group size).
pub const GROUP: i64 = 32;

/// Bytes of a tensor's elements.
pub(crate) fn tensor_bytes(t: &Tensor) -> usize {
	t.numel() * t.kind().elt_size_in_bytes()
}

/// Rows packed at a time (a multiple of the kernel's 64-row blocks).
const PACK_ROWS: i64 = 4096;

/// A block-quantised matrix decoded into integer codes and per-group factors, losslessly:
/// `w[r, c] = codes[r, c] · scale[r, c / 32] + offset[r, c / 32]`.
#[derive(Debug)]
pub struct QuantBlocks {
	/// Integer codes `[out, in]` as `i8`: 0..=15 for 4-bit formats, −128..=127 for 8-bit.
	pub codes: Tensor,
	/// Per-group scale `[out, in / 32]`, `f32`.
	pub scale: Tensor,
	/// Per-group offset `[out, in / 32]`, `f32`.
	pub offset: Tensor,
	/// Bits per code: 4 or 8.
	pub bits: u8,
}

impl QuantBlocks {
	/// The weights as a dense `f32` matrix `[out, in]`.
	pub fn dequantize(&self) -> Tensor {
		let size = self.codes.size();
		let (out, inp) = (size[0], size[1]);
		let codes = self.codes.to_kind(Kind::Float).view([out, inp / GROUP, GROUP]);
		(codes * self.scale.unsqueeze(-1) + self.offset.unsqueeze(-1)).view([out, inp])
	}

	/// The rows `ids` (`i64`, `[n]`) only, e.g. the looked-up rows of an embedding table.
	pub fn rows(&self, ids: &Tensor) -> QuantBlocks {
		QuantBlocks {
			codes: self.codes.index_select(0, ids),
			scale: self.scale.index_select(0, ids),
			offset: self.offset.index_select(0, ids),
			bits: self.bits,
		}
	}

	/// Bytes held by codes, scales and offsets.
	pub fn bytes(&self) -> usize {
		tensor_bytes(&self.codes) + tensor_bytes(&self.scale) + tensor_bytes(&self.offset)
	}

	/// Stacks matrices with the same input width along the output axis (fused projections).
	pub fn cat(parts: &[QuantBlocks]) -> Result<QuantBlocks> {
		let bits = parts.first().map(|p| p.bits).unwrap_or(4);
		if parts.iter().any(|p| p.bits != bits) {
			return Err(InferenceError::Unsupported(
				"fused projections mix 4- and 8-bit quantisation".into(),
			));
		}
		let cat = |f: fn(&QuantBlocks) -> &Tensor| {
			Tensor::cat(&parts.iter().map(f).collect::<Vec<_>>(), 0)
		};
		Ok(QuantBlocks {
			codes: cat(|p| &p.codes),
			scale: cat(|p| &p.scale),
			offset: cat(|p| &p.offset),
			bits,
		})
	}
}

/// One weight matrix of logical shape `[out, in]`.
#[derive(Debug)]
pub enum Linear {
	/// A dense matrix in the compute dtype (`f32`, `bf16` or `f16`); `x` must have that dtype.
	Dense(Tensor),
	/// int8 codes with one `f32` scale per output row (`_weight_int8pack_mm`): a lossy
	/// requantisation of whatever the file stores.
	Int8 {
		/// Codes `[out, in]`, `i8`.
		codes: Tensor,
		/// Scale per output row `[out]`, in the compute dtype.
		scales: Tensor,
	},
	/// 4-bit codes in groups of 32 inputs, packed for `_weight_int4pack_mm_for_cpu`.
	Int4(Int4),
	/// An 8-bit block format as the sum of two exact [`Int4`] matrices (`q = 16·hi + lo`).
	Int8Split {
		/// The high nibbles, scale `16·scale`.
		hi: Int4,
		/// The low nibbles, carrying the original offset.
		lo: Int4,
	},
}

/// A packed int4 matrix with its per-group scale and zero.
#[derive(Debug)]
pub struct Int4 {
	/// `_convert_weight_to_int4pack_for_cpu` output (`uint8`, `[out, in / 2]`).
	packed: Tensor,
	/// `[in / 32, out, 2]` in the activations' dtype: `(scale, zero)` with
	/// `w = (code − 8) · scale + zero`.
	scale_zero: Tensor,
}

impl Int4 {
	/// Packs 4-bit codes (0..=15) with `w = code · scale + offset` for activations of dtype
	/// `kind` (libtorch's CPU kernel is vectorised for `bf16`; `f32` is exact but slow).
	///
	/// The kernel packs rows in independent blocks of 64, so a large matrix (an LM head of
	/// 49,152 rows) is packed [`PACK_ROWS`] rows at a time: its `i32` copy, which the packer
	/// needs, then never exists whole (it would be 4 bytes per weight at load time).
	fn pack(codes: &Tensor, scale: &Tensor, offset: &Tensor, kind: Kind) -> Int4 {
		let rows = codes.size()[0];
		let chunks: Vec<Tensor> = (0..rows)
			.step_by(PACK_ROWS as usize)
			.map(|start| {
				codes
					.narrow(0, start, PACK_ROWS.min(rows - start))
					.to_kind(Kind::Int)
					.contiguous()
					.internal_convert_weight_to_int4pack_for_cpu(1)
			})
			.collect();
		let packed =
			if chunks.len() == 1 { chunks[0].shallow_clone() } else { Tensor::cat(&chunks, 0) };
		let zero = offset + scale * 8.0;
		let scale_zero =
			Tensor::stack(&[scale, &zero], 2).transpose(0, 1).to_kind(kind).contiguous();
		Int4 { packed, scale_zero }
	}

	fn forward(&self, x: &Tensor) -> Tensor {
		x.internal_weight_int4pack_mm_for_cpu(&self.packed, GROUP, &self.scale_zero)
	}
}

impl Linear {
	/// Keeps block-quantised weights as they are, for activations of dtype `kind`, when `keep`
	/// is set (CPU only: libtorch's CUDA int4 kernel wants another packing); otherwise
	/// dequantises them once to a dense matrix of dtype `kind` on `device`.
	pub fn from_blocks(
		blocks: &QuantBlocks,
		device: Device,
		kind: Kind,
		keep: bool,
	) -> Result<Linear> {
		let [out, inp] = [blocks.codes.size()[0], blocks.codes.size()[1]];
		// The packer wants whole groups of inputs and output rows in multiples of 16.
		if !keep || device != Device::Cpu || inp % GROUP != 0 || out % 16 != 0 {
			return Ok(Linear::Dense(blocks.dequantize().to_device(device).to_kind(kind)));
		}
		Ok(match blocks.bits {
			4 => Linear::Int4(Int4::pack(&blocks.codes, &blocks.scale, &blocks.offset, kind)),
			8 => {
				// i8 arithmetic: hi in −8..=7, lo in 0..=15, hi + 8 in 0..=15 (no overflow).
				let hi = blocks.codes.floor_divide_scalar(16);
				let lo = &blocks.codes - &hi * 16;
				let hi_scale = &blocks.scale * 16.0;
				// hi contributes 16·scale·hi = (hi + 8 − 8)·16·scale: offset −8·16·scale.
				let hi_offset = &hi_scale * -8.0;
				Linear::Int8Split {
					hi: Int4::pack(&(hi + 8), &hi_scale, &hi_offset, kind),
					lo: Int4::pack(&lo, &blocks.scale, &blocks.offset, kind),
				}
			},
			b => return Err(InferenceError::Unsupported(format!("{b}-bit block quantisation"))),
		})
	}

	/// Requantises a dense matrix to int8 per output row (symmetric, round to nearest), for
	/// activations of dtype `kind`.
	pub fn int8_from_dense(w: &Tensor, kind: Kind) -> Linear {
		let w = w.to_kind(Kind::Float);
		let amax = w.abs().amax(&[1i64][..], true).clamp_min(f64::MIN_POSITIVE);
		let scale = &amax / 127.0;
		let codes = (&w / &scale).round().clamp(-127.0, 127.0).to_kind(Kind::Int8);
		Linear::Int8 { codes, scales: scale.squeeze_dim(1).to_kind(kind) }
	}

	/// `x · Wᵀ` for `x: [tokens, in]`, returning `[tokens, out]` in `x`'s dtype.
	pub fn forward(&self, x: &Tensor) -> Tensor {
		match self {
			Linear::Dense(w) => x.linear::<&Tensor>(w, None),
			Linear::Int8 { codes, scales } => x.internal_weight_int8pack_mm(codes, scales),
			Linear::Int4(m) => m.forward(x),
			Linear::Int8Split { hi, lo } => hi.forward(x) + lo.forward(x),
		}
	}

	/// `[out, in]` of the logical matrix.
	pub fn shape(&self) -> [i64; 2] {
		match self {
			Linear::Dense(w) | Linear::Int8 { codes: w, .. } => [w.size()[0], w.size()[1]],
			Linear::Int4(m) | Linear::Int8Split { lo: m, .. } => {
				let s = m.packed.size();
				[s[0], s[1] * 2]
			},
		}
	}

	/// The logical matrix as dense `f32` `[out, in]` (for export and experiments).
	pub fn to_dense(&self) -> Tensor {
		let [out, inp] = self.shape();
		match self {
			Linear::Dense(w) => w.to_kind(Kind::Float),
			Linear::Int8 { codes, scales } => {
				codes.to_kind(Kind::Float) * scales.to_kind(Kind::Float).unsqueeze(1)
			},
			// Multiplying the identity recovers the matrix through the kernel itself.
			Linear::Int4(m) | Linear::Int8Split { lo: m, .. } => self
				.forward(&Tensor::eye(inp, (m.scale_zero.kind(), Device::Cpu)))
				.to_kind(Kind::Float)
				.transpose(0, 1)
				.contiguous(),
		}
		.view([out, inp])
	}

	/// Bytes held by the matrix's tensors (weights, scales, zeros).
	pub fn bytes(&self) -> usize {
		let b = tensor_bytes;
		match self {
			Linear::Dense(w) => b(w),
			Linear::Int8 { codes, scales } => b(codes) + b(scales),
			Linear::Int4(m) => b(&m.packed) + b(&m.scale_zero),
			Linear::Int8Split { hi, lo } => {
				b(&hi.packed) + b(&hi.scale_zero) + b(&lo.packed) + b(&lo.scale_zero)
			},
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn blocks(bits: u8, out: i64, inp: i64) -> QuantBlocks {
		let opts = (Kind::Float, Device::Cpu);
		let (codes, offset) = if bits == 4 {
			let scale_like = Tensor::rand([out, inp / GROUP], opts);
			(Tensor::randint(16, [out, inp], (Kind::Int8, Device::Cpu)), -scale_like * 0.1)
		} else {
			(
				Tensor::randint_low(-128, 128, [out, inp], (Kind::Int8, Device::Cpu)),
				Tensor::zeros([out, inp / GROUP], opts),
			)
		};
		// f16-representable scales, as in a GGUF file.
		let scale = (Tensor::rand([out, inp / GROUP], opts) * 0.01 + 1e-3)
			.to_kind(Kind::Half)
			.to_kind(Kind::Float);
		QuantBlocks { codes, scale, offset: offset.to_kind(Kind::Half).to_kind(Kind::Float), bits }
	}

	fn max_rel_err(a: &Tensor, b: &Tensor) -> f64 {
		(a - b).abs().max().double_value(&[]) / b.abs().max().double_value(&[])
	}

	#[test]
	fn quantised_kernels_reproduce_the_dequantised_product() {
		let _g = tch::no_grad_guard();
		for bits in [4u8, 8] {
			let b = blocks(bits, 96, 128);
			let dense = b.dequantize();
			// f32 activations: exact up to summation order.
			let q = Linear::from_blocks(&b, Device::Cpu, Kind::Float, true).unwrap();
			assert!(matches!(q, Linear::Int4(_) | Linear::Int8Split { .. }));
			assert_eq!(q.shape(), [96, 128]);
			// bf16 activations (the fast path): within bf16 rounding.
			let qb = Linear::from_blocks(&b, Device::Cpu, Kind::BFloat16, true).unwrap();
			for rows in [1i64, 3, 40] {
				let x = Tensor::randn([rows, 128], (Kind::Float, Device::Cpu));
				let reference = x.linear::<&Tensor>(&dense, None);
				let err = max_rel_err(&q.forward(&x), &reference);
				assert!(err < 1e-5, "{bits}-bit, {rows} rows: relative error {err}");
				let y = qb.forward(&x.to_kind(Kind::BFloat16));
				assert_eq!(y.kind(), Kind::BFloat16);
				let err = max_rel_err(&y.to_kind(Kind::Float), &reference);
				assert!(err < 2e-2, "{bits}-bit bf16, {rows} rows: relative error {err}");
			}
			assert!(max_rel_err(&q.to_dense(), &dense) < 1e-6);
			// Under half of the f32 matrix even with f32 scales (bf16 scales halve those).
			assert!(q.bytes() < dense.numel() * 2, "{bits}-bit storage is {} bytes", q.bytes());
			let dense_again = Linear::from_blocks(&b, Device::Cpu, Kind::Float, false).unwrap();
			assert!(matches!(&dense_again, Linear::Dense(w) if w.equal(&dense)));
		}
	}

	#[test]
	fn packing_in_row_chunks_equals_packing_whole() {
		let _g = tch::no_grad_guard();
		let rows = PACK_ROWS + 192;
		let codes = Tensor::randint(16, [rows, 64], (Kind::Int8, Device::Cpu));
		let whole = codes.to_kind(Kind::Int).internal_convert_weight_to_int4pack_for_cpu(1);
		let zeros = Tensor::zeros([rows, 2], (Kind::Float, Device::Cpu));
		let chunked = Int4::pack(&codes, &zeros, &zeros, Kind::BFloat16);
		assert!(chunked.packed.equal(&whole));
	}

	#[test]
	fn int8_per_row_is_close_but_lossy() {
		let _g = tch::no_grad_guard();
		let w = Tensor::randn([64, 96], (Kind::Float, Device::Cpu));
		let q = Linear::int8_from_dense(&w, Kind::Float);
		let x = Tensor::randn([5, 96], (Kind::Float, Device::Cpu));
		let err = max_rel_err(&q.forward(&x), &x.linear::<&Tensor>(&w, None));
		assert!(err > 1e-6 && err < 2e-2, "relative error {err}");
		assert_eq!(q.shape(), [64, 96]);
	}

	#[test]
	fn fused_blocks_stack_along_the_output_axis() {
		let _g = tch::no_grad_guard();
		let (a, b) = (blocks(4, 32, 64), blocks(4, 16, 64));
		let fused = QuantBlocks::cat(&[blocks(4, 1, 64), blocks(8, 1, 64)]);
		assert!(fused.is_err(), "mixed widths must be refused");
		let both = QuantBlocks::cat(&[a, b]).unwrap();
		assert_eq!(both.codes.size(), vec![48, 64]);
		assert_eq!(both.scale.size(), vec![48, 2]);
	}
}
