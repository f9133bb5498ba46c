//! Wire types of the OpenAI-compatible API (the subset we implement).
//!
//! Requests accept and ignore unknown fields, because official clients send options we do not
//! model; anything we *do* read is type-checked. Responses carry, beyond OpenAI's fields, a
//! `token_id` on each log-probability entry so validators can teacher-force the exact tokens.

use serde::{Deserialize, Serialize};

/// A string-or-list `stop` parameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum StopSpec {
	/// One stop string.
	One(String),
	/// Several stop strings.
	Many(Vec<String>),
}

impl StopSpec {
	/// As a list.
	pub fn into_vec(self) -> Vec<String> {
		match self {
			Self::One(s) => vec![s],
			Self::Many(v) => v,
		}
	}
}

/// One part of a multi-part message content.
#[derive(Debug, Clone, Deserialize)]
pub struct ContentPart {
	/// Part type; only `text` is supported.
	#[serde(rename = "type")]
	pub kind: String,
	/// Text of a `text` part.
	pub text: Option<String>,
}

/// Message content: a string or a list of parts.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum MessageContent {
	/// Plain text.
	Text(String),
	/// Structured parts.
	Parts(Vec<ContentPart>),
}

/// A chat message in a request.
#[derive(Debug, Clone, Deserialize)]
pub struct RequestMessage {
	/// `system`, `developer`, `user`, `assistant` or `tool`.
	pub role: String,
	/// Content (may be null for assistant tool calls, which we do not support).
	pub content: Option<MessageContent>,
}

/// `stream_options` of a streaming request.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StreamOptions {
	/// Send a final chunk with token usage.
	#[serde(default)]
	pub include_usage: bool,
}

/// Sampling fields shared by both endpoints.
///
/// The struct is `#[serde(flatten)]`ed into the request bodies. When serde_json's
/// `arbitrary_precision` feature is on (polkadot-sdk crates in the same build enable it),
/// flattened numbers arrive as serde_json's private number maps, which plain `f32`/`u64` fields
/// refuse; the numeric fields therefore go through [`opt_number`].
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SamplingFields {
	/// Sampling temperature in [0, 2] (default 1).
	#[serde(default, deserialize_with = "opt_number")]
	pub temperature: Option<f32>,
	/// Nucleus mass in (0, 1] (default 1).
	#[serde(default, deserialize_with = "opt_number")]
	pub top_p: Option<f32>,
	/// Non-standard: keep only the k most likely tokens.
	#[serde(default, deserialize_with = "opt_number")]
	pub top_k: Option<usize>,
	/// RNG seed.
	#[serde(default, deserialize_with = "opt_number")]
	pub seed: Option<u64>,
	/// Stop strings.
	pub stop: Option<StopSpec>,
	/// Number of choices (default 1, at most [`super::choices::MAX_CHOICES`]).
	#[serde(default, deserialize_with = "opt_number")]
	pub n: Option<u32>,
	/// Penalty in [-2, 2] on tokens already generated (once each).
	#[serde(default, deserialize_with = "opt_number")]
	pub presence_penalty: Option<f32>,
	/// Penalty in [-2, 2] on tokens already generated (per occurrence).
	#[serde(default, deserialize_with = "opt_number")]
	pub frequency_penalty: Option<f32>,
	/// Token id (as a decimal string) -> bias in [-100, 100] added to its logit.
	pub logit_bias: Option<serde_json::Map<String, serde_json::Value>>,
	/// Stream server-sent events.
	#[serde(default)]
	pub stream: bool,
	/// Streaming options.
	pub stream_options: Option<StreamOptions>,
}

