//! End to end with real processes: a dev node and three `gonka-worker run` daemons on CPU.
//!
//! - Alice: honest, claims her GNK herself (host key file).
//! - Bob: honest, and his host account owns nothing (he sends all his GNK away first): he takes
//!   part through the fee-less path and someone else claims for him.
//! - Charlie: registers as a host, then cheats: commits a count inflated by 20%.
//! - Dave and Eve: registered hosts whose endpoint is a tarpit (it accepts connections and never
//!   answers); the test commits junk for them every epoch. Fetched one after another with a 10 s
//!   timeout each, the two would outlast the 12 s validation window and silence the honest
//!   validators (`docs/sprint-security.md`, attack 7).
//!
//! Checked: Alice and Bob are accepted and share the epoch's reward by weight, Charlie, Dave and
//! Eve get no weight and no GNK, and Alice's worker (committing progressively) killed during a sprint and
//! restarted resumes from its committed leaves and still commits for that epoch. (A node restart
//! under running daemons is tested in upgrade.rs, on the upgraded chain.) Needs ports 8080 and
//! 8081 free (the dev preset's endpoints of Alice and Bob).

mod common;

use common::{account, call_api, free_balance, key_file, sign_and_watch};

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

use gonka_primitives::{epoch::Phase, pow::EpochIndex};
use gonka_runtime::{AccountId, Balance};
use pallet_gonka_sprint::EpochStatus;
use subxt::{dynamic, dynamic::Value, OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::dev;

type Client = OnlineClient<PolkadotConfig>;

/// Two-second blocks: a 20-block epoch is 40 s, room for three CPU workers on two cores.
const BLOCK_MS: u64 = 2_000;
const WAIT: Duration = Duration::from_secs(600);

/// A running `gonka-worker run`, killed on drop.
struct Worker {
	child: Child,
	log: PathBuf,
	args: Vec<String>,
}

impl Worker {
	fn start(dir: &Path, name: &str, args: Vec<String>) -> Self {
		let log = dir.join(format!("{name}.log"));
		let child = spawn(&log, &args);
		Worker { child, log, args }
	}

	fn restart(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
		self.child = spawn(&self.log, &self.args);
	}

	fn log_tail(&self) -> String {
		let log = std::fs::read_to_string(&self.log).unwrap_or_default();
		let lines: Vec<&str> = log.lines().collect();
		lines[lines.len().saturating_sub(15)..].join("\n")
	}
}

fn spawn(log: &Path, args: &[String]) -> Child {
	let out = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
	Command::new(common::worker_binary())
		.arg("run")
		.args(args)
		.stdout(Stdio::null())
		.stderr(out)
		.spawn()
		.expect("gonka-worker starts")
}

impl Drop for Worker {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

async fn weight(client: &Client, epoch: EpochIndex, who: &AccountId) -> u128 {
	call_api(client, "SprintApi_weight_of", (epoch, who.clone())).await
}

/// A plain HTTP/1.0 GET on localhost: the body.
fn http_get(port: u16, path: &str) -> String {
	use std::io::{Read, Write};
	let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("worker listens");
	write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
	let mut response = String::new();
	stream.read_to_string(&mut response).unwrap();
	assert!(
		response.starts_with("HTTP/1.0 200") || response.starts_with("HTTP/1.1 200"),
		"{response}"
	);
	response.split("\r\n\r\n").nth(1).unwrap_or_default().to_string()
}

/// A TCP server that accepts every connection and never answers (holds it open).
fn tarpit() -> u16 {
	let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("tarpit port");
	let port = listener.local_addr().unwrap().port();
	std::thread::spawn(move || {
		let mut held = Vec::new();
		for stream in listener.incoming().flatten() {
			held.push(stream);
		}
	});
	port
}

/// Registers `secret`'s account as a host with `gonka-worker register`, its worker key
/// `secret//worker` written to `worker_key` in `dir`, serving at `endpoint`.
fn register(node: &common::DevNode, dir: &Path, secret: &str, worker_key: &str, endpoint: &str) {
	let host_key = format!("{worker_key}.host");
	let out = Command::new(common::worker_binary())
		.args(["register", "--url", &node.rpc_url, "--endpoint", endpoint])
		.args(["--host-key-file", &key_file(dir, &host_key, secret)])
		.args(["--worker-key-file", &key_file(dir, worker_key, &format!("{secret}//worker"))])
		.output()
		.expect("gonka-worker runs");
	assert!(out.status.success(), "register: {}", String::from_utf8_lossy(&out.stderr));
}

/// Whether `target` committed in `epoch` (one of `validators` was assigned to check it).
async fn judged(
	client: &Client,
	epoch: EpochIndex,
	validators: &[&AccountId],
	target: &AccountId,
) -> bool {
	for validator in validators {
		let assignments: Vec<pallet_gonka_sprint::Assignment<AccountId>> =
			call_api(client, "SprintApi_assignments", (epoch, (*validator).clone())).await;
		if assignments.iter().any(|a| &a.target == target && a.count > 0) {
			return true;
		}
	}
	false
}

#[tokio::test(flavor = "multi_thread")]
async fn workers_earn_by_proven_compute_and_a_cheater_gets_nothing() {
	common::genesis_host_ports_are_free();
	let node = common::DevNode::start(BLOCK_MS);
	let client = node.client(common::STARTUP_TIMEOUT).await;
	let dir = tempfile::tempdir().unwrap();
	let (alice, bob, charlie) =
		(account(&dev::alice()), account(&dev::bob()), account(&dev::charlie()));

	// Bob empties his account: his host takes part with zero balance.
	let to_dave = dynamic::transaction(
		"Balances",
		"transfer_all",
		(Value::unnamed_variant("Id", [Value::from_bytes(dev::dave().public_key().0)]), false),
	);
	sign_and_watch(&node, &client, &to_dave, &dev::bob()).await;
	assert_eq!(free_balance(&client, &bob).await, 0, "Bob owns nothing");

	// Charlie registers as a host with `gonka-worker register` (his own worker key, endpoint).
	let d = dir.path();
	let charlie_port = common::free_port();
	register(&node, d, "//Charlie", "c.key", &format!("http://127.0.0.1:{charlie_port}"));
	let view: Option<pallet_gonka_hosts::HostView<AccountId, Balance, u32>> =
		call_api(&client, "HostsApi_host", charlie.clone()).await;
	assert!(view.is_some_and(|v| v.active), "Charlie is an active host");
	// Dave and Eve register with a tarpit as their endpoint.
	let tarpit = format!("http://127.0.0.1:{}", tarpit());
	register(&node, d, "//Dave", "d.key", &tarpit);
	register(&node, d, "//Eve", "e.key", &tarpit);
	let (dave, eve) = (account(&dev::dave()), account(&dev::eve()));
	let sybils = [("//Dave//worker", dave.clone()), ("//Eve//worker", eve.clone())];
	let mut sybils_committed: Option<EpochIndex> = None;
	let charlie_before = free_balance(&client, &charlie).await;
	let alice_before = free_balance(&client, &alice).await;

	let common_args = |host: &AccountId, key: String, port: u16, state: &str| {
		vec![
			"--url".to_string(),
			node.rpc_url.clone(),
			"--host".into(),
			host.to_string(),
			"--worker-key-file".into(),
			key,
			"--listen".into(),
			format!("127.0.0.1:{port}"),
			"--state-dir".into(),
			d.join(state).to_str().unwrap().to_string(),
			"--device".into(),
			"cpu".into(),
		]
	};
	let mut alice_args = common_args(&alice, key_file(d, "a.key", "//Alice//worker"), 8080, "a");
	alice_args.extend(["--host-key-file".into(), key_file(d, "ah.key", "//Alice")]);
	// Alice commits progressively: every 2.5 s of search.
	alice_args.extend(["--commit-every-secs".into(), "2.5".into()]);
	let mut alice_worker = Worker::start(d, "alice", alice_args);
	let bob_worker = Worker::start(
		d,
		"bob",
		common_args(&bob, key_file(d, "b.key", "//Bob//worker"), 8081, "b"),
	);
	let mut charlie_args =
		common_args(&charlie, d.join("c.key").to_str().unwrap().to_string(), charlie_port, "c");
	charlie_args.extend(["--testing-inflate-count-percent".into(), "20".into()]);
	let charlie_worker = Worker::start(d, "charlie", charlie_args);
	macro_rules! logs {
		() => {
			format!(
				"--- alice\n{}\n--- bob\n{}\n--- charlie\n{}\n--- node\n{}",
				alice_worker.log_tail(),
				bob_worker.log_tail(),
				charlie_worker.log_tail(),
				node.log_tail()
			)
		};
	}

	// Wait for an activated epoch in which all five committed and the honest hosts have weight;
	// meanwhile commit junk for the tarpit hosts in every sprint.
	let start = Instant::now();
	let epoch = loop {
		let status = common::sprint::status(&client).await;
		if status.phase == Phase::Sprint
			&& status.blocks_left >= 3
			&& sybils_committed != Some(status.epoch)
		{
			common::sprint::commit_all(&node, &client, &sybils, &[500, 500]).await;
			sybils_committed = Some(status.epoch);
		}
		let active: Option<EpochIndex> = call_api(&client, "SprintApi_active_epoch", ()).await;
		if let Some(e) = active {
			if weight(&client, e, &alice).await > 0
				&& weight(&client, e, &bob).await > 0
				&& judged(&client, e, &[&alice, &bob], &charlie).await
				&& judged(&client, e, &[&alice, &bob], &dave).await
				&& judged(&client, e, &[&alice, &bob], &eve).await
			{
				break e;
			}
		}
		assert!(start.elapsed() < WAIT, "no epoch with both honest hosts\n{}", logs!());
		tokio::time::sleep(Duration::from_secs(1)).await;
	};
	// Charlie committed in that epoch (validators were assigned to check him) but was rejected.
	assert_eq!(weight(&client, epoch, &charlie).await, 0, "the cheater has no weight\n{}", logs!());
	// The tarpits served nothing and were rejected, without holding the honest validators up.
	for sybil in [&dave, &eve] {
		assert_eq!(weight(&client, epoch, sybil).await, 0, "a tarpit has no weight\n{}", logs!());
	}
	let total: u128 = call_api(&client, "SprintApi_total_weight", epoch).await;
	let scheduled: Balance = call_api(&client, "EmissionApi_scheduled_reward", epoch).await;
	let bob_share: Balance = call_api(&client, "EmissionApi_claimable", (bob.clone(), epoch)).await;
	assert_eq!(
		bob_share,
		scheduled * weight(&client, epoch, &bob).await / total,
		"share by weight"
	);
	let nothing: Balance =
		call_api(&client, "EmissionApi_claimable", (charlie.clone(), epoch)).await;
	assert_eq!(nothing, 0, "the cheater has nothing to claim");

	// Someone claims for Bob (zero balance): his GNK arrives.
	let claim_for = dynamic::transaction(
		"Emission",
		"claim_for",
		(Value::from_bytes(<[u8; 32]>::from(bob.clone())), epoch),
	);
	sign_and_watch(&node, &client, &claim_for, &dev::eve()).await;
	assert!(free_balance(&client, &bob).await >= bob_share, "Bob was paid\n{}", logs!());

	// Alice's daemon claims by itself.
	let start = Instant::now();
	while free_balance(&client, &alice).await <= alice_before {
		assert!(start.elapsed() < WAIT, "Alice's worker did not claim\n{}", logs!());
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	assert!(free_balance(&client, &charlie).await <= charlie_before, "the cheater earned nothing");

	// Alice's worker exposes Prometheus metrics next to its proofs.
	let metrics = http_get(8080, "/metrics");
	let commitments: u64 = metrics
		.lines()
		.find_map(|l| l.strip_prefix("gonka_worker_commitments_total "))
		.and_then(|v| v.trim().parse().ok())
		.unwrap_or_else(|| panic!("no commitments counter in\n{metrics}"));
	assert!(commitments >= 1, "{metrics}");

	// Kill Alice's worker in the middle of a sprint, after its first progressive commitment, and
	// restart it: it resumes from its committed leaves and commits again.
	let start = Instant::now();
	let sprint_epoch = loop {
		let s: EpochStatus = call_api(&client, "SprintApi_epoch_status", ()).await;
		if s.phase == Phase::Sprint && s.epoch > epoch && s.blocks_left >= 5 {
			break s.epoch;
		}
		assert!(start.elapsed() < WAIT, "no sprint\n{}", logs!());
		tokio::time::sleep(Duration::from_millis(300)).await;
	};
	let partial = format!("event=committed epoch={sprint_epoch} final=false");
	let start = Instant::now();
	while !std::fs::read_to_string(&alice_worker.log).unwrap_or_default().contains(&partial) {
		assert!(start.elapsed() < Duration::from_secs(20), "no progressive commit\n{}", logs!());
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
	alice_worker.restart();
	let start = Instant::now();
	loop {
		let active: Option<EpochIndex> = call_api(&client, "SprintApi_active_epoch", ()).await;
		if active.is_some_and(|a| a >= sprint_epoch) {
			break;
		}
		assert!(start.elapsed() < WAIT, "epoch {sprint_epoch} never activated\n{}", logs!());
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	assert!(
		weight(&client, sprint_epoch, &alice).await > 0,
		"the restarted worker committed for epoch {sprint_epoch}\n{}",
		logs!()
	);
	let log = std::fs::read_to_string(&alice_worker.log).unwrap();
	assert!(log.contains(&format!("event=resumed epoch={sprint_epoch}")), "{}", logs!());
	assert!(
		log.contains(&format!("event=committed epoch={sprint_epoch} final=true")),
		"{}",
		logs!()
	);
}
