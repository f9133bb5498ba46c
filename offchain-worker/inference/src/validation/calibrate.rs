//! Calibration harness for the per-model threshold: run an executor over prompts in batches,
//! then score every report with a validator model, yielding one similarity per request.
//!
//! Used by the validation test and the `validation_study` example that produced the numbers in
//! `docs/inference-validation.md`.

use crate::engine::{step, Sequence};
use crate::error::Result;
use crate::model::LlamaModel;
use crate::sampling::{SamplingParams, TokenLogprob};
use crate::tokenizer::TextTokenizer;

use super::rule::{probes_for, similarity};
use super::score::teacher_force;

/// One executed request: its prompt and the executor's per-token report.
#[derive(Debug, Clone)]
pub struct ExecutedRequest {
	/// Prompt tokens.
	pub prompt: Vec<u32>,
	/// Generated tokens with their log-probs and top alternatives.
	pub report: Vec<TokenLogprob>,
}

/// Runs `prompts` on `model` as an executor would: `batch_size` sequences decode together
/// (continuous batching; a sequence's slot is refilled as soon as it finishes), each with its
/// own seed derived from `params.seed` and its index.
pub fn execute(
	model: &LlamaModel,
	tokenizer: &TextTokenizer,
	prompts: &[Vec<u32>],
	params: &SamplingParams,
	batch_size: usize,
) -> Result<Vec<ExecutedRequest>> {
	let _guard = tch::no_grad_guard();
	let mut results: Vec<Option<ExecutedRequest>> = vec![None; prompts.len()];
	let mut reports: Vec<Vec<TokenLogprob>> = vec![Vec::new(); prompts.len()];
	let mut active: Vec<(usize, Sequence)> = Vec::new();
	let mut next = 0usize;
	while next < prompts.len() || !active.is_empty() {
		while active.len() < batch_size.max(1) && next < prompts.len() {
			let p = SamplingParams {
				seed: params.seed.map(|s| s.wrapping_add(next as u64)),
				..params.clone()
			};
			active.push((next, Sequence::new(model, tokenizer, prompts[next].clone(), p)));
			next += 1;
		}
		let outputs = {
			let mut refs: Vec<&mut Sequence> = active.iter_mut().map(|(_, s)| s).collect();
			step(model, tokenizer, &mut refs, 0)?
		};
		let mut keep = Vec::with_capacity(active.len());
		for ((idx, seq), out) in active.drain(..).zip(outputs) {
			let Some(out) = out else {
				keep.push((idx, seq));
				continue;
			};
			reports[idx].push(out.token);
			if out.finish.is_some() {
				results[idx] = Some(ExecutedRequest {
					prompt: prompts[idx].clone(),
					report: std::mem::take(&mut reports[idx]),
				});
			} else {
				keep.push((idx, seq));
			}
		}
		active = keep;
	}
	Ok(results.into_iter().flatten().collect())
}

/// Teacher-forces each request on `validator` and returns the similarity of each report.
/// Structural rejections (which cannot happen for well-formed reports) count as 0.
pub fn score_reports(
	validator: &LlamaModel,
	requests: &[ExecutedRequest],
	min_top: usize,
) -> Result<Vec<f64>> {
	requests
		.iter()
		.map(|r| {
			let tokens: Vec<u32> = r.report.iter().map(|t| t.token).collect();
			let scored = teacher_force(validator, &r.prompt, &tokens, &probes_for(&r.report), 0)?;
			Ok(similarity(&r.report, &scored, min_top).unwrap_or(0.0))
		})
		.collect()
}
