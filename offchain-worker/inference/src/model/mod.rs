//! The Llama-family decoder forward pass on libtorch.
//!
//! One call to [`LlamaModel::forward`] processes a *packed* batch: the new tokens of several
//! sequences (a whole prompt or a chunk of it for a sequence joining, one token for a sequence
//! decoding) are concatenated along one axis. All matrix multiplications (fused QKV, output,
//! fused gate/up, down, LM head) run once over the packed tokens. Attention reads the model's
//! [`KvCache`] pool: every decoding sequence in one batched call over the pool, each prefilling
//! chunk on its own (it attends causally within itself). This is what lets the engine add
//! requests between decode steps (continuous batching) without re-computing anyone's cache.
//! The LM head runs only for rows that need logits.

mod kv_cache;
mod linear;
mod precision;
mod weights;

use std::sync::{Arc, Mutex};

use tch::{Device, Kind, Tensor};

pub use kv_cache::KvCache;
pub use linear::{Linear, QuantBlocks, GROUP};
pub use precision::Precision;
pub use weights::{load_gguf, unpermute_qk, Embedding, LayerWeights, Weights};

use crate::config::ModelConfig;
use crate::error::{InferenceError, Result};
use kv_cache::KvPool;

/// Which positions of a chunk need logits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogitsFor {
	/// Only the last new token (generation).
	Last,
	/// Every new token (teacher forcing for validation, reference checks).
	All,
	/// None: a prompt chunk whose sequence has more prompt to come.
	Nothing,
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
	precision: Precision,
	inv_freq: Tensor,
	pool: Arc<Mutex<KvPool>>,
}

impl LlamaModel {
	/// Wraps weights loaded in `precision` (see [`Precision::compute_kind`] for the dtype).
	pub fn new(
		config: ModelConfig,
		weights: Weights,
		device: Device,
		precision: Precision,
	) -> Self {
		let precision = precision.resolve();
		let kind = precision.compute_kind();
		let half = config.head_dim / 2;
		// inv_freq[i] = theta^(-2i/d), computed in f64 then rounded once, as HF does in f32.
		let exps =
			Tensor::arange(half, (Kind::Double, Device::Cpu)) * (2.0 / config.head_dim as f64);
		let inv_freq = Tensor::from(config.rope_theta)
			.pow(&exps)
			.reciprocal()
			.to_kind(Kind::Float)
			.to_device(device);
		let pool = KvPool::new(&config, device, kind);
		Self { config, weights, device, kind, precision, inv_freq, pool }
	}

