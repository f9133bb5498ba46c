//! The worker's public HTTP listener, hardened against clients that hold connections open.
//!
//! A validator that cannot fetch a host's proofs judges it "proofs not served", an *invalid*
//! verdict, so a proof server that an outsider can starve gets an honest host rejected
//! (`docs/sprint-security.md`, attack 8). `axum::serve` waits for ever for a client's request
//! headers and accepts any number of connections; [`serve`] instead:
//!
//! - accepts at most [`ListenerLimits::max_connections`] connections at once and closes any
//!   further one at once (a flood of idle connections cannot exhaust file descriptors or tasks);
//! - closes a connection whose request headers have not arrived within
//!   [`ListenerLimits::header_timeout`] (slowloris);
//! - after [`ListenerLimits::connection_lifetime`] stops taking new requests on a connection
//!   (endless keep-alive) and lets the request in progress finish for at most
//!   [`ListenerLimits::drain_timeout`] more, then closes it whatever it is doing (slow bodies,
//!   clients that never read). A response is cut only past `lifetime + drain`, so a server of
//!   long completions sets a long drain, a proof server a short one.

use axum::Router;
use hyper_util::{
	rt::{TokioIo, TokioTimer},
	service::TowerToHyperService,
};
use std::{sync::Arc, time::Duration};
use tokio::{net::TcpListener, sync::Semaphore};

/// Limits of [`serve`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListenerLimits {
	/// Connections served at once; more are closed on accept.
	pub max_connections: usize,
	/// Time a client has to send a request's headers (each request on a kept-alive connection).
	pub header_timeout: Duration,
	/// Age after which a connection takes no new request (the one in progress may finish).
	pub connection_lifetime: Duration,
	/// How long the request in progress may still run after `connection_lifetime`.
	pub drain_timeout: Duration,
}

impl Default for ListenerLimits {
	/// 256 connections, 5 s for headers, 120 s per connection and 30 s to finish the request in
	/// progress: a validator fetches a target's sample in a handful of requests of well under a
	/// second each.
	fn default() -> Self {
		Self {
			max_connections: 256,
			header_timeout: Duration::from_secs(5),
			connection_lifetime: Duration::from_secs(120),
			drain_timeout: Duration::from_secs(30),
		}
	}
}

impl ListenerLimits {
	/// The defaults with an hour to finish a request in progress: for an endpoint that also
	/// streams completions, which may run for minutes on a CPU.
	pub fn for_completions() -> Self {
		Self { drain_timeout: Duration::from_secs(3600), ..Self::default() }
	}
}

