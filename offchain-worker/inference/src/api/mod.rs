//! OpenAI-compatible HTTP API on axum: `GET /v1/models`, `POST /v1/chat/completions`,
//! `POST /v1/completions` (both with optional SSE streaming), with request limits.
//!
//! Limits protect the single engine thread: bodies over `max_body_bytes` get 413, `max_tokens`
//! over `max_tokens_limit` gets 400, and requests beyond `max_concurrent_requests` in flight get
//! 429 immediately instead of queueing without bound.

mod chat;
mod choices;
mod completions;
mod error;
pub mod metering;
mod params;
pub mod types;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{DefaultBodyLimit, State};
use axum::http::Uri;
use axum::routing::{get, post};
use axum::{Json, Router};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub use error::ApiError;

use crate::engine::Engine;
use types::{ModelCard, ModelList};

/// Server limits.
#[derive(Debug, Clone)]
pub struct ApiConfig {
	/// Largest accepted request body.
	pub max_body_bytes: usize,
	/// Largest `max_tokens` a request may ask for.
	pub max_tokens_limit: usize,
	/// Requests processed at once (including streams); more get 429.
	pub max_concurrent_requests: usize,
}

impl Default for ApiConfig {
	fn default() -> Self {
		Self { max_body_bytes: 1 << 20, max_tokens_limit: 2048, max_concurrent_requests: 32 }
	}
}

/// State shared by all handlers.
#[derive(Clone)]
pub(crate) struct AppState {
	engine: Engine,
	config: ApiConfig,
	permits: Arc<Semaphore>,
	started: u64,
}

impl AppState {
	/// Takes a concurrency slot or fails with 429.
	fn admit(&self) -> Result<OwnedSemaphorePermit, ApiError> {
		self.permits
			.clone()
			.try_acquire_owned()
			.map_err(|_| ApiError::overloaded(self.config.max_concurrent_requests))
	}

	/// Rejects requests for a model we do not serve.
	fn check_model(&self, model: &str) -> Result<(), ApiError> {
		if model == self.engine.info().id {
			Ok(())
		} else {
			Err(ApiError::model_not_found(model))
		}
	}
}

/// Current Unix time in seconds.
pub(crate) fn unix_now() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// A response id unique within this process.
pub(crate) fn response_id(prefix: &str) -> String {
	use std::sync::atomic::{AtomicU64, Ordering};
	static NEXT: AtomicU64 = AtomicU64::new(1);
	let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
	format!("{prefix}-{:x}{:08x}", NEXT.fetch_add(1, Ordering::Relaxed), nanos)
}

/// Builds the router serving `engine`.
pub fn router(engine: Engine, config: ApiConfig) -> Router {
	let state = AppState {
		permits: Arc::new(Semaphore::new(config.max_concurrent_requests.max(1))),
		started: unix_now(),
		engine,
		config: config.clone(),
	};
	Router::new()
		.route("/v1/models", get(list_models))
		.route("/v1/chat/completions", post(chat::chat_completions))
		.route("/v1/completions", post(completions::completions))
		.fallback(|uri: Uri| async move { ApiError::route_not_found(uri.path()) })
		.layer(DefaultBodyLimit::max(config.max_body_bytes))
		.with_state(state)
}

async fn list_models(State(state): State<AppState>) -> Json<ModelList> {
	let info = state.engine.info();
	Json(ModelList {
		object: "list",
		data: vec![ModelCard {
			id: info.id.clone(),
			object: "model",
			created: state.started,
			owned_by: "gonka",
			content_hash: info.content_hash.clone(),
			context_length: info.context_length,
		}],
	})
}

/// The prompt token ids the API feeds the model for a request `body` to `path`
/// (`/v1/chat/completions` or `/v1/completions`): what a validator re-executes a recorded
/// request from. Fails like the endpoint would on a bad body.
pub fn prompt_tokens(engine: &Engine, path: &str, body: &[u8]) -> Result<Vec<u32>, ApiError> {
	let bad = |e: serde_json::Error| ApiError::invalid(format!("bad request body: {e}"), None);
	match path {
		"/v1/chat/completions" => {
			chat::chat_prompt(engine, &serde_json::from_slice(body).map_err(bad)?)
		},
		"/v1/completions" => {
			completions::completion_prompt(engine, &serde_json::from_slice(body).map_err(bad)?)
		},
		other => Err(ApiError::route_not_found(other)),
	}
}

/// Binds `addr` and serves until `shutdown` resolves. Returns the bound address through
/// `on_bound` (useful with port 0) before accepting connections.
pub async fn serve(
	addr: SocketAddr,
	engine: Engine,
	config: ApiConfig,
	on_bound: impl FnOnce(SocketAddr),
	shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
	let listener = tokio::net::TcpListener::bind(addr).await?;
	on_bound(listener.local_addr()?);
	axum::serve(listener, router(engine, config)).with_graceful_shutdown(shutdown).await
}
