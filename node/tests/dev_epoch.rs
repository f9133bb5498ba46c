//! End to end: a real `gonka-node --dev` runs sprint epochs on its own. The seed appears at
//! every sprint start; the genesis hosts' worker keys (accounts that own nothing) commit and
//! judge through fee-less general transactions; the weights activate at the epoch switch and
//! the epoch's GNK is claimable in proportion to them.
//!
//! The test plays the workers' part with made-up Merkle roots (the validators' verdicts say
//! "all samples matched"); `gonka-worker` does the real search and checks.

mod common;

use common::{
	account, call_api, free_balance,
	sprint::{commit_all, judge_all, status, wait_for},
};

use gonka_primitives::pow::EpochIndex;
use gonka_runtime::{genesis_config_presets::DEV_EPOCH_CLOCK, Balance};
use subxt::dynamic;
use subxt_signer::sr25519::dev;

/// Milliseconds per block: a 20-block dev epoch takes 20 s.
const BLOCK_MS: u64 = 1_000;

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

	// A sprint with time left to commit: its seed is fixed. Both genesis hosts commit, signed
	// by their worker keys, paying nothing.
	let sprint = commit_all(&node, &client, &hosts, &counts).await;
	let epoch: EpochIndex = sprint.epoch;
	let seed = sprint.seed.expect("the seed is fixed at the sprint start");
	assert!(sprint.params.is_some(), "the dev preset sets PoW parameters");

	// In the validation window, each genesis validator judges its assigned targets.
	judge_all(&node, &client, epoch, &hosts).await;

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
