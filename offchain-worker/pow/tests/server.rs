//! The proof server over real HTTP on 127.0.0.1: answers, and named 4xx errors with JSON bodies.

use gonka_pow::{
	merkle::{verify_leaf, LeafProof, SprintTree},
	server::{proof_router, ProofStore},
	wire::{ErrorBody, ProofsResponse, MAX_INDICES_PER_REQUEST, MAX_REQUEST_BYTES},
	PowLeaf, SprintCommitment,
};
use std::{net::SocketAddr, sync::Arc};

async fn serve(epoch: u32, leaves: u64) -> (SocketAddr, SprintTree) {
	let tree = SprintTree::new(
		(0..leaves)
			.map(|i| PowLeaf { nonce: 10 * i + 1, distance: 1_300_000_000 + i as u32 })
			.collect(),
	)
	.unwrap();
	let store = Arc::new(ProofStore::new());
	store.insert(epoch, tree.clone());
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let addr = listener.local_addr().unwrap();
	tokio::spawn(async move { axum::serve(listener, proof_router(store)).await.unwrap() });
	(addr, tree)
}

async fn post(addr: SocketAddr, path: &str, body: String, json: bool) -> (u16, String) {
	let mut request = reqwest::Client::new().post(format!("http://{addr}{path}")).body(body);
	if json {
		request = request.header("content-type", "application/json");
	}
	let response = request.send().await.unwrap();
	(response.status().as_u16(), response.text().await.unwrap())
}

fn error_code(status: u16, body: &str) -> (u16, String) {
	let error: ErrorBody = serde_json::from_str(body).unwrap_or_else(|e| panic!("{body}: {e}"));
	assert!(!error.message.is_empty());
	(status, error.error)
}

#[tokio::test]
async fn serves_commitment_and_verifiable_proofs() {
	let (addr, tree) = serve(3, 9).await;
	let commitment: gonka_pow::wire::CommitmentJson =
		reqwest::get(format!("http://{addr}/v1/pow/3/commitment"))
			.await
			.unwrap()
			.json()
			.await
			.unwrap();
	assert_eq!(SprintCommitment::try_from(&commitment).unwrap(), tree.commitment(3));

	let (status, body) =
		post(addr, "/v1/pow/3/proofs", r#"{"indices":[8,0,4]}"#.into(), true).await;
	assert_eq!(status, 200, "{body}");
	let answer: ProofsResponse = serde_json::from_str(&body).unwrap();
	assert_eq!(answer.proofs.iter().map(|p| p.index).collect::<Vec<_>>(), vec![8, 0, 4]);
	for proof in &answer.proofs {
		let proof = LeafProof::try_from(proof).unwrap();
		assert!(verify_leaf(&tree.root(), tree.count(), &proof));
		assert_eq!(proof.leaf, tree.leaves()[proof.index as usize]);
	}
}

#[tokio::test]
async fn bad_requests_get_named_errors_with_json_bodies() {
	let (addr, _) = serve(3, 9).await;
	let too_many = format!(r#"{{"indices":{:?}}}"#, vec![0u32; MAX_INDICES_PER_REQUEST + 1]);
	let huge = format!(r#"{{"indices":[{}0]}}"#, "0,".repeat(MAX_REQUEST_BYTES));
	let cases = [
		("/v1/pow/4/proofs", r#"{"indices":[0]}"#.to_string(), true, 404, "unknown_epoch"),
		("/v1/pow/3/proofs", r#"{"indices":[9]}"#.to_string(), true, 400, "index_out_of_range"),
		("/v1/pow/3/proofs", r#"{"indices":[]}"#.to_string(), true, 400, "empty_request"),
		("/v1/pow/3/proofs", too_many, true, 400, "too_many_indices"),
		("/v1/pow/3/proofs", r#"{"indices":[0]"#.to_string(), true, 400, "invalid_json"),
		("/v1/pow/3/proofs", r#"{"indexes":[0]}"#.to_string(), true, 400, "invalid_json"),
		(
			"/v1/pow/3/proofs",
			r#"{"indices":[0]}"#.to_string(),
			false,
			415,
			"unsupported_media_type",
		),
		("/v1/pow/3/proofs", huge, true, 413, "request_too_large"),
		("/v1/pow/three/proofs", r#"{"indices":[0]}"#.to_string(), true, 400, "invalid_epoch"),
	];
	for (path, body, json, status, code) in cases {
		let (got_status, got_body) = post(addr, path, body, json).await;
		assert_eq!(error_code(got_status, &got_body), (status, code.to_string()), "{path}");
	}
	let response = reqwest::get(format!("http://{addr}/v1/pow/5/commitment")).await.unwrap();
	let status = response.status().as_u16();
	assert_eq!(error_code(status, &response.text().await.unwrap()), (404, "unknown_epoch".into()));
}
