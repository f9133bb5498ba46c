//! Decoder weights in the engine's canonical layout, loaded from GGUF or safetensors.
//!
//! Both formats are mapped onto Hugging Face's conventions (row-major `[out, in]` linear
//! weights, Q/K rows in the "rotate-half" RoPE order) so the forward pass has one code path.
//! GGUF files from llama.cpp's converter store Llama/Mistral Q and K rows permuted into the
//! interleaved RoPE order; [`unpermute_qk`] undoes that on load.

use std::path::Path;

use tch::{Device, Kind, Tensor};

use super::linear::{tensor_bytes, Linear, QuantBlocks, GROUP};
use super::Precision;
use crate::config::ModelConfig;
use crate::error::{InferenceError, Result};
use crate::gguf::{decode_blocks, dequantize, GgufFile};
use crate::safetensors_dir::SafetensorsDir;

/// Weights of one decoder block.
#[derive(Debug)]
pub struct LayerWeights {
	/// RMSNorm scale before attention.
	pub attn_norm: Tensor,
	/// Fused query, key and value projections `[(heads + 2·kv_heads)·head_dim, hidden]`: one
	/// matrix multiplication instead of three.
	pub wqkv: Linear,
	/// Optional fused Q/K/V bias `[(heads + 2·kv_heads)·head_dim]` (Qwen2).
	pub bqkv: Option<Tensor>,
	/// Optional per-head RMSNorm on queries (Qwen3).
	pub q_norm: Option<Tensor>,
	/// Optional per-head RMSNorm on keys (Qwen3).
	pub k_norm: Option<Tensor>,
	/// Attention output projection `[hidden, heads·head_dim]`.
	pub wo: Linear,
	/// RMSNorm scale before the MLP.
	pub ffn_norm: Tensor,
	/// Fused SwiGLU gate and up projections `[2·intermediate, hidden]` (gate rows first).
	pub w_gate_up: Linear,
	/// MLP down projection `[hidden, intermediate]`.
	pub w_down: Linear,
}

/// The token embedding table `[vocab, hidden]`.
#[derive(Debug)]
pub enum Embedding {
	/// Dense rows in the compute dtype.
	Dense(Tensor),
	/// The file's block quantisation: only looked-up rows are dequantised, exactly.
	Blocks(QuantBlocks),
}

impl Embedding {
	/// Rows `ids` (`i64`, `[n]`) as `[n, hidden]` in dtype `kind`.
	pub fn lookup(&self, ids: &Tensor, kind: Kind) -> Tensor {
		match self {
			Embedding::Dense(t) => t.index_select(0, ids).to_kind(kind),
			Embedding::Blocks(b) => b.rows(ids).dequantize().to_kind(kind),
		}
	}

	/// The whole table as dense `f32`.
	pub fn to_dense(&self) -> Tensor {
		match self {
			Embedding::Dense(t) => t.to_kind(Kind::Float),
			Embedding::Blocks(b) => b.dequantize(),
		}
	}

	/// Bytes held by the table's tensors.
	pub fn bytes(&self) -> usize {
		match self {
			Embedding::Dense(t) => tensor_bytes(t),
			Embedding::Blocks(b) => b.bytes(),
		}
	}
}

/// All weights of a decoder.
#[derive(Debug)]
pub struct Weights {
	/// Token embedding.
	pub embed: Embedding,
	/// Decoder blocks.
	pub layers: Vec<LayerWeights>,
	/// Final RMSNorm scale.
	pub final_norm: Tensor,
	/// LM head `[vocab, hidden]` (the embedding's numbers when tied).
	pub lm_head: Linear,
	/// Whether the LM head is the embedding table (not exported separately).
	pub tied: bool,
	/// Dtype of activations and dense weights.
	pub kind: Kind,
}

/// Anything that can produce a named tensor as `f32` on CPU.
trait TensorSource {
	/// The tensor in row-major layout, or `None` if absent.
	fn load(&self, name: &str) -> Result<Option<Tensor>>;

	/// The tensor's quantisation blocks when it is stored block-quantised, else `None`.
	fn blocks(&self, _name: &str) -> Result<Option<QuantBlocks>> {
		Ok(None)
	}
}

impl TensorSource for GgufFile {
	fn load(&self, name: &str) -> Result<Option<Tensor>> {
		let Some(info) = self.tensor_info(name) else {
			return Ok(None);
		};
		let bytes = self.read_tensor_bytes(info)?;
		dequantize(name, &bytes, info.ggml_type()?, &info.shape).map(Some)
	}