	/// The precision the weights were loaded in (never `Auto`).
	pub fn precision(&self) -> Precision {
		self.precision
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

	/// A fresh, empty cache: a slot in this model's pool. `capacity` is how many positions the
	/// caller expects; the pool grows on demand, so it is only a hint.
	pub fn new_cache(&self, _capacity: i64) -> KvCache {
		KvCache::new(&self.pool)
	}

	/// Runs the packed batch and returns, per chunk, `f32` logits `[rows, vocab]` where rows is
	/// 1 for [`LogitsFor::Last`], `tokens.len()` for [`LogitsFor::All`] and 0 for
	/// [`LogitsFor::Nothing`]. Caches are advanced.
	///
	/// Errors: an empty chunk, a token outside the vocabulary, a sequence longer than the
	/// model's context, a cache of another model, or the same cache twice.
	pub fn forward(&self, chunks: &mut [SeqChunk<'_>]) -> Result<Vec<Tensor>> {
		let cfg = &self.config;
		let mut ids = Vec::new();
		let mut positions = Vec::new();
		let mut slots = Vec::new();
		let mut spans = Vec::with_capacity(chunks.len());
		let mut longest = 0;
		for c in chunks.iter_mut() {
			c.cache.check_pool(&self.pool)?;
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
			if spans.iter().any(|s: &Span| s.slot == c.cache.slot()) {
				return Err(InferenceError::InvalidRequest(
					"a cache appears twice in a batch".into(),
				));
			}
			spans.push(Span { offset: ids.len() as i64, len: n, start, slot: c.cache.slot() });
			ids.extend(c.tokens.iter().map(|&t| i64::from(t)));
			positions.extend(start..start + n);
			slots.extend(std::iter::repeat_n(c.cache.slot(), n as usize));
			longest = longest.max(start + n);
		}
		let mut pool = kv_cache::lock(&self.pool);
		pool.ensure_capacity(longest);
		let group = cfg.num_heads / cfg.num_kv_heads;
		let buckets = Buckets::for_kind(self.kind);
		let plan =
			AttentionPlan::new(&spans, pool.slots(), pool.capacity(), group, buckets, self.device);
		let to_dev = |v: &[i64]| Tensor::from_slice(v).to_device(self.device);
		let (ids, slots, positions_t) = (to_dev(&ids), to_dev(&slots), to_dev(&positions));
		let (cos, sin) = self.rope_tables(&positions_t);
		let mut x = self.weights.embed.lookup(&ids, self.kind);
		let ffn = cfg.intermediate_size;
		for (li, layer) in self.weights.layers.iter().enumerate() {
			let h = rms_norm(&x, &layer.attn_norm, cfg.rms_norm_eps);
			let attn =
				self.attention(li, layer, &h, &cos, &sin, &mut pool, &slots, &positions_t, &plan);
			x += layer.wo.forward(&attn);
			let h = rms_norm(&x, &layer.ffn_norm, cfg.rms_norm_eps);
			let gate_up = layer.w_gate_up.forward(&h);
			let act = gate_up.narrow(1, 0, ffn).silu() * gate_up.narrow(1, ffn, ffn);
			x += layer.w_down.forward(&act);
		}
		drop(pool);
		let mut rows = Vec::new();
		for (c, sp) in chunks.iter_mut().zip(&spans) {
			c.cache.advance(sp.len);
			match c.logits {
				LogitsFor::Last => rows.push(sp.offset + sp.len - 1),
				LogitsFor::All => rows.extend(sp.offset..sp.offset + sp.len),
				LogitsFor::Nothing => {},
			}
		}
		let logits = if rows.is_empty() {
			Tensor::zeros([0, cfg.vocab_size], (Kind::Float, self.device))
		} else {
			let hidden = rms_norm(
				&x.index_select(0, &to_dev(&rows)),
				&self.weights.final_norm,
				cfg.rms_norm_eps,
			);
			self.weights.lm_head.forward(&hidden).to_kind(Kind::Float)
		};
		let mut out = Vec::with_capacity(chunks.len());
		let mut at = 0i64;
		for c in chunks.iter() {
			let n = match c.logits {
				LogitsFor::Last => 1,
				LogitsFor::All => c.tokens.len() as i64,
				LogitsFor::Nothing => 0,
			};
			out.push(logits.narrow(0, at, n));
			at += n;
		}
		Ok(out)
	}

	/// `cos` and signed `sin` of the rotation angles, `[tokens, 1, head_dim]` in rotate-half
	/// layout: `sin±[.., j] = −sin` for `j < head_dim/2`, `+sin` after (see [`apply_rope`]).
	fn rope_tables(&self, positions: &Tensor) -> (Tensor, Tensor) {
		let pos = positions.to_kind(Kind::Float);
		let angles = pos.unsqueeze(1) * self.inv_freq.unsqueeze(0);
		let sin = angles.sin();
		let cos = angles.cos();
		let cos = Tensor::cat(&[&cos, &cos], 1).unsqueeze(1);
		let sin = Tensor::cat(&[-&sin, sin], 1).unsqueeze(1);
		(cos.to_kind(self.kind), sin.to_kind(self.kind))
	}

	/// Attention of all chunks: projections packed, keys and values written to the pool in one
	/// call, decoding chunks attended in one batched call, prefilling chunks one by one.
	#[allow(clippy::too_many_arguments)]
	fn attention(
		&self,
		li: usize,
		layer: &LayerWeights,
		h: &Tensor,
		cos: &Tensor,
		sin: &Tensor,
		pool: &mut KvPool,
		slots: &Tensor,
		positions: &Tensor,
		plan: &AttentionPlan,
	) -> Tensor {
		let cfg = &self.config;
		let t = h.size()[0];
		let (nh, nkv, hd) = (cfg.num_heads, cfg.num_kv_heads, cfg.head_dim);
		let mut qkv = layer.wqkv.forward(h);
		if let Some(b) = &layer.bqkv {
			qkv += b;
		}
		let v = qkv.narrow(1, (nh + nkv) * hd, nkv * hd).view([t, nkv, hd]);
		let (q, k) = if layer.q_norm.is_none() && layer.k_norm.is_none() {
			// Queries and keys rotated in one call: RoPE is elementwise per head, so this is
			// the same arithmetic as two calls, with half the per-call overhead.
			let qk =
				apply_rope(&qkv.narrow(1, 0, (nh + nkv) * hd).view([t, nh + nkv, hd]), cos, sin);
			(qk.narrow(1, 0, nh), qk.narrow(1, nh, nkv))
		} else {
			let mut q = qkv.narrow(1, 0, nh * hd).view([t, nh, hd]);
			let mut k = qkv.narrow(1, nh * hd, nkv * hd).view([t, nkv, hd]);
			if let Some(w) = &layer.q_norm {
				q = rms_norm(&q, w, cfg.rms_norm_eps);
			}
			if let Some(w) = &layer.k_norm {
				k = rms_norm(&k, w, cfg.rms_norm_eps);
			}
			(apply_rope(&q, cos, sin), apply_rope(&k, cos, sin))
		};
		pool.write(li, slots, positions, &k, &v);
		let (keys, values) = pool.layer(li);
		let group = nh / nkv;
		// Query head h uses kv head h / group: the group is folded into the query-row axis
		// (`[.., kv_heads, group·rows, head_dim]`), so keys and values are never repeated.
		if let Some(dec) = &plan.decode {
			let dkeys = keys.narrow(0, 0, dec.slots).narrow(2, 0, dec.longest);
			let dvalues = values.narrow(0, 0, dec.slots).narrow(2, 0, dec.longest);
			if dec.identity {
				// Every row decodes and row i is slot i: no gather, no scatter.
				let o = self.attend(&q.view([t, nkv, group, hd]), &dkeys, &dvalues, &dec.mask);
				return o.view([t, nh * hd]);
			}
			// One query per slot in 0..slots; slots not decoding get a zero query and see
			// position 0 only, and their rows are not read back.
			let qs = Tensor::zeros([dec.slots, nh, hd], (self.kind, self.device));
			let qs = qs.index_copy(0, &dec.slot_ids, &q.index_select(0, &dec.rows));
			let o = self.attend(&qs.view([dec.slots, nkv, group, hd]), &dkeys, &dvalues, &dec.mask);
			let o = o.view([dec.slots, nh * hd]).index_select(0, &dec.slot_ids);
			let mut out = Tensor::zeros([t, nh * hd], (self.kind, self.device));
			let _ = out.index_copy_(0, &dec.rows, &o);
			self.prefill_attention(plan, &q, keys, values, &mut out);
			return out;
		}
		let mut out = Tensor::zeros([t, nh * hd], (self.kind, self.device));
		self.prefill_attention(plan, &q, keys, values, &mut out);
		out
	}

	/// `softmax(q·kᵀ/√d + mask)·v` over the last two axes, `mask` saying which keys count.
	///
	/// In `f32`, libtorch's fused attention (flash-style, one call). In the reduced precisions,
	/// plain batched matmuls with the softmax in `f32`: the fused kernel's online softmax splits
	/// the keys into blocks differently for one query (decoding) than for many (a validator's
	/// re-execution), and after rounding to 8-bit mantissas those last-bit differences grow,
	/// layer after layer, into ~1% of total variation between an honest executor and its
	/// validator (measured: similarity 0.988 in `bf16`). The matmul path computes each query row
	/// the same way whatever the others, so both sides agree exactly.
	fn attend(&self, q: &Tensor, k: &Tensor, v: &Tensor, mask: &KeyMask) -> Tensor {
		if self.kind == Kind::Float {
			return Tensor::scaled_dot_product_attention(
				q,
				k,
				v,
				Some(&mask.keep),
				0.0,
				false,
				None,
				false,
			);
		}
		let scale = 1.0 / (*q.size().last().unwrap_or(&1) as f64).sqrt();
		let mut scores = q.matmul(&k.transpose(-2, -1)) * scale;
		let _ = scores.masked_fill_(&mask.drop, f64::NEG_INFINITY);
		let probs = scores.softmax(-1, Kind::Float).to_kind(self.kind);
		probs.matmul(v)
	}

	/// Attention of each multi-token chunk against its own slot, causal from its start.
	fn prefill_attention(
		&self,
		plan: &AttentionPlan,
		q: &Tensor,
		keys: &Tensor,
		values: &Tensor,
		out: &mut Tensor,
	) {
		let cfg = &self.config;
		let (nh, nkv, hd) = (cfg.num_heads, cfg.num_kv_heads, cfg.head_dim);
		let group = nh / nkv;
		for PrefillChunk { span: sp, rows, keys: l, mask } in &plan.prefill {
			let (off, n, rows, l) = (sp.offset, sp.len, *rows, *l);
			// The chunk's queries, padded with zero rows to `rows` if the bucket is larger
			// (their outputs are dropped).
			let chunk = q.narrow(0, off, n);
			let chunk = if rows == n {
				chunk
			} else {
				let padded = Tensor::zeros([rows, nh, hd], (self.kind, self.device));
				padded.narrow(0, 0, n).copy_(&chunk);
				padded
			};
			// [rows, nh, hd] -> [nkv, group·rows, hd], rows ordered (group member, position).
			let qg = chunk.transpose(0, 1).reshape([nkv, group * rows, hd]);
			let ks = keys.get(sp.slot).narrow(1, 0, l); // [nkv, l, hd]
			let vs = values.get(sp.slot).narrow(1, 0, l);
			let o = self.attend(&qg, &ks, &vs, mask);
			let o = o.view([nh, rows, hd]).narrow(1, 0, n).transpose(0, 1).reshape([n, nh * hd]);
			out.narrow(0, off, n).copy_(&o);
		}
	}
}

/// Where one chunk sits in the packed batch and the pool.
#[derive(Debug, Clone, Copy)]
struct Span {
	offset: i64,
	len: i64,
	start: i64,
	slot: i64,
}

/// The single-token chunks attended together.
struct DecodeBatch {
	/// Packed rows of the decoding tokens.
	rows: Tensor,
	/// Their slots, in the same order.
	slot_ids: Tensor,
	/// Slots `0..slots` take part (the highest decoding slot + 1).
	slots: i64,
	/// Positions `0..longest` are read.
	longest: i64,
	/// `[slots, 1, 1, longest]`.
	mask: KeyMask,
	/// Every row of the pass decodes and row i is slot i (no gather needed).
	identity: bool,
}

/// Which keys each query row attends to, in the two forms the attention paths take; built
/// once per forward pass, not per layer.
struct KeyMask {
	/// True where a key takes part (the fused `f32` kernel's form).
	keep: Tensor,
	/// Its negation, where scores are set to −∞ (the reduced precisions' form).
	drop: Tensor,
}

impl KeyMask {
	fn new(keep: Tensor) -> Self {
		let drop = keep.logical_not();
		Self { keep, drop }
	}
}

/// A multi-token chunk, attended causally against its own slot.
///
/// Like decode steps, its attention matmuls take bucketed shapes ([`Buckets`]): the chunk's
/// queries padded to a multiple of `Buckets::query` rows and its keys read to a multiple of
/// `Buckets::key` positions, so prompts of nearby lengths share oneDNN's kernels instead of
/// each building (and caching) its own.
struct PrefillChunk {
	span: Span,
	/// Query rows attended: `len` rounded up to `Buckets::query`.
	rows: i64,
	/// Key positions read: `start + len` rounded up to `Buckets::key`, within the pool.
	keys: i64,
	/// `[1, group·rows, keys]`, rows ordered (group member, position); query row i sees keys
	/// `0..=start + i` (padding rows too, so none has an empty softmax).
	mask: KeyMask,
}

/// How a forward pass splits attention; built once, used by every layer.
struct AttentionPlan {
	decode: Option<DecodeBatch>,
	prefill: Vec<PrefillChunk>,
}

impl AttentionPlan {
	fn new(
		spans: &[Span],
		pool_slots: i64,
		capacity: i64,
		group: i64,
		buckets: Buckets,
		device: Device,
	) -> Self {
		let (dec, prefill): (Vec<Span>, Vec<Span>) = spans.iter().partition(|s| s.len == 1);
		let prefill_empty = prefill.is_empty();
		let decode = (!dec.is_empty()).then(|| {
			let slots = dec.iter().map(|s| s.slot + 1).max().unwrap_or(1).min(pool_slots);
			let longest = dec.iter().map(|s| s.start + 1).max().unwrap_or(1);
			// Read whole buckets of positions (masked past each slot's length): the matmul
			// shapes then change once per bucket, not at every step, and libtorch's oneDNN
			// kernels are built once per shape (each build ~0.25 ms and cached memory).
			let longest = round_up(longest, buckets.key).min(capacity).max(longest);
			// Keys visible per slot: start+1 for decoding slots, 1 elsewhere (never read).
			let mut visible = vec![1i64; slots as usize];
			for s in &dec {
				visible[s.slot as usize] = s.start + 1;
			}
			let visible = Tensor::from_slice(&visible).to_device(device).view([slots, 1, 1, 1]);
			let kpos = Tensor::arange(longest, (Kind::Int64, device)).view([1, 1, 1, longest]);
			let to_dev = |v: Vec<i64>| Tensor::from_slice(&v).to_device(device);
			let identity = prefill_empty
				&& dec.len() as i64 == slots
				&& dec.iter().enumerate().all(|(i, s)| s.slot == i as i64 && s.offset == i as i64);
			DecodeBatch {
				rows: to_dev(dec.iter().map(|s| s.offset).collect()),
				slot_ids: to_dev(dec.iter().map(|s| s.slot).collect()),
				slots,
				longest,
				mask: KeyMask::new(kpos.lt_tensor(&visible)),
				identity,
			}
		});
		let prefill = prefill
			.into_iter()
			.map(|span| {
				// Query i (absolute position start+i) attends to keys 0..=start+i.
				let start = span.start;
				let rows = round_up(span.len, buckets.query);
				let keys =
					round_up(start + span.len, buckets.key).min(capacity).max(start + span.len);
				let qpos =
					Tensor::arange_start(start, start + rows, (Kind::Int64, device)).unsqueeze(1);
				let kpos = Tensor::arange(keys, (Kind::Int64, device)).unsqueeze(0);
				let keep = kpos.le_tensor(&qpos).repeat([group, 1]).unsqueeze(0);
				PrefillChunk { span, rows, keys, mask: KeyMask::new(keep) }
			})
			.collect();
		Self { decode, prefill }
	}
}

/// Granularity of attention's matmul shapes.
///
/// In the reduced precisions attention runs as oneDNN matmuls, and oneDNN builds (~0.25 ms)
/// and caches (~1 MB with its code) a kernel per shape: reading whole buckets of keys and
/// padding prompt queries to whole buckets keeps the number of shapes small. In `f32`
/// attention is libtorch's fused kernel, which builds nothing per shape, so it reads exact
/// lengths (buckets of 1).
#[derive(Debug, Clone, Copy)]
struct Buckets {
	/// Keys are read in multiples of this many positions (decode steps and prompt chunks).
	key: i64,
	/// A prompt chunk's queries are padded to a multiple of this many rows.
	query: i64,
}

impl Buckets {
	fn for_kind(kind: Kind) -> Self {
		if kind == Kind::Float {
			Self { key: 1, query: 1 }
		} else {
			Self { key: 128, query: 64 }
		}
	}
}

fn round_up(n: i64, to: i64) -> i64 {
	(n + to - 1) / to * to
}

/// RMSNorm over the last dimension, computed in f32 (ATen's fused `rms_norm`).
fn rms_norm(x: &Tensor, weight: &Tensor, eps: f64) -> Tensor {
	let last = *x.size().last().unwrap_or(&1);
	x.rms_norm([last], Some(weight), eps)
}

/// Rotate-half RoPE, `x·cos + rotate_half(x)·sin` with `rotate_half([a, b]) = [−b, a]`,
/// computed as `x·cos + roll(x, half)·sin±` where `sin±` is `sin` with its first half negated
/// (see [`LlamaModel::rope_tables`]).
fn apply_rope(x: &Tensor, cos: &Tensor, sin_signed: &Tensor) -> Tensor {
	let half = x.size()[2] / 2;
	let mut y = x * cos;
	let _ = y.addcmul_(&x.roll([half], [2]), sin_signed);
	y
}

#[cfg(test)]
mod tests {
	use super::*;

	fn span(offset: i64, len: i64, start: i64, slot: i64) -> Span {
		Span { offset, len, start, slot }
	}

	fn bools(t: &Tensor) -> Vec<bool> {
		Vec::<bool>::try_from(t.flatten(0, -1)).unwrap()
	}

	#[test]
	fn decode_reads_whole_buckets_and_masks_past_each_sequence() {
		// Two decoding slots at positions 4 and 130: keys are read up to 256 (two buckets),
		// slot 0 sees 5 of them and slot 1 sees 131.
		let b = Buckets::for_kind(Kind::BFloat16);
		let plan =
			AttentionPlan::new(&[span(0, 1, 4, 0), span(1, 1, 130, 1)], 2, 384, 3, b, Device::Cpu);
		let dec = plan.decode.expect("a decode batch");
		assert_eq!(dec.longest, 256);
		assert!(dec.identity);
		let keep = bools(&dec.mask.keep);
		assert_eq!(keep.len(), 2 * 256);
		assert_eq!(keep[..256].iter().filter(|&&k| k).count(), 5);
		assert_eq!(keep[256..].iter().filter(|&&k| k).count(), 131);
		assert!(keep[..5].iter().all(|&k| k) && keep[256..387].iter().all(|&k| k));
		assert_eq!(bools(&dec.mask.drop), keep.iter().map(|k| !k).collect::<Vec<_>>());
		// Never past the pool: a capacity below the bucket caps the read.
		let plan = AttentionPlan::new(&[span(0, 1, 4, 0)], 1, 64, 3, b, Device::Cpu);
		assert_eq!(plan.decode.expect("decode").longest, 64);
		// f32 (no per-shape kernels) reads exact lengths.
		let exact = Buckets::for_kind(Kind::Float);
		let plan = AttentionPlan::new(&[span(0, 1, 4, 0)], 1, 128, 3, exact, Device::Cpu);
		assert_eq!(plan.decode.expect("decode").longest, 5);
	}

	#[test]
	fn a_prefill_chunk_is_causal_from_its_start_for_every_group_member() {
		// Three new tokens at positions 2..5 of slot 0, two query heads per KV head.
		let b = Buckets { key: 128, query: 16 };
		let plan = AttentionPlan::new(&[span(0, 3, 2, 0)], 1, 128, 2, b, Device::Cpu);
		assert!(plan.decode.is_none());
		let chunk = &plan.prefill[0];
		// Padded to 16 query rows and 128 keys.
		assert_eq!((chunk.rows, chunk.keys), (16, 128));
		assert_eq!(chunk.mask.keep.size(), vec![1, 32, 128]);
		let keep = bools(&chunk.mask.keep);
		let visible = |q: usize| keep[q * 128..(q + 1) * 128].iter().filter(|&&k| k).count();
		let row = |q: usize| keep[q * 128..q * 128 + 6].to_vec();
		for member in 0..2 {
			assert_eq!(row(member * 16), [true, true, true, false, false, false]);
			assert_eq!(row(member * 16 + 2), [true, true, true, true, true, false]);
			// Every row sees its prefix and nothing after it, padding rows included.
			for i in 0..16 {
				assert_eq!(visible(member * 16 + i), 3 + i);
			}
		}
	}
}
