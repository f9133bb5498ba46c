//! Starting and stopping a real `gonka-node` process for end-to-end tests.

#![allow(dead_code)]

pub mod market;
pub mod relay;
pub mod sprint;

use std::{
	net::TcpListener,
	path::PathBuf,
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

use subxt::{OnlineClient, PolkadotConfig};

/// How long a node may take to answer RPC and seal blocks: a debug build compiles the runtime
/// WASM with unoptimised cranelift, which takes minutes on two cores.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(900);

/// Path of the `gonka-node` binary cargo built for this test run.
pub fn node_binary() -> PathBuf {
	PathBuf::from(env!("CARGO_BIN_EXE_gonka-node"))
}

/// Path of the `gonka-worker` binary, built next to `gonka-node` by `cargo test --workspace`.
pub fn worker_binary() -> PathBuf {
	workspace_binary("gonka-worker")
}

/// Path of binary `name` of another workspace crate, built next to `gonka-node` by
/// `cargo test --workspace` (`gonka-worker`; `polkadot` and its workers from `relay/`).
pub fn workspace_binary(name: &str) -> PathBuf {
	let path = node_binary().with_file_name(name);
	assert!(
		path.exists(),
		"{} is missing: run the tests with `cargo test --workspace` (scripts/test.sh)",
		path.display()
	);
	path
}

/// Asserts that ports 8080 and 8081 are free: the genesis hosts Alice and Bob serve their proofs
/// there (their endpoints in the dev and local presets).
pub fn genesis_host_ports_are_free() {
	for port in [8080, 8081] {
		assert!(
			TcpListener::bind(("127.0.0.1", port)).is_ok(),
			"port {port} is busy: the genesis hosts serve proofs on 8080 and 8081"
		);
	}
}

/// Connects a subxt client to `url`, retrying until `timeout`; `logs` explains a failure.
pub async fn connect(
	url: &str,
	timeout: Duration,
	logs: impl Fn() -> String,
) -> OnlineClient<PolkadotConfig> {
	let start = Instant::now();
	loop {
		match OnlineClient::<PolkadotConfig>::from_insecure_url(url).await {
			Ok(client) => return client,
			Err(e) if start.elapsed() < timeout => {
				let _ = e;
				tokio::time::sleep(Duration::from_millis(500)).await;
			},
			Err(e) => panic!("no RPC at {url} after {timeout:?}: {e}\n{}", logs()),
		}
	}
}

/// A TCP port nobody is listening on right now.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A running dev node. Dropping it kills the process, whatever happened in the test.
pub struct DevNode {
	child: Child,
	/// The node's WebSocket RPC endpoint.
	pub rpc_url: String,
	/// Where the node writes its log (kept for failing tests).
	pub log: PathBuf,
	/// The command line, for [`DevNode::restart`].
	args: Vec<String>,
	_dir: tempfile::TempDir,
}

impl DevNode {
	/// Starts `gonka-node --dev` with its own base path and ports, sealing a block every
	/// `block_time_ms`.
	pub fn start(block_time_ms: u64) -> Self {
		Self::start_chain(block_time_ms, None)
	}

	/// Like [`DevNode::start`], with the chain spec file `chain` instead of the built-in dev spec.
	pub fn start_chain(block_time_ms: u64, chain: Option<&std::path::Path>) -> Self {
		let dir = tempfile::tempdir().unwrap();
		let rpc_port = free_port();
		let p2p_port = free_port();
		let log = dir.path().join("node.log");
		let mut args: Vec<String> = Vec::new();
		if let Some(chain) = chain {
			args.extend(["--chain".to_string(), chain.to_str().unwrap().to_string()]);
		}
		args.extend(
			[
				"--dev",
				"--dev-block-time",
				&block_time_ms.to_string(),
				"--base-path",
				dir.path().to_str().unwrap(),
				"--rpc-port",
				&rpc_port.to_string(),
				"--port",
				&p2p_port.to_string(),
				"--no-prometheus",
				"--no-telemetry",
				"--no-mdns",
				"--no-hardware-benchmarks",
			]
			.map(String::from),
		);
		let child = spawn_node(&args, &log);
		DevNode { child, rpc_url: format!("ws://127.0.0.1:{rpc_port}"), log, args, _dir: dir }
	}

	/// Stops the node and starts it again on the same database, ports and log (appended).
	pub fn restart(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
		self.child = spawn_node(&self.args, &self.log);
	}

	/// The node's log so far, for assertion messages.
	pub fn log_tail(&self) -> String {
		let log = std::fs::read_to_string(&self.log).unwrap_or_default();
		let lines: Vec<&str> = log.lines().collect();
		lines[lines.len().saturating_sub(40)..].join("\n")
	}

	/// Connects a subxt client, waiting for the RPC server to come up.
	pub async fn client(&self, timeout: Duration) -> OnlineClient<PolkadotConfig> {
		connect(&self.rpc_url, timeout, || self.log_tail()).await
	}
}

fn spawn_node(args: &[String], log: &std::path::Path) -> Child {
	let log_file = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
	Command::new(node_binary())
		.args(args)
		.stdout(Stdio::null())
		.stderr(log_file)
		.spawn()
		.expect("gonka-node starts")
}

impl Drop for DevNode {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// The worker's own chain client over `client` (the calls below go through it, so the tests
/// exercise the code the worker runs).
pub fn chain(client: &OnlineClient<PolkadotConfig>) -> gonka_worker::chain::ChainClient {
	gonka_worker::chain::ChainClient::from_client(client.clone())
}

/// Calls runtime API `function` at the latest finalized block and decodes the result with the
/// runtime's own types.
pub async fn call_api<R: codec::Decode>(
	client: &OnlineClient<PolkadotConfig>,
	function: &str,
	args: impl codec::Encode,
) -> R {
	let bytes = chain(client)
		.call_raw(function, &args.encode())
		.await
		.unwrap_or_else(|e| panic!("{function}: {e:#}"));
	R::decode(&mut &bytes[..]).unwrap_or_else(|e| panic!("{function} answered {e}"))
}

/// The free balance of `who` at the latest finalized block (zero if the account does not exist).
pub async fn free_balance(
	client: &OnlineClient<PolkadotConfig>,
	who: &gonka_runtime::AccountId,
) -> gonka_runtime::Balance {
	balances(client, who).await.0
}

/// `(free, reserved)` of `who` at the latest finalized block (holds count as reserved; zeros if
/// the account does not exist).
pub async fn balances(
	client: &OnlineClient<PolkadotConfig>,
	who: &gonka_runtime::AccountId,
) -> (gonka_runtime::Balance, gonka_runtime::Balance) {
	let raw: [u8; 32] = *who.as_ref();
	let who = gonka_worker::chain::AccountId::from(raw);
	chain(client).balances(&who).await.unwrap_or_else(|e| panic!("balances: {e:#}"))
}

/// A chmod-600 file in `dir` holding `secret` (as `gonka-worker` requires of key files); its path.
pub fn key_file(dir: &std::path::Path, name: &str, secret: &str) -> String {
	use std::os::unix::fs::PermissionsExt;
	let path = dir.join(name);
	std::fs::write(&path, secret).unwrap();
	std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
	path.to_str().unwrap().to_string()
}

/// The runtime account of a subxt dev keypair.
pub fn account(keypair: &subxt_signer::sr25519::Keypair) -> gonka_runtime::AccountId {
	gonka_runtime::AccountId::new(keypair.public_key().0)
}

/// Signs `call` with `signer`, submits it and waits until it is finalized successfully (panics with
/// the node's log otherwise).
pub async fn sign_and_watch(
	node: &DevNode,
	client: &OnlineClient<PolkadotConfig>,
	call: &subxt::transactions::DynamicPayload<impl subxt::ext::scale_encode::EncodeAsFields>,
	signer: &subxt_signer::sr25519::Keypair,
) {
	chain(client)
		.submit_signed(call, signer)
		.await
		.unwrap_or_else(|e| panic!("{e:#}\n{}", node.log_tail()));
}

/// Runs `gonka-worker gov <args>` against the node.
pub fn gov(node: &DevNode, args: &[&str]) -> std::process::Output {
	gov_at(&node.rpc_url, args)
}

/// Runs `gonka-worker gov <args>` against the node at RPC endpoint `url`.
pub fn gov_at(url: &str, args: &[&str]) -> std::process::Output {
	let mut command = Command::new(worker_binary());
	command.arg("gov").arg(args[0]).args(["--url", url]).args(&args[1..]);
	command.output().expect("gonka-worker runs")
}

/// The standard output of a command that must have succeeded (`what` names it otherwise).
pub fn ok(out: std::process::Output, what: &str) -> String {
	assert!(
		out.status.success(),
		"{what} failed:\n{}\n{}",
		String::from_utf8_lossy(&out.stdout),
		String::from_utf8_lossy(&out.stderr)
	);
	String::from_utf8(out.stdout).unwrap()
}
