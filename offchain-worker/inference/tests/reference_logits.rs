//! The engine's logits for a fixed prompt match an independent float64 numpy implementation
//! (tests/python/reference_logits.py) on the same dequantised GGUF weights.
//!
//! Tolerance: max |Δlogit| <= 1e-3 over the whole vocabulary at every position (logits are
//! O(10); measured 4.3e-5 for f32 vs the float64 reference), and identical argmax everywhere.

mod common;

use std::process::Command;

use gonka_inference::model::{LogitsFor, SeqChunk};
use tch::Kind;

const TOLERANCE: f64 = 1e-3;

#[test]
fn logits_match_numpy_reference() {
	let m = common::load();
	let prompt = m.tokenizer.encode("The capital of France is").unwrap();
	assert!(prompt.len() >= 4, "{prompt:?}");
	let mut cache = m.model.new_cache(16);
	let _g = tch::no_grad_guard();
	let ours = m
		.model
		.forward(&mut [SeqChunk { tokens: &prompt, cache: &mut cache, logits: LogitsFor::All }])
		.unwrap();
	let ours = ours[0].to_kind(Kind::Double);

	let out = Command::new(common::python())
		.arg(common::python_script("reference_logits.py"))
		.arg(common::model_path())
		.args(prompt.iter().map(u32::to_string))
		.output()
		.expect("running the numpy reference");
	assert!(out.status.success(), "reference failed: {}", String::from_utf8_lossy(&out.stderr));
	let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
	let rows: Vec<Vec<f64>> = serde_json::from_value(v["logits"].clone()).unwrap();
	assert_eq!(rows.len(), prompt.len());
	let flat: Vec<f64> = rows.iter().flatten().copied().collect();
	let reference = tch::Tensor::from_slice(&flat).reshape([rows.len() as i64, -1]);
	assert_eq!(reference.size(), ours.size());

	let max_diff = (&ours - &reference).abs().max().double_value(&[]);
	let scale = reference.abs().max().double_value(&[]);
	eprintln!("max |Δlogit| = {max_diff:.2e} (max |logit| = {scale:.1})");
	assert!(max_diff <= TOLERANCE, "max |Δlogit| = {max_diff} exceeds {TOLERANCE}");
	assert!(ours.argmax(-1, false).equal(&reference.argmax(-1, false)), "argmax differs");
}
