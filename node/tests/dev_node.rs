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

#[tokio::test(flavor = "multi_thread")]
async fn dev_node_produces_blocks_and_includes_a_signed_transfer() {
	let node = common::DevNode::start(1_000);
	let client = node.client(Duration::from_secs(180)).await;

	// Blocks are produced (and finalized: dev mode seals with finality).
	let start = Instant::now();
	let first = finalized_number(&client).await;
	loop {
		let now = finalized_number(&client).await;
		if now >= first + 2 {
			break;
		}
		assert!(
			start.elapsed() < Duration::from_secs(60),
			"no new blocks in 60 s (stuck at #{now})\n{}",
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
