//! End to end: start the real `gonka-inference-server` binary on a free port and drive it with
//! the official `openai` Python client: a smoke check (tests/python/openai_client_check.py) and
//! the conformance suite of docs/openai-compatibility.md (tests/python/openai_conformance.py).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The server process, killed even when an assertion fails.
struct Server {
	child: Child,
	addr: String,
}

impl Drop for Server {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

fn start_server() -> Server {
	let mut child = Command::new(env!("CARGO_BIN_EXE_gonka-inference-server"))
		.args([
			"--model",
			common::model_path().to_str().unwrap(),
			"--addr",
			"127.0.0.1:0",
			"--model-id",
			"smollm2",
		])
		.args(["--cpu", "--no-hash", "--max-tokens", "256"])
		.stdout(Stdio::piped())
		.stderr(Stdio::inherit())
		.spawn()
		.expect("starting gonka-inference-server");
	let stdout = child.stdout.take().unwrap();
	let mut line = String::new();
	BufReader::new(stdout).read_line(&mut line).unwrap();
	let addr = line
		.trim()
		.strip_prefix("listening on ")
		.unwrap_or_else(|| panic!("unexpected server output {line:?}"))
		.to_string();
	Server { child, addr }
}

/// Runs `script` with the server's base URL and the model id (plus `extra` arguments) and
/// asserts it ends with "ok".
fn run_script(script: &str, extra: &[&str]) {
	let server = start_server();
	let out = Command::new(common::python())
		.arg(common::python_script(script))
		.arg(format!("http://{}/v1", server.addr))
		.arg("smollm2")
		.args(extra)
		.output()
		.unwrap();
	drop(server);
	let stdout = String::from_utf8_lossy(&out.stdout);
	assert!(
		out.status.success() && stdout.trim().ends_with("ok"),
		"{script} failed:\nstdout: {stdout}\nstderr: {}",
		String::from_utf8_lossy(&out.stderr)
	);
}

#[test]
fn official_openai_client_chat_stream_completions_and_errors() {
	run_script("openai_client_check.py", &[]);
}

#[test]
fn openai_conformance_suite() {
	// SmolLM2-135M's context length (the suite checks the limits named in errors).
	run_script("openai_conformance.py", &["8192"]);
}
