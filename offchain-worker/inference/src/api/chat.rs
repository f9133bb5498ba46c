//! `POST /v1/chat/completions`: render the model's chat template, generate, answer as JSON or
//! as a stream of `chat.completion.chunk` server-sent events ending with `data: [DONE]`.

use std::convert::Infallible;

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, KeepAliveStream, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use tokio::sync::{mpsc, OwnedSemaphorePermit};
use tokio_stream::wrappers::ReceiverStream;

use super::params::{chat_logprobs, sampling_params};
use super::types::{
	ChatChoice, ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, ChunkChoice,
	ChunkDelta, MessageContent, ResponseMessage, Usage,
};
use super::{response_id, unix_now, ApiError, AppState};
use crate::chat_template::ChatMessage;
use crate::engine::{GenerationEvent, StepOutput};

const ROLES: &[&str] = &["system", "developer", "user", "assistant", "tool"];

/// Flattens request messages to plain text for the template.
fn to_template_messages(req: &ChatCompletionRequest) -> Result<Vec<ChatMessage>, ApiError> {
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
            Ok(ChatMessage::new(role, content))
        })
        .collect()
}

/// Handler for `POST /v1/chat/completions`.
pub(crate) async fn chat_completions(
	State(state): State<AppState>,
	body: Result<Json<ChatCompletionRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
	let Json(req) = body?;
	state.check_model(&req.model)?;
	let messages = to_template_messages(&req)?;
	if req.top_logprobs.is_some() && !req.logprobs {
		return Err(ApiError::invalid(
			"top_logprobs requires logprobs to be true.",
			Some("top_logprobs"),
		));
	}
	let permit = state.admit()?;
	let prompt_text = state.engine.template().render(&messages, true)?;
	let prompt = state.engine.tokenizer().encode(&prompt_text)?;
	let prompt_len = prompt.len();
	let top = req.top_logprobs.unwrap_or(0);
	let max_tokens = req.max_completion_tokens.or(req.max_tokens);
	let params = sampling_params(&state, &req.sampling, max_tokens, top, prompt_len, "messages")?;
	let rx = state.engine.submit(prompt, params)?;
	let ctx = Ctx {
		id: response_id("chatcmpl"),
		created: unix_now(),
		model: state.engine.info().id.clone(),
		fingerprint: state.engine.info().content_hash.clone(),
		logprobs: req.logprobs,
		prompt_len,
	};
	if req.sampling.stream {
		let include_usage = req.sampling.stream_options.as_ref().is_some_and(|o| o.include_usage);
		Ok(stream(state, ctx, rx, permit, include_usage).into_response())
	} else {
		let _permit = permit;
		collect(&state, ctx, rx).await.map(|c| Json(c).into_response())
	}
}

struct Ctx {
	id: String,
	created: u64,
	model: String,
	fingerprint: Option<String>,
	logprobs: bool,
	prompt_len: usize,
}

async fn collect(
	state: &AppState,
	ctx: Ctx,
	mut rx: mpsc::UnboundedReceiver<GenerationEvent>,
) -> Result<ChatCompletion, ApiError> {
	let mut steps: Vec<StepOutput> = Vec::new();
	let mut text = String::new();
	while let Some(ev) = rx.recv().await {
		match ev {
			GenerationEvent::Failed(m) => return Err(ApiError::internal(m)),
			GenerationEvent::Step(s) => {
				text.push_str(&s.text);
				let finish = s.finish;
				steps.push(s);
				if let Some(f) = finish {
					let logprobs =
						ctx.logprobs.then(|| chat_logprobs(state.engine.tokenizer(), &steps));
					return Ok(ChatCompletion {
						id: ctx.id,
						object: "chat.completion",
						created: ctx.created,
						model: ctx.model,
						system_fingerprint: ctx.fingerprint,
						choices: vec![ChatChoice {
							index: 0,
							message: ResponseMessage { role: "assistant", content: text },
							logprobs,
							finish_reason: f.as_str(),
						}],
						usage: Usage::new(ctx.prompt_len, steps.len()),
					});
				}
			},
		}
	}
	Err(ApiError::internal("the inference engine stopped"))
}

fn stream(
	state: AppState,
	ctx: Ctx,
	mut rx: mpsc::UnboundedReceiver<GenerationEvent>,
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
		let choice = |delta: ChunkDelta, logprobs, finish_reason| ChunkChoice {
			index: 0,
			delta,
			logprobs,
			finish_reason,
		};
		let first = chunk(
			vec![choice(
				ChunkDelta { role: Some("assistant"), content: Some(String::new()) },
				None,
				None,
			)],
			None,
		);
		if tx.send(event(&first)).await.is_err() {
			return;
		}
		let mut completion_tokens = 0usize;
		while let Some(ev) = rx.recv().await {
			match ev {
				GenerationEvent::Failed(m) => {
					let _ = tx
						.send(Ok(Event::default().data(ApiError::internal(m).body().to_string())))
						.await;
					break;
				},
				GenerationEvent::Step(s) => {
					completion_tokens += 1;
					let logprobs = ctx
						.logprobs
						.then(|| chat_logprobs(state.engine.tokenizer(), std::slice::from_ref(&s)));
					if !s.text.is_empty() || logprobs.is_some() {
						let c = chunk(
							vec![choice(
								ChunkDelta { role: None, content: Some(s.text.clone()) },
								logprobs,
								None,
							)],
							None,
						);
						if tx.send(event(&c)).await.is_err() {
							return; // client gone: dropping `rx` cancels the generation
						}
					}
					if let Some(f) = s.finish {
						let last = chunk(
							vec![choice(ChunkDelta::default(), None, Some(f.as_str()))],
							None,
						);
						let _ = tx.send(event(&last)).await;
						if include_usage {
							let u = chunk(
								Vec::new(),
								Some(Usage::new(ctx.prompt_len, completion_tokens)),
							);
							let _ = tx.send(event(&u)).await;
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
