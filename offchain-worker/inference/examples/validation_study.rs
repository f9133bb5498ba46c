//! Measures validation similarities for honest re-execution and for substituted models, to
//! calibrate the threshold documented in `docs/inference-validation.md`.
//!
//! Usage: `cargo run --release -p gonka-inference --example validation_study -- MODEL.gguf [N_PROMPTS]`
//!
//! Executors: the same model in batches of 8 with 2 threads (honest), and substitutes: the
//! weights re-quantised to Q8_0 and Q4_0, and the weights with 1% / 5% Gaussian noise. The
//! validator is always the original model, one request at a time, 1 thread.

use std::path::PathBuf;

use gonka_inference::chat_template::ChatMessage;
use gonka_inference::gguf::{requantize, GgmlType};
use gonka_inference::sampling::SamplingParams;
use gonka_inference::validation::calibrate::{execute, score_reports};
use gonka_inference::{load_model, LoadOptions, LoadedModel};
use tch::{Device, Kind, Tensor};

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

fn stats(name: &str, s: &[f64]) {
	let mut v = s.to_vec();
	v.sort_by(|a, b| a.total_cmp(b));
	let mean = v.iter().sum::<f64>() / v.len() as f64;
	let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
	println!(
		"| {name} | {} | {:.6} | {:.6} | {:.6} | {:.6} | {:.6} |",
		v.len(),
		v[0],
		q(0.05),
		q(0.5),
		mean,
		v[v.len() - 1]
	);
}

fn main() {
	let args: Vec<String> = std::env::args().collect();
	let path = PathBuf::from(args.get(1).expect("usage: validation_study MODEL.gguf [N_PROMPTS]"));
	let n: usize = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(32);
	let opts =
		LoadOptions { device: Device::Cpu, kind: Kind::Float, model_id: None, compute_hash: false };
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
	println!("| executor | n | min | p5 | median | mean | max |\n|---|---|---|---|---|---|---|");
	tch::set_num_threads(2);
	let honest = execute(&validator.model, &validator.tokenizer, &ps, &params, 8).unwrap();
	stats("honest (batch 8, 2 threads)", &score(&honest));
	tch::set_num_threads(1);
	let honest1 = execute(&validator.model, &validator.tokenizer, &ps, &params, 1).unwrap();
	stats("honest (batch 1, 1 thread)", &score(&honest1));
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
		stats(name, &score(&reqs));
	}
}
