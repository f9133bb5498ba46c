//! A gateway that outlives its sessions: the OpenAI routes of `gonka-worker gateway`, served by
//! the [`Gateway`] of the current session, which is replaced by one for a newly opened session
//! (same model, deposit, token cap and duration) when the current one closes, expires within
//! [`RENEW_MARGIN`](super::gateway::RENEW_MARGIN) blocks or has settled. Requests in flight finish on the session they
//! started on; the old session settles on its own (its executors claim, the rest is refunded).

use super::gateway::{new_delegate, route, Gateway};
use crate::chain::ChainClient;
use axum::{
	body::Bytes,
	extract::State,
	http::{HeaderMap, StatusCode, Uri},
	response::{IntoResponse, Response},
	routing::{get, post},
	Json, Router,
};
use gonka_inference::api::ApiError;
use gonka_primitives::{hosts::ModelId, market::SessionId, Balance};
use std::sync::{Arc, RwLock};

/// The terms a renewing gateway opens each new session with.
#[derive(Clone, Debug)]
pub struct SessionTerms {
	/// Catalogue model.
	pub model: ModelId,
	/// Deposit held per session, in base units.
	pub deposit: Balance,
	/// Most tokens (prompt and completion) per request.
	pub max_tokens_per_request: u32,
	/// Blocks each session stays open.
	pub duration: u32,
}

/// The OpenAI endpoint of a gateway, renewing its session when it ends (if it has terms).
pub struct Renewing {
	chain: ChainClient,
	payer: subxt_signer::sr25519::Keypair,
	terms: Option<SessionTerms>,
	current: RwLock<Arc<Gateway>>,
	renewal: tokio::sync::Mutex<()>,
}

impl Renewing {
	/// Serves `first`; with `terms`, opens the next session when it ends, else refuses with
	/// 402 `session_closed` from then on.
	pub fn new(
		chain: ChainClient,
		payer: subxt_signer::sr25519::Keypair,
		first: Gateway,
		terms: Option<SessionTerms>,
	) -> Self {
		Self {
			chain,
			payer,
			terms,
			current: RwLock::new(Arc::new(first)),
			renewal: tokio::sync::Mutex::new(()),
		}
	}

	/// The gateway of the current session.
	pub fn current(&self) -> Arc<Gateway> {
		self.current.read().expect("current").clone()
	}

	/// The OpenAI routes.
	pub fn router(self: &Arc<Self>) -> Router {
		Router::new()
			.route("/v1/models", get(models))
			.route("/v1/chat/completions", post(complete))
			.route("/v1/completions", post(complete))
			.with_state(self.clone())
	}

	/// A usable gateway: the current one, or one for a new session if it is closing.
	async fn usable(&self) -> Result<Arc<Gateway>, ApiError> {
		let g = self.current();
		let closing = match g.closing().await {
			Ok(c) => c,
			// Settled: no session left to read.
			Err(e) if e.code == Some("session_closed") => true,
			Err(e) => return Err(e),
		};
		if !closing || self.terms.is_none() {
			return Ok(g);
		}
		self.renew(g.session).await
	}

	/// Opens the next session unless another request already did (`stale` is the session
	/// found closing).
	async fn renew(&self, stale: SessionId) -> Result<Arc<Gateway>, ApiError> {
		let _one_at_a_time = self.renewal.lock().await;
		let g = self.current();
		if g.session != stale {
			return Ok(g);
		}
		let terms = self.terms.as_ref().expect("only renewing gateways renew");
		let failed = |what: &str, e: anyhow::Error| {
			ApiError::named(
				StatusCode::PAYMENT_REQUIRED,
				"insufficient_quota",
				"session_renewal_failed",
				format!(
					"Session {stale} ends and {what} failed: {e:#}. Fund the account or start \
					 the gateway with a session you opened."
				),
			)
		};
		let (delegate, account) = new_delegate();
		let id = self
			.chain
			.open_session(
				&self.payer,
				terms.model,
				terms.deposit,
				terms.max_tokens_per_request,
				terms.duration,
				Some(account),
			)
			.await
			.map_err(|e| failed("opening the next session", e))?;
		let next = Gateway::new(self.chain.clone(), self.payer.clone(), Some(delegate), id)
			.await
			.map_err(|e| failed("reading the next session", e))?;
		eprintln!(
			"gonka-worker event=session_renewed old={stale} new={id} deposit={}",
			terms.deposit
		);
		let next = Arc::new(next);
		*self.current.write().expect("current") = next.clone();
		Ok(next)
	}
}

async fn models(State(r): State<Arc<Renewing>>) -> Json<serde_json::Value> {
	Json(serde_json::json!({
		"object": "list",
		"data": [{
			"id": r.current().model_name,
			"object": "model",
			"created": 0,
			"owned_by": "gonka",
		}],
	}))
}

/// `POST /v1/chat/completions` and `/v1/completions` on the current session.
async fn complete(
	State(r): State<Arc<Renewing>>,
	uri: Uri,
	headers: HeaderMap,
	body: Bytes,
) -> Response {
	let g = match r.usable().await {
		Ok(g) => g,
		Err(e) => return e.into_response(),
	};
	match route(&g, uri.path(), &headers, body).await {
		Ok(r) => r,
		Err(e) => e.into_response(),
	}
}
