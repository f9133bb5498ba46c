//! `POST /v1/chat/completions`: render the model's chat template, generate, answer as JSON or
//! as a stream of `chat.completion.chunk` server-sent events ending with `data: [DONE]`.

use std::convert::Infallible;

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, KeepAliveStream, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use tokio::sync::{mpsc, OwnedSemaphorePermit};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::StreamExt;

use super::choices;
use super::metering::{self, Metered, Sealer};
use super::params::{chat_logprobs, refuse_unsupported, sampling_params};
use super::types::{
	ChatChoice, ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, ChunkChoice,
	ChunkDelta, MessageContent, ResponseMessage, Usage,
};
use super::{response_id, unix_now, ApiError, AppState};
use crate::chat_template::ChatMessage;
use crate::engine::{Engine, GenerationEvent, StepOutput};
use crate::tokenizer::TextTokenizer;

const ROLES: &[&str] = &["system", "developer", "user", "assistant", "tool"];

/// Flattens request messages to plain text for the template, with special-token spellings in
/// the content escaped ([`TextTokenizer::protect`]) so users cannot forge template markup.
fn to_template_messages(
	tok: &TextTokenizer,
	req: &ChatCompletionRequest,
) -> Result<Vec<ChatMessage>, ApiError> {
	if req.messages.is_empty() {
		return Err(ApiError::invalid(
			"messages must contain at least one message.",
			Some("messages"),
		));
	}
	req.messages
        .iter()
        .map(|m| {
            if !ROLES.contains(&m.role.as_str()) {
                return Err(ApiError::invalid(format!("Unsupported message role '{}'.", m.role), Some("messages")));
            }
            let role = if m.role == "developer" { "system" } else { m.role.as_str() };
            let content = match &m.content {
                None => String::new(),
                Some(MessageContent::Text(t)) => t.clone(),
                Some(MessageContent::Parts(parts)) => {
                    let mut text = String::new();
                    for p in parts {
                        match (p.kind.as_str(), &p.text) {
                            ("text", Some(t)) => text.push_str(t),
                            (kind, _) => {
                                return Err(ApiError::invalid(
                                    format!("Content part type '{kind}' is not supported by this text-only model."),
                                    Some("messages"),
                                ))
                            }
                        }
                    }
                    text
                }
            };
            Ok(ChatMessage::new(role, tok.protect(&content)))
        })
        .collect()
}

/// The prompt tokens of a chat request: the model's chat template over the messages, with the
/// assistant turn opened, tokenized. Only the template's own markup becomes special tokens;
/// message content is always text.
pub(crate) fn chat_prompt(
	engine: &Engine,
	req: &ChatCompletionRequest,
) -> Result<Vec<u32>, ApiError> {
	let messages = to_template_messages(engine.tokenizer(), req)?;
	let prompt_text = engine.template().render(&messages, true)?;
	Ok(engine.tokenizer().encode_protected(&prompt_text)?)
}

/// Refuses the tool-calling and structured-output options (400 `unsupported_parameter`).
fn refuse_unsupported_fields(req: &ChatCompletionRequest) -> Result<(), ApiError> {
	let empty_list = |v: &Value| v.as_array().is_some_and(Vec::is_empty);
	let none = |v: &Value| v == "none";
	refuse_unsupported("tools", req.tools.as_ref(), empty_list, "Tool calling")?;
	refuse_unsupported("functions", req.functions.as_ref(), empty_list, "Function calling")?;
	refuse_unsupported("tool_choice", req.tool_choice.as_ref(), none, "Tool calling")?;
	refuse_unsupported("function_call", req.function_call.as_ref(), none, "Function calling")?;
	refuse_unsupported(
		"response_format",
		req.response_format.as_ref(),
		|v| v["type"] == "text",
		"A response_format other than {\"type\": \"text\"}",
	)
}

