//! The proof server: validators fetch sampled leaves and their Merkle paths from a host's worker.
//!
//! Routes (JSON in and out; every 4xx has an [`ErrorBody`]):
//! - `GET  /v1/pow/{epoch}/commitment` -> [`CommitmentJson`]
//! - `POST /v1/pow/{epoch}/proofs` with [`ProofRequest`] -> [`ProofsResponse`]
//!
//! [`proof_router`] returns a plain `axum::Router` so the worker can merge it with its other APIs
//! (the inference API) on one listener.

use crate::{
	merkle::SprintTree,
	wire::{
		CommitmentJson, ErrorBody, ProofJson, ProofRequest, ProofsResponse,
		MAX_INDICES_PER_REQUEST, MAX_REQUEST_BYTES,
	},
};
use axum::{
	extract::{rejection::JsonRejection, rejection::PathRejection, DefaultBodyLimit, Path, State},
	http::StatusCode,
	response::{IntoResponse, Response},
	routing::{get, post},
	Json, Router,
};
use gonka_primitives::pow::EpochIndex;
use std::{
	collections::HashMap,
	sync::{Arc, RwLock},
};

/// The sprints a worker serves proofs for, by epoch. Shared with the router; epochs can be added
/// while serving (when a new sprint finishes).
#[derive(Default)]
pub struct ProofStore {
	sprints: RwLock<HashMap<EpochIndex, Arc<SprintTree>>>,
}

impl ProofStore {
	/// An empty store.
	pub fn new() -> Self {
		Self::default()
	}

	/// Serves `tree` for `epoch`, replacing any earlier tree of that epoch.
	pub fn insert(&self, epoch: EpochIndex, tree: SprintTree) {
		self.sprints.write().unwrap_or_else(|e| e.into_inner()).insert(epoch, Arc::new(tree));
	}

	/// The tree of `epoch`, if served.
	pub fn get(&self, epoch: EpochIndex) -> Option<Arc<SprintTree>> {
		self.sprints.read().unwrap_or_else(|e| e.into_inner()).get(&epoch).cloned()
	}

	/// Served epochs, ascending.
	pub fn epochs(&self) -> Vec<EpochIndex> {
		let mut e: Vec<_> =
			self.sprints.read().unwrap_or_else(|e| e.into_inner()).keys().copied().collect();
		e.sort_unstable();
		e
	}
}

/// An API error: HTTP status, stable code and message, rendered as an [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
	/// HTTP status.
	pub status: StatusCode,
	/// Stable code (`unknown_epoch`, `too_many_indices`, ...).
	pub code: &'static str,
	/// Human message.
	pub message: String,
}

impl ApiError {
	fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
		Self { status, code, message: message.into() }
	}
}

impl IntoResponse for ApiError {
	fn into_response(self) -> Response {
		let body = ErrorBody { error: self.code.to_string(), message: self.message };
		(self.status, Json(body)).into_response()
	}
}

impl From<PathRejection> for ApiError {
	fn from(r: PathRejection) -> Self {
		ApiError::new(StatusCode::BAD_REQUEST, "invalid_epoch", r.body_text())
	}
}

impl From<JsonRejection> for ApiError {
	fn from(r: JsonRejection) -> Self {
		match r.status() {
			StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
				StatusCode::PAYLOAD_TOO_LARGE,
				"request_too_large",
				format!("request bodies are limited to {MAX_REQUEST_BYTES} bytes"),
			),
			StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
				StatusCode::UNSUPPORTED_MEDIA_TYPE,
				"unsupported_media_type",
				"send the request as Content-Type: application/json",
			),
			_ => ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", r.body_text()),
		}
	}
}

/// The proof API over `store`, with the request-size limit applied.
pub fn proof_router(store: Arc<ProofStore>) -> Router {
	Router::new()
		.route("/v1/pow/{epoch}/commitment", get(commitment))
		.route("/v1/pow/{epoch}/proofs", post(proofs))
		.layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
		.with_state(store)
}

fn tree_of(store: &ProofStore, epoch: EpochIndex) -> Result<Arc<SprintTree>, ApiError> {
	store.get(epoch).ok_or_else(|| {
		ApiError::new(
			StatusCode::NOT_FOUND,
			"unknown_epoch",
			format!("no sprint served for epoch {epoch}"),
		)
	})
}

async fn commitment(
	State(store): State<Arc<ProofStore>>,
	epoch: Result<Path<EpochIndex>, PathRejection>,
) -> Result<Json<CommitmentJson>, ApiError> {
	let Path(epoch) = epoch?;
	Ok(Json(tree_of(&store, epoch)?.commitment(epoch).into()))
}

async fn proofs(
	State(store): State<Arc<ProofStore>>,
	epoch: Result<Path<EpochIndex>, PathRejection>,
	request: Result<Json<ProofRequest>, JsonRejection>,
) -> Result<Json<ProofsResponse>, ApiError> {
	let Path(epoch) = epoch?;
	let Json(request) = request?;
	let tree = tree_of(&store, epoch)?;
	if request.indices.is_empty() {
		return Err(ApiError::new(
			StatusCode::BAD_REQUEST,
			"empty_request",
			"ask for at least one index",
		));
	}
	if request.indices.len() > MAX_INDICES_PER_REQUEST {
		return Err(ApiError::new(
			StatusCode::BAD_REQUEST,
			"too_many_indices",
			format!(
				"{} indices requested; at most {MAX_INDICES_PER_REQUEST} per request",
				request.indices.len()
			),
		));
	}
	if let Some(&bad) = request.indices.iter().find(|&&i| i >= tree.count()) {
		return Err(ApiError::new(
			StatusCode::BAD_REQUEST,
			"index_out_of_range",
			format!("index {bad} is out of range: epoch {epoch} has {} leaves", tree.count()),
		));
	}
	// Proofs are O(log n) each from the cached levels: cheap enough for the async worker.
	let proofs: Vec<ProofJson> = request
		.indices
		.iter()
		.filter_map(|&i| tree.proof(i).ok())
		.map(|p| ProofJson::from(&p))
		.collect();
	Ok(Json(ProofsResponse { commitment: tree.commitment(epoch).into(), proofs }))
}
