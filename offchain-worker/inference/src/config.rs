//! Architecture hyper-parameters of a Llama-family decoder, read from GGUF metadata or a
//! Hugging Face `config.json`, so the forward pass has a single source of truth for shapes.

use serde::Deserialize;

use crate::error::{InferenceError, Result};
use crate::gguf::{GgufFile, GgufValue};

/// Decoder families sharing the Llama block (RMSNorm, RoPE, GQA attention, SwiGLU MLP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Architecture {
	/// Llama 1/2/3, SmolLM, SmolLM2.
	Llama,
	/// Mistral (Llama block; sliding window is not used at the context lengths we serve).
	Mistral,
	/// Qwen2 / Qwen2.5: Llama block with biases on Q, K and V.
	Qwen2,
	/// Qwen3: Llama block with per-head RMSNorm on Q and K.
	Qwen3,
}

impl Architecture {
	/// Parses the GGUF `general.architecture` or HF `model_type` string.
	pub fn parse(name: &str) -> Result<Self> {
		Ok(match name {
			"llama" => Self::Llama,
			"mistral" => Self::Mistral,
			"qwen2" => Self::Qwen2,
			"qwen3" => Self::Qwen3,
			other => return Err(InferenceError::UnsupportedArchitecture(other.to_string())),
		})
	}

	/// Whether llama.cpp's converter permutes Q/K rows for this architecture (it does so for
	/// models whose RoPE it runs in the interleaved "normal" layout; Qwen uses NeoX layout).
	pub fn gguf_permutes_qk(self) -> bool {
		matches!(self, Self::Llama | Self::Mistral)
	}
}

/// Shapes and constants of a decoder.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelConfig {
	/// Architecture family.
	pub architecture: Architecture,
	/// Vocabulary size (rows of the embedding matrix).
	pub vocab_size: i64,
	/// Residual stream width.
	pub hidden_size: i64,
	/// MLP inner width.
	pub intermediate_size: i64,
	/// Number of decoder blocks.
	pub num_layers: i64,
	/// Query heads.
	pub num_heads: i64,
	/// Key/value heads (GQA when fewer than `num_heads`).
	pub num_kv_heads: i64,
	/// Width of one attention head.
	pub head_dim: i64,
	/// RMSNorm epsilon.
	pub rms_norm_eps: f64,
	/// RoPE base frequency.
	pub rope_theta: f64,
	/// Longest sequence the model was trained for; requests beyond it are rejected.
	pub max_position_embeddings: i64,
	/// Whether the LM head reuses the token embedding matrix.
	pub tie_word_embeddings: bool,
}

impl ModelConfig {
	/// Reads the configuration from GGUF metadata (`{arch}.*` keys).
	pub fn from_gguf(gguf: &GgufFile) -> Result<Self> {
		let arch_name = gguf.get_str("general.architecture")?.to_string();
		let architecture = Architecture::parse(&arch_name)?;
		let key = |k: &str| format!("{arch_name}.{k}");
		let int = |k: &str| -> Result<i64> {
			let name = key(k);
			i64::try_from(gguf.get_u64(&name)?)
				.map_err(|_| InferenceError::metadata(name, "out of range"))
		};
		let hidden_size = int("embedding_length")?;
		let num_heads = int("attention.head_count")?;
		let num_kv_heads = int("attention.head_count_kv").unwrap_or(num_heads);
		let head_dim =
			int("attention.key_length").unwrap_or_else(|_| hidden_size / num_heads.max(1));
		let vocab_size = match int("vocab_size") {
			Ok(v) => v,
			Err(_) => gguf
				.get("tokenizer.ggml.tokens")
				.and_then(GgufValue::as_array)
				.map(|a| a.len() as i64)
				.ok_or_else(|| {
					InferenceError::metadata(key("vocab_size"), "missing and no token list")
				})?,
		};
		let float = |k: &str, default: f64| {
			gguf.get(&key(k)).and_then(GgufValue::as_f64).unwrap_or(default)
		};
		let tie_word_embeddings = gguf.tensor_info("output.weight").is_none();
		let cfg = Self {
			architecture,
			vocab_size,
			hidden_size,
			intermediate_size: int("feed_forward_length")?,
			num_layers: int("block_count")?,
			num_heads,
			num_kv_heads,
			head_dim,
			rms_norm_eps: float("attention.layer_norm_rms_epsilon", 1e-5),
			rope_theta: float("rope.freq_base", 10_000.0),
			max_position_embeddings: int("context_length")?,
			tie_word_embeddings,
		};
		cfg.validate()?;
		Ok(cfg)
	}

