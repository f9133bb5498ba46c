//! Playing the genesis hosts' workers in a dev node's sprint: commitments and verdicts signed by
//! their worker keys, sent as fee-less general transactions, so that their weights activate at
//! the next epoch switch. (`gonka-worker` does the real search and checks; these tests need the
//! chain's side only.)

use std::time::{Duration, Instant};

use codec::Encode;
use gonka_primitives::{
	crypto::worker::WorkerPair,
	epoch::Phase,
	pow::{EpochIndex, SprintCommitment, ValidationVerdict},
	sprint::{commitment_payload, verdicts_payload},
};
use gonka_runtime::{AccountId, RuntimeCall};
use pallet_gonka_sprint::{Assignment, EpochStatus};
use sp_core::{Pair as _, H256};
use subxt::{OnlineClient, PolkadotConfig};

use super::{call_api, DevNode};

type Client = OnlineClient<PolkadotConfig>;

/// The longest wait for any one phase (generous: the machine may be busy).
pub const PHASE_TIMEOUT: Duration = Duration::from_secs(240);

/// The epoch status at the latest finalized block.
pub async fn status(client: &Client) -> EpochStatus {
	call_api(client, "SprintApi_epoch_status", ()).await
}

/// Polls the finalized state until `ready` accepts the epoch status.
pub async fn wait_for(
	node: &DevNode,
	client: &Client,
	what: &str,
	ready: impl Fn(&EpochStatus) -> bool,
) -> EpochStatus {
	let start = Instant::now();
	loop {
		let s = status(client).await;
		if ready(&s) {
			return s;
		}
		assert!(
			start.elapsed() < PHASE_TIMEOUT,
			"waited {PHASE_TIMEOUT:?} for {what}; last status {s:?}\n{}",
			node.log_tail()
		);
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
}

/// Submits a fee-less general transaction and waits until it is finalized successfully.
pub async fn submit_general(node: &DevNode, client: &Client, call: RuntimeCall) {
	super::chain(client)
		.submit_encoded(gonka_runtime::general_transaction(call).encode())
		.await
		.unwrap_or_else(|e| panic!("general transaction: {e:#}\n{}", node.log_tail()));
}

/// The worker key pair of a dev secret URI (`//Alice//worker`).
pub fn worker(uri: &str) -> WorkerPair {
	WorkerPair::from_string(uri, None).expect("dev URI")
}

/// Waits for a sprint with time left, then each `(worker URI, host)` commits its `count`.
/// Returns the sprint's status.
pub async fn commit_all(
	node: &DevNode,
	client: &Client,
	hosts: &[(&str, AccountId)],
	counts: &[u32],
) -> EpochStatus {
	let sprint = wait_for(node, client, "a sprint with >= 3 blocks left", |s| {
		s.phase == Phase::Sprint && s.blocks_left >= 3
	})
	.await;
	let genesis: [u8; 32] = call_api(client, "SprintApi_genesis_hash", ()).await;
	for ((uri, host), count) in hosts.iter().zip(counts) {
		let commitment = SprintCommitment {
			epoch: sprint.epoch,
			count: *count,
			merkle_root: H256::repeat_byte(7),
		};
		let record: Option<pallet_gonka_sprint::CommitmentRecord> =
			call_api(client, "SprintApi_commitment", (sprint.epoch, host.clone())).await;
		let submission = record.map_or(0, |r| r.submissions);
		let payload = commitment_payload(&genesis, &commitment, submission, host);
		let signature = worker(uri).sign(&payload);
		let call = pallet_gonka_sprint::Call::submit_commitment {
			commitment,
			submission,
			host: host.clone(),
			signature,
		};
		submit_general(node, client, call.into()).await;
	}
	sprint
}

/// In `epoch`'s validation window, each `(worker URI, validator)` judges all its assigned
/// targets valid.
pub async fn judge_all(
	node: &DevNode,
	client: &Client,
	epoch: EpochIndex,
	validators: &[(&str, AccountId)],
) {
	wait_for(node, client, "the validation window", |s| {
		s.epoch == epoch && s.phase == Phase::Validation
	})
	.await;
	let genesis: [u8; 32] = call_api(client, "SprintApi_genesis_hash", ()).await;
	for (uri, validator) in validators {
		let assignments: Vec<Assignment<AccountId>> =
			call_api(client, "SprintApi_assignments", (epoch, validator.clone())).await;
		assert!(!assignments.is_empty(), "{uri} judges the other host");
		let verdicts: Vec<(AccountId, ValidationVerdict)> = assignments
			.into_iter()
			.map(|a| {
				let verdict = ValidationVerdict {
					samples_checked: a.indices.len() as u32,
					mismatches: 0,
					proofs_not_served: false,
				};
				(a.target, verdict)
			})
			.collect();
		let signature = worker(uri).sign(&verdicts_payload(&genesis, epoch, validator, &verdicts));
		let call = pallet_gonka_sprint::Call::submit_verdicts {
			epoch,
			validator: validator.clone(),
			verdicts: verdicts.try_into().unwrap(),
			signature,
		};
		submit_general(node, client, call.into()).await;
	}
}

/// A whole sprint for the genesis hosts: they commit, judge each other valid, and their
/// weights activate at the next epoch switch. Returns the proven epoch.
pub async fn prove_epoch(
	node: &DevNode,
	client: &Client,
	hosts: &[(&str, AccountId)],
	counts: &[u32],
) -> EpochIndex {
	let epoch = commit_all(node, client, hosts, counts).await.epoch;
	judge_all(node, client, epoch, hosts).await;
	wait_for(node, client, "the next epoch", |s| s.epoch > epoch).await;
	epoch
}
