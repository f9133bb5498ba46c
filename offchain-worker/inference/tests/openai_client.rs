//! End to end: start the real `gonka-inference-server` binary on a free port and drive it with
//! the official `openai` Python client (tests/python/openai_client_check.py).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Kills the server even when an assertion fails.
struct Server(Child);

impl Drop for Server {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

#[test]
fn official_openai_client_chat_stream_completions_and_errors() {
	let python = common::python();
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
	let server = Server(child);
	let mut line = String::new();
	BufReader::new(stdout).read_line(&mut line).unwrap();
	let addr = line
		.trim()
		.strip_prefix("listening on ")
		.unwrap_or_else(|| panic!("unexpected server output {line:?}"));

	let out = Command::new(python)
		.arg(common::python_script("openai_client_check.py"))
		.arg(format!("http://{addr}/v1"))
		.arg("smollm2")
		.output()
		.unwrap();
	drop(server);
	assert!(
		out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "ok",
		"openai client checks failed:\nstdout: {}\nstderr: {}",
		String::from_utf8_lossy(&out.stdout),
		String::from_utf8_lossy(&out.stderr)
	);
}