/// Serves `app` on `listener` under `limits` until the listener fails for good. Errors of one
/// connection end that connection only.
pub async fn serve(
	listener: TcpListener,
	app: Router,
	limits: ListenerLimits,
) -> std::io::Result<()> {
	let slots = Arc::new(Semaphore::new(limits.max_connections));
	loop {
		let (stream, _) = match listener.accept().await {
			Ok(c) => c,
			// Out of descriptors or a connection reset before accept: back off, keep serving.
			Err(e) => {
				log::warn!("accept failed: {e}");
				tokio::time::sleep(Duration::from_millis(50)).await;
				continue;
			},
		};
		let Ok(slot) = slots.clone().try_acquire_owned() else {
			drop(stream);
			continue;
		};
		let service = TowerToHyperService::new(app.clone());
		tokio::spawn(async move {
			let mut http = hyper::server::conn::http1::Builder::new();
			http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
			let connection = http.serve_connection(TokioIo::new(stream), service);
			let mut connection = std::pin::pin!(connection);
			let aged = tokio::time::sleep(limits.connection_lifetime);
			tokio::select! {
				_ = connection.as_mut() => {},
				_ = aged => {
					// No new request on this connection; the one in progress may finish.
					connection.as_mut().graceful_shutdown();
					let _ = tokio::time::timeout(limits.drain_timeout, connection).await;
				},
			}
			drop(slot);
		});
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use axum::routing::get;
	use tokio::io::{AsyncReadExt, AsyncWriteExt};

	async fn start(limits: ListenerLimits) -> std::net::SocketAddr {
		let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
		let addr = listener.local_addr().unwrap();
		let app = Router::new().route("/ping", get(|| async { "pong" })).route(
			"/slow",
			get(|| async {
				tokio::time::sleep(Duration::from_millis(1_500)).await;
				"done"
			}),
		);
		tokio::spawn(serve(listener, app, limits));
		addr
	}

	async fn ping(addr: std::net::SocketAddr) -> Result<String, String> {
		let client = reqwest::Client::builder()
			.timeout(Duration::from_secs(3))
			.build()
			.map_err(|e| e.to_string())?;
		let r =
			client.get(format!("http://{addr}/ping")).send().await.map_err(|e| e.to_string())?;
		r.text().await.map_err(|e| e.to_string())
	}

	#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
	async fn slowloris_clients_are_dropped_and_honest_requests_get_through() {
		let limits = ListenerLimits {
			max_connections: 8,
			header_timeout: Duration::from_millis(500),
			connection_lifetime: Duration::from_secs(30),
			drain_timeout: Duration::from_secs(1),
		};
		let addr = start(limits).await;
		// Fill every slot with connections that trickle half a request line and stop.
		let mut hogs = Vec::new();
		for _ in 0..8 {
			let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
			s.write_all(b"GET /ping HTTP/1.1\r\nHost: x\r\n").await.unwrap();
			hogs.push(s);
		}
		// The header timeout closes them; then an honest request is served.
		let started = std::time::Instant::now();
		let mut answer = Err(String::new());
		while started.elapsed() < Duration::from_secs(10) {
			answer = ping(addr).await;
			if answer.is_ok() {
				break;
			}
			tokio::time::sleep(Duration::from_millis(100)).await;
		}
		assert_eq!(answer, Ok("pong".into()));
		// The hogs were closed by the server (EOF or reset), not left hanging.
		for mut s in hogs {
			let mut buf = [0u8; 64];
			let read = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await;
			assert!(matches!(read, Ok(Ok(_)) | Ok(Err(_))), "hog connection still open");
		}
	}

	#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
	async fn connections_beyond_the_cap_are_closed_at_once() {
		let limits = ListenerLimits {
			max_connections: 2,
			header_timeout: Duration::from_secs(20),
			connection_lifetime: Duration::from_secs(30),
			drain_timeout: Duration::from_secs(1),
		};
		let addr = start(limits).await;
		let mut hogs = Vec::new();
		for _ in 0..2 {
			let s = tokio::net::TcpStream::connect(addr).await.unwrap();
			hogs.push(s);
		}
		tokio::time::sleep(Duration::from_millis(200)).await;
		// A third connection is accepted by the kernel and closed by the server at once.
		let mut third = tokio::net::TcpStream::connect(addr).await.unwrap();
		let _ = third.write_all(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n").await;
		let mut buf = [0u8; 64];
		let read = tokio::time::timeout(Duration::from_secs(5), third.read(&mut buf)).await;
		assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "over-cap connection served: {read:?}");
		// Freeing a slot lets requests in again.
		drop(hogs);
		tokio::time::sleep(Duration::from_millis(200)).await;
		assert_eq!(ping(addr).await, Ok("pong".into()));
	}

	async fn slow(addr: std::net::SocketAddr) -> Result<String, String> {
		let r = reqwest::get(format!("http://{addr}/slow")).await.map_err(|e| e.to_string())?;
		r.text().await.map_err(|e| e.to_string())
	}

	#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
	async fn an_aged_connection_finishes_its_response_within_the_drain_and_is_cut_after() {
		// The connection ages out while the 1.5 s response is being made.
		let lifetime = Duration::from_millis(300);
		let drains = ListenerLimits {
			max_connections: 8,
			header_timeout: Duration::from_secs(5),
			connection_lifetime: lifetime,
			drain_timeout: Duration::from_secs(10),
		};
		assert_eq!(slow(start(drains).await).await, Ok("done".into()));
		let cuts = ListenerLimits { drain_timeout: Duration::from_millis(200), ..drains };
		assert!(slow(start(cuts).await).await.is_err(), "a response past lifetime + drain is cut");
		// An idle kept-alive connection is closed once it ages (EOF, not a hang).
		let addr = start(drains).await;
		let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
		s.write_all(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
		let mut seen = Vec::new();
		let mut buf = [0u8; 256];
		let closed = tokio::time::timeout(Duration::from_secs(5), async {
			loop {
				match s.read(&mut buf).await {
					Ok(0) | Err(_) => break,
					Ok(n) => seen.extend_from_slice(&buf[..n]),
				}
			}
		})
		.await;
		assert!(closed.is_ok(), "an aged idle connection was left open");
		assert!(String::from_utf8_lossy(&seen).ends_with("pong"));
	}
}
