//! End to end in a real browser: the dashboard (`dashboard/`, built with Vite) in Debian's
//! headless Chromium, driven by `dashboard/tests/e2e.mjs` (playwright-core), against a real
//! `gonka-node --dev` with the workers of Alice and Bob sprinting and Charlie's gateway holding an
//! inference session.
//!
//! Before the browser: Alice proposes a root referendum (`System.remark`) with
//! `gonka-worker gov propose`. In the browser: the network page shows the epoch and a non-zero
//! total compute, the hosts table lists Alice and Bob, Alice votes Nay *from the page* with the
//! dev account, Bob proposes from the page, the market page lists the gateway's session with a
//! request paid through it, the
//! page fits a phone screen, and an unreachable node is an error in the page. After it, this test
//! checks what the pages showed against the chain (`SprintApi` weights and totals, the
//! referendum's on-chain tally and Alice's recorded vote, Bob's referendum). Screenshots go to
//! `$CARGO_TARGET_DIR/dashboard-screenshots` (or `GONKA_SCREENSHOTS`). Needs ports 8080 and 8081
//! free (the dev preset's endpoints of Alice and Bob).

mod common;

use common::{
	chain, gov, key_file,
	market::{charlie_gateway, chat, host, post, BLOCK_MS},
	ok,
};

use std::{path::PathBuf, process::Command};

use gonka_worker::chain::{call_data, gonka, AccountId};
use subxt_signer::sr25519::dev;

/// The repository's `dashboard/` folder.
fn dashboard_dir() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dashboard")
}

