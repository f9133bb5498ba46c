//! `POST /v1/completions`: raw-prompt text completion (legacy OpenAI endpoint), JSON or SSE.

use std::convert::Infallible;

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::StreamExt;

use super::choices;
use super::metering::{self, Metered, Sealer};
use super::params::{completion_logprobs, refuse_unsupported, sampling_params, TextOffsets};
use super::types::{Completion, CompletionChoice, CompletionRequest, PromptSpec, Usage};
use super::{response_id, unix_now, ApiError, AppState};
use crate::engine::{Engine, GenerationEvent, StepOutput};

/// The prompt tokens of a completion request: its text tokenized, or its token ids checked
/// against the vocabulary.
pub(crate) fn completion_prompt(
	engine: &Engine,
	req: &CompletionRequest,
) -> Result<Vec<u32>, ApiError> {
	let prompt = match &req.prompt {
		PromptSpec::Text(t) => engine.tokenizer().encode(t)?,
		PromptSpec::Texts(v) if v.len() == 1 => engine.tokenizer().encode(&v[0])?,
		PromptSpec::Texts(_) => {
			return Err(ApiError::invalid("Exactly one prompt is supported.", Some("prompt")))
		},
		PromptSpec::Tokens(ids) => {
			let vocab = engine.tokenizer().vocab_size();
			if let Some(bad) = ids.iter().find(|&&t| t as usize >= vocab) {
				return Err(ApiError::invalid(
					format!("Token id {bad} is outside the vocabulary."),
					Some("prompt"),
				));
			}
			ids.clone()
		},
	};
	if prompt.is_empty() {
		return Err(ApiError::invalid("The prompt must not be empty.", Some("prompt")));
	}
	Ok(prompt)
}

/// Handler for `POST /v1/completions`.
pub(crate) async fn completions(
	State(state): State<AppState>,
	ticket: Option<axum::Extension<Metered>>,
	body: Result<Json<CompletionRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
	let Json(req) = body?;
	state.check_model(&req.model)?;
	if req.echo {
		return Err(ApiError::invalid_code(
			"echo is not supported by this server.",
			Some("echo"),
			"unsupported_parameter",
		));
	}
	refuse_unsupported(
		"suffix",
		req.suffix.as_ref().map(|s| serde_json::Value::from(s.as_str())).as_ref(),
		|v| v == "",
		"suffix (insertion)",
	)?;
	let ticket = ticket.map(|axum::Extension(t)| t);
	let n = choices::choice_count(&req.sampling, ticket.is_some())?;
	if req.best_of.is_some_and(|b| b as usize != n) {
		return Err(ApiError::invalid_code(
			"best_of other than n is not supported by this server.",
			Some("best_of"),
			"unsupported_parameter",
		));
	}
	let prompt = completion_prompt(&state.engine, &req)?;
	let permit = state.admit()?;
	let prompt_len = prompt.len();
	let requested_top = req.logprobs.unwrap_or(0);
	let (top, room) = metering::limits(ticket.as_ref(), requested_top, prompt_len)?;
	// OpenAI's default for this endpoint is 16 tokens.
	let max_tokens = metering::cap_max_tokens(
		Some(req.max_tokens.unwrap_or(16)),
		room,
		state.config.max_tokens_limit,
	)?;
	let params = sampling_params(&state, &req.sampling, max_tokens, top, prompt_len, "prompt")?;
	let sealer = Sealer::new(ticket, &prompt);
	let receivers = choices::submit(&state, &prompt, &params, n)?;
	let id = response_id("cmpl");
	let created = unix_now();
	let info = state.engine.info().clone();
	let want_logprobs = req.logprobs.is_some();
	let make = move |choices: Vec<CompletionChoice>, usage| Completion {
		id: id.clone(),
		object: "text_completion",
		created,
		model: info.id.clone(),
		system_fingerprint: info.content_hash.clone(),
		choices,
		usage,
	};
	if !req.sampling.stream {
		let _permit = permit;
		let done = choices::collect(receivers).await?;
		let tok = state.engine.tokenizer();
		let completion_tokens = done.iter().map(|c| c.steps.len()).sum();
		let all_steps: Vec<StepOutput> = done.iter().flat_map(|c| c.steps.clone()).collect();
		let choices = done
			.into_iter()
			.enumerate()
			.map(|(i, c)| CompletionChoice {
				index: i as u32,
				logprobs: want_logprobs.then(|| {
					let shown = metering::shown(&c.steps, requested_top);
					completion_logprobs(tok, &shown, &mut TextOffsets::default())
				}),
				text: c.text,
				finish_reason: Some(c.finish.as_str()),
			})
			.collect();
		let usage = Some(Usage::new(prompt_len, completion_tokens));
		return Sealer::attach(
			sealer.as_ref(),
			&all_steps,
			Json(make(choices, usage)).into_response(),
		);
	}
	let include_usage = req.sampling.stream_options.as_ref().is_some_and(|o| o.include_usage);
	let (tx, out) = mpsc::channel::<Result<Event, Infallible>>(32);
	tokio::spawn(async move {
		let _permit = permit;
		let event = |c: &Completion| {
			Ok(Event::default().data(serde_json::to_string(c).unwrap_or_default()))
		};
		let n = receivers.len();
		let mut offsets: Vec<TextOffsets> = (0..n).map(|_| TextOffsets::default()).collect();
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
					let lp = want_logprobs.then(|| {
						let shown = metering::shown(std::slice::from_ref(&s), requested_top);
						completion_logprobs(state.engine.tokenizer(), &shown, &mut offsets[i])
					});
					let finish = s.finish.map(|f| f.as_str());
					if !s.text.is_empty() || lp.is_some() || finish.is_some() {
						let choice = CompletionChoice {
							text: s.text.clone(),
							index: i as u32,
							logprobs: lp,
							finish_reason: finish,
						};
						if tx.send(event(&make(vec![choice], None))).await.is_err() {
							return;
						}
					}
					steps.push(s);
					if finish.is_none() {
						continue;
					}
					finished += 1;
					if finished < n {
						continue;
					}
					if include_usage {
						let usage = Some(Usage::new(prompt_len, steps.len()));
						let _ = tx.send(event(&make(Vec::new(), usage))).await;
					}
					if let Some(e) = Sealer::final_event(sealer.as_ref(), &steps) {
						let _ = tx.send(Ok(e)).await;
					}
					break;
				},
			}
		}
		let _ = tx.send(Ok(Event::default().data("[DONE]"))).await;
	});
	Ok(Sse::new(ReceiverStream::new(out)).keep_alive(KeepAlive::default()).into_response())
}
