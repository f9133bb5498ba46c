//! End to end: a forkless runtime upgrade on a running network, decided by compute weight.
//!
//! A dev node runs with both genesis hosts' `gonka-worker run` daemons sprinting (Alice claims
//! her GNK herself). Alice proposes `System.authorize_upgrade` of the runtime built from the
//! same source one `spec_version` later (`gonka-runtime-next`) on the `root` track with
//! `gonka-worker gov propose --authorize-upgrade`; both hosts vote aye with their proven
//! compute; the referendum passes and is enacted; `gonka-worker gov apply-upgrade` hands in the
//! code; parachain-system schedules it and the dev node's mocked relay chain gives the go-ahead.
//!
//! Checked: the node's runtime reports `spec_version + 1`; both daemons notice it without a
//! restart (`event=runtime_upgraded ... compatible=true`) and keep sprinting and validating:
//! Alice and Bob have weight in the first epoch sprinted wholly on the new runtime, and Alice
//! claims GNK after the upgrade. Then the node restarts on the upgraded chain's database: the
//! daemons reconnect (`event=node_reconnected`) and both hosts have weight in the next epoch
//! too. Needs ports 8080 and 8081 free (the dev preset's endpoints of Alice and Bob).

mod common;

use common::{account, call_api, gov, key_file, market::Proc, ok, DevNode};

use std::time::{Duration, Instant};

