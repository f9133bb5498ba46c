//! Decoder weights in the engine's canonical layout, loaded from GGUF or safetensors.
//!
//! Both formats are mapped onto Hugging Face's conventions (row-major `[out, in]` linear
//! weights, Q/K rows in the "rotate-half" RoPE order) so the forward pass has one code path.
//! GGUF files from llama.cpp's converter store Llama/Mistral Q and K rows permuted into the
//! interleaved RoPE order; [`unpermute_qk`] undoes that on load.

use std::path::Path;

use tch::{Device, Kind, Tensor};

use crate::config::ModelConfig;
use crate::error::{InferenceError, Result};
use crate::gguf::{dequantize, GgufFile};
use crate::safetensors_dir::SafetensorsDir;

/// Weights of one decoder block.
#[derive(Debug)]
pub struct LayerWeights {
	/// RMSNorm scale before attention.
	pub attn_norm: Tensor,
	/// Query projection `[heads*head_dim, hidden]`.
	pub wq: Tensor,
	/// Key projection `[kv_heads*head_dim, hidden]`.
	pub wk: Tensor,
	/// Value projection `[kv_heads*head_dim, hidden]`.
	pub wv: Tensor,
	/// Optional Q/K/V biases (Qwen2).
	pub bq: Option<Tensor>,
	/// Key bias.
	pub bk: Option<Tensor>,
	/// Value bias.
	pub bv: Option<Tensor>,
	/// Optional per-head RMSNorm on queries (Qwen3).
	pub q_norm: Option<Tensor>,
	/// Optional per-head RMSNorm on keys (Qwen3).
	pub k_norm: Option<Tensor>,
	/// Attention output projection `[hidden, heads*head_dim]`.
	pub wo: Tensor,
	/// RMSNorm scale before the MLP.
	pub ffn_norm: Tensor,
	/// SwiGLU gate projection.
	pub w_gate: Tensor,
	/// SwiGLU up projection.
	pub w_up: Tensor,
	/// MLP down projection.
	pub w_down: Tensor,
}

/// All weights of a decoder.
#[derive(Debug)]
pub struct Weights {
	/// Token embedding `[vocab, hidden]`.
	pub embed: Tensor,
	/// Decoder blocks.
	pub layers: Vec<LayerWeights>,
	/// Final RMSNorm scale.
	pub final_norm: Tensor,
	/// LM head `[vocab, hidden]` (shares storage with `embed` when tied).
	pub lm_head: Tensor,
}

/// Anything that can produce a named tensor as `f32` on CPU.
trait TensorSource {
	/// The tensor in row-major layout, or `None` if absent.
	fn load(&self, name: &str) -> Result<Option<Tensor>>;
}

