//! End to end, a cheating executor. Alice and Bob serve SmolLM2 honestly; Dave registers as a
//! host for the same catalogue model, puts up collateral, and serves the catalogue's file with
//! its weights perturbed after loading (noise of 5% of each matrix's standard deviation): the hash
//! check passes, the outputs are another model's. Charlie's gateway buys completions from all
//! three. After the close, the honest hosts re-execute Dave's sampled requests and condemn them.
//!
//! Checked at settlement: Charlie is refunded everything Dave's lanes claimed, the honest lanes
//! are paid exactly (to Alice and Bob), Dave gets nothing and loses `InvalidSlash` (100 GNK) of
//! collateral per condemned request, his reputation records them (sampling back at 100%), and
//! the honest hosts have no invalid sample. Then his draw factor is zero, and the session the
//! gateway renews to on its next request gives him no slot. Needs ports 8080 and 8081 free.

mod common;

use common::{
	account, call_api, free_balance, free_port, key_file,
	market::{chain_spec, charlie_gateway, chat, host, session, totals, wait_for, Proc, BLOCK_MS},
	sign_and_watch, worker_binary,
};
use frame_support::sp_runtime::traits::AccountIdConversion;
use frame_support::sp_runtime::Perbill;
use gonka_primitives::GNK;
use gonka_runtime::{AccountId, Balance, BlockNumber};
use pallet_gonka_inference::{ReputationView, SessionPhase};
use std::process::Command;
use subxt_signer::sr25519::dev;

type HostView = pallet_gonka_hosts::HostView<AccountId, Balance, BlockNumber>;

/// Dave's collateral: more than `InvalidSlash` times every request he can serve in the test.
const COLLATERAL: Balance = 5_000 * GNK;
/// `inference::InvalidSlash`'s default.
const INVALID_SLASH: Balance = 100 * GNK;
/// `inference::FalseAccusationSlash`'s default.
const FALSE_ACCUSATION_SLASH: Balance = 10 * GNK;

