//! End to end, the inference market with real processes: a dev node, the daemons of Alice and
//! Bob serving SmolLM2 (`gonka-worker run --model`), a `gonka-worker gateway` for Charlie, and the
//! official `openai` Python client.
//!
//! Checked: the stock client buys chat completions (streamed and not) and a text completion;
//! a request sent to Alice's endpoint for a slot Bob executes is served (and signed) by Bob;
//! a request with no session, an unknown, an exhausted and a closed session, no payer
//! authorization, someone else's, a wrong leaf number, and a forged voucher each get their named
//! 4xx error; with Bob stopped, the gateway skips his slots, another
//! slot serves and Bob's misses are recorded on chain; after Charlie closes his session, the executors'
//! balances rise by exactly the catalogue price of the tokens used, the rest of the deposit is
//! refunded to the unit (nothing left on hold), and the sampled requests were re-executed by
//! the other host and attested valid.
//!
//! The dev chain's claim and validation windows (10 and 30 minutes) are shortened in the chain
//! spec to 6 and 30 blocks. Needs ports 8080 and 8081 free (the dev preset's endpoints).

mod common;

use codec::{Decode, Encode};
use common::{
	account, call_api, free_balance, free_port, key_file,
	market::{
		chain_spec, charlie_gateway, chat, code, host, market, post, python, session, session_id,
		smollm2, totals, wait_for, Auth, Proc, BLOCK_MS,
	},
};
use frame_support::sp_runtime::traits::AccountIdConversion;
use gonka_primitives::{
	crypto::worker::WorkerPair,
	market::{leaf_payload, Leaf},
};
use gonka_runtime::{AccountId, Balance};
use pallet_gonka_inference::ReputationView;
use sp_core::Pair as _;
use std::{process::Command, time::Instant};
use subxt_signer::sr25519::dev;

const CLIENT: &str = r#"
import json, sys
from openai import OpenAI
c = OpenAI(base_url=sys.argv[1], api_key="anything")
model = c.models.list().data[0].id
tokens = 0
r = c.chat.completions.create(model=model, messages=[{"role": "user", "content": "What is the capital of France?"}], max_tokens=12, temperature=0)
assert r.choices[0].message.content, r
tokens += r.usage.total_tokens
text, usage = "", None
for chunk in c.chat.completions.create(model=model, messages=[{"role": "user", "content": "Count to five."}], max_tokens=12, temperature=0, stream=True, stream_options={"include_usage": True}):
    if chunk.choices and chunk.choices[0].delta.content:
        text += chunk.choices[0].delta.content
    if chunk.usage:
        usage = chunk.usage
assert text and usage, (text, usage)
tokens += usage.total_tokens
r = c.completions.create(model=model, prompt="The sky is", max_tokens=6, temperature=0)
assert r.choices[0].text, r
tokens += r.usage.total_tokens
print(json.dumps({"model": model, "tokens": tokens}))
"#;

