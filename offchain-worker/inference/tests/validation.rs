//! Validation by re-execution on the real model: honest executors pass, substituted models fail
//! under the default (calibrated) threshold.

mod common;

use gonka_inference::gguf::{requantize, GgmlType};
use gonka_inference::sampling::SamplingParams;
use gonka_inference::validation::calibrate::{execute, score_reports};
use gonka_inference::validation::{
	probes_for, teacher_force, validate, Rejection, ValidationParams, DEFAULT_MIN_SIMILARITY,
};

fn prompts(m: &gonka_inference::LoadedModel) -> Vec<Vec<u32>> {
	[
		"Write a sentence about the ocean.",
		"Describe a cat.",
		"What is rain?",
		"Give me a tip for studying.",
	]
	.iter()
	.map(|q| common::chat_prompt(m, q))
	.collect()
}

fn params() -> SamplingParams {
	SamplingParams {
		temperature: 0.7,
		seed: Some(11),
		top_logprobs: 5,
		..SamplingParams::greedy(16)
	}
}

#[test]
fn honest_passes_and_substituted_models_fail() {
	let validator = common::load();
	let ps = prompts(&validator);
	let _g = tch::no_grad_guard();

	// Honest executor: same weights, different batch composition and thread count.
	tch::set_num_threads(2);
	let honest = execute(&validator.model, &validator.tokenizer, &ps, &params(), 4).unwrap();
	tch::set_num_threads(1);
	let honest_scores = score_reports(&validator.model, &honest, 5).unwrap();
	eprintln!("honest: {honest_scores:?}");
	assert!(
		honest_scores.iter().all(|&s| s >= DEFAULT_MIN_SIMILARITY),
		"honest rejected: {honest_scores:?}"
	);

	// Full rule on one honest report, including the structural checks.
	let r = &honest[0];
	let tokens: Vec<u32> = r.report.iter().map(|t| t.token).collect();
	let scored =
		teacher_force(&validator.model, &r.prompt, &tokens, &probes_for(&r.report), 5).unwrap();
	assert!(validate(&r.report, &scored, &ValidationParams::default()).is_valid());
	let truncated =
		validate(&r.report[..r.report.len() - 1], &scored, &ValidationParams::default());
	assert!(matches!(truncated.rejection, Some(Rejection::LengthMismatch { .. })));

	// Substituted executors: cheaper quantisations of the same model.
	for ty in [GgmlType::Q8_0, GgmlType::Q4_0] {
		let mut exec = common::load();
		exec.model.weights_mut().map_matrices(|w| requantize(w, ty)).unwrap();
		tch::set_num_threads(2);
		let reqs = execute(&exec.model, &exec.tokenizer, &ps, &params(), 4).unwrap();
		tch::set_num_threads(1);
		let scores = score_reports(&validator.model, &reqs, 5).unwrap();
		eprintln!("{ty:?}: {scores:?}");
		assert!(
			scores.iter().all(|&s| s < DEFAULT_MIN_SIMILARITY),
			"{ty:?} substitute accepted: {scores:?}"
		);
	}
}
