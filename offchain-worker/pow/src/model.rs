//! The sprint transformer: a Llama-style model with random weights drawn from the epoch seed.
//!
//! Math (per `docs/sprint-protocol.md`): for each layer, `h += Wo·attn(rope(Wq·n(h)),
//! rope(Wk·n(h)), Wv·n(h))` then `h += Wdown·(silu(Wgate·n(h)) * Wup·n(h))`, with
//! `n(x) = x / sqrt(mean(x^2) + 1e-5)` (RMSNorm, unit gain), causal attention with grouped KV
//! heads, and half-split RoPE; the output is `Wlm·n(h[last])`.
//!
//! The implementation is organised for throughput rather than for reading like the math: a batch
//! of nonces is one `[batch * seq, dim]` matrix; Q/K/V and gate/up are single fused matmuls;
//! residual adds are fused into the matmuls (`addmm_`); RoPE and SwiGLU work in place; and the
//! last layer only computes what the last position needs (its query, attention row and MLP),
//! since nothing else reaches the logits.

use crate::{
	derive::{weight_matrix, Matrix, Seed},
	device::ComputeDevice,
};
use gonka_primitives::pow::PowParams;
use rayon::prelude::*;
use tch::{Device, Kind, Tensor};

/// RMSNorm epsilon of the protocol.
pub const RMS_NORM_EPS: f64 = 1e-5;

/// Why a model could not be built or run.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
	/// The parameters describe no model.
	#[error("invalid parameters: {0:?}")]
	InvalidParams(gonka_primitives::pow::PowParamsError),
	/// An input batch does not have `seq_len * dim` values per nonce.
	#[error("input batch has {got} values, expected a multiple of {per_nonce} (seq_len * dim)")]
	BadInputLength {
		/// Values given.
		got: usize,
		/// Values per nonce.
		per_nonce: usize,
	},
	/// libtorch reported an error (out of memory, unsupported kernel, ...).
	#[error("libtorch: {0}")]
	Torch(#[from] tch::TchError),
}

struct Layer {
	/// `[dim, q + 2 kv]`: Wq, Wk, Wv stacked and transposed, so `n(h) · wqkv` gives Q|K|V.
	wqkv: Tensor,
	/// `[q, dim]` (Wo transposed).
	wo: Tensor,
	/// `[dim, 2 ffn]`: Wgate, Wup stacked and transposed.
	wgate_up: Tensor,
	/// `[ffn, dim]` (Wdown transposed).
	wdown: Tensor,
}

/// The model of one epoch on one device, ready for batched forward passes.
pub struct SprintModel {
	params: PowParams,
	compute: ComputeDevice,
	layers: Vec<Layer>,
	/// `[dim, vocab]` (Wlm transposed).
	lm_head: Tensor,
	/// `[1, seq, 1, head_dim / 2]` RoPE cosines and sines in the compute kind.
	cos: Tensor,
	sin: Tensor,
	neg_sin: Tensor,
}

impl SprintModel {
	/// Draws the weights of `seed` (in parallel on CPU threads) and moves them to the device.
	pub fn new(params: PowParams, seed: &Seed, compute: ComputeDevice) -> Result<Self, ModelError> {
		params.validate().map_err(ModelError::InvalidParams)?;
		let _guard = tch::no_grad_guard();
		let mut jobs: Vec<(u32, Matrix)> = Vec::new();
		for layer in 0..params.layers {
			for m in [
				Matrix::Query,
				Matrix::Key,
				Matrix::Value,
				Matrix::Output,
				Matrix::Gate,
				Matrix::Up,
				Matrix::Down,
			] {
				jobs.push((layer, m));
			}
		}
		jobs.push((params.layers, Matrix::LmHead));
		let drawn: Vec<Vec<f32>> =
			jobs.par_iter().map(|&(layer, m)| weight_matrix(seed, &params, layer, m)).collect();
		let mut drawn = drawn.into_iter();
		let mut next = |m: Matrix| -> Result<Tensor, ModelError> {
			let (rows, cols) = m.shape(&params);
			let values = drawn.next().expect("one drawn matrix per job");
			Ok(Tensor::f_from_slice(&values)?.f_view([rows as i64, cols as i64])?)
		};
		let to_device = |t: Tensor| -> Result<Tensor, ModelError> {
			Ok(t.f_contiguous()?.f_to_kind(compute.kind)?.f_to_device(compute.device)?)
		};
		let mut layers = Vec::with_capacity(params.layers as usize);
		for _ in 0..params.layers {
			let (q, k, v, o) = (
				next(Matrix::Query)?,
				next(Matrix::Key)?,
				next(Matrix::Value)?,
				next(Matrix::Output)?,
			);
			let (gate, up, down) = (next(Matrix::Gate)?, next(Matrix::Up)?, next(Matrix::Down)?);
			layers.push(Layer {
				wqkv: to_device(Tensor::f_cat(&[q, k, v], 0)?.f_tr()?)?,
				wo: to_device(o.f_tr()?)?,
				wgate_up: to_device(Tensor::f_cat(&[gate, up], 0)?.f_tr()?)?,
				wdown: to_device(down.f_tr()?)?,
			});
		}
		let lm_head = to_device(next(Matrix::LmHead)?.f_tr()?)?;
		let (cos, sin) = rope_tables(&params);
		let half = (params.head_dim() / 2) as i64;
		let shape = [1, params.seq_len as i64, 1, half];
		let table = |v: Vec<f32>| -> Result<Tensor, ModelError> {
			to_device(Tensor::f_from_slice(&v)?.f_view(shape)?)
		};
		let neg: Vec<f32> = sin.iter().map(|x| -x).collect();
		Ok(Self {
			params,
			compute,
			layers,
			lm_head,
			cos: table(cos)?,
			sin: table(sin)?,
			neg_sin: table(neg)?,
		})
	}

