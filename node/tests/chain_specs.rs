//! The committed chain specs in `chain-spec/` are what the node generates from the runtime's
//! presets today. Regenerate them with `scripts/gen-chain-specs.sh`.
//!
//! Everything is compared byte for byte except the runtime code, whose bytes depend on the
//! build machine's paths; for the code we compare the runtime version embedded in it, so a
//! spec carrying an older `spec_version` than the runtime fails.

mod common;

use std::{path::PathBuf, process::Command};

fn generated(chain: &str) -> serde_json::Value {
	let out = Command::new(common::node_binary())
		.args(["build-spec", "--chain", chain, "--disable-default-bootnode"])
		.output()
		.expect("gonka-node runs");
	assert!(out.status.success(), "build-spec failed: {}", String::from_utf8_lossy(&out.stderr));
	serde_json::from_slice(&out.stdout).expect("build-spec prints JSON")
}

fn committed(file: &str) -> serde_json::Value {
	// The checkout cargo runs the test in (the binary may come from another sharing the target dir).
	let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
	let path = manifest.join("../chain-spec").join(file);
	let text = std::fs::read_to_string(&path)
		.unwrap_or_else(|e| panic!("{}: {e}; run scripts/gen-chain-specs.sh", path.display()));
	serde_json::from_str(&text).expect("committed spec is JSON")
}

/// Removes the runtime code from a spec and returns its embedded `spec_version`.
fn take_code_version(spec: &mut serde_json::Value) -> u32 {
	let code = spec
		.pointer_mut("/genesis/runtimeGenesis/code")
		.expect("spec has genesis.runtimeGenesis.code")
		.take();
	let hex = code.as_str().expect("code is a hex string").trim_start_matches("0x");
	let bytes = hex::decode(hex).expect("code is hex");
	let blob = sc_executor_common::runtime_blob::RuntimeBlob::uncompress_if_needed(&bytes)
		.expect("code is a (compressed) wasm blob");
	sc_executor::read_embedded_version(&blob)
		.expect("version section is readable")
		.expect("runtime embeds its version")
		.spec_version
}

fn assert_up_to_date(chain: &str, file: &str) {
	let mut fresh = generated(chain);
	let mut stored = committed(file);
	let fresh_version = take_code_version(&mut fresh);
	let stored_version = take_code_version(&mut stored);
	assert_eq!(
		stored_version, fresh_version,
		"chain-spec/{file} carries runtime spec_version {stored_version}, the runtime is at \
		 {fresh_version}: run scripts/gen-chain-specs.sh"
	);
	assert_eq!(stored, fresh, "chain-spec/{file} is stale: run scripts/gen-chain-specs.sh");
}

#[test]
fn dev_spec_is_up_to_date() {
	assert_up_to_date("dev", "gonka-dev.json");
}

#[test]
fn local_spec_is_up_to_date() {
	assert_up_to_date("local", "gonka-local.json");
}