/// `POST /v1/chat/completions` body.
#[derive(Debug, Clone, Deserialize)]
pub struct ChatCompletionRequest {
	/// Model id (must be the served model).
	pub model: String,
	/// Conversation so far.
	pub messages: Vec<RequestMessage>,
	/// Legacy token limit.
	pub max_tokens: Option<usize>,
	/// Token limit (newer name).
	pub max_completion_tokens: Option<usize>,
	/// Return log-probabilities of the chosen tokens.
	#[serde(default)]
	pub logprobs: bool,
	/// Alternatives per token (requires `logprobs`).
	pub top_logprobs: Option<usize>,
	/// Tool definitions: refused (400) when non-empty, tool calling is not supported.
	pub tools: Option<serde_json::Value>,
	/// Legacy function definitions: refused (400) when non-empty.
	pub functions: Option<serde_json::Value>,
	/// Tool choice: only absent or `"none"` is accepted.
	pub tool_choice: Option<serde_json::Value>,
	/// Legacy function choice: only absent or `"none"` is accepted.
	pub function_call: Option<serde_json::Value>,
	/// Output format: only absent or `{"type": "text"}` is accepted.
	pub response_format: Option<serde_json::Value>,
	/// Sampling options.
	#[serde(flatten)]
	pub sampling: SamplingFields,
}

/// A legacy completions prompt.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum PromptSpec {
	/// Text.
	Text(String),
	/// A list with one text (batch prompts are not supported).
	Texts(Vec<String>),
	/// Pre-tokenised prompt.
	Tokens(Vec<u32>),
}

/// `POST /v1/completions` body.
#[derive(Debug, Clone, Deserialize)]
pub struct CompletionRequest {
	/// Model id (must be the served model).
	pub model: String,
	/// The prompt.
	pub prompt: PromptSpec,
	/// Token limit (OpenAI's default for this endpoint is 16).
	pub max_tokens: Option<usize>,
	/// Number of alternatives per token to report.
	pub logprobs: Option<usize>,
	/// Echo the prompt (not supported).
	#[serde(default)]
	pub echo: bool,
	/// Server-side candidates to pick from: only absent or equal to `n` is accepted.
	#[serde(default, deserialize_with = "opt_number")]
	pub best_of: Option<u32>,
	/// Text after the completion (insertion): refused when non-empty.
	pub suffix: Option<String>,
	/// Sampling options.
	#[serde(flatten)]
	pub sampling: SamplingFields,
}

/// Token accounting.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Usage {
	/// Prompt tokens.
	pub prompt_tokens: usize,
	/// Generated tokens.
	pub completion_tokens: usize,
	/// Sum of both.
	pub total_tokens: usize,
}

impl Usage {
	/// Builds usage from the two counts.
	pub fn new(prompt_tokens: usize, completion_tokens: usize) -> Self {
		Self { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens }
	}
}

/// One alternative token in a chat log-prob entry.
#[derive(Debug, Clone, Serialize)]
pub struct TopLogprob {
	/// Token text.
	pub token: String,
	/// Non-standard: the token id.
	pub token_id: u32,
	/// Log-probability.
	pub logprob: f32,
	/// UTF-8 bytes of the token text.
	pub bytes: Vec<u8>,
}

/// Log-probs of one generated token (chat format).
#[derive(Debug, Clone, Serialize)]
pub struct LogprobEntry {
	/// Token text.
	pub token: String,
	/// Non-standard: the token id.
	pub token_id: u32,
	/// Log-probability of the chosen token.
	pub logprob: f32,
	/// UTF-8 bytes of the token text.
	pub bytes: Vec<u8>,
	/// Most likely alternatives.
	pub top_logprobs: Vec<TopLogprob>,
}

/// `logprobs` object of a chat choice.
#[derive(Debug, Clone, Serialize)]
pub struct ChoiceLogprobs {
	/// One entry per generated token.
	pub content: Vec<LogprobEntry>,
}

/// The assistant message of a response.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseMessage {
	/// Always `assistant`.
	pub role: &'static str,
	/// Generated text.
	pub content: String,
}

/// One choice of a chat completion.
#[derive(Debug, Clone, Serialize)]
pub struct ChatChoice {
	/// Choice index, `0..n`.
	pub index: u32,
	/// The answer.
	pub message: ResponseMessage,
	/// Log-probs if requested.
	pub logprobs: Option<ChoiceLogprobs>,
	/// `stop` or `length`.
	pub finish_reason: &'static str,
}

/// `chat.completion` response.
#[derive(Debug, Clone, Serialize)]
pub struct ChatCompletion {
	/// Response id.
	pub id: String,
	/// `chat.completion`.
	pub object: &'static str,
	/// Unix seconds.
	pub created: u64,
	/// Model id.
	pub model: String,
	/// Weights hash of the model that produced it.
	pub system_fingerprint: Option<String>,
	/// Choices, `n` of them.
	pub choices: Vec<ChatChoice>,
	/// Token accounting.
	pub usage: Usage,
}

