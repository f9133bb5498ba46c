//! A validator against hostile proof servers on loopback (`docs/sprint-security.md`, attack 7):
//! an endless answer is cut at the cap, a server that never answers costs its deadline and no
//! more, a flaky one is retried until it answers, and many slow targets fetched at once finish
//! in about one deadline, not one per target.

use axum::{http::StatusCode, response::IntoResponse, routing::post, Router};
use gonka_pow::{
	client::{FetchError, ProofClient, MAX_RESPONSE_BYTES},
	merkle::SprintTree,
	server::{proof_router, ProofStore},
	PowLeaf,
};
use std::{
	net::SocketAddr,
	sync::{
		atomic::{AtomicU32, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

const EPOCH: u32 = 3;

async fn serve(app: Router) -> SocketAddr {
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let addr = listener.local_addr().unwrap();
	tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
	addr
}

/// A proof server that accepts requests and never answers.
async fn serve_silent() -> SocketAddr {
	serve(Router::new().route(
		"/v1/pow/{epoch}/proofs",
		post(|| async {
			tokio::time::sleep(Duration::from_secs(600)).await;
			StatusCode::OK
		}),
	))
	.await
}

fn client(addr: SocketAddr, timeout: Duration) -> ProofClient {
	ProofClient::new(&format!("http://{addr}"), timeout).unwrap()
}

/// A real tree of 4 leaves (nonces 0..4 at distance 1).
fn tree() -> SprintTree {
	let leaves = (0..4u64).map(|n| PowLeaf { nonce: n, distance: 1 }).collect();
	SprintTree::new(leaves).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_answer_is_cut_at_the_cap() {
	// 64 MiB of JSON-looking bytes, streamed without a length.
	let app = Router::new().route(
		"/v1/pow/{epoch}/proofs",
		post(|| async {
			let chunk = bytes_of(1 << 20);
			let stream = futures_stream(chunk, 64);
			axum::body::Body::from_stream(stream).into_response()
		}),
	);
	let addr = serve(app).await;
	let started = Instant::now();
	let err = client(addr, Duration::from_secs(30)).proofs(EPOCH, &[0]).await.unwrap_err();
	assert!(matches!(err, FetchError::TooLarge(MAX_RESPONSE_BYTES)), "{err}");
	assert!(!err.is_transient(), "an oversized answer is final");
	assert!(started.elapsed() < Duration::from_secs(20));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_target_costs_its_deadline_and_no_more() {
	let addr = serve_silent().await;
	let started = Instant::now();
	let deadline = started + Duration::from_secs(2);
	let err = client(addr, Duration::from_secs(10))
		.proofs_until(EPOCH, &[0], deadline)
		.await
		.unwrap_err();
	assert!(matches!(err, FetchError::Deadline { .. }), "{err}");
	let took = started.elapsed();
	assert!(took >= Duration::from_secs(2) && took < Duration::from_secs(4), "{took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flaky_target_is_retried_until_it_serves() {
	// Fails twice with 503, then serves a real tree's proofs.
	let store = Arc::new(ProofStore::new());
	store.insert(EPOCH, tree());
	let failures = Arc::new(AtomicU32::new(0));
	let flaky = {
		let failures = failures.clone();
		proof_router(store).layer(axum::middleware::from_fn(
			move |req: axum::extract::Request, next: axum::middleware::Next| {
				let failures = failures.clone();
				async move {
					if failures.fetch_add(1, Ordering::SeqCst) < 2 {
						return StatusCode::SERVICE_UNAVAILABLE.into_response();
					}
					next.run(req).await
				}
			},
		))
	};
	let addr = serve(flaky).await;
	let deadline = Instant::now() + Duration::from_secs(10);
	let proofs =
		client(addr, Duration::from_secs(5)).proofs_until(EPOCH, &[1, 2], deadline).await.unwrap();
	assert_eq!(proofs.iter().map(|p| p.index).collect::<Vec<_>>(), vec![1, 2]);
	assert_eq!(failures.load(Ordering::SeqCst), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_slow_targets_fetched_at_once_take_one_deadline() {
	// 40 targets that never answer, fetched 40 at once with a 2 s deadline: ~2 s in all, where
	// one after another with a 10 s timeout each took 400 s.
	let addr = serve_silent().await;
	let started = Instant::now();
	let deadline = started + Duration::from_secs(2);
	let mut set = tokio::task::JoinSet::new();
	for _ in 0..40 {
		let c = client(addr, Duration::from_secs(10));
		set.spawn(async move { c.proofs_until(EPOCH, &[0], deadline).await });
	}
	let mut failed = 0;
	while let Some(r) = set.join_next().await {
		assert!(matches!(r.unwrap(), Err(FetchError::Deadline { .. })));
		failed += 1;
	}
	assert_eq!(failed, 40);
	assert!(started.elapsed() < Duration::from_secs(6), "{:?}", started.elapsed());
}

fn bytes_of(n: usize) -> axum::body::Bytes {
	axum::body::Bytes::from(vec![b' '; n])
}

/// `count` copies of `chunk` as a body stream.
fn futures_stream(
	chunk: axum::body::Bytes,
	count: usize,
) -> impl futures_core::Stream<Item = Result<axum::body::Bytes, std::io::Error>> + Send {
	tokio_stream::iter((0..count).map(move |_| Ok(chunk.clone())))
}
