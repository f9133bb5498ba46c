//! Teacher forcing: the validator's side of re-execution.
//!
//! The validator feeds the prompt and the executor's output tokens through the model in a
//! single prefill pass (no sampling, no KV-cache reuse across requests) and reads the
//! log-probability distribution at every output position.

use tch::Kind;

use crate::error::{InferenceError, Result};
use crate::model::{LlamaModel, LogitsFor, SeqChunk};
use crate::sampling::top_logprobs;

/// The validator's view of one output position.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredToken {
	/// The (forced) token at this position.
	pub token: u32,
	/// `log p(token | prefix)` under the validator's model.
	pub logprob: f32,
	/// The validator's own most likely tokens, best first.
	pub top: Vec<(u32, f32)>,
	/// Log-probs of the requested probe tokens (the executor's reported alternatives).
	pub probes: Vec<(u32, f32)>,
}

/// Scores `tokens` as a continuation of `prompt`. `probes[i]` (may be empty or shorter than
/// `tokens`) lists extra token ids whose log-probs are wanted at position `i`.
pub fn teacher_force(
	model: &LlamaModel,
	prompt: &[u32],
	tokens: &[u32],
	probes: &[Vec<u32>],
	top_k: usize,
) -> Result<Vec<ScoredToken>> {
	let _guard = tch::no_grad_guard();
	if prompt.is_empty() {
		return Err(InferenceError::InvalidRequest(
			"teacher forcing needs a non-empty prompt".into(),
		));
	}
	if tokens.is_empty() {
		return Ok(Vec::new());
	}
	// Logits at position p predict token p+1, so the last output token is never fed.
	let mut input = prompt.to_vec();
	input.extend_from_slice(&tokens[..tokens.len() - 1]);
	let mut cache = model.new_cache(input.len() as i64);
	let logits = model.forward(&mut [SeqChunk {
		tokens: &input,
		cache: &mut cache,
		logits: LogitsFor::All,
	}])?;
	let logprobs = logits[0]
		.narrow(0, prompt.len() as i64 - 1, tokens.len() as i64)
		.log_softmax(-1, Kind::Float);
	let vocab = model.config().vocab_size;
	tokens
		.iter()
		.enumerate()
		.map(|(i, &token)| {
			let row = logprobs.get(i as i64);
			let at = |id: u32| -> Result<f32> {
				if i64::from(id) >= vocab {
					return Err(InferenceError::InvalidRequest(format!(
						"token id {id} is outside the vocabulary"
					)));
				}
				Ok(row.f_double_value(&[i64::from(id)])? as f32)
			};
			let probe_ids = probes.get(i).map(Vec::as_slice).unwrap_or_default();
			Ok(ScoredToken {
				token,
				logprob: at(token)?,
				top: top_logprobs(&row, top_k)?,
				probes: probe_ids
					.iter()
					.map(|&id| at(id).map(|lp| (id, lp)))
					.collect::<Result<_>>()?,
			})
		})
		.collect()
}
