//! Measures validation similarities for honest re-execution and for substituted models, to
//! calibrate the threshold documented in `docs/inference-validation.md`.
//!
//! Usage: `cargo run --release -p gonka-inference --example validation_study -- MODEL.gguf [N_PROMPTS]`
//!
//! Executors: the same model (honest) in continuous batches of 1, 4 and 8 with 1 and 2 libtorch
//! threads, and in batches of 8 over prompts of mixed lengths (so sequences join and leave the
//! batch at different steps); and substitutes: the weights re-quantised to Q8_0 and Q4_0, and the
//! weights with 1% / 5% Gaussian noise. The validator is always the original model, one request
//! at a time, 1 thread. Each row gives the similarity distribution and how many requests the
//! rule rejects at the default threshold (`DEFAULT_MIN_SIMILARITY`): false rejections for honest
//! rows, detections for substitutes.
//!
//! With `--precisions` it measures the reduced precisions instead (see `precisions`).

use std::path::PathBuf;

use gonka_inference::chat_template::ChatMessage;
use gonka_inference::gguf::{requantize, GgmlType};
use gonka_inference::model::Precision;
use gonka_inference::sampling::SamplingParams;
use gonka_inference::validation::calibrate::{execute, score_reports};
use gonka_inference::validation::DEFAULT_MIN_SIMILARITY;
use gonka_inference::{load_model, LoadOptions, LoadedModel};
use tch::{Device, Tensor};

const TOPICS: &[&str] = &[
	"the ocean",
	"a small robot",
	"autumn leaves",
	"the history of bread",
	"why the sky is blue",
	"a chess game",
	"learning to swim",
	"the moon landing",
	"a busy market",
	"volcanoes",
	"a rainy day",
	"honeybees",
	"the printing press",
	"mountain hiking",
	"a friendly dragon",
	"electric cars",
	"the first computer",
	"coffee",
	"a lighthouse keeper",
	"photosynthesis",
	"a haunted house",
	"the Roman empire",
	"jazz music",
	"desert animals",
	"a space station",
	"gardening tips",
	"the water cycle",
	"a detective story",
	"winter sports",
	"the internet",
	"ancient Egypt",
	"a birthday party",
];

fn prompts(m: &LoadedModel, n: usize) -> Vec<Vec<u32>> {
	(0..n)
		.map(|i| {
			let q = format!("Write a few sentences about {}.", TOPICS[i % TOPICS.len()]);
			m.tokenizer
				.encode(&m.template.render(&[ChatMessage::new("user", q)], true).unwrap())
				.unwrap()
		})
		.collect()
}

/// Prints one table row; returns (min, max).
fn stats(name: &str, s: &[f64]) -> (f64, f64) {
	let mut v = s.to_vec();
	v.sort_by(|a, b| a.total_cmp(b));
	let mean = v.iter().sum::<f64>() / v.len() as f64;
	let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
	let rejected = v.iter().filter(|&&x| x < DEFAULT_MIN_SIMILARITY).count();
	println!(
		"| {name} | {} | {:.6} | {:.6} | {:.6} | {:.6} | {:.6} | {rejected}/{} |",
		v.len(),
		v[0],
		q(0.05),
		q(0.5),
		mean,
		v[v.len() - 1],
		v.len()
	);
	(v[0], v[v.len() - 1])
}

/// The same prompts with 0 to 7 sentences of preamble each: lengths from ~30 to ~200 tokens.
fn mixed_prompts(m: &LoadedModel, n: usize) -> Vec<Vec<u32>> {
	(0..n)
		.map(|i| {
			let preamble = "Here is some context you may ignore. ".repeat((i * 5) % 8 * 3);
			let q = format!("{preamble}Write a few sentences about {}.", TOPICS[i % TOPICS.len()]);
			m.tokenizer
				.encode(&m.template.render(&[ChatMessage::new("user", q)], true).unwrap())
				.unwrap()
		})
		.collect()
}