	/// Another handle on the same weights (no copy), for use on another thread: tensors are
	/// `Send` but not `Sync`, so each search lane owns a handle rather than sharing one.
	pub fn shallow_clone(&self) -> Self {
		Self {
			params: self.params,
			compute: self.compute,
			layers: self
				.layers
				.iter()
				.map(|l| Layer {
					wqkv: l.wqkv.shallow_clone(),
					wo: l.wo.shallow_clone(),
					wgate_up: l.wgate_up.shallow_clone(),
					wdown: l.wdown.shallow_clone(),
				})
				.collect(),
			lm_head: self.lm_head.shallow_clone(),
			cos: self.cos.shallow_clone(),
			sin: self.sin.shallow_clone(),
			neg_sin: self.neg_sin.shallow_clone(),
		}
	}

	/// The shape this model was built for.
	pub fn params(&self) -> &PowParams {
		&self.params
	}

	/// Where and in which precision the model runs.
	pub fn compute(&self) -> ComputeDevice {
		self.compute
	}

	/// Runs a batch of nonces: `inputs` holds `batch * seq_len * dim` f32 values (nonce-major, as
	/// drawn by [`crate::derive::fill_nonce_input`]); returns each nonce's last-position logits as
	/// `batch` rows of `vocab` f32 values, row-major.
	pub fn last_logits(&self, inputs: &[f32]) -> Result<Vec<f32>, ModelError> {
		let (seq, dim) = (self.params.seq_len as usize, self.params.dim as usize);
		let per_nonce = seq * dim;
		if inputs.is_empty() || !inputs.len().is_multiple_of(per_nonce) {
			return Err(ModelError::BadInputLength { got: inputs.len(), per_nonce });
		}
		let batch = (inputs.len() / per_nonce) as i64;
		let _guard = tch::no_grad_guard();
		let x = Tensor::f_from_slice(inputs)?
			.f_view([batch * seq as i64, dim as i64])?
			.f_to_kind(self.compute.kind)?
			.f_to_device(self.compute.device)?;
		let logits = self.forward(x, batch)?;
		let logits = logits.f_to_kind(Kind::Float)?.f_to_device(Device::Cpu)?.f_contiguous()?;
		let mut out = vec![0f32; (batch * self.params.vocab as i64) as usize];
		let len = out.len();
		logits.f_copy_data(&mut out, len)?;
		Ok(out)
	}

