//! Validation end to end on the tiny preset: an honest host's proofs over real HTTP are
//! accepted; forged leaves, wrong paths, invalid nonces, duplicated leaves and silent hosts are
//! caught.

use binary_merkle_tree::merkle_proof;
use codec::Encode;
use gonka_pow::{
	client::{FetchError, ProofClient},
	device::ComputeDevice,
	merkle::{LeafProof, SprintTree},
	model::SprintModel,
	params::tiny_params,
	search::{nonce_distances, search, SearchConfig},
	server::{proof_router, ProofStore},
	validate::{judge, validate_over_http, SampleOutcome, ValidationTask},
	PowLeaf, SprintCommitment, ValidationVerdict,
};
use gonka_primitives::pow::distance_to_fixed;
use sp_core::H256;
use sp_runtime::traits::BlakeTwo256;
use std::{net::SocketAddr, sync::atomic::AtomicBool, sync::Arc, time::Duration};

const SEED: [u8; 32] = [0x31; 32];
const HOST: [u8; 32] = [0x32; 32];
const VALIDATOR: [u8; 32] = [0x33; 32];
const EPOCH: u32 = 9;

fn model() -> SprintModel {
	SprintModel::new(tiny_params(), &SEED, ComputeDevice::cpu()).unwrap()
}

fn honest_tree(model: &SprintModel) -> SprintTree {
	let config = SearchConfig {
		seed: SEED,
		worker_key: HOST,
		start_nonce: 0,
		max_nonces: Some(80),
		duration: None,
		batch_size: 16,
		producer_threads: 1,
		lanes: 2,
	};
	let leaves = search(model, &config, &AtomicBool::new(false), |_| {}).unwrap().leaves;
	assert!(leaves.len() >= 3, "the tiny preset should give several valid nonces in 80");
	SprintTree::new(leaves).unwrap()
}

fn task(commitment: SprintCommitment, samples: u32) -> ValidationTask {
	ValidationTask {
		target_account: HOST,
		seed: SEED,
		params: tiny_params(),
		target_key: HOST,
		validator_key: VALIDATOR,
		commitment,
		samples,
	}
}

async fn serve(tree: SprintTree) -> SocketAddr {
	let store = Arc::new(ProofStore::new());
	store.insert(EPOCH, tree);
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let addr = listener.local_addr().unwrap();
	tokio::spawn(async move { axum::serve(listener, proof_router(store)).await.unwrap() });
	addr
}

fn client(addr: SocketAddr) -> ProofClient {
	ProofClient::new(&format!("http://{addr}"), Duration::from_secs(5)).unwrap()
}

/// Judges locally served proofs after `tamper` edits them.
fn judge_tampered(
	model: &SprintModel,
	tree: &SprintTree,
	tamper: impl Fn(&mut Vec<LeafProof>),
) -> gonka_pow::validate::ValidationReport {
	let t = task(tree.commitment(EPOCH), tree.count());
	let (sampled, requested) = t.plan();
	let mut proofs: Vec<LeafProof> = requested.iter().map(|&i| tree.proof(i).unwrap()).collect();
	tamper(&mut proofs);
	judge(&t, &sampled, &requested, Ok(proofs), model, 4).unwrap()
}

#[tokio::test]
async fn honest_host_over_http_is_accepted() {
	let model = model();
	let tree = honest_tree(&model);
	let commitment = tree.commitment(EPOCH);
	let addr = serve(tree.clone()).await;
	let report = validate_over_http(&task(commitment, 4), &client(addr), &model, 4).await.unwrap();
	assert_eq!(
		report.verdict,
		ValidationVerdict {
			samples_checked: 4.min(tree.count()),
			mismatches: 0,
			proofs_not_served: false
		}
	);
	assert!(report.samples.iter().all(|(_, _, o)| matches!(o, SampleOutcome::Valid { .. })));
	// The commitment as served matches.
	assert_eq!(client(addr).commitment(EPOCH).await.unwrap(), commitment);
}

#[test]
fn forged_leaf_and_wrong_path_are_mismatches() {
	let model = model();
	let tree = honest_tree(&model);
	let forged = judge_tampered(&model, &tree, |proofs| proofs[0].leaf.distance -= 1);
	assert_eq!(forged.verdict.mismatches, 1);
	assert_eq!(forged.samples[0].2, SampleOutcome::BadPath);

	let wrong_path = judge_tampered(&model, &tree, |proofs| {
		let last = proofs.len() - 1;
		proofs[last].path[0] = H256::repeat_byte(7);
	});
	assert!(wrong_path.verdict.mismatches >= 1);
	assert!(wrong_path.samples.iter().any(|(_, _, o)| *o == SampleOutcome::BadPath));
	assert!(!wrong_path.verdict.proofs_not_served);
}