impl TensorSource for GgufFile {
	fn load(&self, name: &str) -> Result<Option<Tensor>> {
		let Some(info) = self.tensor_info(name) else {
			return Ok(None);
		};
		let bytes = self.read_tensor_bytes(info)?;
		dequantize(name, &bytes, info.ggml_type()?, &info.shape).map(Some)
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

impl Weights {
	/// Loads and dequantises all weights of a GGUF model.
	pub fn from_gguf(
		gguf: &GgufFile,
		cfg: &ModelConfig,
		device: Device,
		kind: Kind,
	) -> Result<Self> {
		let permute = cfg.architecture.gguf_permutes_qk();
		Self::load(gguf, &GGUF_NAMES, cfg, device, kind, permute)
	}

	/// Loads all weights of a Hugging Face safetensors checkpoint.
	pub fn from_safetensors(
		dir: &SafetensorsDir,
		cfg: &ModelConfig,
		device: Device,
		kind: Kind,
	) -> Result<Self> {
		Self::load(dir, &HF_NAMES, cfg, device, kind, false)
	}

	fn load(
		src: &dyn TensorSource,
		names: &Names,
		cfg: &ModelConfig,
		device: Device,
		kind: Kind,
		unpermute: bool,
	) -> Result<Self> {
		let (h, ffn, hd) = (cfg.hidden_size, cfg.intermediate_size, cfg.head_dim);
		let q_out = cfg.num_heads * hd;
		let kv_out = cfg.num_kv_heads * hd;
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
		let embed = place(required(names.embed, &[cfg.vocab_size, h])?);
		let mut layers = Vec::with_capacity(cfg.num_layers as usize);
		for i in 0..cfg.num_layers as usize {
			let n = |p| (names.layer)(i, p);
			let fix_q = |t: Tensor| {
				if unpermute {
					unpermute_qk(&t, cfg.num_heads)
				} else {
					t
				}
			};
			let fix_k = |t: Tensor| {
				if unpermute {
					unpermute_qk(&t, cfg.num_kv_heads)
				} else {
					t
				}
			};
			layers.push(LayerWeights {
				attn_norm: place(required(&n(LayerPart::AttnNorm), &[h])?),
				wq: place(fix_q(required(&n(LayerPart::Q), &[q_out, h])?)),
				wk: place(fix_k(required(&n(LayerPart::K), &[kv_out, h])?)),
				wv: place(required(&n(LayerPart::V), &[kv_out, h])?),
				bq: optional(&n(LayerPart::QBias), &[q_out])?.map(fix_q).map(place),
				bk: optional(&n(LayerPart::KBias), &[kv_out])?.map(fix_k).map(place),
				bv: optional(&n(LayerPart::VBias), &[kv_out])?.map(place),
				q_norm: optional(&n(LayerPart::QNorm), &[hd])?.map(place),
				k_norm: optional(&n(LayerPart::KNorm), &[hd])?.map(place),
				wo: place(required(&n(LayerPart::O), &[h, q_out])?),
				ffn_norm: place(required(&n(LayerPart::FfnNorm), &[h])?),
				w_gate: place(required(&n(LayerPart::Gate), &[ffn, h])?),
				w_up: place(required(&n(LayerPart::Up), &[ffn, h])?),
				w_down: place(required(&n(LayerPart::Down), &[h, ffn])?),
			});
		}
		let final_norm = place(required(names.final_norm, &[h])?);
		let lm_head = match optional(names.lm_head, &[cfg.vocab_size, h])? {
			Some(t) if !cfg.tie_word_embeddings => place(t),
			_ => embed.shallow_clone(),
		};
		Ok(Self { embed, layers, final_norm, lm_head })
	}

	/// The weights under Hugging Face checkpoint names (Q/K already in HF layout), e.g. to
	/// export a GGUF model as safetensors. The LM head is omitted when tied to the embedding.
	pub fn to_hf_tensors(&self) -> Vec<(String, Tensor)> {
		let mut out = vec![
			(HF_NAMES.embed.to_string(), self.embed.shallow_clone()),
			(HF_NAMES.final_norm.to_string(), self.final_norm.shallow_clone()),
		];
		if self.lm_head.data_ptr() != self.embed.data_ptr() {
			out.push((HF_NAMES.lm_head.to_string(), self.lm_head.shallow_clone()));
		}
		for (i, l) in self.layers.iter().enumerate() {
			let parts = [
				(LayerPart::AttnNorm, Some(&l.attn_norm)),
				(LayerPart::Q, Some(&l.wq)),
				(LayerPart::K, Some(&l.wk)),
				(LayerPart::V, Some(&l.wv)),
				(LayerPart::QBias, l.bq.as_ref()),
				(LayerPart::KBias, l.bk.as_ref()),
				(LayerPart::VBias, l.bv.as_ref()),
				(LayerPart::QNorm, l.q_norm.as_ref()),
				(LayerPart::KNorm, l.k_norm.as_ref()),
				(LayerPart::O, Some(&l.wo)),
				(LayerPart::FfnNorm, Some(&l.ffn_norm)),
				(LayerPart::Gate, Some(&l.w_gate)),
				(LayerPart::Up, Some(&l.w_up)),
				(LayerPart::Down, Some(&l.w_down)),
			];
			out.extend(
				parts
					.into_iter()
					.filter_map(|(p, t)| t.map(|t| (hf_layer_name(i, p), t.shallow_clone()))),
			);
		}
		out
	}

	/// Applies `f` to every matrix weight (not norms), e.g. to requantise a model in place for
	/// the validation study. Embedding and LM head are included.
	pub fn map_matrices(&mut self, mut f: impl FnMut(&Tensor) -> Result<Tensor>) -> Result<()> {
		let tied = self.lm_head.data_ptr() == self.embed.data_ptr();
		self.embed = f(&self.embed)?;
		self.lm_head = if tied { self.embed.shallow_clone() } else { f(&self.lm_head)? };
		for l in &mut self.layers {
			for w in [
				&mut l.wq,
				&mut l.wk,
				&mut l.wv,
				&mut l.wo,
				&mut l.w_gate,
				&mut l.w_up,
				&mut l.w_down,
			] {
				*w = f(w)?;
			}
		}
		Ok(())
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
	kind: Kind,
) -> Result<(GgufFile, ModelConfig, Weights)> {
	let gguf = GgufFile::open(path)?;
	let cfg = ModelConfig::from_gguf(&gguf)?;
	let weights = Weights::from_gguf(&gguf, &cfg, device, kind)?;
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
