//! One entry point to load a servable model (weights, tokenizer, chat template, identity)
//! from a GGUF file or a Hugging Face safetensors directory.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tch::Device;

use crate::chat_template::{ChatTemplate, CHATML_TEMPLATE};
use crate::config::ModelConfig;
use crate::error::{InferenceError, Result};
use crate::gguf::GgufFile;
use crate::model::{LlamaModel, Precision, Weights};
use crate::safetensors_dir::SafetensorsDir;
use crate::tokenizer::TextTokenizer;

/// How to load a model.
#[derive(Debug, Clone)]
pub struct LoadOptions {
	/// Where to run (CPU or a CUDA device).
	pub device: Device,
	/// Weight storage and compute dtype (`--dtype`); `Auto` resolves to `f32`, the validation
	/// reference (see [`Precision`]).
	pub precision: Precision,
	/// Name served in `/v1/models`; defaults to the file or directory stem.
	pub model_id: Option<String>,
	/// Whether to hash the weight files (needed for the on-chain catalogue; costs one read).
	pub compute_hash: bool,
}

impl Default for LoadOptions {
	fn default() -> Self {
		Self {
			device: Device::cuda_if_available(),
			precision: Precision::Auto,
			model_id: None,
			compute_hash: true,
		}
	}
}

/// Identity and limits of a loaded model.
#[derive(Debug, Clone)]
pub struct ModelInfo {
	/// The id clients use in the `model` field.
	pub id: String,
	/// `sha256:<hex>` over the weight file bytes (see [`content_hash`]); `None` if not computed.
	pub content_hash: Option<String>,
	/// Where the model was loaded from.
	pub source: PathBuf,
	/// Maximum sequence length (prompt + completion).
	pub context_length: usize,
	/// The precision the model runs in (never `Auto`).
	pub precision: Precision,
	/// Bytes held by the weights in that precision.
	pub weight_bytes: usize,
}

/// Everything needed to serve a model.
#[derive(Debug)]
pub struct LoadedModel {
	/// The decoder.
	pub model: LlamaModel,
	/// The tokenizer and special tokens.
	pub tokenizer: TextTokenizer,
	/// The compiled chat template.
	pub template: ChatTemplate,
	/// Identity and limits.
	pub info: ModelInfo,
}

/// Loads a `.gguf` file or a directory containing `config.json`, `*.safetensors` and
/// `tokenizer.json`.
pub fn load_model(path: &Path, opts: &LoadOptions) -> Result<LoadedModel> {
	let _guard = tch::no_grad_guard();
	let precision = opts.precision.resolve();
	if opts.device != Device::Cpu && matches!(precision, Precision::Q8 | Precision::Native) {
		// The recipe is defined by libtorch's CPU int8/int4 kernels; a GPU computing something
		// else under the same name would fail validation against CPU hosts.
		return Err(InferenceError::Unsupported(format!(
			"--dtype {precision} runs on the CPU only (libtorch's packed int8/int4 CPU kernels \
			 define it); on {:?} use f32, bf16 or f16",
			opts.device
		)));
	}
	let (cfg, weights, tokenizer) = if path.is_dir() {
		let text = std::fs::read_to_string(path.join("config.json"))
			.map_err(|e| InferenceError::io(&path.join("config.json"), e))?;
		let cfg = ModelConfig::from_hf_json(&text)?;
		let dir = SafetensorsDir::open(path)?;
		let weights = Weights::from_safetensors(&dir, &cfg, opts.device, precision)?;
		(cfg, weights, TextTokenizer::from_hf_dir(path)?)
	} else {
		let gguf = GgufFile::open(path)?;
		let cfg = ModelConfig::from_gguf(&gguf)?;
		let weights = Weights::from_gguf(&gguf, &cfg, opts.device, precision)?;
		(cfg, weights, TextTokenizer::from_gguf(&gguf)?)
	};
	let template = ChatTemplate::new(
		tokenizer.chat_template().unwrap_or(CHATML_TEMPLATE),
		tokenizer.bos_token(),
		tokenizer.eos_token(),
	)?;
	let id = opts.model_id.clone().unwrap_or_else(|| {
		path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "model".into())
	});
	let content_hash = if opts.compute_hash { Some(content_hash(path)?) } else { None };
	let info = ModelInfo {
		id,
		content_hash,
		source: path.to_path_buf(),
		context_length: cfg.max_position_embeddings as usize,
		precision,
		weight_bytes: weights.bytes(),
	};
	let model = LlamaModel::new(cfg, weights, opts.device, precision);
	// The temporaries of decoding and packing the weights are freed; give their pages back.
	crate::memory::release_free_memory();
	Ok(LoadedModel { model, tokenizer, template, info })
}

/// Content hash of a model artifact: `sha256:<hex>` of the GGUF file bytes, or for a
/// directory, of each `*.safetensors` file name (as `name\0`) followed by its bytes, in sorted
/// order. The hash covers the exact (possibly quantised) numbers the validator must reproduce.
pub fn content_hash(path: &Path) -> Result<String> {
	let mut hasher = Sha256::new();
	if path.is_dir() {
		let mut files: Vec<PathBuf> = std::fs::read_dir(path)
			.map_err(|e| InferenceError::io(path, e))?
			.filter_map(|e| e.ok().map(|e| e.path()))
			.filter(|p| p.extension().is_some_and(|x| x == "safetensors"))
			.collect();
		files.sort();
		for f in files {
			let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
			hasher.update(name.as_bytes());
			hasher.update([0u8]);
			hash_file(&mut hasher, &f)?;
		}
	} else {
		hash_file(&mut hasher, path)?;
	}
	Ok(format!("sha256:{}", hex::encode(hasher.finalize())))
}

fn hash_file(hasher: &mut Sha256, file: &Path) -> Result<()> {
	let mut f = File::open(file).map_err(|e| InferenceError::io(file, e))?;
	let mut buf = vec![0u8; 1 << 20];
	loop {
		let n = f.read(&mut buf).map_err(|e| InferenceError::io(file, e))?;
		if n == 0 {
			return Ok(());
		}
		hasher.update(&buf[..n]);
	}
}