	fn blocks(&self, name: &str) -> Result<Option<QuantBlocks>> {
		let Some(info) = self.tensor_info(name) else {
			return Ok(None);
		};
		let bytes = self.read_tensor_bytes(info)?;
		decode_blocks(name, &bytes, info.ggml_type()?, &info.shape)
	}
}

impl TensorSource for SafetensorsDir {
	fn load(&self, name: &str) -> Result<Option<Tensor>> {
		self.load_f32(name)
	}
}

/// Tensor naming scheme of a source format.
struct Names {
	embed: &'static str,
	final_norm: &'static str,
	lm_head: &'static str,
	layer: fn(usize, LayerPart) -> String,
}

#[derive(Clone, Copy)]
enum LayerPart {
	AttnNorm,
	Q,
	K,
	V,
	QBias,
	KBias,
	VBias,
	QNorm,
	KNorm,
	O,
	FfnNorm,
	Gate,
	Up,
	Down,
}

fn gguf_layer_name(i: usize, p: LayerPart) -> String {
	let s = match p {
		LayerPart::AttnNorm => "attn_norm.weight",
		LayerPart::Q => "attn_q.weight",
		LayerPart::K => "attn_k.weight",
		LayerPart::V => "attn_v.weight",
		LayerPart::QBias => "attn_q.bias",
		LayerPart::KBias => "attn_k.bias",
		LayerPart::VBias => "attn_v.bias",
		LayerPart::QNorm => "attn_q_norm.weight",
		LayerPart::KNorm => "attn_k_norm.weight",
		LayerPart::O => "attn_output.weight",
		LayerPart::FfnNorm => "ffn_norm.weight",
		LayerPart::Gate => "ffn_gate.weight",
		LayerPart::Up => "ffn_up.weight",
		LayerPart::Down => "ffn_down.weight",
	};
	format!("blk.{i}.{s}")
}

fn hf_layer_name(i: usize, p: LayerPart) -> String {
	let s = match p {
		LayerPart::AttnNorm => "input_layernorm.weight",
		LayerPart::Q => "self_attn.q_proj.weight",
		LayerPart::K => "self_attn.k_proj.weight",
		LayerPart::V => "self_attn.v_proj.weight",
		LayerPart::QBias => "self_attn.q_proj.bias",
		LayerPart::KBias => "self_attn.k_proj.bias",
		LayerPart::VBias => "self_attn.v_proj.bias",
		LayerPart::QNorm => "self_attn.q_norm.weight",
		LayerPart::KNorm => "self_attn.k_norm.weight",
		LayerPart::O => "self_attn.o_proj.weight",
		LayerPart::FfnNorm => "post_attention_layernorm.weight",
		LayerPart::Gate => "mlp.gate_proj.weight",
		LayerPart::Up => "mlp.up_proj.weight",
		LayerPart::Down => "mlp.down_proj.weight",
	};
	format!("model.layers.{i}.{s}")
}

const GGUF_NAMES: Names = Names {
	embed: "token_embd.weight",
	final_norm: "output_norm.weight",
	lm_head: "output.weight",
	layer: gguf_layer_name,
};
const HF_NAMES: Names = Names {
	embed: "model.embed_tokens.weight",
	final_norm: "model.norm.weight",
	lm_head: "lm_head.weight",
	layer: hf_layer_name,
};

/// Reverses llama.cpp's `permute()` of Q/K rows: GGUF row `h*hd + 2j + s` holds HF row
/// `h*hd + s*hd/2 + j`. Works for weights `[out, in]` and biases `[out]`.
pub fn unpermute_qk(w: &Tensor, n_heads: i64) -> Tensor {
	let size = w.size();
	let out = size[0];
	let half = out / n_heads / 2;
	let rest: Vec<i64> = size[1..].to_vec();
	let mut shape = vec![n_heads, half, 2];
	shape.extend_from_slice(&rest);
	w.reshape(shape.as_slice()).transpose(1, 2).reshape(size.as_slice())
}

/// A matrix as read from the file, before it is given its compute form.
enum Raw {
	Dense(Tensor),
	Blocks(QuantBlocks),
}

impl Raw {
	fn rows_map(self, f: impl Fn(Tensor) -> Tensor) -> Raw {
		match self {
			Raw::Dense(t) => Raw::Dense(f(t)),
			Raw::Blocks(b) => Raw::Blocks(QuantBlocks {
				codes: f(b.codes),
				scale: f(b.scale),
				offset: f(b.offset),
				bits: b.bits,
			}),
		}
	}