/// Where the screenshots go.
fn screenshots() -> PathBuf {
	if let Ok(dir) = std::env::var("GONKA_SCREENSHOTS") {
		return PathBuf::from(dir);
	}
	let target = std::env::var("CARGO_TARGET_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
	target.join("dashboard-screenshots")
}

fn account_of(keypair: &subxt_signer::sr25519::Keypair) -> AccountId {
	AccountId::from(keypair.public_key().0)
}

/// Runs `npm run --silent <script>` in `dashboard/`, failing the test with its output if it fails.
fn npm_run(script: &str) {
	let out = Command::new("npm")
		.args(["run", "--silent", script])
		.current_dir(dashboard_dir())
		.output()
		.expect("npm runs (scripts/setup.sh installs Node.js and the dashboard's dependencies)");
	ok(out, &format!("npm run {script} (dashboard)"));
}

/// The dashboard's own unit tests (`dashboard/tests/unit/`: number formatting, the referenda
/// curves, the sprint countdown), run by Node's test runner.
#[test]
fn the_dashboards_unit_tests_pass() {
	npm_run("test:unit");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_shows_the_live_network_and_casts_a_vote_from_the_page() {
	// The page is built first: a build error should not cost a network's start-up.
	npm_run("build");

	let node = common::DevNode::start(BLOCK_MS);
	let client = node.client(common::STARTUP_TIMEOUT).await;
	let chain = chain(&client);
	let dir = tempfile::tempdir().unwrap();
	let alice_worker = host(dir.path(), &node.rpc_url, "alice", 8080, &[]);
	let bob_worker = host(dir.path(), &node.rpc_url, "bob", 8081, &[]);
	// The gateway opens its session once the hosts have weight (after the first epoch).
	let (gateway, port, session) = charlie_gateway(dir.path(), &node.rpc_url).await;
	let logs = [&alice_worker, &bob_worker, &gateway];
	// One paid request, so the market page has traffic to show once its executor claims it.
	let (status, _, body) =
		post(port, "/v1/chat/completions", None, None, chat("What is the capital of France?"))
			.await;
	assert_eq!(status, 200, "a completion through the gateway: {body}");

	// A root referendum nobody has voted on yet.
	let runtime = chain.runtime().await.unwrap();
	let remark = |text: &str| {
		let call = gonka::tx().system().remark(text.as_bytes().to_vec());
		format!("0x{}", hex::encode(call_data(&runtime, &call).unwrap()))
	};
	let alice_key = key_file(dir.path(), "alice.host", "//Alice");
	let out = ok(
		gov(
			&node,
			&[
				"propose",
				"--host-key-file",
				&alice_key,
				"--call",
				&remark("shown on the dashboard"),
				"--track",
				"root",
				"--json",
			],
		),
		"gov propose",
	);
	let proposed: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
	let index = proposed["index"].as_u64().unwrap() as u32;
	let referendum = async |index: u32| {
		chain.fetch(gonka::storage().referenda().referendum_info_for(), (index,)).await.unwrap()
	};
	use gonka::runtime_types::pallet_referenda::types::ReferendumInfo;
	let Some(ReferendumInfo::Ongoing(before)) = referendum(index).await else {
		panic!("referendum {index} is not ongoing")
	};
	assert_eq!((before.tally.ayes, before.tally.nays, before.tally.abstains), (0, 0, 0));

	// The browser.
	let shots = screenshots();
	let run = Command::new("node")
		.arg("tests/e2e.mjs")
		.current_dir(dashboard_dir())
		.env("GONKA_RPC", &node.rpc_url)
		.env("GONKA_REFERENDUM", index.to_string())
		.env("GONKA_SESSION", session.to_string())
		.env("GONKA_PROPOSE_CALL", remark("proposed from the dashboard"))
		.env("GONKA_SCREENSHOTS", &shots)
		.output()
		.expect("node runs");
	let stdout = String::from_utf8_lossy(&run.stdout);
	let stderr = String::from_utf8_lossy(&run.stderr);
	assert!(
		run.status.success(),
		"the browser test failed:\n{stdout}\n{stderr}\nnode log:\n{}\n{}",
		node.log_tail(),
		logs.iter().map(|p| p.tail()).collect::<Vec<_>>().join("\n")
	);
	let seen: serde_json::Value = stdout
		.lines()
		.find_map(|l| l.strip_prefix("RESULT "))
		.map(|json| serde_json::from_str(json).unwrap())
		.unwrap_or_else(|| panic!("no RESULT line:\n{stdout}\n{stderr}"));
	println!("the pages showed: {seen}");

	// Network: the epoch of the block the page showed, and that epoch's active total.
	let clock = chain.epoch_clock().await.unwrap();
	let shown_block = seen["network"]["block"].as_u64().unwrap() as u32;
	assert_eq!(seen["network"]["epoch"].as_u64().unwrap() as u32, shown_block / clock.epoch_length);
	let total: u128 = seen["network"]["totalCompute"].as_str().unwrap().parse().unwrap();
	let active = seen["network"]["activeEpoch"].as_u64().unwrap() as u32;
	assert!(total > 0);
	assert_eq!(total, chain.total_weight(active).await.unwrap(), "total compute of epoch {active}");

	// Hosts: Alice's and Bob's weights are SprintApi's in the epoch the page named.
	let epoch = seen["hosts"]["epoch"].as_u64().unwrap() as u32;
	let weights = seen["hosts"]["weights"].as_object().unwrap();
	for who in [dev::alice(), dev::bob()] {
		let account = account_of(&who);
		let shown: u128 = weights
			.get(&account.to_string())
			.unwrap_or_else(|| panic!("{account} not in the hosts table: {weights:?}"))
			.as_str()
			.unwrap()
			.parse()
			.unwrap();
		assert_eq!(shown, chain.weight_of(epoch, &account).await.unwrap(), "{account} in {epoch}");
		assert!(shown > 0);
	}
	let shown_total: u128 =
		weights.values().map(|w| w.as_str().unwrap().parse::<u128>().unwrap()).sum();
	assert_eq!(shown_total, chain.total_weight(epoch).await.unwrap());

	// Governance: the vote cast from the page is on chain, and the tally counts it.
	let alice = account_of(&dev::alice());
	let vote = chain
		.fetch(gonka::storage().compute_voting().voting_for(), (index, alice.clone()))
		.await
		.unwrap()
		.expect("Alice's vote from the page is recorded");
	use gonka::runtime_types::pallet_gonka_compute_voting::ComputeVote;
	assert!(matches!(vote.vote, ComputeVote::Nay), "{:?}", vote.vote);
	assert!(vote.weight > 0);
	let shown_nays: u128 = seen["after"]["nays"].as_str().unwrap().parse().unwrap();
	assert_eq!(shown_nays, vote.weight, "the page's tally shows Alice's weight");
	match referendum(index).await {
		Some(ReferendumInfo::Ongoing(after)) => assert_eq!(after.tally.nays, vote.weight),
		other => panic!("referendum {index} ended: {other:?}"),
	}
	assert_eq!(seen["after"]["track"], "root");
	let proposal = seen["after"]["proposal"].as_str().unwrap();
	assert!(proposal.starts_with("system.remark("), "the page decodes the proposal: {proposal}");

	// Bob's proposal from the page: a root referendum with its decision deposit placed.
	let bob_index = seen["proposed"].as_u64().expect("the page proposed") as u32;
	match referendum(bob_index).await {
		Some(ReferendumInfo::Ongoing(status)) => {
			assert_eq!(status.track, 0);
			assert_eq!(status.submission_deposit.who, account_of(&dev::bob()));
			assert!(status.decision_deposit.is_some(), "the page placed the decision deposit");
		},
		other => panic!("referendum {bob_index} from the page: {other:?}"),
	}

	// Market: the gateway's session was listed with the claimed request (the script waited for
	// its row), as the runtime reports it.
	assert!(seen["market"]["open"].as_u64().unwrap() >= 1);
	// The catalogue's precision (the dev model is computed in f32 by every host).
	assert_eq!(seen["market"]["precisions"], serde_json::json!(["f32"]));
	let shown_requests = seen["market"]["requests"].as_u64().unwrap();
	assert!(shown_requests >= 1);
	let view = chain
		.call(gonka::runtime_apis().inference_api().session(session))
		.await
		.unwrap()
		.expect("the session is open");
	let claimed: u64 = view.slots.iter().filter_map(|s| s.claimed.as_ref()).map(|v| v.seq).sum();
	assert!(claimed >= shown_requests, "the chain has {claimed} claimed requests");
	for page in ["network", "hosts", "host", "governance", "market", "phone", "unreachable"] {
		let png = shots.join(format!("{page}.png"));
		assert!(std::fs::metadata(&png).map(|m| m.len() > 10_000).unwrap_or(false), "{png:?}");
	}
}
