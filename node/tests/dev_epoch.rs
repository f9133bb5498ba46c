//! End to end: a real `gonka-node --dev` runs sprint epochs on its own. The seed appears at
//! every sprint start; the genesis hosts' worker keys (accounts that own nothing) commit and
//! judge through fee-less general transactions; the weights activate at the epoch switch and
//! the epoch's GNK is claimable in proportion to them.
//!
//! The test plays the workers' part with made-up Merkle roots (the validators' verdicts say
//! "all samples matched"); `gonka-worker` does the real search and checks.

mod common;

use common::{account, call_api, free_balance};

use std::time::{Duration, Instant};

use codec::Encode;
use gonka_primitives::{
	crypto::worker::WorkerPair,
	epoch::Phase,
	pow::{EpochIndex, SprintCommitment, ValidationVerdict},
	sprint::{commitment_payload, verdicts_payload},
};
use gonka_runtime::{genesis_config_presets::DEV_EPOCH_CLOCK, AccountId, Balance, RuntimeCall};
use pallet_gonka_sprint::{Assignment, EpochStatus};
use sp_core::{Pair as _, H256};
use subxt::{dynamic, OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::dev;

type Client = OnlineClient<PolkadotConfig>;

/// Milliseconds per block: a 20-block dev epoch takes 20 s.
const BLOCK_MS: u64 = 1_000;

/// The longest wait for any one phase (generous: the machine may be busy).
const PHASE_TIMEOUT: Duration = Duration::from_secs(240);

async fn status(client: &Client) -> EpochStatus {
	call_api(client, "SprintApi_epoch_status", ()).await
}

/// Polls the finalized state until `ready` accepts the epoch status.
async fn wait_for(
	node: &common::DevNode,
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
async fn submit_general(node: &common::DevNode, client: &Client, call: RuntimeCall) {
	let bytes = gonka_runtime::general_transaction(call).encode();
	let at = client.at_current_block().await.unwrap();
	at.transactions()
		.from_bytes(bytes)
		.submit_and_watch()
		.await
		.unwrap_or_else(|e| panic!("general transaction refused: {e}\n{}", node.log_tail()))
		.wait_for_finalized_success()
		.await
		.unwrap_or_else(|e| panic!("general transaction failed: {e}\n{}", node.log_tail()));
}

fn worker(uri: &str) -> WorkerPair {
	WorkerPair::from_string(uri, None).expect("dev URI")
}

#[tokio::test(flavor = "multi_thread")]
async fn dev_node_runs_sprint_epochs_and_pays_by_weight() {
	let node = common::DevNode::start(BLOCK_MS);
	let client = node.client(common::STARTUP_TIMEOUT).await;
	let hosts =
		[("//Alice//worker", account(&dev::alice())), ("//Bob//worker", account(&dev::bob()))];
	let counts = [30u32, 20];

	// The chain runs the dev clock from its chain spec.
	let clock: pallet_gonka_sprint::EpochClock =
		call_api(&client, "SprintApi_epoch_clock", ()).await;
	assert_eq!(clock, DEV_EPOCH_CLOCK);

	// A sprint with time left to commit: its seed is fixed.
	let sprint = wait_for(&node, &client, "a sprint with >= 3 blocks left", |s| {
		s.phase == Phase::Sprint && s.blocks_left >= 3
	})
	.await;
	let epoch: EpochIndex = sprint.epoch;
	let seed = sprint.seed.expect("the seed is fixed at the sprint start");
	assert!(sprint.params.is_some(), "the dev preset sets PoW parameters");

	// Both genesis hosts commit, signed by their worker keys, paying nothing.
	for ((uri, host), count) in hosts.iter().zip(counts) {
		let commitment = SprintCommitment { epoch, count, merkle_root: H256::repeat_byte(7) };
		let signature = worker(uri).sign(&commitment_payload(&commitment, host));
		let call = pallet_gonka_sprint::Call::submit_commitment {
			commitment,
			host: host.clone(),
			signature,
		};
		submit_general(&node, &client, call.into()).await;
	}

	// In the validation window, each genesis validator judges its assigned targets.
	wait_for(&node, &client, "the validation window", |s| {
		s.epoch == epoch && s.phase == Phase::Validation
	})
	.await;
	for (uri, validator) in &hosts {
		let assignments: Vec<Assignment<AccountId>> =
			call_api(&client, "SprintApi_assignments", (epoch, validator.clone())).await;
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
		let signature = worker(uri).sign(&verdicts_payload(epoch, validator, &verdicts));
		let call = pallet_gonka_sprint::Call::submit_verdicts {
			epoch,
			validator: validator.clone(),
			verdicts: verdicts.try_into().unwrap(),
			signature,
		};
		submit_general(&node, &client, call.into()).await;
	}

	// The weights activate at the switch to the next epoch.
	wait_for(&node, &client, "the next epoch", |s| s.epoch > epoch).await;
	let active: Option<EpochIndex> = call_api(&client, "SprintApi_active_epoch", ()).await;
	assert_eq!(active, Some(epoch));
	let total: u128 = call_api(&client, "SprintApi_total_weight", epoch).await;
	let mut weights = Vec::new();
	for (_, host) in &hosts {
		let w: u128 = call_api(&client, "SprintApi_weight_of", (epoch, host.clone())).await;
		assert!(w > 0, "an accepted host has weight");
		weights.push(w);
	}
	assert_eq!(total, weights.iter().sum::<u128>());
	let next = status(&client).await;
	assert_ne!(next.seed, Some(seed), "each epoch has its own seed");

	// Emission: each host can claim its share of the epoch's reward.
	let reward = pallet_gonka_emission::defaults::INITIAL_REWARD;
	let scheduled: Balance = call_api(&client, "EmissionApi_scheduled_reward", epoch).await;
	assert!(scheduled > 0 && scheduled <= reward);
	let mut claimable = Vec::new();
	for ((_, host), w) in hosts.iter().zip(&weights) {
		let c: Balance = call_api(&client, "EmissionApi_claimable", (host.clone(), epoch)).await;
		assert_eq!(c, scheduled * w / total, "share by weight");
		claimable.push(c);
	}
	// Alice claims for Bob (claims are open to anyone, so a host without funds gets paid).
	let bob = &hosts[1].1;
	let before = free_balance(&client, bob).await;
	let claim_for = dynamic::transaction(
		"Emission",
		"claim_for",
		(subxt::dynamic::Value::from_bytes(<[u8; 32]>::from(bob.clone())), epoch),
	);
	client
		.at_current_block()
		.await
		.unwrap()
		.transactions()
		.sign_and_submit_then_watch_default(&claim_for, &dev::alice())
		.await
		.unwrap_or_else(|e| panic!("claim refused: {e}\n{}", node.log_tail()))
		.wait_for_finalized_success()
		.await
		.unwrap_or_else(|e| panic!("claim failed: {e}\n{}", node.log_tail()));
	assert_eq!(free_balance(&client, bob).await, before + claimable[1], "Bob got his share");
	let again: Balance = call_api(&client, "EmissionApi_claimable", (bob.clone(), epoch)).await;
	assert_eq!(again, 0, "an epoch is claimed once");

	// `gonka-worker status` reads the same from the node: Alice's weight and unclaimed share.
	let out = std::process::Command::new(common::worker_binary())
		.args(["status", "--url", &node.rpc_url, "--host", &hosts[0].1.to_string(), "--json"])
		.output()
		.expect("gonka-worker runs");
	assert!(out.status.success(), "status failed: {}", String::from_utf8_lossy(&out.stderr));
	let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
	assert_eq!(report["registered"], true);
	assert_eq!(report["active"], true);
	let active_epoch = report["activeEpoch"].as_u64().expect("an active epoch");
	assert!(active_epoch >= epoch as u64);
	if active_epoch == epoch as u64 {
		assert_eq!(report["weight"], weights[0].to_string());
		assert_eq!(report["totalWeight"], total.to_string());
	}
	let unclaimed = report["claimable"].as_array().expect("claimable list");
	assert!(
		unclaimed.iter().any(|c| c["epoch"] == epoch && c["amount"] == claimable[0].to_string()),
		"Alice has not claimed epoch {epoch}: {report}"
	);
}