	/// Stacks matrices along the output axis; stays quantised only if every part is, alike.
	fn cat(parts: Vec<Raw>) -> Result<Raw> {
		let all_blocks = parts.iter().all(|p| matches!(p, Raw::Blocks(_)));
		let bits: Vec<u8> = parts
			.iter()
			.filter_map(|p| if let Raw::Blocks(b) = p { Some(b.bits) } else { None })
			.collect();
		if all_blocks && bits.windows(2).all(|w| w[0] == w[1]) {
			let blocks = parts.into_iter().map(|p| match p {
				Raw::Blocks(b) => b,
				Raw::Dense(_) => unreachable!("all parts are blocks"),
			});
			return QuantBlocks::cat(&blocks.collect::<Vec<_>>()).map(Raw::Blocks);
		}
		let dense: Vec<Tensor> = parts.into_iter().map(Raw::into_dense).collect();
		Ok(Raw::Dense(Tensor::cat(&dense, 0)))
	}

	fn into_dense(self) -> Tensor {
		match self {
			Raw::Dense(t) => t,
			Raw::Blocks(b) => b.dequantize(),
		}
	}

	/// The compute form for `precision` on `device`.
	fn into_linear(self, precision: Precision, device: Device) -> Result<Linear> {
		let kind = precision.compute_kind();
		match self {
			Raw::Blocks(b) => Linear::from_blocks(&b, device, kind, precision.keeps_blocks(device)),
			Raw::Dense(t) if precision.resolve() == Precision::Q8 && device == Device::Cpu => {
				Ok(Linear::int8_from_dense(&t, kind))
			},
			Raw::Dense(t) => Ok(Linear::Dense(t.to_device(device).to_kind(kind))),
		}
	}
}

impl Weights {
	/// Loads all weights of a GGUF model in `precision`.
	pub fn from_gguf(
		gguf: &GgufFile,
		cfg: &ModelConfig,
		device: Device,
		precision: Precision,
	) -> Result<Self> {
		let permute = cfg.architecture.gguf_permutes_qk();
		Self::load(gguf, &GGUF_NAMES, cfg, device, precision, permute)
	}

	/// Loads all weights of a Hugging Face safetensors checkpoint in `precision`.
	pub fn from_safetensors(
		dir: &SafetensorsDir,
		cfg: &ModelConfig,
		device: Device,
		precision: Precision,
	) -> Result<Self> {
		Self::load(dir, &HF_NAMES, cfg, device, precision, false)
	}