/// Delta of a streamed chat chunk.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChunkDelta {
	/// Set on the first chunk.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub role: Option<&'static str>,
	/// New text.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub content: Option<String>,
}

/// One choice of a streamed chunk.
#[derive(Debug, Clone, Serialize)]
pub struct ChunkChoice {
	/// Choice index, `0..n`.
	pub index: u32,
	/// New content.
	pub delta: ChunkDelta,
	/// Log-probs of the tokens in this chunk.
	pub logprobs: Option<ChoiceLogprobs>,
	/// Set on the last content chunk.
	pub finish_reason: Option<&'static str>,
}

/// `chat.completion.chunk` event.
#[derive(Debug, Clone, Serialize)]
pub struct ChatCompletionChunk {
	/// Response id (same for all chunks).
	pub id: String,
	/// `chat.completion.chunk`.
	pub object: &'static str,
	/// Unix seconds.
	pub created: u64,
	/// Model id.
	pub model: String,
	/// Weights hash.
	pub system_fingerprint: Option<String>,
	/// Zero or one choice.
	pub choices: Vec<ChunkChoice>,
	/// Usage, only on the final chunk when `include_usage`.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub usage: Option<Usage>,
}

/// Legacy completions log-probs.
#[derive(Debug, Clone, Serialize)]
pub struct CompletionLogprobs {
	/// Token texts.
	pub tokens: Vec<String>,
	/// Non-standard: token ids.
	pub token_ids: Vec<u32>,
	/// Log-prob of each token.
	pub token_logprobs: Vec<f32>,
	/// Alternatives per position, token text -> log-prob.
	pub top_logprobs: Vec<serde_json::Map<String, serde_json::Value>>,
	/// Character offset of each token in the completion text.
	pub text_offset: Vec<usize>,
}

/// One choice of a legacy completion (also used for streamed chunks).
#[derive(Debug, Clone, Serialize)]
pub struct CompletionChoice {
	/// Generated text (or its delta when streaming).
	pub text: String,
	/// Choice index, `0..n`.
	pub index: u32,
	/// Log-probs if requested.
	pub logprobs: Option<CompletionLogprobs>,
	/// `stop` or `length` (null on intermediate stream chunks).
	pub finish_reason: Option<&'static str>,
}

/// `text_completion` response or stream chunk.
#[derive(Debug, Clone, Serialize)]
pub struct Completion {
	/// Response id.
	pub id: String,
	/// `text_completion`.
	pub object: &'static str,
	/// Unix seconds.
	pub created: u64,
	/// Model id.
	pub model: String,
	/// Weights hash.
	pub system_fingerprint: Option<String>,
	/// Choices: `n` in a response; one (or none, for the usage chunk) per stream chunk.
	pub choices: Vec<CompletionChoice>,
	/// Token accounting (omitted on intermediate stream chunks).
	#[serde(skip_serializing_if = "Option::is_none")]
	pub usage: Option<Usage>,
}

/// An entry of `GET /v1/models`.
#[derive(Debug, Clone, Serialize)]
pub struct ModelCard {
	/// Model id.
	pub id: String,
	/// `model`.
	pub object: &'static str,
	/// Unix seconds when the server started.
	pub created: u64,
	/// Owner label.
	pub owned_by: &'static str,
	/// Non-standard: weights content hash.
	pub content_hash: Option<String>,
	/// Non-standard: context length.
	pub context_length: usize,
}

/// `GET /v1/models` response.
#[derive(Debug, Clone, Serialize)]
pub struct ModelList {
	/// `list`.
	pub object: &'static str,
	/// The served models.
	pub data: Vec<ModelCard>,
}

/// Deserialises an optional number through `serde_json::Value`, which understands numbers in
/// every representation serde_json may hand a flattened field (see [`SamplingFields`]).
fn opt_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
	D: serde::Deserializer<'de>,
	T: serde::de::DeserializeOwned,
{
	let value = Option::<serde_json::Value>::deserialize(deserializer)?;
	value.map(|v| serde_json::from_value(v).map_err(serde::de::Error::custom)).transpose()
}
