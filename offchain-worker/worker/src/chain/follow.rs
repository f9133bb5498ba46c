//! Following the chain's best blocks, across node restarts.
//!
//! The daemon acts when the chain moves: [`follow`] subscribes to the node's best blocks (the
//! daemon's clock, `daemon/chain.rs` says why not the finalized ones) and publishes the latest
//! one on a `watch` channel. When the subscription ends (the node
//! stopped, the connection dropped), it reconnects with exponential backoff (1 s doubling to
//! 30 s) and resumes; the runtime's compatibility is checked again on the new connection
//! ([`super::compat`]), so a node restarted on an upgraded chain is read with its new metadata.

use std::time::Duration;

use tokio::sync::watch;

use super::ChainClient;

/// The latest best block, with the client that saw it (`C`: [`ChainClient`], or a test
/// double of the daemon's chain).
#[derive(Clone)]
pub struct Head<C = ChainClient> {
	/// Block number.
	pub number: u64,
	/// How many times the follower has (re)connected; a change means a new connection, so
	/// clients held elsewhere may be stale.
	pub connection: u64,
	/// The follower's client on that connection (its runtime already compared with the
	/// worker's): take it instead of connecting again.
	pub chain: C,
}

/// First retry delay after a lost subscription.
pub const BACKOFF_START: Duration = Duration::from_secs(1);
/// Longest retry delay.
pub const BACKOFF_MAX: Duration = Duration::from_secs(30);

/// The delay after `failures` consecutive failed attempts: 1 s, 2 s, 4 s ... capped at
/// [`BACKOFF_MAX`].
pub fn backoff(failures: u32) -> Duration {
	BACKOFF_START.saturating_mul(1u32 << failures.min(5)).min(BACKOFF_MAX)
}

/// Follows the best blocks of the node at `url` in a background task, for as long as the
/// returned receiver lives. The value is `None` until the first block arrives.
pub fn follow(url: String) -> watch::Receiver<Option<Head>> {
	let (tx, rx) = watch::channel(None);
	tokio::spawn(async move {
		let mut failures = 0u32;
		let mut connection = 0u64;
		while !tx.is_closed() {
			let error = match ChainClient::connect(&url).await {
				Ok(chain) => {
					connection += 1;
					if connection > 1 {
						eprintln!(
							"gonka-worker event=node_reconnected url={url} connection={connection}"
						);
					}
					match chain.client.stream_best_blocks().await {
						Ok(mut blocks) => {
							let mut error = "the best-block subscription ended".to_string();
							while let Some(block) = blocks.next().await {
								match block {
									Ok(b) => {
										failures = 0;
										let head = Head {
											number: b.number(),
											connection,
											chain: chain.clone(),
										};
										if tx.send(Some(head)).is_err() {
											return;
										}
									},
									Err(e) => {
										error = e.to_string();
										break;
									},
								}
							}
							error
						},
						Err(e) => e.to_string(),
					}
				},
				Err(e) => format!("{e:#}"),
			};
			let delay = backoff(failures);
			failures = failures.saturating_add(1);
			eprintln!(
				"gonka-worker event=node_unreachable url={url} retry_in_s={} error=\"{error}\"",
				delay.as_secs()
			);
			tokio::time::sleep(delay).await;
		}
	});
	rx
}

/// Waits until the best head moves past `last` (or `timeout` passes, so callers still act
/// if the subscription is down); returns the new head.
pub async fn next_head<C: Clone>(
	heads: &mut watch::Receiver<Option<Head<C>>>,
	timeout: Duration,
) -> Option<Head<C>> {
	let _ = tokio::time::timeout(timeout, heads.changed()).await;
	heads.borrow_and_update().clone()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn backoff_doubles_to_a_cap() {
		let secs: Vec<u64> = (0..8).map(|f| backoff(f).as_secs()).collect();
		assert_eq!(secs, vec![1, 2, 4, 8, 16, 30, 30, 30]);
	}
}