#[test]
fn invalid_nonces_are_mismatches() {
	let model = model();
	let r = tiny_params().r_target;
	// A cheater commits nonces whose true distance is over the radius, claiming one under it;
	// and one nonce with an honest claim over the radius.
	let nonces: Vec<u64> = (1000..1100).collect();
	let distances = nonce_distances(&model, &SEED, &HOST, &nonces, 16).unwrap();
	let invalid: Vec<u64> = nonces
		.iter()
		.zip(&distances)
		.filter(|(_, &d)| distance_to_fixed(d) > r + 20_000_000)
		.map(|(&n, _)| n)
		.take(3)
		.collect();
	let mut leaves: Vec<PowLeaf> =
		invalid[..2].iter().map(|&nonce| PowLeaf { nonce, distance: r - 1 }).collect();
	leaves.push(PowLeaf { nonce: invalid[2], distance: r + 5 });
	let tree = SprintTree::new(leaves).unwrap();
	let report = judge_tampered(&model, &tree, |_| {});
	assert_eq!(
		report.verdict,
		ValidationVerdict { samples_checked: 3, mismatches: 3, proofs_not_served: false }
	);
	let outcomes: Vec<_> = report.samples.iter().map(|(_, _, o)| o.clone()).collect();
	assert!(
		matches!(outcomes[0], SampleOutcome::Mismatch { claimed, recomputed } if claimed == r - 1 && recomputed > r)
	);
	assert!(matches!(outcomes[1], SampleOutcome::Mismatch { .. }));
	assert_eq!(outcomes[2], SampleOutcome::ClaimedOverRadius { claimed: r + 5 });
}

#[test]
fn duplicated_leaves_are_caught_by_the_order_check() {
	let model = model();
	let honest = honest_tree(&model);
	// Commit the same valid leaf three times (SprintTree refuses; a cheater would not use it).
	let leaf = honest.leaves()[0];
	let encoded: Vec<Vec<u8>> = vec![leaf.encode(); 3];
	let root = binary_merkle_tree::merkle_root::<BlakeTwo256, _>(encoded.clone());
	let commitment = SprintCommitment { epoch: EPOCH, count: 3, merkle_root: root };
	let t = task(commitment, 3);
	let (sampled, requested) = t.plan();
	let proofs = requested
		.iter()
		.map(|&i| {
			let p = merkle_proof::<BlakeTwo256, _, _>(encoded.clone(), i);
			LeafProof { index: i, leaf, path: p.proof }
		})
		.collect();
	let report = judge(&t, &sampled, &requested, Ok(proofs), &model, 4).unwrap();
	assert_eq!(report.verdict.mismatches, 2, "{:?}", report.samples);
	assert_eq!(report.samples[0].2, SampleOutcome::OutOfOrder);
	assert!(matches!(report.samples[2].2, SampleOutcome::Valid { .. }));
}

#[tokio::test]
async fn silent_or_refusing_hosts_have_not_served_proofs() {
	let model = model();
	let tree = honest_tree(&model);
	let t = task(tree.commitment(EPOCH), 4);
	let not_served =
		ValidationVerdict { samples_checked: 0, mismatches: 0, proofs_not_served: true };

	// Nobody listens on the port any more: connection refused.
	let gone = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let gone_addr = gone.local_addr().unwrap();
	drop(gone);
	let report = validate_over_http(&t, &client(gone_addr), &model, 4).await.unwrap();
	assert_eq!(report.verdict, not_served);

	// Something accepts connections but never answers: the client times out.
	let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let silent_addr = silent.local_addr().unwrap();
	let slow =
		ProofClient::new(&format!("http://{silent_addr}"), Duration::from_millis(300)).unwrap();
	let report = validate_over_http(&t, &slow, &model, 4).await.unwrap();
	assert_eq!(report.verdict, not_served);
	drop(silent);

	// A server that does not have the epoch answers 404: not served either.
	let addr = serve(tree.clone()).await;
	let mut other_epoch = t.clone();
	other_epoch.commitment.epoch = EPOCH + 1;
	let report = validate_over_http(&other_epoch, &client(addr), &model, 4).await.unwrap();
	assert_eq!(report.verdict, not_served);
	assert!(report.not_served_reason.unwrap().contains("unknown_epoch"));

	// Proofs missing from a local answer also count as not served.
	let (sampled, requested) = t.plan();
	let report = judge(&t, &sampled, &requested, Ok(vec![]), &model, 4).unwrap();
	assert_eq!(report.verdict, not_served);
	let report =
		judge(&t, &sampled, &requested, Err(FetchError::Malformed("x".into())), &model, 4).unwrap();
	assert_eq!(report.verdict, not_served);
}

#[test]
fn near_misses_within_tolerance_are_still_mismatches() {
	let model = model();
	let nonce = 4242;
	let true_distance =
		distance_to_fixed(nonce_distances(&model, &SEED, &HOST, &[nonce], 1).unwrap()[0]);
	// Put the radius just under the nonce's true distance (closer than the tolerance) and let
	// the host claim a distance just under the radius: the claim is within tolerance of the
	// truth, but the nonce is not valid.
	let radius = true_distance - 1_000;
	let tree = SprintTree::new(vec![PowLeaf { nonce, distance: radius - 1 }]).unwrap();
	let mut t = task(tree.commitment(EPOCH), 1);
	t.params.r_target = radius;
	let (sampled, requested) = t.plan();
	let proofs = vec![tree.proof(0).unwrap()];
	let report = judge(&t, &sampled, &requested, Ok(proofs), &model, 1).unwrap();
	assert_eq!(
		report.samples[0].2,
		SampleOutcome::Mismatch { claimed: radius - 1, recomputed: true_distance }
	);
	// The same claim under a radius just above the truth is valid.
	t.params.r_target = true_distance + 1;
	let tree = SprintTree::new(vec![PowLeaf { nonce, distance: true_distance - 300 }]).unwrap();
	t.commitment = tree.commitment(EPOCH);
	let report =
		judge(&t, &sampled, &requested, Ok(vec![tree.proof(0).unwrap()]), &model, 1).unwrap();
	assert!(matches!(report.samples[0].2, SampleOutcome::Valid { .. }), "{report:?}");
}
