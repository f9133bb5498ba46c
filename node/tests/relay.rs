//! End to end on a real relay chain: `zombienet/gonka-local.toml` (a `westend-local` relay with
//! two validators running the `polkadot` node of the pinned polkadot-sdk release, and two
//! `gonka-node` collators for para 2000), started by the zombienet CLI.
//!
//! Checked, in one network (a debug-built relay takes minutes to start):
//! - **Backing and inclusion**: the relay's `Paras::Heads(2000)` at its finalized blocks advances
//!   through parachain blocks.
//! - **Finality follows the relay**: sampled about once a second for minutes, the collator's
//!   finalized block number never runs ahead of the head included at the relay's finalized
//!   block (allowing the relay node we ask up to a minute to hear of the same finality).
//! - **A sprint epoch on the relay-backed chain**: both genesis hosts' `gonka-worker run`
//!   daemons sprint, validate each other and get weight > 0, in the first or second epoch
//!   despite a finality lag about as long as the sprint.
//! - **An upgrade through the relay**: a `root` referendum decided by that weight authorises the
//!   runtime one `spec_version` later (`gonka-runtime-next`); `gonka-worker gov apply-upgrade`
//!   hands in the code; parachain-system holds it as pending validation code; the relay
//!   validators pre-check it, the relay's `Paras::CurrentCodeHash(2000)` becomes its hash and the
//!   go-ahead signal lets the parachain enact it: the new `spec_version` is in force and blocks
//!   built on it are still backed and included.
//! - **PoV sizes**: the heaviest compressed PoV the collators built is printed (run with
//!   `--nocapture`).
//!
//! Needs ports 8080 and 8081 free (the genesis hosts' endpoints).

mod common;

use common::{
	account, call_api, gov_at, key_file, market, ok,
	relay::{current_code_hash, included_head, RelayNetwork},
};

use std::time::{Duration, Instant};

