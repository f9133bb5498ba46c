//! The Llama-family decoder forward pass on libtorch.
//!
//! One call to [`LlamaModel::forward`] processes a *packed* batch: the new tokens of several
//! sequences (a whole prompt for a sequence joining, one token for a sequence decoding) are
//! concatenated along one axis. All matrix multiplications (projections, MLP, LM head) run once
//! over the packed tokens; only attention runs per sequence against that sequence's own
//! [`KvCache`]. This is what lets the engine add requests between decode steps (continuous
//! batching) without padding or re-computing anyone's cache.

mod kv_cache;
mod weights;

use tch::{Device, Kind, Tensor};

pub use kv_cache::KvCache;
pub use weights::{load_gguf, unpermute_qk, LayerWeights, Weights};

use crate::config::ModelConfig;
use crate::error::{InferenceError, Result};

/// Which positions of a chunk need logits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogitsFor {
	/// Only the last new token (generation).
	Last,
	/// Every new token (teacher forcing for validation, reference checks).
	All,
}

/// The new tokens of one sequence in a packed forward pass.
pub struct SeqChunk<'a> {
	/// Token ids to append to the sequence.
	pub tokens: &'a [u32],
	/// The sequence's cache; its length is the position of `tokens[0]`.
	pub cache: &'a mut KvCache,
	/// Which logits to return.
	pub logits: LogitsFor,
}

/// A loaded decoder ready to run.
#[derive(Debug)]
pub struct LlamaModel {
	config: ModelConfig,
	weights: Weights,
	device: Device,
	kind: Kind,
	inv_freq: Tensor,
}

impl LlamaModel {
	/// Wraps loaded weights; `kind` is the compute dtype (f32 on CPU, f16/bf16 on CUDA).
	pub fn new(config: ModelConfig, weights: Weights, device: Device, kind: Kind) -> Self {
		let half = config.head_dim / 2;
		// inv_freq[i] = theta^(-2i/d), computed in f64 then rounded once, as HF does in f32.
		let exps =
			Tensor::arange(half, (Kind::Double, Device::Cpu)) * (2.0 / config.head_dim as f64);
		let inv_freq = Tensor::from(config.rope_theta)
			.pow(&exps)
			.reciprocal()
			.to_kind(Kind::Float)
			.to_device(device);
		Self { config, weights, device, kind, inv_freq }
	}

	/// Architecture parameters.
	pub fn config(&self) -> &ModelConfig {
		&self.config
	}

	/// The device the weights live on.
	pub fn device(&self) -> Device {
		self.device
	}

	/// The weights.
	pub fn weights(&self) -> &Weights {
		&self.weights
	}

	/// Mutable access to the weights, for experiments such as requantisation.
	pub fn weights_mut(&mut self) -> &mut Weights {
		&mut self.weights
	}

	/// A fresh cache sized for `capacity` positions.
	pub fn new_cache(&self, capacity: i64) -> KvCache {
		KvCache::new(&self.config, capacity, self.device, self.kind)
	}