/// Handler for `POST /v1/chat/completions`.
pub(crate) async fn chat_completions(
	State(state): State<AppState>,
	ticket: Option<axum::Extension<Metered>>,
	body: Result<Json<ChatCompletionRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
	let Json(req) = body?;
	state.check_model(&req.model)?;
	refuse_unsupported_fields(&req)?;
	if req.top_logprobs.is_some() && !req.logprobs {
		return Err(ApiError::invalid(
			"top_logprobs requires logprobs to be true.",
			Some("top_logprobs"),
		));
	}
	let ticket = ticket.map(|axum::Extension(t)| t);
	let n = choices::choice_count(&req.sampling, ticket.is_some())?;
	let prompt = chat_prompt(&state.engine, &req)?;
	let permit = state.admit()?;
	let prompt_len = prompt.len();
	let requested_top = req.top_logprobs.unwrap_or(0);
	let (top, room) = metering::limits(ticket.as_ref(), requested_top, prompt_len)?;
	let max_tokens = metering::cap_max_tokens(
		req.max_completion_tokens.or(req.max_tokens),
		room,
		state.config.max_tokens_limit,
	)?;
	let params = sampling_params(&state, &req.sampling, max_tokens, top, prompt_len, "messages")?;
	let sealer = Sealer::new(ticket, &prompt);
	let receivers = choices::submit(&state, &prompt, &params, n)?;
	let ctx = Ctx {
		id: response_id("chatcmpl"),
		created: unix_now(),
		model: state.engine.info().id.clone(),
		fingerprint: state.engine.info().content_hash.clone(),
		logprobs: req.logprobs,
		requested_top,
		prompt_len,
		sealer,
	};
	if req.sampling.stream {
		let include_usage = req.sampling.stream_options.as_ref().is_some_and(|o| o.include_usage);
		Ok(stream(state, ctx, receivers, permit, include_usage).into_response())
	} else {
		let _permit = permit;
		let done = choices::collect(receivers).await?;
		let tok = state.engine.tokenizer();
		let completion_tokens = done.iter().map(|c| c.steps.len()).sum();
		let all_steps: Vec<StepOutput> = done.iter().flat_map(|c| c.steps.clone()).collect();
		let completion = ChatCompletion {
			id: ctx.id,
			object: "chat.completion",
			created: ctx.created,
			model: ctx.model,
			system_fingerprint: ctx.fingerprint,
			choices: done
				.into_iter()
				.enumerate()
				.map(|(i, c)| ChatChoice {
					index: i as u32,
					logprobs: ctx
						.logprobs
						.then(|| chat_logprobs(tok, &metering::shown(&c.steps, ctx.requested_top))),
					message: ResponseMessage { role: "assistant", content: c.text },
					finish_reason: c.finish.as_str(),
				})
				.collect(),
			usage: Usage::new(ctx.prompt_len, completion_tokens),
		};
		Sealer::attach(ctx.sealer.as_ref(), &all_steps, Json(completion).into_response())
	}
}

struct Ctx {
	id: String,
	created: u64,
	model: String,
	fingerprint: Option<String>,
	logprobs: bool,
	requested_top: usize,
	prompt_len: usize,
	sealer: Option<Sealer>,
}

fn stream(
	state: AppState,
	ctx: Ctx,
	receivers: Vec<mpsc::UnboundedReceiver<GenerationEvent>>,
	permit: OwnedSemaphorePermit,
	include_usage: bool,
) -> Sse<KeepAliveStream<ReceiverStream<Result<Event, Infallible>>>> {
	let (tx, out) = mpsc::channel::<Result<Event, Infallible>>(32);
	tokio::spawn(async move {
		let _permit = permit;
		let chunk = |choices: Vec<ChunkChoice>, usage: Option<Usage>| ChatCompletionChunk {
			id: ctx.id.clone(),
			object: "chat.completion.chunk",
			created: ctx.created,
			model: ctx.model.clone(),
			system_fingerprint: ctx.fingerprint.clone(),
			choices,
			usage,
		};
		let event = |c: &ChatCompletionChunk| {
			Ok(Event::default().data(serde_json::to_string(c).unwrap_or_default()))
		};
		let choice = |index: usize, delta: ChunkDelta, logprobs, finish_reason| ChunkChoice {
			index: index as u32,
			delta,
			logprobs,
			finish_reason,
		};
		let n = receivers.len();
		for i in 0..n {
			let role = ChunkDelta { role: Some("assistant"), content: Some(String::new()) };
			let first = chunk(vec![choice(i, role, None, None)], None);
			if tx.send(event(&first)).await.is_err() {
				return;
			}
		}
		let mut events = choices::merge(receivers);
		let mut steps: Vec<StepOutput> = Vec::new();
		let mut finished = 0;
		while let Some((i, ev)) = events.next().await {
			match ev {
				GenerationEvent::Failed(m) => {
					let _ = tx
						.send(Ok(Event::default().data(ApiError::internal(m).body().to_string())))
						.await;
					break;
				},
				GenerationEvent::Step(s) => {
					let logprobs = ctx.logprobs.then(|| {
						let shown = metering::shown(std::slice::from_ref(&s), ctx.requested_top);
						chat_logprobs(state.engine.tokenizer(), &shown)
					});
					if !s.text.is_empty() || logprobs.is_some() {
						let delta = ChunkDelta { role: None, content: Some(s.text.clone()) };
						let c = chunk(vec![choice(i, delta, logprobs, None)], None);
						if tx.send(event(&c)).await.is_err() {
							return; // client gone: dropping the receivers cancels generation
						}
					}
					let finish = s.finish;
					steps.push(s);
					if let Some(f) = finish {
						let last = chunk(
							vec![choice(i, ChunkDelta::default(), None, Some(f.as_str()))],
							None,
						);
						let _ = tx.send(event(&last)).await;
						finished += 1;
						if finished < n {
							continue;
						}
						if include_usage {
							let u =
								chunk(Vec::new(), Some(Usage::new(ctx.prompt_len, steps.len())));
							let _ = tx.send(event(&u)).await;
						}
						if let Some(e) = Sealer::final_event(ctx.sealer.as_ref(), &steps) {
							let _ = tx.send(Ok(e)).await;
						}
						break;
					}
				},
			}
		}
		let _ = tx.send(Ok(Event::default().data("[DONE]"))).await;
	});
	Sse::new(ReceiverStream::new(out)).keep_alive(KeepAlive::default())
}
