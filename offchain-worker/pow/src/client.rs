//! HTTP client of the proof API, used by validators to fetch a target host's proofs.
//!
//! A target is untrusted: every answer is read with a size cap ([`MAX_RESPONSE_BYTES`]), every
//! request has a timeout, and [`ProofClient::proofs_until`] retries a target that does not answer
//! before a deadline, so one slow or hostile host can neither exhaust a validator's memory nor
//! hold it past the validation window (`docs/sprint-security.md`, attack 7).

use crate::{
	merkle::LeafProof,
	wire::{
		CommitmentJson, ErrorBody, ProofRequest, ProofsResponse, WireError, MAX_INDICES_PER_REQUEST,
	},
};
use gonka_primitives::pow::{EpochIndex, SprintCommitment};
use std::time::{Duration, Instant};

/// Largest answer a validator reads from a proof server, in bytes. A full answer of
/// [`MAX_INDICES_PER_REQUEST`] proofs in a tree of 2^32 leaves (32 sibling hashes of 66 hex
/// characters per proof, plus the leaf) is under 700 KB of JSON; 4 MiB leaves room and stops a
/// host that answers with an endless body.
pub const MAX_RESPONSE_BYTES: usize = 4 << 20;

/// Largest error body read from a proof server, in bytes (only for the log line).
const MAX_ERROR_BYTES: usize = 16 << 10;

/// Why proofs could not be fetched. Every variant means "proofs not served" for the verdict.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
	/// No connection, no answer in time, or a broken answer at the HTTP level.
	#[error("host did not answer: {0}")]
	Unreachable(#[from] reqwest::Error),
	/// The host answered with an error status.
	#[error("host answered {status}: {body}")]
	Status {
		/// HTTP status.
		status: u16,
		/// Error code from the body, or the raw body.
		body: String,
	},
	/// The answer does not decode or does not answer the question asked.
	#[error("malformed answer: {0}")]
	Malformed(String),
	/// The answer is larger than the cap.
	#[error("answer larger than {0} bytes")]
	TooLarge(usize),
	/// The target did not serve its proofs before the deadline (after `attempts` tries).
	#[error("no answer before the deadline after {attempts} attempt(s): {last}")]
	Deadline {
		/// Requests tried.
		attempts: u32,
		/// The last failure, if any request finished.
		last: String,
	},
}

impl FetchError {
	/// Whether trying again may help: no answer, a timeout, or a server-side error status
	/// (5xx, 429). A wrong or oversized answer is final.
	pub fn is_transient(&self) -> bool {
		match self {
			FetchError::Unreachable(_) => true,
			FetchError::Status { status, .. } => *status >= 500 || *status == 429,
			_ => false,
		}
	}
}