fn main() {
	let args: Vec<String> = std::env::args().collect();
	let path = PathBuf::from(
		args.get(1).expect("usage: validation_study MODEL.gguf [N_PROMPTS] [--precisions]"),
	);
	let n: usize = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(32);
	let opts = LoadOptions {
		device: Device::Cpu,
		precision: Precision::F32,
		model_id: None,
		compute_hash: false,
	};
	let load = || load_model(&path, &opts).unwrap();
	let validator = load();
	let ps = prompts(&validator, n);
	let params = SamplingParams {
		temperature: 0.7,
		seed: Some(1),
		top_logprobs: 5,
		..SamplingParams::greedy(48)
	};
	let score = |requests: &[_]| {
		tch::set_num_threads(1);
		score_reports(&validator.model, requests, 5).unwrap()
	};
	if args.get(3).map(String::as_str) == Some("--precisions") {
		precisions(&path, &opts, &ps, &params, &score);
		return;
	}
	println!(
		"| executor | n | min | p5 | median | mean | max | rejected at {DEFAULT_MIN_SIMILARITY} |\n\
		 |---|---|---|---|---|---|---|---|"
	);
	let mut honest_min = f64::MAX;
	for threads in [1, 2] {
		for batch in [1, 4, 8] {
			tch::set_num_threads(threads);
			let reqs =
				execute(&validator.model, &validator.tokenizer, &ps, &params, batch).unwrap();
			let name = format!(
				"honest (batch {batch}, {threads} thread{})",
				if threads > 1 { "s" } else { "" }
			);
			honest_min = honest_min.min(stats(&name, &score(&reqs)).0);
		}
	}
	tch::set_num_threads(2);
	let mixed = mixed_prompts(&validator, n);
	let reqs = execute(&validator.model, &validator.tokenizer, &mixed, &params, 8).unwrap();
	honest_min =
		honest_min.min(stats("honest (batch 8, 2 threads, mixed prompt lengths)", &score(&reqs)).0);
	let mut substitute_max = f64::MIN;
	let substitutes: Vec<(&str, Box<dyn Fn(&Tensor) -> Tensor>)> = vec![
		("requantised Q8_0", Box::new(|w: &Tensor| requantize(w, GgmlType::Q8_0).unwrap())),
		("requantised Q4_0", Box::new(|w: &Tensor| requantize(w, GgmlType::Q4_0).unwrap())),
		(
			"noise 1% of weight std",
			Box::new(|w: &Tensor| w + w.randn_like() * (w.std(true) * 0.01)),
		),
		(
			"noise 5% of weight std",
			Box::new(|w: &Tensor| w + w.randn_like() * (w.std(true) * 0.05)),
		),
	];
	tch::manual_seed(3);
	for (name, f) in substitutes {
		let mut exec = load();
		exec.model.weights_mut().map_matrices(|w| Ok(f(w))).unwrap();
		tch::set_num_threads(2);
		let reqs = execute(&exec.model, &exec.tokenizer, &ps, &params, 8).unwrap();
		substitute_max = substitute_max.max(stats(name, &score(&reqs)).1);
	}
	println!(
		"\nmargin: lowest honest similarity {honest_min:.6} is {:.2e} above the threshold \
		 {DEFAULT_MIN_SIMILARITY}; highest substitute {substitute_max:.6} is {:.2e} below it",
		honest_min - DEFAULT_MIN_SIMILARITY,
		DEFAULT_MIN_SIMILARITY - substitute_max
	);
}

/// Reduced precisions: honest executors computing in another precision at batch 1 and 8, scored
/// by a validator in the same precision (one request at a time, 1 thread, as the daemon's) and
/// by the f32 reference; and the Q8_0 substitute (executed in f32) against a validator in that
/// precision — is it still caught when the catalogue names the precision?
fn precisions(
	path: &std::path::Path,
	opts: &LoadOptions,
	ps: &[Vec<u32>],
	params: &SamplingParams,
	score_f32: &dyn Fn(&[gonka_inference::validation::calibrate::ExecutedRequest]) -> Vec<f64>,
) {
	println!(
		"| executor precision | batch | validator | n | min | p5 | median | mean | max | rejected at \
		 {DEFAULT_MIN_SIMILARITY} |\n|---|---|---|---|---|---|---|---|---|---|"
	);
	let mut sub = load_model(path, opts).unwrap();
	tch::manual_seed(3);
	sub.model.weights_mut().map_matrices(|w| requantize(w, GgmlType::Q8_0)).unwrap();
	tch::set_num_threads(2);
	let sub_reqs = execute(&sub.model, &sub.tokenizer, ps, params, 8).unwrap();
	for precision in [Precision::Bf16, Precision::F16, Precision::Q8, Precision::Native] {
		let exec = load_model(path, &LoadOptions { precision, ..opts.clone() }).unwrap();
		let own = |reqs: &[_]| {
			tch::set_num_threads(1);
			score_reports(&exec.model, reqs, 5).unwrap()
		};
		for batch in [1, 8] {
			tch::set_num_threads(2);
			let reqs = execute(&exec.model, &exec.tokenizer, ps, params, batch).unwrap();
			stats(&format!("{precision} | {batch} | {precision}"), &own(&reqs));
			if batch == 8 {
				stats(&format!("{precision} | {batch} | f32"), &score_f32(&reqs));
			}
		}
		stats(&format!("requantised Q8_0 substitute (f32) | 8 | {precision}"), &own(&sub_reqs));
	}
}
