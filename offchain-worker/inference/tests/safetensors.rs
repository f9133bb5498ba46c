//! Hugging Face checkpoint loading: export the GGUF model as a safetensors directory
//! (config.json, model.safetensors, tokenizer.json, tokenizer_config.json), load it back through
//! the safetensors path and check it computes the same logits and tokens as the GGUF load.

mod common;

use gonka_inference::model::{LogitsFor, SeqChunk};
use gonka_inference::safetensors_dir::SafetensorsDir;
use gonka_inference::{content_hash, load_model};
use serde_json::json;

#[test]
fn safetensors_export_round_trips_to_identical_logits() {
	let gguf = common::load();
	let dir = std::env::temp_dir().join(format!("gonka-st-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	let c = gguf.model.config();
	let config = json!({
		"model_type": "llama", "vocab_size": c.vocab_size, "hidden_size": c.hidden_size,
		"intermediate_size": c.intermediate_size, "num_hidden_layers": c.num_layers,
		"num_attention_heads": c.num_heads, "num_key_value_heads": c.num_kv_heads,
		"rms_norm_eps": c.rms_norm_eps, "rope_theta": c.rope_theta,
		"max_position_embeddings": c.max_position_embeddings, "tie_word_embeddings": c.tie_word_embeddings,
	});
	std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
	SafetensorsDir::write_f32(
		&dir.join("model.safetensors"),
		&gguf.model.weights().to_hf_tensors(),
	)
	.unwrap();
	std::fs::write(dir.join("tokenizer.json"), gguf.tokenizer.to_json().unwrap()).unwrap();
	let tok_cfg = json!({"chat_template": gguf.tokenizer.chat_template(), "eos_token": "<|im_end|>", "bos_token": "<|im_start|>"});
	std::fs::write(dir.join("tokenizer_config.json"), tok_cfg.to_string()).unwrap();

	let st = load_model(&dir, &common::cpu_options()).unwrap();
	assert_eq!(st.model.config(), gguf.model.config());
	let prompt = common::chat_prompt(&gguf, "Why is the sky blue?");
	assert_eq!(
		common::chat_prompt(&st, "Why is the sky blue?"),
		prompt,
		"tokenizer.json round trip changed tokens"
	);
	assert_eq!(st.tokenizer.stop_ids(), gguf.tokenizer.stop_ids());

	let _g = tch::no_grad_guard();
	let logits = |m: &gonka_inference::LoadedModel| {
		let mut cache = m.model.new_cache(prompt.len() as i64);
		m.model
			.forward(&mut [SeqChunk { tokens: &prompt, cache: &mut cache, logits: LogitsFor::All }])
			.unwrap()
			.remove(0)
	};
	let diff = (logits(&gguf) - logits(&st)).abs().max().double_value(&[]);
	assert!(diff < 1e-4, "safetensors and GGUF logits differ by {diff}");

	// The directory hash covers the shard bytes and changes when they change.
	let h1 = content_hash(&dir).unwrap();
	assert!(h1.starts_with("sha256:") && h1.len() == 7 + 64, "{h1}");
	std::fs::write(dir.join("model.safetensors"), b"x").unwrap();
	assert_ne!(content_hash(&dir).unwrap(), h1);
	let err = load_model(&dir, &common::cpu_options()).unwrap_err();
	assert!(err.to_string().contains("too short"), "{err}");
	std::fs::remove_dir_all(&dir).unwrap();
}