#[tokio::test(flavor = "multi_thread")]
async fn a_cheating_executor_is_caught_slashed_and_the_developer_refunded() {
	let dir = tempfile::tempdir().unwrap();
	let d = dir.path();
	let node = common::DevNode::start_chain(BLOCK_MS, Some(&chain_spec(d)));
	let client = node.client(common::STARTUP_TIMEOUT).await;
	let url = node.rpc_url.clone();
	let (alice, bob, dave) = (account(&dev::alice()), account(&dev::bob()), account(&dev::dave()));

	// Dave registers for catalogue model 0 at his own endpoint and puts up collateral.
	let dave_port = free_port();
	let out = Command::new(worker_binary())
		.args(["register", "--url", &url, "--model", "0"])
		.args(["--endpoint", &format!("http://127.0.0.1:{dave_port}")])
		.args(["--host-key-file", &key_file(d, "dave.host", "//Dave")])
		.args(["--worker-key-file", &key_file(d, "dave.register", "//Dave//worker")])
		.output()
		.unwrap();
	assert!(out.status.success(), "register: {}", String::from_utf8_lossy(&out.stderr));
	let deposit = subxt::dynamic::transaction("Hosts", "deposit_collateral", (COLLATERAL,));
	sign_and_watch(&node, &client, &deposit, &dev::dave()).await;

	let workers = [
		host(d, &url, "alice", 8080, &[]),
		host(d, &url, "bob", 8081, &[]),
		host(d, &url, "dave", dave_port, &["--testing-perturb-weights", "5"]),
	];
	let logs: Vec<&Proc> = workers.iter().collect();
	wait_for(
		"the three hosts to have weight",
		async || {
			let epoch: u32 = call_api::<Option<u32>>(&client, "SprintApi_active_epoch", ()).await?;
			for who in [&alice, &bob, &dave] {
				let w: u128 = call_api(&client, "SprintApi_weight_of", (epoch, who)).await;
				if w == 0 {
					return None;
				}
			}
			Some(())
		},
		&logs,
	)
	.await;

	// Charlie's gateway; sixteen requests sweep the slots round robin.
	let (gateway, gw_port, id) = charlie_gateway(d, &url).await;
	let view = session(&client, id).await.expect("the session");
	assert!(
		view.slots.iter().any(|s| s.executor == dave),
		"Dave holds a slot (drawn by weight; all three proved compute)"
	);
	let http = reqwest::Client::new();
	for i in 0..16 {
		let r = http
			.post(format!("http://127.0.0.1:{gw_port}/v1/chat/completions"))
			.json(&chat(&format!("Tell me one fact about the number {i}.")))
			.send()
			.await
			.unwrap();
		assert_eq!(r.status(), 200, "request {i}: {}\n{}", r.text().await.unwrap(), gateway.tail());
	}

	// Close; once the claims are in (validation started), the lanes' amounts are final.
	common::market::market(&[
		"close",
		"--url",
		&url,
		"--key-file",
		&d.join("charlie.key").to_string_lossy(),
		&id.to_string(),
	]);
	let pot: AccountId = frame_support::PalletId(*b"PotStake").into_account_truncating();
	let before = (
		free_balance(&client, &alice).await + free_balance(&client, &bob).await,
		free_balance(&client, &pot).await,
		free_balance(&client, &dave).await,
	);
	let mut all: Vec<&Proc> = logs.clone();
	all.push(&gateway);
	let lanes = wait_for(
		"the claims and the start of validation",
		async || {
			let s = session(&client, id).await?;
			matches!(s.phase, SessionPhase::Validating { .. }).then_some(s.slots)
		},
		&all,
	)
	.await;
	let claimed = |cheater: bool| -> Balance {
		lanes
			.iter()
			.filter(|s| (s.executor == dave) == cheater)
			.filter_map(|s| s.claimed.as_ref().map(|v| v.amount))
			.sum()
	};
	let (honest_amount, dave_amount) = (claimed(false), claimed(true));
	assert!(dave_amount > 0 && honest_amount > 0, "both kinds of lanes were used and claimed");
	wait_for("the settlement", async || session(&client, id).await.is_none().then_some(()), &all)
		.await;

	let t = totals(&client).await;
	assert_eq!(t.paid, honest_amount, "only the honest lanes are paid");
	assert_eq!(t.refunded, GNK - honest_amount, "Dave's lanes and the unspent rest are refunded");
	let pot_paid = before.1 - free_balance(&client, &pot).await;
	let honest_gain = free_balance(&client, &alice).await + free_balance(&client, &bob).await
		- before.0
		- pot_paid;
	assert_eq!(honest_gain, honest_amount, "the honest hosts got exactly their lanes' pay");
	assert_eq!(free_balance(&client, &dave).await, before.2, "the cheater is paid nothing");

	let rd: ReputationView = call_api(&client, "InferenceApi_reputation", &dave).await;
	assert!(rd.window.invalid >= 1, "Dave's condemned samples are on record: {rd:?}");
	assert_eq!(rd.sampling_rate, Perbill::one(), "a condemned host is checked on every request");
	let view: Option<HostView> = call_api(&client, "HostsApi_host", &dave).await;
	let slashed = Balance::from(rd.window.invalid) * INVALID_SLASH
		+ Balance::from(rd.window.false_accusations) * FALSE_ACCUSATION_SLASH;
	assert_eq!(view.expect("Dave is registered").collateral, COLLATERAL - slashed);
	for who in [&alice, &bob] {
		let r: ReputationView = call_api(&client, "InferenceApi_reputation", who).await;
		assert!(r.window.valid >= 1 && r.window.invalid == 0, "honest work is accepted: {r:?}");
	}

	// Every sample of Dave's was condemned, so his draw factor is zero: later sessions give
	// him no slot (until the condemned epochs leave the reputation window). The gateway, whose
	// session was closed, opens the next one on the next request.
	assert_eq!(rd.window.valid, 0, "none of the perturbed model's samples passed: {rd:?}");
	assert_eq!(rd.draw_factor, Perbill::zero(), "{rd:?}");
	let r = http
		.post(format!("http://127.0.0.1:{gw_port}/v1/chat/completions"))
		.json(&chat("One more fact, please."))
		.send()
		.await
		.unwrap();
	assert_eq!(r.status(), 200, "after renewal: {}\n{}", r.text().await.unwrap(), gateway.tail());
	let log = std::fs::read_to_string(d.join("gateway.log")).unwrap_or_default();
	let renewed = log
		.lines()
		.find_map(|l| l.split("event=session_renewed ").nth(1))
		.and_then(|rest| rest.split_whitespace().find_map(|kv| kv.strip_prefix("new=")))
		.and_then(|n| n.parse().ok())
		.unwrap_or_else(|| panic!("the gateway renewed its session:\n{}", gateway.tail()));
	assert_ne!(renewed, id);
	let view = session(&client, renewed).await.expect("the renewed session");
	assert!(!view.slots.is_empty());
	assert!(
		view.slots.iter().all(|s| s.executor != dave),
		"a condemned host was drawn for a slot: {:?}",
		view.slots
	);
}