	/// Runs the packed batch and returns, per chunk, `f32` logits `[rows, vocab]` where rows is
	/// 1 for [`LogitsFor::Last`] and `tokens.len()` for [`LogitsFor::All`]. Caches are advanced.
	pub fn forward(&self, chunks: &mut [SeqChunk<'_>]) -> Result<Vec<Tensor>> {
		let cfg = &self.config;
		let mut ids = Vec::new();
		let mut positions = Vec::new();
		let mut spans = Vec::with_capacity(chunks.len());
		for c in chunks.iter_mut() {
			if c.tokens.is_empty() {
				return Err(InferenceError::InvalidRequest("empty token chunk".into()));
			}
			let start = c.cache.len();
			let n = c.tokens.len() as i64;
			if start + n > cfg.max_position_embeddings {
				return Err(InferenceError::InvalidRequest(format!(
					"sequence of {} tokens exceeds the model context of {}",
					start + n,
					cfg.max_position_embeddings
				)));
			}
			if let Some(&bad) = c.tokens.iter().find(|&&t| i64::from(t) >= cfg.vocab_size) {
				return Err(InferenceError::InvalidRequest(format!(
					"token id {bad} is outside the vocabulary"
				)));
			}
			spans.push((ids.len() as i64, n));
			ids.extend(c.tokens.iter().map(|&t| i64::from(t)));
			positions.extend(start..start + n);
			c.cache.reserve(n);
		}
		let ids = Tensor::from_slice(&ids).to_device(self.device);
		let (cos, sin) = self.rope_tables(&positions);
		let mut x = self.weights.embed.index_select(0, &ids);
		for (li, layer) in self.weights.layers.iter().enumerate() {
			let h = rms_norm(&x, &layer.attn_norm, cfg.rms_norm_eps);
			let attn = self.attention(li, layer, &h, &cos, &sin, chunks, &spans);
			x += attn.linear::<&Tensor>(&layer.wo, None);
			let h = rms_norm(&x, &layer.ffn_norm, cfg.rms_norm_eps);
			let gate = h.linear::<&Tensor>(&layer.w_gate, None).silu();
			let up = h.linear::<&Tensor>(&layer.w_up, None);
			x += (gate * up).linear::<&Tensor>(&layer.w_down, None);
		}
		let mut rows = Vec::new();
		for (c, &(off, n)) in chunks.iter_mut().zip(&spans) {
			c.cache.advance(n);
			match c.logits {
				LogitsFor::Last => rows.push(off + n - 1),
				LogitsFor::All => rows.extend(off..off + n),
			}
		}
		let rows_t = Tensor::from_slice(&rows).to_device(self.device);
		let hidden =
			rms_norm(&x.index_select(0, &rows_t), &self.weights.final_norm, cfg.rms_norm_eps);
		let logits = hidden.linear::<&Tensor>(&self.weights.lm_head, None).to_kind(Kind::Float);
		let mut out = Vec::with_capacity(chunks.len());
		let mut at = 0i64;
		for c in chunks.iter() {
			let n = if c.logits == LogitsFor::Last { 1 } else { c.tokens.len() as i64 };
			out.push(logits.narrow(0, at, n));
			at += n;
		}
		Ok(out)
	}

	/// `cos`/`sin` of the rotation angles, `[tokens, 1, head_dim]` in rotate-half layout.
	fn rope_tables(&self, positions: &[i64]) -> (Tensor, Tensor) {
		let pos = Tensor::from_slice(positions).to_kind(Kind::Float).to_device(self.device);
		let angles = pos.unsqueeze(1) * self.inv_freq.unsqueeze(0);
		let angles = Tensor::cat(&[&angles, &angles], 1).unsqueeze(1);
		(angles.cos().to_kind(self.kind), angles.sin().to_kind(self.kind))
	}

	/// Attention for all chunks: projections packed, score/softmax per sequence.
	fn attention(
		&self,
		li: usize,
		layer: &LayerWeights,
		h: &Tensor,
		cos: &Tensor,
		sin: &Tensor,
		chunks: &mut [SeqChunk<'_>],
		spans: &[(i64, i64)],
	) -> Tensor {
		let cfg = &self.config;
		let t = h.size()[0];
		let (nh, nkv, hd) = (cfg.num_heads, cfg.num_kv_heads, cfg.head_dim);
		let mut q = h.linear(&layer.wq, layer.bq.as_ref()).view([t, nh, hd]);
		let mut k = h.linear(&layer.wk, layer.bk.as_ref()).view([t, nkv, hd]);
		let v = h.linear(&layer.wv, layer.bv.as_ref()).view([t, nkv, hd]);
		if let Some(w) = &layer.q_norm {
			q = rms_norm(&q, w, cfg.rms_norm_eps);
		}
		if let Some(w) = &layer.k_norm {
			k = rms_norm(&k, w, cfg.rms_norm_eps);
		}
		let q = apply_rope(&q, cos, sin);
		let k = apply_rope(&k, cos, sin);
		let group = nh / nkv;
		let scale = 1.0 / (hd as f64).sqrt();
		let mut outs = Vec::with_capacity(chunks.len());
		for (c, &(off, n)) in chunks.iter_mut().zip(spans) {
			let start = c.cache.len();
			let qs = q.narrow(0, off, n).transpose(0, 1); // [nh, n, hd]
			let ks = k.narrow(0, off, n).transpose(0, 1); // [nkv, n, hd]
			let vs = v.narrow(0, off, n).transpose(0, 1);
			let (keys, values) = c.cache.write(li, &ks, &vs); // [nkv, L, hd]
													 // GQA without copying the cache: query head h uses kv head h / group, so fold the
													 // group into the query-row axis: [nkv, group*n, hd] x [nkv, hd, L].
			let qg = qs.reshape([nkv, group * n, hd]);
			let mut scores = qg.matmul(&keys.transpose(1, 2)).view([nkv, group, n, -1]) * scale;
			if n > 1 {
				// Query i (absolute position start+i) may attend to keys 0..=start+i.
				let l = start + n;
				let qpos =
					Tensor::arange_start(start, start + n, (Kind::Int64, self.device)).unsqueeze(1);
				let kpos = Tensor::arange(l, (Kind::Int64, self.device)).unsqueeze(0);
				scores = scores.masked_fill(&kpos.gt_tensor(&qpos), f64::NEG_INFINITY);
			}
			let probs =
				scores.softmax(-1, Kind::Float).to_kind(self.kind).view([nkv, group * n, -1]);
			let out = probs.matmul(&values).view([nh, n, hd]);
			outs.push(out.transpose(0, 1).reshape([n, nh * hd]));
		}
		Tensor::cat(&outs, 0)
	}
}

/// RMSNorm over the last dimension, computed in f32 for stability.
fn rms_norm(x: &Tensor, weight: &Tensor, eps: f64) -> Tensor {
	let kind = x.kind();
	let xf = x.to_kind(Kind::Float);
	let norm = (xf.pow_tensor_scalar(2).mean_dim(-1, true, Kind::Float) + eps).rsqrt();
	(xf * norm).to_kind(kind) * weight
}

/// Rotate-half RoPE: `x*cos + rotate_half(x)*sin` with `rotate_half([a, b]) = [-b, a]`.
fn apply_rope(x: &Tensor, cos: &Tensor, sin: &Tensor) -> Tensor {
	let half = x.size()[2] / 2;
	let a = x.narrow(2, 0, half);
	let b = x.narrow(2, half, half);
	let rotated = Tensor::cat(&[-b, a], 2);
	x * cos + rotated * sin
}
