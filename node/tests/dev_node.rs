//! End to end: the real `gonka-node` binary in `--dev` mode produces blocks, and a signed GNK
//! transfer submitted over RPC (subxt) is included and moves the balances.

mod common;

use std::time::{Duration, Instant};

use scale_decode::DecodeAsType;
use subxt::{dynamic, OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::dev;

/// One GNK in base units (9 decimals).
const GNK: u128 = 1_000_000_000;

#[derive(Debug, DecodeAsType)]
struct AccountInfo {
	nonce: u32,
	data: AccountData,
}

#[derive(Debug, DecodeAsType)]
struct AccountData {
	free: u128,
}

async fn account(client: &OnlineClient<PolkadotConfig>, who: [u8; 32]) -> AccountInfo {
	let at = client.at_current_block().await.expect("finalized block");
	let address = dynamic::storage::<([u8; 32],), AccountInfo>("System", "Account");
	at.storage().fetch(address, (who,)).await.expect("account exists").decode().expect("decodes")
}

async fn finalized_number(client: &OnlineClient<PolkadotConfig>) -> u64 {
	client.at_current_block().await.expect("finalized block").block_number()
}

/// One node for all end-to-end checks: a debug build spends minutes compiling the runtime
/// with unoptimised cranelift at start-up, so it is started once.
#[tokio::test(flavor = "multi_thread")]
async fn dev_node_end_to_end() {
	let node = common::DevNode::start(1_000);
	let client = node.client(common::STARTUP_TIMEOUT).await;
	produces_blocks_and_includes_a_signed_transfer(&node, &client).await;
	a_host_registers_with_a_signed_extrinsic(&node, &client).await;
}

async fn produces_blocks_and_includes_a_signed_transfer(
	node: &common::DevNode,
	client: &OnlineClient<PolkadotConfig>,
) {
	let client = client.clone();

	// Blocks are produced (and finalized: dev mode seals with finality).
	let start = Instant::now();
	let first = finalized_number(&client).await;
	loop {
		let now = finalized_number(&client).await;
		if now >= first + 2 {
			break;
		}
		assert!(
			start.elapsed() < common::STARTUP_TIMEOUT,
			"no new blocks in {:?} (stuck at #{now})\n{}",
			common::STARTUP_TIMEOUT,
			node.log_tail()
		);
		tokio::time::sleep(Duration::from_millis(300)).await;
	}

	// The chain is ours: GNK with 9 decimals.
	let at = client.at_current_block().await.unwrap();
	let ed = at
		.constants()
		.entry(dynamic::constant::<u128>("Balances", "ExistentialDeposit"))
		.expect("Balances.ExistentialDeposit");
	assert_eq!(ed, GNK / 1_000, "existential deposit is 1 milli-GNK");

	let alice = dev::alice();
	let bob = dev::bob();
	let alice_id: [u8; 32] = alice.public_key().0;
	let bob_id: [u8; 32] = bob.public_key().0;
	let alice_before = account(&client, alice_id).await;
	let bob_before = account(&client, bob_id).await;

	let amount = 42 * GNK;
	let transfer = dynamic::transaction(
		"Balances",
		"transfer_keep_alive",
		(bob.public_key().to_address::<()>(), amount),
	);
	let events = client
		.at_current_block()
		.await
		.unwrap()
		.transactions()
		.sign_and_submit_then_watch_default(&transfer, &alice)
		.await
		.unwrap_or_else(|e| panic!("submit failed: {e}\n{}", node.log_tail()))
		.wait_for_finalized_success()
		.await
		.unwrap_or_else(|e| panic!("transfer not included: {e}\n{}", node.log_tail()));
	assert!(
		events.iter().any(|ev| {
			let ev = ev.expect("event decodes");
			ev.pallet_name() == "Balances" && ev.event_name() == "Transfer"
		}),
		"a Balances.Transfer event"
	);
	let fee_paid = events.iter().any(|ev| {
		let ev = ev.expect("event decodes");
		ev.pallet_name() == "TransactionPayment" && ev.event_name() == "TransactionFeePaid"
	});
	assert!(fee_paid, "a TransactionPayment.TransactionFeePaid event");

	let alice_after = account(&client, alice_id).await;
	let bob_after = account(&client, bob_id).await;
	assert_eq!(bob_after.data.free, bob_before.data.free + amount);
	let fee = alice_before.data.free - alice_after.data.free - amount;
	assert!(fee > 0 && fee < GNK / 10, "fee {fee} out of range");
	assert_eq!(alice_after.nonce, alice_before.nonce + 1);
}

#[derive(Debug, DecodeAsType)]
struct HostView {
	endpoint: Vec<u8>,
	models: Vec<u32>,
	active: bool,
}

async fn a_host_registers_with_a_signed_extrinsic(
	node: &common::DevNode,
	client: &OnlineClient<PolkadotConfig>,
) {
	use std::str::FromStr;
	use subxt::dynamic::Value;
	use subxt_signer::{sr25519::Keypair, SecretUri};

	// Ferdie registers; his worker key is a separate sr25519 key that proves it consents by
	// signing "gonka/worker-key-pop/v1" ++ SCALE(Ferdie's account).
	let host = dev::ferdie();
	let host_id: [u8; 32] = host.public_key().0;
	let worker = Keypair::from_uri(&SecretUri::from_str("//Ferdie//worker").unwrap()).unwrap();
	let mut pop = b"gonka/worker-key-pop/v1".to_vec();
	pop.extend_from_slice(&host_id);
	let proof = worker.sign(&pop);

	let endpoint = b"http://127.0.0.1:8080".to_vec();
	let register = dynamic::transaction(
		"Hosts",
		"register",
		vec![
			Value::from_bytes(&endpoint),
			Value::from_bytes(worker.public_key().0),
			Value::from_bytes(proof.0),
			Value::unnamed_composite(Vec::<Value>::new()),
			Value::named_composite([
				("gpu_model", Value::from_bytes(b"CPU")),
				("gpu_count", Value::u128(0)),
				("gpu_memory_gib", Value::u128(0)),
			]),
		],
	);
	let events = client
		.at_current_block()
		.await
		.unwrap()
		.transactions()
		.sign_and_submit_then_watch_default(&register, &host)
		.await
		.unwrap_or_else(|e| panic!("submit failed: {e}\n{}", node.log_tail()))
		.wait_for_finalized_success()
		.await
		.unwrap_or_else(|e| panic!("registration failed: {e}\n{}", node.log_tail()));
	assert!(
		events.iter().any(|ev| {
			let ev = ev.expect("event decodes");
			ev.pallet_name() == "Hosts" && ev.event_name() == "HostRegistered"
		}),
		"a Hosts.HostRegistered event"
	);

	// The runtime API shows the host.
	let at = client.at_current_block().await.unwrap();
	let view = at
		.runtime_apis()
		.call(dynamic::runtime_api_call::<_, Option<HostView>>("HostsApi", "host", (host_id,)))
		.await
		.expect("HostsApi_host")
		.expect("Ferdie is registered");
	assert_eq!(view.endpoint, endpoint);
	assert!(view.models.is_empty());
	assert!(view.active, "a registered host with zero minimum collateral is active");
}

#[test]
fn unknown_chain_gives_a_clear_error() {
	let out = std::process::Command::new(common::node_binary())
		.args(["build-spec", "--chain", "/nonexistent/spec.json"])
		.output()
		.expect("gonka-node runs");
	assert!(!out.status.success());
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(
		stderr.contains("neither a built-in chain (dev, local) nor a readable chain spec file"),
		"unexpected error: {stderr}"
	);
}