#[tokio::test(flavor = "multi_thread")]
async fn developers_buy_validated_completions_with_a_stock_openai_client() {
	let dir = tempfile::tempdir().unwrap();
	let spec = chain_spec(dir.path());
	let node = common::DevNode::start_chain(BLOCK_MS, Some(&spec));
	let client = node.client(common::STARTUP_TIMEOUT).await;
	let url = node.rpc_url.clone();
	let model = smollm2();
	let model = model.to_str().unwrap();
	let mut workers =
		vec![host(dir.path(), &url, "alice", 8080, &[]), host(dir.path(), &url, "bob", 8081, &[])];
	let logs: Vec<&Proc> = workers.iter().collect();
	let (alice, bob) = (account(&dev::alice()), account(&dev::bob()));
	// Sessions draw executors by compute weight: wait for an epoch with both hosts' weight.
	wait_for(
		"both hosts to have weight",
		async || {
			let epoch: Option<u32> = call_api(&client, "SprintApi_active_epoch", ()).await;
			let epoch = epoch?;
			let a: u128 = call_api(&client, "SprintApi_weight_of", (epoch, &alice)).await;
			let b: u128 = call_api(&client, "SprintApi_weight_of", (epoch, &bob)).await;
			(a > 0 && b > 0).then_some(())
		},
		&logs,
	)
	.await;

	// Charlie's gateway opens a session; the stock openai client buys three completions.
	let charlie = account(&dev::charlie());
	let charlie_key = key_file(dir.path(), "charlie.key", "//Charlie");
	let (gateway, gw_port, charlie_session) = charlie_gateway(dir.path(), &url).await;
	// The gateway pays with a fresh delegate key of the session, not Charlie's own key.
	let delegate = session(&client, charlie_session).await.expect("the session").delegate;
	assert!(delegate.is_some() && delegate != Some(charlie.clone()), "{delegate:?}");
	let run = Command::new(python())
		.args(["-c", CLIENT, &format!("http://127.0.0.1:{gw_port}/v1")])
		.output()
		.expect("python runs");
	assert!(
		run.status.success(),
		"the openai client failed: {}\n{}",
		String::from_utf8_lossy(&run.stderr),
		gateway.tail()
	);
	let result: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
	assert_eq!(result["model"], "SmolLM2-135M-Instruct");
	let mut tokens = result["tokens"].as_u64().unwrap() as u128;
	let price_per_1k = gonka_runtime::genesis_config_presets::DEV_MODEL_PRICE_PER_1K;

	// Refusals at an executor's endpoint, each named, none charging anything.
	let (s, _, body) = post(8080, "/v1/chat/completions", None, None, chat("hi")).await;
	assert_eq!((s, code(&body)), (402, "session_required"), "{body}");
	let (s, _, body) = post(8080, "/v1/chat/completions", Some((9_999, 0)), None, chat("hi")).await;
	assert_eq!((s, code(&body)), (402, "unknown_session"), "{body}");
	let ferdie_key = key_file(dir.path(), "ferdie.key", "//Ferdie");
	let tiny = session_id(&market(&[
		"open",
		"--url",
		&url,
		"--key-file",
		&ferdie_key,
		"--deposit",
		"0.1",
		"--max-tokens-per-request",
		"200000",
	]));
	let (s, _, body) = post(8080, "/v1/chat/completions", Some((tiny, 0)), None, chat("hi")).await;
	// Slot 0 may be Bob's: the request is then forwarded to him and refused by him.
	assert_eq!((s, code(&body)), (402, "session_exhausted"), "{body}");

	// Routing: Dave's request reaches Alice's endpoint for a slot Bob executes; Bob serves it.
	let dave_key = key_file(dir.path(), "dave.key", "//Dave");
	let dave =
		session_id(&market(&["open", "--url", &url, "--key-file", &dave_key, "--deposit", "0.5"]));
	let view = session(&client, dave).await.expect("Dave's session");
	let bob_slot = view.slots.iter().find(|s| s.executor == bob).expect("Bob holds a slot").slot;
	let genesis: [u8; 32] = client.genesis_hash().0;
	let lane = Some((dave, bob_slot));
	// Only what the payer signed is served: no authorization, Eve's, or a wrong leaf number
	// are refused by name (and Bob serves nothing).
	let (s, _, body) = post(8080, "/v1/chat/completions", lane, None, chat("Say hi")).await;
	assert_eq!((s, code(&body)), (403, "authorization_required"), "{body}");
	let eve = Auth { payer: "//Eve", seq: 1, genesis };
	let (s, _, body) = post(8080, "/v1/chat/completions", lane, Some(eve), chat("Say hi")).await;
	assert_eq!((s, code(&body)), (403, "bad_authorization"), "{body}");
	let later = Auth { payer: "//Dave", seq: 2, genesis };
	let (s, _, body) = post(8080, "/v1/chat/completions", lane, Some(later), chat("Say hi")).await;
	assert_eq!((s, code(&body)), (409, "sequence_mismatch"), "{body}");
	let first = Auth { payer: "//Dave", seq: 1, genesis };
	let (s, receipt, body) =
		post(8080, "/v1/chat/completions", lane, Some(first), chat("Say hi")).await;
	assert_eq!(s, 200, "{body}");
	let receipt: serde_json::Value = serde_json::from_str(&receipt.expect("a receipt")).unwrap();
	let leaf_hex = receipt["leaf"].as_str().unwrap();
	let leaf = Leaf::decode(&mut &hex::decode(&leaf_hex[2..]).unwrap()[..]).unwrap();
	let sig_hex = receipt["signature"].as_str().unwrap();
	let sig = gonka_primitives::crypto::worker::WorkerSignature::decode(
		&mut &hex::decode(&sig_hex[2..]).unwrap()[..],
	)
	.unwrap();
	let bob_worker = WorkerPair::from_string("//Bob//worker", None).unwrap().public();
	assert!(
		WorkerPair::verify(&sig, leaf_payload(&genesis, dave, bob_slot, &leaf), &bob_worker),
		"the forwarded request was served and signed by Bob"
	);
	assert_eq!(leaf.seq, 1);
	// A voucher for it signed by someone else than Dave is refused by name.
	let voucher = gonka_primitives::market::Voucher::<Balance> {
		session: dave,
		slot: bob_slot,
		seq: 1,
		amount: u128::from(leaf.in_tokens + leaf.out_tokens) * price_per_1k / 1000,
		in_tokens: leaf.in_tokens.into(),
		out_tokens: leaf.out_tokens.into(),
		leaves_root: gonka_primitives::market::leaf_hash(&leaf),
	};
	let eve = sp_core::sr25519::Pair::from_string("//Eve", None).unwrap();
	let forged = gonka_primitives::Signature::Sr25519(
		eve.sign(&gonka_primitives::market::voucher_payload(&genesis, &voucher)),
	);
	let r = reqwest::Client::new()
		.post("http://127.0.0.1:8081/v1/market/vouchers")
		.json(&serde_json::json!({
			"voucher": format!("0x{}", hex::encode(voucher.encode())),
			"signature": format!("0x{}", hex::encode(forged.encode())),
		}))
		.send()
		.await
		.unwrap();
	let status = r.status().as_u16();
	let body: serde_json::Value = r.json().await.unwrap();
	assert_eq!((status, code(&body)), (403, "bad_voucher_signature"), "{body}");

	// The cost of metering: the same greedy request straight to a free `gonka-worker serve` and
	// through the gateway and an executor (receipt, voucher). A printed figure, not asserted.
	let serve_port = free_port();
	let serve = Proc::worker(
		dir.path(),
		"serve",
		&[
			"serve",
			"--model",
			model,
			"--model-id",
			"SmolLM2-135M-Instruct",
			"--listen",
			&format!("127.0.0.1:{serve_port}"),
			"--cpu",
			"--threads",
			"1",
			"--no-hash",
		],
	);
	let direct = format!("http://127.0.0.1:{serve_port}/v1/chat/completions");
	let paid = format!("http://127.0.0.1:{gw_port}/v1/chat/completions");
	let http = reqwest::Client::new();
	let served = |url: String| {
		let http = http.clone();
		async move {
			let start = Instant::now();
			let r = http.post(&url).json(&chat("Name a colour.")).send().await;
			let ok = r.ok().filter(|r| r.status() == 200)?;
			let body: serde_json::Value = ok.json().await.ok()?;
			Some((start.elapsed(), body["usage"]["total_tokens"].as_u64().unwrap_or(0) as u128))
		}
	};
	wait_for("gonka-worker serve to listen", async || served(direct.clone()).await, &[&serve])
		.await;
	let (mut direct_ms, mut paid_ms) = (Vec::new(), Vec::new());
	for _ in 0..5 {
		direct_ms.push(served(direct.clone()).await.expect("served").0.as_secs_f64() * 1e3);
		let (t, used) = served(paid.clone()).await.expect("paid request served");
		paid_ms.push(t.as_secs_f64() * 1e3);
		tokens += used;
	}
	drop(serve);
	let median = |v: &mut Vec<f64>| {
		v.sort_by(f64::total_cmp);
		v[v.len() / 2]
	};
	let (d, p) = (median(&mut direct_ms), median(&mut paid_ms));
	println!(
		"metering overhead (8-token greedy chat, median of 5): direct {d:.0} ms, paid through the \
		 gateway {p:.0} ms, +{:.0} ms ({:.2}x)",
		p - d,
		p / d
	);

	// The gateway pays for each request after the client has its answer. Let the 8 vouchers so
	// far (3 from the openai client, 5 timed) land before Bob stops: a voucher still on its way to
	// an executor that stops is never delivered, and that request is the executor's loss.
	wait_for(
		"the gateway's payments",
		async || (gateway.count("event=gateway_paid") >= 8).then_some(()),
		&[&gateway],
	)
	.await;
	// Bob stops: the gateway skips his slots, reports each miss, and Alice's slots serve.
	workers[1].stop();
	for _ in 0..16 {
		let (_, used) = served(paid.clone()).await.expect("served by another slot");
		tokens += used;
	}
	let downs = gateway.count("gateway_slot_down");
	assert!(downs >= 1, "the gateway met Bob's stopped endpoint\n{}", gateway.tail());
	wait_for(
		"the gateway's miss reports",
		async || {
			let done =
				gateway.count("gateway_miss_reported") + gateway.count("gateway_miss_failed");
			(done == downs).then_some(())
		},
		&[&gateway],
	)
	.await;
	let reported = gateway.count("gateway_miss_reported") as u32;
	let rb: ReputationView = call_api(&client, "InferenceApi_reputation", &bob).await;
	assert!(reported >= 1 && rb.window.misses == reported, "Bob's misses are on chain: {rb:?}");
	// Back up (same state directory): he serves his records to validators after the close.
	workers[1].restart();
	wait_for(
		"Bob's endpoint",
		async || {
			reqwest::get("http://127.0.0.1:8081/metrics").await.ok().filter(|r| r.status() == 200)
		},
		&[&workers[1]],
	)
	.await;
	// Exact: the dev price is a whole number of base units per token.
	let expected_paid = tokens * price_per_1k / 1000;
	assert!(expected_paid > 0);

	// Charlie closes; then his session refuses requests, executors claim, validators attest.
	market(&["close", "--url", &url, "--key-file", &charlie_key, &charlie_session.to_string()]);
	// Hosts are paid at settlement. Alice also authors every block and is paid from the
	// collators' pot (fed by transaction fees): what leaves the pot is not inference pay.
	let pot: AccountId = frame_support::PalletId(*b"PotStake").into_account_truncating();
	let (alice_before, bob_before, pot_before) = (
		free_balance(&client, &alice).await,
		free_balance(&client, &bob).await,
		free_balance(&client, &pot).await,
	);
	let (s, _, body) =
		post(8080, "/v1/chat/completions", Some((charlie_session, 0)), None, chat("hi")).await;
	assert_eq!((s, code(&body)), (402, "session_closed"), "{body}");
	let all_logs: Vec<&Proc> = workers.iter().chain([&gateway]).collect();
	wait_for(
		"Charlie's session to settle",
		async || session(&client, charlie_session).await.is_none().then_some(()),
		&all_logs,
	)
	.await;
	let t = totals(&client).await;
	assert_eq!(t.paid, expected_paid, "executors and validators were paid the tokens' price");
	assert_eq!(t.refunded, gonka_primitives::GNK - expected_paid, "the rest returned to the unit");
	let pot_paid = pot_before - free_balance(&client, &pot).await;
	let alice_gain = free_balance(&client, &alice).await - alice_before - pot_paid;
	let bob_gain = free_balance(&client, &bob).await - bob_before;
	assert_eq!(alice_gain + bob_gain, expected_paid, "hosts got exactly what was paid");
	assert_eq!(
		common::balances(&client, &charlie).await.1,
		0,
		"Charlie's unspent escrow is refunded"
	);
	let ra: ReputationView = call_api(&client, "InferenceApi_reputation", &alice).await;
	let rb: ReputationView = call_api(&client, "InferenceApi_reputation", &bob).await;
	assert!(
		ra.window.valid + rb.window.valid > 0 && ra.window.invalid + rb.window.invalid == 0,
		"sampled requests were re-executed and attested valid: {ra:?} {rb:?}"
	);
	assert_eq!(ra.earned + rb.earned, expected_paid, "the chain's earnings record: {ra:?} {rb:?}");
	let metrics =
		reqwest::get("http://127.0.0.1:8080/metrics").await.unwrap().text().await.unwrap();
	assert!(metrics.contains("gonka_worker_market_requests_total"), "{metrics}");
	assert!(metrics.contains("gonka_worker_market_request_seconds_count"), "{metrics}");
	assert!(
		metrics.contains("gonka_worker_market_refusals_total{code=\"session_required\"} 1"),
		"refusals are counted by reason: {metrics}"
	);
}
