//! Translation of request fields into engine parameters, with OpenAI-style validation errors,
//! and of engine output into OpenAI log-prob objects. Shared by both endpoints.

use super::types::{ChoiceLogprobs, CompletionLogprobs, LogprobEntry, SamplingFields, TopLogprob};
use super::{ApiError, AppState};
use crate::engine::StepOutput;
use crate::sampling::{SamplingParams, MAX_TOP_LOGPROBS};
use crate::tokenizer::{token_label, TextTokenizer};

/// Builds sampling parameters for a prompt of `prompt_len` tokens.
pub(crate) fn sampling_params(
	state: &AppState,
	fields: &SamplingFields,
	max_tokens: Option<usize>,
	top_logprobs: usize,
	prompt_len: usize,
	prompt_param: &'static str,
) -> Result<SamplingParams, ApiError> {
	if top_logprobs > MAX_TOP_LOGPROBS {
		return Err(ApiError::invalid(
			format!("top_logprobs must be at most {MAX_TOP_LOGPROBS}."),
			Some("top_logprobs"),
		));
	}
	let context = state.engine.info().context_length;
	let limit = state.config.max_tokens_limit;
	if prompt_len >= context {
		return Err(ApiError::invalid_code(
            format!("The prompt has {prompt_len} tokens; this model's maximum context length is {context} tokens."),
            Some(prompt_param),
            "context_length_exceeded",
        ));
	}
	let room = context - prompt_len;
	let max_tokens = match max_tokens {
        Some(0) => return Err(ApiError::invalid("max_tokens must be at least 1.", Some("max_tokens"))),
        Some(m) if m > limit => {
            return Err(ApiError::invalid(format!("max_tokens is {m}; this server allows at most {limit}."), Some("max_tokens")))
        }
        Some(m) if m > room => {
            return Err(ApiError::invalid_code(
                format!(
                    "This model's maximum context length is {context} tokens; you requested {} ({prompt_len} in the prompt, {m} for the completion).",
                    prompt_len + m
                ),
                Some("max_tokens"),
                "context_length_exceeded",
            ))
        }
        Some(m) => m,
        None => limit.min(room),
    };
	let params = SamplingParams {
		temperature: fields.temperature.unwrap_or(1.0),
		top_p: fields.top_p.unwrap_or(1.0),
		top_k: fields.top_k.unwrap_or(0),
		seed: fields.seed,
		max_tokens,
		stop: fields.stop.clone().map(|s| s.into_vec()).unwrap_or_default(),
		top_logprobs,
		presence_penalty: fields.presence_penalty.unwrap_or(0.0),
		frequency_penalty: fields.frequency_penalty.unwrap_or(0.0),
		logit_bias: logit_bias(state, fields)?,
	};
	params.validate().map_err(|e| {
		let msg = e.to_string();
		let param = [
			"temperature",
			"top_p",
			"top_logprobs",
			"stop",
			"max_tokens",
			"presence_penalty",
			"frequency_penalty",
			"logit_bias",
		]
		.into_iter()
		.find(|p| msg.contains(p));
		ApiError::invalid(msg.trim_start_matches("invalid request: ").to_string(), param)
	})?;
	Ok(params)
}

/// `logit_bias` as `(token id, bias)`: keys must be token ids of this vocabulary, values numbers.
fn logit_bias(state: &AppState, fields: &SamplingFields) -> Result<Vec<(u32, f32)>, ApiError> {
	let Some(map) = &fields.logit_bias else { return Ok(Vec::new()) };
	let vocab = state.engine.tokenizer().vocab_size();
	map.iter()
		.map(|(k, v)| {
			let id =
				k.parse::<u32>().ok().filter(|&id| (id as usize) < vocab).ok_or_else(|| {
					ApiError::invalid(
						format!(
							"logit_bias key {k:?} is not a token id of this model (0..{vocab})."
						),
						Some("logit_bias"),
					)
				})?;
			let bias = v.as_f64().ok_or_else(|| {
				ApiError::invalid(
					format!("logit_bias for {k} must be a number."),
					Some("logit_bias"),
				)
			})?;
			Ok((id, bias as f32))
		})
		.collect()
}

/// Refuses fields this server does not implement, naming them (never silently ignores an
/// option that would change the output's meaning). `value` is the field's JSON, if present;
/// `allowed` says which present values are harmless (e.g. `tool_choice: "none"`).
pub(crate) fn refuse_unsupported(
	param: &'static str,
	value: Option<&serde_json::Value>,
	allowed: impl Fn(&serde_json::Value) -> bool,
	what: &str,
) -> Result<(), ApiError> {
	match value {
		Some(v) if !v.is_null() && !allowed(v) => Err(ApiError::invalid_code(
			format!("{what} is not supported by this server."),
			Some(param),
			"unsupported_parameter",
		)),
		_ => Ok(()),
	}
}

/// Chat-format log-probs for `steps`. Each entry's `bytes` are the raw bytes the token stands
/// for ([`TextTokenizer::token_bytes`]), so joining them gives the message content's UTF-8
/// (plus a final stop or end-of-turn token's own spelling); `token` is those bytes as text, or
/// `bytes:\xNN...` for part of a character.
pub(crate) fn chat_logprobs(tok: &TextTokenizer, steps: &[StepOutput]) -> ChoiceLogprobs {
	ChoiceLogprobs {
		content: steps
			.iter()
			.map(|s| {
				let bytes = tok.token_bytes(s.token.token, s.at_start);
				LogprobEntry {
					token: token_label(&bytes),
					token_id: s.token.token,
					logprob: s.token.logprob,
					bytes,
					top_logprobs: s
						.token
						.top
						.iter()
						.map(|&(id, logprob)| {
							let bytes = tok.token_bytes(id, s.at_start);
							TopLogprob { token: token_label(&bytes), token_id: id, logprob, bytes }
						})
						.collect(),
				}
			})
			.collect(),
	}
}

/// Character offsets of tokens in a completion's text (legacy `text_offset`), fed token by
/// token across stream chunks: a token's offset counts the characters completed by the bytes
/// before it.
#[derive(Debug, Default)]
pub(crate) struct TextOffsets {
	pending: Vec<u8>,
	chars: usize,
}

impl TextOffsets {
	/// The offset of a token with `bytes`, then accounts for them.
	fn next(&mut self, bytes: &[u8]) -> usize {
		let offset = self.chars;
		self.pending.extend_from_slice(bytes);
		self.chars += crate::detok::drain_utf8(&mut self.pending, false).chars().count();
		offset
	}
}

/// Legacy-format log-probs for `steps`; `offsets` carries the text position across chunks.
pub(crate) fn completion_logprobs(
	tok: &TextTokenizer,
	steps: &[StepOutput],
	offsets: &mut TextOffsets,
) -> CompletionLogprobs {
	let mut out = CompletionLogprobs {
		tokens: Vec::new(),
		token_ids: Vec::new(),
		token_logprobs: Vec::new(),
		top_logprobs: Vec::new(),
		text_offset: Vec::new(),
	};
	for s in steps {
		let bytes = tok.token_bytes(s.token.token, s.at_start);
		out.text_offset.push(offsets.next(&bytes));
		out.tokens.push(token_label(&bytes));
		out.token_ids.push(s.token.token);
		out.token_logprobs.push(s.token.logprob);
		out.top_logprobs.push(
			s.token
				.top
				.iter()
				.map(|&(id, lp)| {
					(token_label(&tok.token_bytes(id, s.at_start)), serde_json::json!(lp))
				})
				.collect(),
		);
	}
	out
}
