//! `polkadot`: a relay-chain node of the pinned polkadot-sdk release, with the Westend runtime
//! compiled in. Used by the relay-backed network (`zombienet/gonka-local.toml`,
//! `scripts/run-relay.sh`, `node/tests/relay.rs`); it is the upstream node, unchanged.

fn main() {
	if let Err(error) = polkadot_cli::run() {
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
