//! The `gonka-worker pow` commands end to end on the tiny preset, as a user runs them: run a
//! sprint to a directory, verify the directory, serve it over HTTP and verify the server.

use std::{
	io::{BufRead, BufReader},
	process::{Command, Stdio},
	time::Duration,
};

const BIN: &str = env!("CARGO_BIN_EXE_gonka-worker");
const SEED: &str = "0x1111111111111111111111111111111111111111111111111111111111111111";
const KEY: &str = "0x2222222222222222222222222222222222222222222222222222222222222222";
const VALIDATOR: &str = "0x3333333333333333333333333333333333333333333333333333333333333333";

fn run(args: &[&str]) -> (bool, String, String) {
	let out = Command::new(BIN).args(args).output().expect("gonka-worker runs");
	(
		out.status.success(),
		String::from_utf8_lossy(&out.stdout).into_owned(),
		String::from_utf8_lossy(&out.stderr).into_owned(),
	)
}

/// `pow verify` of the tiny-preset sprint (epoch 5, key `KEY`) against a proof server.
fn verify_over_http(url: &str, extra: &[&str]) -> (bool, String, String) {
	let mut args = vec![
		"pow",
		"verify",
		"--url",
		url,
		"--params",
		"tiny",
		"--device",
		"cpu",
		"--seed",
		SEED,
		"--epoch",
		"5",
		"--target-key",
		KEY,
		"--validator-key",
		VALIDATOR,
	];
	args.extend_from_slice(extra);
	run(&args)
}

fn verdict(stdout: &str) -> serde_json::Value {
	serde_json::from_str(stdout.lines().last().unwrap_or_default())
		.unwrap_or_else(|e| panic!("no verdict in {stdout:?}: {e}"))
}

#[test]
fn run_verify_serve_and_verify_over_http() {
	let dir = tempfile::tempdir().unwrap();
	let out = dir.path().to_str().unwrap();
	let (ok, stdout, stderr) = run(&[
		"pow",
		"run",
		"--params",
		"tiny",
		"--device",
		"cpu",
		"--seed",
		SEED,
		"--worker-key",
		KEY,
		"--epoch",
		"5",
		"--nonces",
		"60",
		"--out",
		out,
	]);
	assert!(ok, "{stderr}");
	let commitment: serde_json::Value = serde_json::from_str(&stdout).unwrap();
	assert_eq!(commitment["epoch"], 5);
	let count = commitment["count"].as_u64().unwrap();
	assert!(count > 0 && count < 60, "{count} valid of 60");

	let (ok, stdout, stderr) =
		run(&["pow", "verify", "--dir", out, "--validator-key", VALIDATOR, "--samples", "4"]);
	assert!(ok, "{stderr}");
	let v = verdict(&stdout);
	assert_eq!(v["samples_checked"], count.min(4));
	assert_eq!(v["mismatches"], 0);
	assert_eq!(v["proofs_not_served"], false);

	let mut server = Command::new(BIN)
		.args(["pow", "serve-proofs", "--dir", out, "--listen", "127.0.0.1:0"])
		.stderr(Stdio::piped())
		.spawn()
		.unwrap();
	let mut lines = BufReader::new(server.stderr.take().unwrap()).lines();
	let url = loop {
		let line = lines.next().expect("server prints its address").unwrap();
		if let Some(url) = line.strip_prefix("proof server listening on ") {
			break url.to_string();
		}
	};
	let (ok, stdout, stderr) = verify_over_http(&url, &["--samples", "4"]);
	server.kill().unwrap();
	server.wait().unwrap();
	assert!(ok, "{stderr}");
	assert_eq!(
		verdict(&stdout),
		serde_json::json!({
			"samples_checked": count.min(4), "mismatches": 0, "proofs_not_served": false
		})
	);

	// The server is gone: proofs not served.
	std::thread::sleep(Duration::from_millis(100));
	let (ok, stdout, stderr) = verify_over_http(&url, &["--timeout", "2"]);
	assert!(ok, "{stderr}");
	assert_eq!(verdict(&stdout)["proofs_not_served"], true);
}

#[test]
fn bad_arguments_are_reported() {
	let (ok, _, stderr) = run(&[
		"pow",
		"run",
		"--params",
		"tiny",
		"--seed",
		"0x12",
		"--worker-key",
		KEY,
		"--out",
		"/tmp/x",
		"--nonces",
		"1",
	]);
	assert!(!ok);
	assert!(stderr.contains("--seed"), "{stderr}");
	let (ok, _, stderr) = run(&[
		"pow",
		"run",
		"--params",
		"nope",
		"--seed",
		SEED,
		"--worker-key",
		KEY,
		"--out",
		"/tmp/x",
		"--nonces",
		"1",
	]);
	assert!(!ok);
	assert!(stderr.contains("neither a preset"), "{stderr}");
	let (ok, _, stderr) = run(&[
		"pow",
		"run",
		"--params",
		"tiny",
		"--device",
		"cpu",
		"--dtype",
		"bf16",
		"--seed",
		SEED,
		"--worker-key",
		KEY,
		"--out",
		"/tmp/x",
		"--nonces",
		"1",
	]);
	assert!(!ok);
	assert!(stderr.contains("only supported on CUDA"), "{stderr}");
}