use gonka_primitives::pow::EpochIndex;
use gonka_runtime::AccountId;
use subxt::{dynamic, OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::dev;

type Client = OnlineClient<PolkadotConfig>;

/// The longest wait for any one step (a 20-block epoch of 6-second parachain blocks is 2 min).
const WAIT: Duration = Duration::from_secs(900);

async fn spec_version(client: &Client) -> u32 {
	client.at_current_block().await.expect("latest finalized block").spec_version()
}

async fn finalized_number(client: &Client) -> u32 {
	client.at_current_block().await.expect("latest finalized block").block_number() as u32
}

async fn weight(client: &Client, epoch: EpochIndex, who: &AccountId) -> u128 {
	call_api(client, "SprintApi_weight_of", (epoch, who.clone())).await
}

async fn active_epoch(client: &Client) -> Option<EpochIndex> {
	call_api(client, "SprintApi_active_epoch", ()).await
}

/// Waits until `check` returns `Some`, failing with `what` and the logs after [`WAIT`].
async fn until<T>(
	what: &str,
	logs: &dyn Fn() -> String,
	mut check: impl AsyncFnMut() -> Option<T>,
) -> T {
	let start = Instant::now();
	loop {
		if let Some(v) = check().await {
			return v;
		}
		assert!(start.elapsed() < WAIT, "timed out waiting for {what}\n{}", logs());
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

/// Checks that the collator's finalized block is included in a finalized relay block: the head
/// included at the relay node's latest finalized block must reach its number within a minute
/// (the collator may hear of relay finality before the relay node we ask). Returns that number.
async fn finality_follows_the_relay(
	para: &Client,
	relay: &Client,
	logs: &dyn Fn() -> String,
) -> u32 {
	let finalized = finalized_number(para).await;
	let start = Instant::now();
	loop {
		let included = included_head(relay).await.unwrap_or(0);
		if included >= finalized {
			return finalized;
		}
		assert!(
			start.elapsed() < Duration::from_secs(60),
			"parachain block {finalized} is finalized but the relay's finalized head is {included}\n{}",
			logs()
		);
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn the_parachain_is_backed_by_relay_validators_and_upgrades_through_the_relay() {
	common::genesis_host_ports_are_free();
	let code = gonka_runtime_next::WASM_BINARY
		.expect("gonka-runtime-next was built with SKIP_WASM_BUILD: build without it");
	let code = sp_maybe_compressed_blob::compress_strongly(code, 50 << 20).expect("compresses");
	let started = Instant::now();
	let net = RelayNetwork::spawn();
	println!("relay: network up in {:?} ({})", started.elapsed(), net.dir.display());
	let relay = net.client("eve").await;
	let para = net.client("alice").await;
	let para_url = net.rpc_url("alice");

	// The genesis hosts' daemons sprint against collator alice from the start, so that they
	// catch the first sprint once the parachain makes blocks.
	let dir = tempfile::tempdir().unwrap();
	let d = dir.path();
	let (alice, bob) = (account(&dev::alice()), account(&dev::bob()));
	let alice_key = key_file(d, "alice.host", "//Alice");
	let bob_key = key_file(d, "bob.host", "//Bob");
	let alice_worker = market::host(d, &para_url, "alice", 8080, &["--host-key-file", &alice_key]);
	let bob_worker = market::host(d, &para_url, "bob", 8081, &[]);
	let logs = || {
		format!(
			"--- alice worker\n{}\n--- bob worker\n{}\n{}",
			alice_worker.tail(),
			bob_worker.tail(),
			net.logs()
		)
	};

	// Backed and included: the relay's view of the parachain head advances.
	let first = until("the relay to include parachain block 2", &logs, async || {
		included_head(&relay).await.filter(|n| *n >= 2)
	})
	.await;
	let second = until("the relay to include two more parachain blocks", &logs, async || {
		included_head(&relay).await.filter(|n| *n >= first + 2)
	})
	.await;
	println!("relay: parachain blocks {first} and {second} included after {:?}", started.elapsed());

	// Alice proposes the upgrade on the root track (proposing needs no weight).
	let wasm = d.join("next.wasm");
	std::fs::write(&wasm, &code).unwrap();
	let wasm = wasm.to_str().unwrap();
	let before = spec_version(&para).await;
	assert_eq!(before, gonka_runtime::VERSION.spec_version);
	let out = ok(
		gov_at(
			&para_url,
			&["propose", "--host-key-file", &alice_key, "--authorize-upgrade", wasm, "--json"],
		),
		"propose",
	);
	let proposed: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
	assert_eq!(proposed["track"], "root");
	let index = proposed["index"].as_u64().unwrap().to_string();

	// A sprint epoch completes: both hosts have weight. Meanwhile, parachain finality follows
	// the relay's.
	let mut finalized = Vec::new();
	let epoch = until("an epoch with both hosts' weight", &logs, async || {
		finalized.push(finality_follows_the_relay(&para, &relay, &logs).await);
		let e = active_epoch(&para).await?;
		(weight(&para, e, &alice).await > 0 && weight(&para, e, &bob).await > 0).then_some(e)
	})
	.await;
	assert!(
		finalized.last() > finalized.first(),
		"parachain finality did not advance: {finalized:?}\n{}",
		logs()
	);
	println!("relay: epoch {epoch} weighed after {:?}", started.elapsed());
	// The daemons keep time on the best block, so the finality lag (about as long as the dev
	// clock's sprint) does not make them miss sprints: the first one counts, or at worst the
	// second (timed on finalized blocks they weighed in epoch 2 at best).
	assert!(epoch <= 1, "the hosts first got weight in epoch {epoch}\n{}", logs());

	// Both vote aye with their proven compute; the referendum passes and authorises the code.
	for key in [&alice_key, &bob_key] {
		ok(gov_at(&para_url, &["vote", "--host-key-file", key, &index, "aye"]), "vote");
	}
	until("the upgrade to be authorised", &logs, async || {
		let at = para.at_current_block().await.ok()?;
		let authorized = dynamic::storage::<(), dynamic::Value>("System", "AuthorizedUpgrade");
		at.storage().try_fetch(authorized, ()).await.ok()?.map(|_| ())
	})
	.await;
	ok(
		gov_at(&para_url, &["apply-upgrade", "--host-key-file", &alice_key, "--wasm", wasm]),
		"apply",
	);
	println!("relay: upgrade applied after {:?}", started.elapsed());

	// Parachain-system holds the code until the relay's go-ahead.
	until("parachain-system's pending validation code", &logs, async || {
		let at = para.at_current_block().await.ok()?;
		let pending = dynamic::storage::<(), Vec<u8>>("ParachainSystem", "PendingValidationCode");
		let code: Vec<u8> = at.storage().try_fetch(pending, ()).await.ok()??.decode().ok()?;
		(!code.is_empty()).then_some(())
	})
	.await;
	// The relay validators pre-checked it and the relay enacted it for para 2000.
	let new_code = sp_crypto_hashing::blake2_256(&code);
	until("the relay's code hash for para 2000 to be the new code's", &logs, async || {
		(current_code_hash(&relay).await? == new_code).then_some(())
	})
	.await;
	// The go-ahead reached the parachain: the new runtime is in force.
	until("the new spec_version on the parachain", &logs, async || {
		(spec_version(&para).await == before + 1).then_some(())
	})
	.await;
	println!("relay: spec_version {} in force after {:?}", before + 1, started.elapsed());

	// Blocks built on the new runtime are still backed and included.
	let upgraded_at = finalized_number(&para).await;
	until("the relay to include blocks of the new runtime", &logs, async || {
		included_head(&relay).await.filter(|n| *n >= upgraded_at + 3)
	})
	.await;
	finality_follows_the_relay(&para, &relay, &logs).await;

	let (alice_pov, alice_n) = net.max_pov_kib("alice");
	let (bob_pov, bob_n) = net.max_pov_kib("bob");
	assert!(alice_n + bob_n > 0, "the collators logged no PoV\n{}", logs());
	println!(
		"relay: heaviest compressed PoV {:.1} KiB over {} collations; total {:?}",
		alice_pov.max(bob_pov),
		alice_n + bob_n,
		started.elapsed()
	);
}