use gonka_primitives::{epoch::Phase, pow::EpochIndex};
use gonka_runtime::AccountId;
use subxt::{OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::dev;

type Client = OnlineClient<PolkadotConfig>;

/// Two-second blocks: a 20-block epoch is 40 s; the root track confirms for one epoch and
/// enacts one epoch later.
const BLOCK_MS: u64 = 2_000;
const WAIT: Duration = Duration::from_secs(600);

async fn spec_version(client: &Client) -> u32 {
	client.at_current_block().await.expect("latest finalized block").spec_version()
}

async fn weight(client: &Client, epoch: EpochIndex, who: &AccountId) -> u128 {
	call_api(client, "SprintApi_weight_of", (epoch, who.clone())).await
}

async fn active_epoch(client: &Client) -> Option<EpochIndex> {
	call_api(client, "SprintApi_active_epoch", ()).await
}

/// Waits until `epoch` is active and returns whether both `hosts` have weight in it.
async fn weighed(
	client: &Client,
	epoch: EpochIndex,
	hosts: &[&AccountId],
	logs: &dyn Fn() -> String,
) -> Vec<u128> {
	let start = Instant::now();
	while active_epoch(client).await.is_none_or(|a| a < epoch) {
		assert!(start.elapsed() < WAIT, "epoch {epoch} never activated\n{}", logs());
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	let mut out = Vec::new();
	for host in hosts {
		out.push(weight(client, epoch, host).await);
	}
	out
}

/// Waits until `proc`'s log contains `needle`.
async fn logged(proc: &Proc, needle: &str, logs: &dyn Fn() -> String) {
	let start = Instant::now();
	while proc.count(needle) == 0 {
		assert!(start.elapsed() < WAIT, "never logged {needle:?}\n{}", logs());
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn a_runtime_upgrade_by_referendum_leaves_every_host_sprinting_and_earning() {
	common::genesis_host_ports_are_free();
	let code = gonka_runtime_next::WASM_BINARY
		.expect("gonka-runtime-next was built with SKIP_WASM_BUILD: build without it");
	let mut node = DevNode::start(BLOCK_MS);
	let client = node.client(common::STARTUP_TIMEOUT).await;
	let before = spec_version(&client).await;
	assert_eq!(before, gonka_runtime::VERSION.spec_version);
	let dir = tempfile::tempdir().unwrap();
	let d = dir.path();
	// Compressed as a release's `compact.compressed.wasm` is (a debug build's blob is 8 MB).
	let code = sp_maybe_compressed_blob::compress_strongly(code, 50 << 20).expect("compresses");
	let wasm = d.join("next.wasm");
	std::fs::write(&wasm, &code).unwrap();
	let wasm = wasm.to_str().unwrap();
	let (alice, bob) = (account(&dev::alice()), account(&dev::bob()));
	let alice_key = key_file(d, "alice.host", "//Alice");
	let bob_key = key_file(d, "bob.host", "//Bob");

	let daemon = |name: &str, host: &AccountId, port: u16, extra: &[&str]| {
		let key = key_file(d, &format!("{name}.worker"), &format!("//{name}//worker"));
		let state = d.join(format!("{name}-state"));
		let mut args = vec![
			"run".to_string(),
			"--url".into(),
			node.rpc_url.clone(),
			"--host".into(),
			host.to_string(),
			"--worker-key-file".into(),
			key,
			"--listen".into(),
			format!("127.0.0.1:{port}"),
			"--state-dir".into(),
			state.to_str().unwrap().to_string(),
			"--device".into(),
			"cpu".into(),
		];
		args.extend(extra.iter().map(|a| a.to_string()));
		let args: Vec<&str> = args.iter().map(String::as_str).collect();
		Proc::worker(d, name, &args)
	};
	let alice_worker = daemon("Alice", &alice, 8080, &["--host-key-file", &alice_key]);
	let bob_worker = daemon("Bob", &bob, 8081, &[]);
	let node_log = node.log.clone();
	let logs = || {
		let log = std::fs::read_to_string(&node_log).unwrap_or_default();
		let lines: Vec<&str> = log.lines().collect();
		format!(
			"--- alice\n{}\n--- bob\n{}\n--- node\n{}",
			alice_worker.tail(),
			bob_worker.tail(),
			lines[lines.len().saturating_sub(40)..].join("\n")
		)
	};

	// Alice proposes the upgrade on the root track (proposing needs no weight yet).
	let out = ok(
		gov(
			&node,
			&["propose", "--host-key-file", &alice_key, "--authorize-upgrade", wasm, "--json"],
		),
		"propose",
	);
	let proposed: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
	assert_eq!(proposed["track"], "root");
	let index = proposed["index"].as_u64().unwrap().to_string();

	// Once both hosts have proven compute, both vote aye.
	let start = Instant::now();
	loop {
		if let Some(e) = active_epoch(&client).await {
			if weight(&client, e, &alice).await > 0 && weight(&client, e, &bob).await > 0 {
				break;
			}
		}
		assert!(start.elapsed() < WAIT, "no epoch with both hosts' weight\n{}", logs());
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	for key in [&alice_key, &bob_key] {
		ok(gov(&node, &["vote", "--host-key-file", key, &index, "aye"]), "vote");
	}

	// Passed and enacted: the code hash is authorised; Alice hands in the code.
	let start = Instant::now();
	loop {
		let at = client.at_current_block().await.unwrap();
		let authorized =
			subxt::dynamic::storage::<(), subxt::dynamic::Value>("System", "AuthorizedUpgrade");
		if at.storage().try_fetch(authorized, ()).await.unwrap().is_some() {
			break;
		}
		assert!(
			start.elapsed() < WAIT,
			"the upgrade was never authorised:\n{}\n{}",
			ok(gov(&node, &["list", "--all"]), "list"),
			logs()
		);
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	let listed = ok(gov(&node, &["list", "--all", "--json"]), "list");
	let listed: serde_json::Value = serde_json::from_str(&listed).unwrap();
	assert_eq!(listed["referenda"][0]["status"], "approved", "{listed}");
	ok(gov(&node, &["apply-upgrade", "--host-key-file", &alice_key, "--wasm", wasm]), "apply");

	// The relay's (mocked) go-ahead: the new code is in force.
	let start = Instant::now();
	while spec_version(&client).await != before + 1 {
		assert!(start.elapsed() < WAIT, "spec_version never became {}\n{}", before + 1, logs());
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	let upgraded = common::sprint::status(&client).await;
	let noticed =
		format!("event=runtime_upgraded from_spec_version={before} spec_version={}", before + 1);
	for worker in [&alice_worker, &bob_worker] {
		logged(worker, &format!("{noticed} compatible=true"), &logs).await;
	}
	assert_eq!(alice_worker.count("event=incompatible_runtime"), 0, "{}", logs());

	// The first epoch sprinted wholly on the new runtime: both hosts committed, validated each
	// other and have weight; Alice claims GNK on the new runtime.
	let first = upgraded.epoch + u32::from(upgraded.phase != Phase::Waiting);
	let claimed_before = alice_worker.count("event=claimed");
	let weights = weighed(&client, first, &[&alice, &bob], &logs).await;
	assert!(weights.iter().all(|w| *w > 0), "weights {weights:?} in epoch {first}\n{}", logs());
	let start = Instant::now();
	while alice_worker.count("event=claimed") <= claimed_before {
		assert!(start.elapsed() < WAIT, "Alice claimed nothing after the upgrade\n{}", logs());
		tokio::time::sleep(Duration::from_secs(1)).await;
	}

	// The node restarts on the upgraded chain: the daemons reconnect and both hosts earn weight
	// in an epoch that starts after the restart.
	node.restart();
	let client = node.client(common::STARTUP_TIMEOUT).await;
	assert_eq!(spec_version(&client).await, before + 1);
	let after = common::sprint::status(&client).await;
	for worker in [&alice_worker, &bob_worker] {
		logged(worker, "event=node_reconnected", &logs).await;
	}
	let next = (after.epoch + 1).max(first + 1);
	let weights = weighed(&client, next, &[&alice, &bob], &logs).await;
	assert!(weights.iter().all(|w| *w > 0), "weights {weights:?} in epoch {next}\n{}", logs());
}
