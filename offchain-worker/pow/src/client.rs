//! HTTP client of the proof API, used by validators to fetch a target host's proofs.

use crate::{
	merkle::LeafProof,
	wire::{
		CommitmentJson, ErrorBody, ProofRequest, ProofsResponse, WireError, MAX_INDICES_PER_REQUEST,
	},
};
use gonka_primitives::pow::{EpochIndex, SprintCommitment};
use std::time::Duration;

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
		let text = response.text().await.unwrap_or_default();
		let body = serde_json::from_str::<ErrorBody>(&text).map(|e| e.error).unwrap_or(text);
		Err(FetchError::Status { status, body })
	}

	/// The commitment the host serves for `epoch` (validators normally read it from the chain;
	/// this is for tooling and offline checks).
	pub async fn commitment(&self, epoch: EpochIndex) -> Result<SprintCommitment, FetchError> {
		let url = format!("{}/v1/pow/{epoch}/commitment", self.base_url);
		let response = Self::check(self.http.get(url).send().await?).await?;
		let json: CommitmentJson =
			response.json().await.map_err(|e| FetchError::Malformed(e.to_string()))?;
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
			let answer: ProofsResponse =
				response.json().await.map_err(|e| FetchError::Malformed(e.to_string()))?;
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
}