	/// `x` is `[batch * seq, dim]` on the device; returns `[batch, vocab]`.
	fn forward(&self, mut h: Tensor, batch: i64) -> Result<Tensor, ModelError> {
		let p = &self.params;
		let (seq, dim) = (p.seq_len as i64, p.dim as i64);
		let (heads, kv_heads, hd) = (p.heads as i64, p.kv_heads as i64, p.head_dim() as i64);
		let (q_width, kv_width) = (heads * hd, kv_heads * hd);
		let gqa = heads != kv_heads;
		let (last, full) = self.layers.split_last().expect("validated params have layers >= 1");
		for layer in full {
			let a = self.norm(&h)?;
			let qkv = a.f_mm(&layer.wqkv)?.f_view([batch, seq, heads + 2 * kv_heads, hd])?;
			self.rope_in_place(
				&qkv.f_narrow(2, 0, heads + kv_heads)?,
				&self.cos,
				&self.sin,
				&self.neg_sin,
			)?;
			let q = qkv.f_narrow(2, 0, heads)?.f_transpose(1, 2)?;
			let k = qkv.f_narrow(2, heads, kv_heads)?.f_transpose(1, 2)?;
			let v = qkv.f_narrow(2, heads + kv_heads, kv_heads)?.f_transpose(1, 2)?;
			let o = Tensor::f_scaled_dot_product_attention(
				&q,
				&k,
				&v,
				None::<Tensor>,
				0.0,
				true,
				None,
				gqa,
			)?;
			let o = o.f_transpose(1, 2)?.f_reshape([batch * seq, q_width])?;
			let _ = h.f_addmm_(&o, &layer.wo)?;
			self.mlp_in_place(&mut h, layer)?;
		}
		// Last layer: keys and values for every position, everything else for the last only.
		let a = self.norm(&h)?;
		let kv = a.f_mm(&last.wqkv.f_narrow(1, q_width, 2 * kv_width)?)?.f_view([
			batch,
			seq,
			2 * kv_heads,
			hd,
		])?;
		let at = |t: &Tensor| t.f_narrow(1, seq - 1, 1);
		self.rope_in_place(&kv.f_narrow(2, 0, kv_heads)?, &self.cos, &self.sin, &self.neg_sin)?;
		let a_last = a.f_view([batch, seq, dim])?.f_select(1, seq - 1)?;
		let q = a_last.f_mm(&last.wqkv.f_narrow(1, 0, q_width)?)?.f_view([batch, 1, heads, hd])?;
		self.rope_in_place(&q, &at(&self.cos)?, &at(&self.sin)?, &at(&self.neg_sin)?)?;
		let k = kv.f_narrow(2, 0, kv_heads)?.f_transpose(1, 2)?;
		let v = kv.f_narrow(2, kv_heads, kv_heads)?.f_transpose(1, 2)?;
		let o = Tensor::f_scaled_dot_product_attention(
			&q.f_transpose(1, 2)?,
			&k,
			&v,
			None::<Tensor>,
			0.0,
			false,
			None,
			gqa,
		)?
		.f_reshape([batch, q_width])?;
		let mut h_last = h.f_view([batch, seq, dim])?.f_select(1, seq - 1)?.f_contiguous()?;
		let _ = h_last.f_addmm_(&o, &last.wo)?;
		self.mlp_in_place(&mut h_last, last)?;
		Ok(self.norm(&h_last)?.f_mm(&self.lm_head)?)
	}

	/// RMSNorm with unit gain over the last dimension.
	fn norm(&self, x: &Tensor) -> Result<Tensor, ModelError> {
		Ok(x.f_rms_norm([self.params.dim as i64], None::<Tensor>, RMS_NORM_EPS)?)
	}

	/// `h += Wdown·(silu(Wgate·n(h)) * Wup·n(h))`, with one fused gate/up matmul, SwiGLU computed
	/// in place in the gate half, and the residual add fused into the down matmul.
	fn mlp_in_place(&self, h: &mut Tensor, layer: &Layer) -> Result<(), ModelError> {
		let ffn = self.params.ffn_dim as i64;
		let gu = self.norm(h)?.f_mm(&layer.wgate_up)?;
		let mut gate = gu.f_narrow(1, 0, ffn)?;
		let up = gu.f_narrow(1, ffn, ffn)?;
		let _ = gate.f_silu_()?;
		let _ = gate.f_mul_(&up)?;
		let _ = h.f_addmm_(&gate, &layer.wdown)?;
		Ok(())
	}

	/// Half-split RoPE in place on `x` (`[batch, positions, heads, head_dim]`, any strides):
	/// `(x1, x2) <- (x1 cos - x2 sin, x2 cos + x1 sin)` with `x1`/`x2` the two halves of each
	/// head; the tables broadcast as `[1, positions, 1, head_dim / 2]`.
	fn rope_in_place(
		&self,
		x: &Tensor,
		cos: &Tensor,
		sin: &Tensor,
		neg_sin: &Tensor,
	) -> Result<(), ModelError> {
		let half = (self.params.head_dim() / 2) as i64;
		let mut x1 = x.f_narrow(3, 0, half)?;
		let mut x2 = x.f_narrow(3, half, half)?;
		let mut x1_orig = x1.f_empty_like()?;
		x1_orig.f_copy_(&x1)?;
		let _ = x1.f_mul_(cos)?;
		let _ = x1.f_addcmul_(&x2, neg_sin)?;
		let _ = x2.f_mul_(cos)?;
		let _ = x2.f_addcmul_(&x1_orig, sin)?;
		Ok(())
	}
}

/// RoPE tables `[seq, head_dim / 2]` (row-major) of cosines and sines:
/// `angle(pos, i) = pos * theta^(-2i / head_dim)`, computed in f64 with `libm`, cast to f32.
pub fn rope_tables(p: &PowParams) -> (Vec<f32>, Vec<f32>) {
	let half = (p.head_dim() / 2) as usize;
	let hd = p.head_dim() as f64;
	let mut cos = Vec::with_capacity(p.seq_len as usize * half);
	let mut sin = Vec::with_capacity(p.seq_len as usize * half);
	for pos in 0..p.seq_len {
		for i in 0..half {
			let inv_freq = 1.0 / libm::pow(p.rope_theta as f64, (2 * i) as f64 / hd);
			let angle = pos as f64 * inv_freq;
			cos.push(libm::cos(angle) as f32);
			sin.push(libm::sin(angle) as f32);
		}
	}
	(cos, sin)
}