/// Reads `response`'s body, refusing more than `limit` bytes (checked on the announced length
/// first, then while streaming).
async fn read_capped(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, FetchError> {
	if response.content_length().is_some_and(|n| n > limit as u64) {
		return Err(FetchError::TooLarge(limit));
	}
	let mut body = Vec::new();
	while let Some(chunk) = response.chunk().await? {
		if body.len() + chunk.len() > limit {
			return Err(FetchError::TooLarge(limit));
		}
		body.extend_from_slice(&chunk);
	}
	Ok(body)
}

/// Decodes a capped JSON answer.
async fn read_json<R: serde::de::DeserializeOwned>(
	response: reqwest::Response,
) -> Result<R, FetchError> {
	let body = read_capped(response, MAX_RESPONSE_BYTES).await?;
	serde_json::from_slice(&body).map_err(|e| FetchError::Malformed(e.to_string()))
}

impl From<WireError> for FetchError {
	fn from(e: WireError) -> Self {
		FetchError::Malformed(e.to_string())
	}
}

/// A client for one host's proof server.
#[derive(Clone, Debug)]
pub struct ProofClient {
	http: reqwest::Client,
	base_url: String,
}

impl ProofClient {
	/// A client for `base_url` (e.g. `http://10.0.0.5:8080`), giving up on any request after
	/// `timeout` (a host too slow to answer counts as not serving).
	pub fn new(base_url: &str, timeout: Duration) -> Result<Self, FetchError> {
		let http = reqwest::Client::builder().timeout(timeout).connect_timeout(timeout).build()?;
		Ok(Self { http, base_url: base_url.trim_end_matches('/').to_string() })
	}

	async fn check(response: reqwest::Response) -> Result<reqwest::Response, FetchError> {
		if response.status().is_success() {
			return Ok(response);
		}
		let status = response.status().as_u16();
		let text = read_capped(response, MAX_ERROR_BYTES)
			.await
			.map(|b| String::from_utf8_lossy(&b).into_owned())
			.unwrap_or_default();
		let body = serde_json::from_str::<ErrorBody>(&text).map(|e| e.error).unwrap_or(text);
		Err(FetchError::Status { status, body })
	}

	/// The commitment the host serves for `epoch` (validators normally read it from the chain;
	/// this is for tooling and offline checks).
	pub async fn commitment(&self, epoch: EpochIndex) -> Result<SprintCommitment, FetchError> {
		let url = format!("{}/v1/pow/{epoch}/commitment", self.base_url);
		let response = Self::check(self.http.get(url).send().await?).await?;
		let json: CommitmentJson = read_json(response).await?;
		Ok(SprintCommitment::try_from(&json)?)
	}

	/// Fetches the proofs of `indices` (any number; split into requests of at most
	/// [`MAX_INDICES_PER_REQUEST`]), in the order asked. Fails if the host answers with other
	/// indices than asked.
	pub async fn proofs(
		&self,
		epoch: EpochIndex,
		indices: &[u32],
	) -> Result<Vec<LeafProof>, FetchError> {
		let url = format!("{}/v1/pow/{epoch}/proofs", self.base_url);
		let mut out = Vec::with_capacity(indices.len());
		for chunk in indices.chunks(MAX_INDICES_PER_REQUEST) {
			let request = ProofRequest { indices: chunk.to_vec() };
			let response = Self::check(self.http.post(&url).json(&request).send().await?).await?;
			let answer: ProofsResponse = read_json(response).await?;
			if answer.proofs.len() != chunk.len()
				|| answer.proofs.iter().zip(chunk).any(|(p, &i)| p.index != i)
			{
				return Err(FetchError::Malformed(
					"proofs do not match the requested indices".into(),
				));
			}
			for proof in &answer.proofs {
				out.push(LeafProof::try_from(proof)?);
			}
		}
		Ok(out)
	}

	/// [`ProofClient::proofs`], tried again after a transient failure (no answer, 5xx, 429) with
	/// a doubling pause from 250 ms, until `deadline`. A target that never answers in time gets
	/// [`FetchError::Deadline`]; a wrong or oversized answer fails at once. This is what decides
	/// "proofs not served", which the chain treats as an invalid verdict: one dropped packet
	/// must not make an honest host look absent.
	pub async fn proofs_until(
		&self,
		epoch: EpochIndex,
		indices: &[u32],
		deadline: Instant,
	) -> Result<Vec<LeafProof>, FetchError> {
		let mut attempts = 0u32;
		let mut pause = Duration::from_millis(250);
		let mut last = String::from("no request finished");
		loop {
			let left = deadline.saturating_duration_since(Instant::now());
			if left.is_zero() {
				return Err(FetchError::Deadline { attempts, last });
			}
			attempts += 1;
			match tokio::time::timeout(left, self.proofs(epoch, indices)).await {
				Ok(Ok(proofs)) => return Ok(proofs),
				Ok(Err(e)) if !e.is_transient() => return Err(e),
				Ok(Err(e)) => last = e.to_string(),
				Err(_) => last = "timed out".into(),
			}
			let left = deadline.saturating_duration_since(Instant::now());
			tokio::time::sleep(pause.min(left)).await;
			pause = (pause * 2).min(Duration::from_secs(4));
		}
	}
}