	fn load(
		src: &dyn TensorSource,
		names: &Names,
		cfg: &ModelConfig,
		device: Device,
		precision: Precision,
		unpermute: bool,
	) -> Result<Self> {
		let (h, ffn, hd) = (cfg.hidden_size, cfg.intermediate_size, cfg.head_dim);
		let q_out = cfg.num_heads * hd;
		let kv_out = cfg.num_kv_heads * hd;
		let kind = precision.compute_kind();
		let keep_blocks = precision.keeps_blocks(device);
		let place = |t: Tensor| t.to_device(device).to_kind(kind);
		let required = |name: &str, shape: &[i64]| -> Result<Tensor> {
			let t =
				src.load(name)?.ok_or_else(|| InferenceError::MissingTensor(name.to_string()))?;
			check_shape(name, &t, shape)?;
			Ok(t)
		};
		let optional = |name: &str, shape: &[i64]| -> Result<Option<Tensor>> {
			match src.load(name)? {
				Some(t) => check_shape(name, &t, shape).map(|()| Some(t)),
				None => Ok(None),
			}
		};
		let optional_matrix = |name: &str, shape: &[i64]| -> Result<Option<Raw>> {
			if keep_blocks {
				if let Some(b) = src.blocks(name)? {
					check_shape(name, &b.codes, shape)?;
					return Ok(Some(Raw::Blocks(b)));
				}
			}
			Ok(optional(name, shape)?.map(Raw::Dense))
		};
		let matrix = |name: &str, shape: &[i64]| -> Result<Raw> {
			optional_matrix(name, shape)?
				.ok_or_else(|| InferenceError::MissingTensor(name.to_string()))
		};
		let embed_raw = matrix(names.embed, &[cfg.vocab_size, h])?;
		let mut layers = Vec::with_capacity(cfg.num_layers as usize);
		for i in 0..cfg.num_layers as usize {
			let n = |p| (names.layer)(i, p);
			let fix =
				|heads: i64| move |t: Tensor| if unpermute { unpermute_qk(&t, heads) } else { t };
			let (fix_q, fix_k) = (fix(cfg.num_heads), fix(cfg.num_kv_heads));
			let wq = matrix(&n(LayerPart::Q), &[q_out, h])?.rows_map(fix_q);
			let wk = matrix(&n(LayerPart::K), &[kv_out, h])?.rows_map(fix_k);
			let wv = matrix(&n(LayerPart::V), &[kv_out, h])?;
			let bq = optional(&n(LayerPart::QBias), &[q_out])?.map(fix_q);
			let bk = optional(&n(LayerPart::KBias), &[kv_out])?.map(fix_k);
			let bv = optional(&n(LayerPart::VBias), &[kv_out])?;
			let bqkv = if bq.is_some() || bk.is_some() || bv.is_some() {
				let or_zero = |b: Option<Tensor>, len: i64| {
					b.unwrap_or_else(|| Tensor::zeros([len], (Kind::Float, Device::Cpu)))
				};
				Some(place(Tensor::cat(
					&[or_zero(bq, q_out), or_zero(bk, kv_out), or_zero(bv, kv_out)],
					0,
				)))
			} else {
				None
			};
			let gate = matrix(&n(LayerPart::Gate), &[ffn, h])?;
			let up = matrix(&n(LayerPart::Up), &[ffn, h])?;
			layers.push(LayerWeights {
				attn_norm: place(required(&n(LayerPart::AttnNorm), &[h])?),
				wqkv: Raw::cat(vec![wq, wk, wv])?.into_linear(precision, device)?,
				bqkv,
				q_norm: optional(&n(LayerPart::QNorm), &[hd])?.map(place),
				k_norm: optional(&n(LayerPart::KNorm), &[hd])?.map(place),
				wo: matrix(&n(LayerPart::O), &[h, q_out])?.into_linear(precision, device)?,
				ffn_norm: place(required(&n(LayerPart::FfnNorm), &[h])?),
				w_gate_up: Raw::cat(vec![gate, up])?.into_linear(precision, device)?,
				w_down: matrix(&n(LayerPart::Down), &[h, ffn])?.into_linear(precision, device)?,
			});
			// Each layer's decoding and packing temporaries are freed by now: return them to
			// the system before the next layer, so the load's peak stays near its result.
			crate::memory::release_free_memory();
		}
		let final_norm = place(required(names.final_norm, &[h])?);
		let head_raw = if cfg.tie_word_embeddings {
			None
		} else {
			optional_matrix(names.lm_head, &[cfg.vocab_size, h])?
		};
		let tied = head_raw.is_none();
		let (embed, lm_head) = match (embed_raw, head_raw) {
			(Raw::Blocks(b), head) if keep_blocks && h % GROUP == 0 => {
				let lm_head = match head {
					Some(raw) => raw.into_linear(precision, device)?,
					None => Linear::from_blocks(&b, device, kind, true)?,
				};
				(Embedding::Blocks(b), lm_head)
			},
			(raw, head) => {
				let table = place(raw.into_dense());
				let lm_head = match head {
					Some(raw) => raw.into_linear(precision, device)?,
					// Tied: the head shares the table's storage unless it is requantised.
					None if precision.resolve() == Precision::Q8 && device == Device::Cpu => {
						Linear::int8_from_dense(&table, kind)
					},
					None => Linear::Dense(table.shallow_clone()),
				};
				(Embedding::Dense(table), lm_head)
			},
		};
		Ok(Self { embed, layers, final_norm, lm_head, tied, kind })
	}

	/// The weights under Hugging Face checkpoint names (Q/K already in HF layout, fused
	/// matrices split again, dense `f32`), e.g. to export a GGUF model as safetensors. The LM
	/// head is omitted when tied to the embedding.
	pub fn to_hf_tensors(&self) -> Vec<(String, Tensor)> {
		let f32 = |t: &Tensor| t.to_kind(Kind::Float);
		let mut out = vec![
			(HF_NAMES.embed.to_string(), self.embed.to_dense()),
			(HF_NAMES.final_norm.to_string(), f32(&self.final_norm)),
		];
		if !self.tied {
			out.push((HF_NAMES.lm_head.to_string(), self.lm_head.to_dense()));
		}
		for (i, l) in self.layers.iter().enumerate() {
			let qkv = l.wqkv.to_dense();
			let [o_out, _] = l.wo.shape();
			let [qkv_out, _] = l.wqkv.shape();
			let kv_out = (qkv_out - o_out) / 2;
			let split3 = |t: &Tensor| {
				[
					t.narrow(0, 0, o_out),
					t.narrow(0, o_out, kv_out),
					t.narrow(0, o_out + kv_out, kv_out),
				]
			};
			let [wq, wk, wv] = split3(&qkv);
			let biases = l.bqkv.as_ref().map(|b| split3(&f32(b)));
			let gate_up = l.w_gate_up.to_dense();
			let ffn = gate_up.size()[0] / 2;
			let mut parts = vec![
				(LayerPart::AttnNorm, f32(&l.attn_norm)),
				(LayerPart::Q, wq),
				(LayerPart::K, wk),
				(LayerPart::V, wv),
				(LayerPart::O, l.wo.to_dense()),
				(LayerPart::FfnNorm, f32(&l.ffn_norm)),
				(LayerPart::Gate, gate_up.narrow(0, 0, ffn)),
				(LayerPart::Up, gate_up.narrow(0, ffn, ffn)),
				(LayerPart::Down, l.w_down.to_dense()),
			];
			if let Some([bq, bk, bv]) = biases {
				parts.extend([
					(LayerPart::QBias, bq),
					(LayerPart::KBias, bk),
					(LayerPart::VBias, bv),
				]);
			}
			if let Some(t) = &l.q_norm {
				parts.push((LayerPart::QNorm, f32(t)));
			}
			if let Some(t) = &l.k_norm {
				parts.push((LayerPart::KNorm, f32(t)));
			}
			out.extend(parts.into_iter().map(|(p, t)| (hf_layer_name(i, p), t.contiguous())));
		}
		out
	}