	/// Reads the configuration from a Hugging Face `config.json` document.
	pub fn from_hf_json(text: &str) -> Result<Self> {
		let raw: HfConfig = serde_json::from_str(text)
			.map_err(|e| InferenceError::metadata("config.json", e.to_string()))?;
		let architecture = Architecture::parse(&raw.model_type)?;
		let num_kv_heads = raw.num_key_value_heads.unwrap_or(raw.num_attention_heads);
		let cfg = Self {
			architecture,
			vocab_size: raw.vocab_size,
			hidden_size: raw.hidden_size,
			intermediate_size: raw.intermediate_size,
			num_layers: raw.num_hidden_layers,
			num_heads: raw.num_attention_heads,
			num_kv_heads,
			head_dim: raw.head_dim.unwrap_or(raw.hidden_size / raw.num_attention_heads.max(1)),
			rms_norm_eps: raw.rms_norm_eps.unwrap_or(1e-6),
			rope_theta: raw.rope_theta.unwrap_or(10_000.0),
			max_position_embeddings: raw.max_position_embeddings.unwrap_or(2048),
			tie_word_embeddings: raw.tie_word_embeddings.unwrap_or(false),
		};
		cfg.validate()?;
		Ok(cfg)
	}

	/// Rejects configurations the forward pass cannot run.
	fn validate(&self) -> Result<()> {
		let positive = [
			("vocab_size", self.vocab_size),
			("hidden_size", self.hidden_size),
			("intermediate_size", self.intermediate_size),
			("num_layers", self.num_layers),
			("num_heads", self.num_heads),
			("num_kv_heads", self.num_kv_heads),
			("head_dim", self.head_dim),
			("max_position_embeddings", self.max_position_embeddings),
		];
		for (name, v) in positive {
			if v <= 0 {
				return Err(InferenceError::metadata(name, format!("must be positive, got {v}")));
			}
		}
		if self.num_heads % self.num_kv_heads != 0 {
			return Err(InferenceError::metadata(
				"num_kv_heads",
				format!(
					"{} query heads are not a multiple of {} kv heads",
					self.num_heads, self.num_kv_heads
				),
			));
		}
		if self.head_dim % 2 != 0 {
			return Err(InferenceError::metadata("head_dim", "RoPE needs an even head dimension"));
		}
		Ok(())
	}
}

/// The subset of Hugging Face's `config.json` we read.
#[derive(Deserialize)]
struct HfConfig {
	model_type: String,
	vocab_size: i64,
	hidden_size: i64,
	intermediate_size: i64,
	num_hidden_layers: i64,
	num_attention_heads: i64,
	num_key_value_heads: Option<i64>,
	head_dim: Option<i64>,
	rms_norm_eps: Option<f64>,
	rope_theta: Option<f64>,
	max_position_embeddings: Option<i64>,
	tie_word_embeddings: Option<bool>,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hf_config_for_smollm2_parses() {
		let cfg = ModelConfig::from_hf_json(
            r#"{"model_type":"llama","vocab_size":49152,"hidden_size":576,"intermediate_size":1536,
            "num_hidden_layers":30,"num_attention_heads":9,"num_key_value_heads":3,"rms_norm_eps":1e-5,
            "rope_theta":100000,"max_position_embeddings":8192,"tie_word_embeddings":true}"#,
        )
        .unwrap();
		assert_eq!(cfg.head_dim, 64);
		assert_eq!(cfg.num_kv_heads, 3);
		assert!(cfg.tie_word_embeddings);
		assert_eq!(cfg.rope_theta, 100_000.0);
	}

	#[test]
	fn bad_gqa_ratio_and_unknown_arch_are_rejected() {
		let err = ModelConfig::from_hf_json(
			r#"{"model_type":"llama","vocab_size":10,"hidden_size":64,"intermediate_size":8,
            "num_hidden_layers":1,"num_attention_heads":4,"num_key_value_heads":3}"#,
		)
		.unwrap_err();
		assert!(err.to_string().contains("not a multiple"), "{err}");
		let err = ModelConfig::from_hf_json(
			r#"{"model_type":"gpt_neox","vocab_size":10,"hidden_size":64,"intermediate_size":8,
            "num_hidden_layers":1,"num_attention_heads":4}"#,
		)
		.unwrap_err();
		assert!(matches!(err, InferenceError::UnsupportedArchitecture(_)));
	}
}
