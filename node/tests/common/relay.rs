//! The relay-backed network of `zombienet/gonka-local.toml`, started by the zombienet CLI for
//! end-to-end tests: a `westend-local` relay chain (validators `eve` and `ferdie`, the `polkadot`
//! binary of the `relay/` crate) and the Gonka parachain 2000 (collators `alice` and `bob`,
//! `gonka-node`).

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

use codec::Decode;
use subxt::{dynamic, OnlineClient, PolkadotConfig};

use super::node_binary;

type Client = OnlineClient<PolkadotConfig>;

/// The parachain id `zombienet/gonka-local.toml` registers.
pub const PARA_ID: u32 = 2000;

/// How long zombienet may take to generate both chain specs and start four debug-built nodes
/// (each compiles its runtime at start; the relay's genesis WASM is compiled several times).
pub const SPAWN_TIMEOUT: Duration = Duration::from_secs(1500);

/// The repository's root (the network definition's paths are relative to it).
pub fn repo_root() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A running zombienet network. Dropping it kills zombienet and every node it started (they
/// share its process group).
pub struct RelayNetwork {
	child: Child,
	/// zombienet's directory: `zombie.json`, chain specs and one `<node>.log` per node.
	pub dir: PathBuf,
	/// Deleted on drop, unless the test failed (then its path is printed).
	tmp: Option<tempfile::TempDir>,
	nodes: serde_json::Value,
}

impl RelayNetwork {
	/// Runs `zombienet spawn --provider native zombienet/gonka-local.toml` with this build's
	/// binaries first on `PATH` and waits until zombienet reports the network launched.
	pub fn spawn() -> Self {
		use std::os::unix::process::CommandExt;
		for binary in ["polkadot", "polkadot-prepare-worker", "polkadot-execute-worker"] {
			super::workspace_binary(binary);
		}
		let root = repo_root();
		let zombienet = root.join("zombienet/node_modules/.bin/zombienet");
		assert!(
			zombienet.exists(),
			"{} is missing: run scripts/setup-zombienet.sh (scripts/test.sh does)",
			zombienet.display()
		);
		let tmp = tempfile::tempdir().unwrap();
		let dir = tmp.path().join("network");
		let bin_dir = node_binary().parent().unwrap().to_path_buf();
		let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
		let out = std::fs::File::create(tmp.path().join("zombienet.log")).unwrap();
		let child = Command::new(&zombienet)
			.current_dir(&root)
			.env("PATH", path)
			.args(["--provider", "native", "--logType", "text", "--dir"])
			.arg(&dir)
			.args(["spawn", "zombienet/gonka-local.toml"])
			.stdin(Stdio::null())
			.stdout(out.try_clone().unwrap())
			.stderr(out)
			.process_group(0)
			.spawn()
			.expect("zombienet starts");
		let mut network =
			RelayNetwork { child, dir, tmp: Some(tmp), nodes: serde_json::Value::Null };
		let start = Instant::now();
		let manifest = network.dir.join("zombie.json");
		loop {
			if let Ok(text) = std::fs::read_to_string(&manifest) {
				if let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) {
					network.nodes = json["nodesByName"].clone();
					break;
				}
			}
			if let Ok(Some(status)) = network.child.try_wait() {
				panic!(
					"zombienet exited ({status}) before the network was up:\n{}",
					network.logs()
				);
			}
			assert!(
				start.elapsed() < SPAWN_TIMEOUT,
				"the network was not up after {SPAWN_TIMEOUT:?}:\n{}",
				network.logs()
			);
			std::thread::sleep(Duration::from_secs(2));
		}
		network
	}

	/// The WebSocket RPC endpoint of node `name` (`eve`, `ferdie`, `alice`, `bob`).
	pub fn rpc_url(&self, name: &str) -> String {
		self.nodes[name]["wsUri"]
			.as_str()
			.unwrap_or_else(|| panic!("no node {name} in zombie.json: {}", self.nodes))
			.to_string()
	}

	/// A subxt client of node `name`.
	pub async fn client(&self, name: &str) -> Client {
		super::connect(&self.rpc_url(name), Duration::from_secs(120), || self.logs()).await
	}

	/// The log of node `name` so far.
	pub fn node_log(&self, name: &str) -> String {
		std::fs::read_to_string(self.dir.join(format!("{name}.log"))).unwrap_or_default()
	}

	/// The last lines of zombienet's own output and of every node's log, for assertion messages.
	pub fn logs(&self) -> String {
		let tail = |text: String, n: usize| {
			let lines: Vec<&str> = text.lines().collect();
			lines[lines.len().saturating_sub(n)..].join("\n")
		};
		let zombienet = self.dir.parent().unwrap().join("zombienet.log");
		let mut out = format!(
			"--- zombienet\n{}",
			tail(std::fs::read_to_string(zombienet).unwrap_or_default(), 30)
		);
		for name in ["eve", "ferdie", "alice", "bob"] {
			out += &format!("\n--- {name}\n{}", tail(self.node_log(name), 15));
		}
		out
	}

	/// The largest compressed PoV (in KiB) that collator `name` logged (`Compressed PoV size`,
	/// one line per collation it built), and how many it built.
	pub fn max_pov_kib(&self, name: &str) -> (f64, usize) {
		let log = self.node_log(name);
		let sizes: Vec<f64> = log
			.lines()
			.filter_map(|l| l.split("Compressed PoV size: ").nth(1))
			.filter_map(|s| s.trim_end_matches("kb").trim().parse().ok())
			.collect();
		(sizes.iter().cloned().fold(0.0, f64::max), sizes.len())
	}
}

impl Drop for RelayNetwork {
	fn drop(&mut self) {
		// zombienet and the nodes it spawned (through `bash -c`) share its process group.
		let group = format!("-{}", self.child.id());
		let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
		let _ = self.child.wait();
		if std::thread::panicking() {
			if let Some(tmp) = self.tmp.take() {
				eprintln!(
					"zombienet's directory, with every node's log, kept: {}",
					tmp.into_path().display()
				);
			}
		}
	}
}

/// The number of the parachain block the relay chain has included for [`PARA_ID`] at its latest
/// finalized block (the head data is the block's SCALE-encoded header).
pub async fn included_head(relay: &Client) -> Option<u32> {
	let at = relay.at_current_block().await.ok()?;
	let address = dynamic::storage::<(u32,), Vec<u8>>("Paras", "Heads");
	let head: Vec<u8> = at.storage().try_fetch(address, (PARA_ID,)).await.ok()??.decode().ok()?;
	let header = gonka_runtime::opaque::Header::decode(&mut &head[..]).ok()?;
	Some(header.number)
}

/// The validation code hash the relay chain holds for [`PARA_ID`] at its latest finalized block.
pub async fn current_code_hash(relay: &Client) -> Option<[u8; 32]> {
	let at = relay.at_current_block().await.ok()?;
	let address = dynamic::storage::<(u32,), [u8; 32]>("Paras", "CurrentCodeHash");
	at.storage().try_fetch(address, (PARA_ID,)).await.ok()??.decode().ok()
}