	/// Applies `f` to every matrix weight (not norms) as dense `f32`, e.g. to requantise a model
	/// in place for the validation study; the results are stored dense in the compute dtype.
	/// Embedding and LM head are included (once when tied); fused matrices are passed whole.
	pub fn map_matrices(&mut self, mut f: impl FnMut(&Tensor) -> Result<Tensor>) -> Result<()> {
		let kind = self.kind;
		let table = f(&self.embed.to_dense())?.to_kind(kind);
		self.lm_head = if self.tied {
			Linear::Dense(table.shallow_clone())
		} else {
			Linear::Dense(f(&self.lm_head.to_dense())?.to_kind(kind))
		};
		self.embed = Embedding::Dense(table);
		for l in &mut self.layers {
			for w in [&mut l.wqkv, &mut l.wo, &mut l.w_gate_up, &mut l.w_down] {
				*w = Linear::Dense(f(&w.to_dense())?.to_kind(kind));
			}
		}
		Ok(())
	}

	/// Bytes held by all weight tensors (what the precision changes).
	pub fn bytes(&self) -> usize {
		let b = tensor_bytes;
		let head = if self.tied && matches!(self.lm_head, Linear::Dense(_)) {
			0
		} else {
			self.lm_head.bytes()
		};
		let layers: usize =
			self.layers
				.iter()
				.map(|l| {
					l.wqkv.bytes()
						+ l.wo.bytes() + l.w_gate_up.bytes()
						+ l.w_down.bytes() + b(&l.attn_norm)
						+ b(&l.ffn_norm) + l.bqkv.as_ref().map_or(0, b)
				})
				.sum();
		self.embed.bytes() + head + layers + b(&self.final_norm)
	}
}

fn check_shape(name: &str, t: &Tensor, expected: &[i64]) -> Result<()> {
	let actual = t.size();
	if actual != expected {
		return Err(InferenceError::ShapeMismatch {
			tensor: name.to_string(),
			actual,
			expected: expected.to_vec(),
		});
	}
	Ok(())
}

/// Loads a GGUF model file's configuration and weights in one call.
pub fn load_gguf(
	path: &Path,
	device: Device,
	precision: Precision,
) -> Result<(GgufFile, ModelConfig, Weights)> {
	let gguf = GgufFile::open(path)?;
	let cfg = ModelConfig::from_gguf(&gguf)?;
	let weights = Weights::from_gguf(&gguf, &cfg, device, precision)?;
	Ok((gguf, cfg, weights))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn unpermute_inverts_llama_cpp_permute() {
		// llama.cpp: reshape(n_head, 2, hd/2, in).swapaxes(1, 2).reshape(out, in)
		let (n_head, hd, inp) = (3i64, 8i64, 5i64);
		let w = Tensor::arange(n_head * hd * inp, (Kind::Float, Device::Cpu))
			.reshape([n_head * hd, inp]);
		let permuted =
			w.reshape([n_head, 2, hd / 2, inp]).transpose(1, 2).reshape([n_head * hd, inp]);
		assert!(unpermute_qk(&permuted, n_head).equal(&w));
		let b = Tensor::arange(n_head * hd, (Kind::Float, Device::Cpu));
		let pb = b.reshape([n_head, 2, hd / 2]).transpose(1, 2).reshape([n_head * hd]);
		assert!(unpermute_qk(&pb, n_head).equal(&b));
	}
}
