//! End to end: the dev network governed without any sudo key. On a real `gonka-node --dev`,
//! the two genesis hosts prove compute in a sprint; Alice proposes new PoW parameters with
//! `gonka-worker gov propose`; a non-host is refused; Alice and Bob vote with
//! `gonka-worker gov vote` (an account with no compute is refused by name); `gov list` shows the
//! tally; the referendum passes on the `parameters` track, is enacted, and the sprint pallet's
//! runtime API reports the new parameters.

mod common;

use common::{
	account, call_api, gov, key_file, ok,
	sprint::{prove_epoch, status},
};

use std::{
	process::{Command, Stdio},
	time::{Duration, Instant},
};

use gonka_primitives::pow::PowParams;
use gonka_runtime::genesis_config_presets::DEV_POW_PARAMS;
use subxt_signer::sr25519::dev;

/// Milliseconds per block: the referendum (prepare 1, confirm 2, enact 2 blocks on the dev
/// clock) must finish inside the 20-block epoch whose weights vote.
const BLOCK_MS: u64 = 2_000;

#[tokio::test(flavor = "multi_thread")]
async fn hosts_change_a_sprint_parameter_by_compute_weighted_referendum() {
	let node = common::DevNode::start(BLOCK_MS);
	let client = node.client(common::STARTUP_TIMEOUT).await;
	let dir = tempfile::tempdir().unwrap();
	let alice = &key_file(dir.path(), "alice", "//Alice");
	let bob = &key_file(dir.path(), "bob", "//Bob");
	let charlie = &key_file(dir.path(), "charlie", "//Charlie");
	let deeper = PowParams { layers: DEV_POW_PARAMS.layers + 1, ..DEV_POW_PARAMS };
	let deeper_json = serde_json::to_string(&deeper).unwrap();

	// Charlie is no host: his proposal is refused.
	let refused =
		gov(&node, &["propose", "--host-key-file", charlie, "--set-pow-params", &deeper_json]);
	assert!(!refused.status.success());
	assert!(
		String::from_utf8_lossy(&refused.stderr).contains("active host"),
		"{}",
		String::from_utf8_lossy(&refused.stderr)
	);

	// Alice, a genesis host, proposes and places the decision deposit (no weight needed yet).
	let out = ok(
		gov(
			&node,
			&["propose", "--host-key-file", alice, "--set-pow-params", &deeper_json, "--json"],
		),
		"propose",
	);
	let proposed: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
	assert_eq!(proposed["track"], "parameters");
	let index = proposed["index"].as_u64().unwrap().to_string();

	// Both hosts prove compute in a sprint; their weights activate at the epoch switch.
	let hosts =
		[("//Alice//worker", account(&dev::alice())), ("//Bob//worker", account(&dev::bob()))];
	let proven = prove_epoch(&node, &client, &hosts, &[30, 20]).await;
	let voting_epoch = status(&client).await.epoch;
	let total: u128 = call_api(&client, "SprintApi_total_weight", proven).await;
	assert!(total > 0);

	// Charlie has no compute weight: his vote is refused by name.
	let refused = gov(&node, &["vote", "--host-key-file", charlie, &index, "aye"]);
	assert!(!refused.status.success());
	assert!(String::from_utf8_lossy(&refused.stderr).contains("NoComputeWeight"));

	// Alice and Bob vote aye, at the same time.
	let votes = [alice, bob].map(|key| {
		let mut command = Command::new(common::worker_binary());
		command.args([
			"gov",
			"vote",
			"--url",
			&node.rpc_url,
			"--host-key-file",
			key,
			&index,
			"aye",
		]);
		command.stdout(Stdio::piped()).stderr(Stdio::piped());
		command.spawn().expect("gonka-worker runs")
	});
	for vote in votes {
		let said = ok(vote.wait_with_output().unwrap(), "vote");
		assert_eq!(said.trim(), format!("voted Aye on referendum {index}"));
	}

	// Enactment: the new parameters are what the sprint's runtime API reports.
	let start = Instant::now();
	loop {
		let params: Option<PowParams> = call_api(&client, "SprintApi_pow_params", ()).await;
		if params == Some(deeper) {
			break;
		}
		assert_eq!(params, Some(DEV_POW_PARAMS), "nothing else changes them");
		assert!(
			start.elapsed() < Duration::from_secs(120),
			"not enacted after 120 s:\n{}\n{}",
			ok(gov(&node, &["list", "--all"]), "list"),
			node.log_tail()
		);
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	assert_eq!(
		status(&client).await.epoch,
		voting_epoch,
		"decided by the weights of epoch {proven}, within the epoch they were active"
	);

	// `gov list` shows the referendum approved.
	let out = ok(gov(&node, &["list", "--all", "--json"]), "list");
	let listed: serde_json::Value = serde_json::from_str(&out).unwrap();
	assert_eq!(listed["electorate"], total.to_string());
	let referendum = &listed["referenda"][index.parse::<usize>().unwrap()];
	assert_eq!(referendum["status"], "approved", "{listed}");
}
