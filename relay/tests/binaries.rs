//! The relay binaries agree on their version: a relay node only uses PVF workers whose version
//! string equals its own (`polkadot_cli::NODE_VERSION`), and a mismatch shows up only when a
//! validator first prepares a parachain's code. (Also makes `cargo build --workspace --tests`
//! build the three executables, which the relay-backed network test runs.)

use std::process::Command;

fn version(binary: &str, flag: &str) -> String {
	let out = Command::new(binary).arg(flag).output().unwrap_or_else(|e| panic!("{binary}: {e}"));
	assert!(out.status.success(), "{binary} {flag}: {}", String::from_utf8_lossy(&out.stderr));
	String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn the_node_and_its_pvf_workers_carry_the_same_version() {
	let node = version(env!("CARGO_BIN_EXE_polkadot"), "--version");
	// `polkadot <NODE_VERSION>-<commit>`
	let node_version = node.strip_prefix("polkadot ").expect("the node names itself");
	for worker in [
		env!("CARGO_BIN_EXE_polkadot-prepare-worker"),
		env!("CARGO_BIN_EXE_polkadot-execute-worker"),
	] {
		let worker_version = version(worker, "--version");
		assert!(!worker_version.is_empty());
		assert!(
			node_version.starts_with(&worker_version),
			"{worker} is version {worker_version}, the node {node_version}"
		);
	}
	assert!(node_version.starts_with(polkadot_cli::NODE_VERSION), "{node_version}");
}
