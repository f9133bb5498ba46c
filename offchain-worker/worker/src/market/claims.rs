//! Claiming: the executor submits the latest voucher of each lane on chain (a fee-less
//! `Inference.claim` signed by its worker key) — at most every [`CLAIM_EVERY`] while the
//! session is open, at once when it has closed (inside the claim window), all of a pass's
//! claims concurrently — and forgets a lane and its records once its session has settled.

use super::executor::Executor;
use crate::chain::{gonka, market::SessionPhase};
use gonka_primitives::market::{claim_payload, SessionId, SlotIndex};
use sp_core::Pair as _;
use std::{
	collections::HashMap,
	sync::Arc,
	time::{Duration, Instant},
};
use subxt::utils::Static;

/// Shortest time between two claims of one open lane (each claim is free but takes block space).
pub const CLAIM_EVERY: Duration = Duration::from_secs(30);

/// Claims due vouchers; keeps when each lane was last claimed.
#[derive(Default)]
pub struct Claimer {
	last: HashMap<(SessionId, SlotIndex), Instant>,
}

impl Claimer {
	/// One pass over the lanes. Returns the number of claims made.
	pub async fn run_once(&mut self, x: &Arc<Executor>) -> anyhow::Result<u32> {
		let mut made = 0;
		let lanes = x.book.all();
		if lanes.is_empty() {
			return Ok(0);
		}
		let now = x.chain().block_number().await?;
		// One read per session per pass, however many of its slots this host holds.
		let mut sessions = HashMap::new();
		let mut due_claims = Vec::new();
		for ((session, slot), lane) in lanes {
			if let std::collections::hash_map::Entry::Vacant(e) = sessions.entry(session) {
				e.insert(x.chain().session(session).await?);
			}
			let Some(info) = &sessions[&session] else {
				// Settled: the records are no longer needed.
				x.book.forget(session, slot)?;
				self.last.remove(&(session, slot));
				continue;
			};
			if lane.vouched <= lane.claimed {
				continue;
			}
			let due = match info.phase {
				SessionPhase::Open => {
					self.last.get(&(session, slot)).is_none_or(|at| at.elapsed() >= CLAIM_EVERY)
				},
				SessionPhase::Claiming { until } => now <= until,
				SessionPhase::Validating { .. } => false,
			};
			let Some(signed) = lane.voucher.clone().filter(|_| due) else { continue };
			let (voucher, payer_signature) = signed.decode()?;
			let executor_signature =
				x.worker().sign(&claim_payload(&x.chain().genesis_hash(), &voucher));
			let call = gonka::tx().inference().claim(
				Static(voucher.clone()),
				Static(payer_signature),
				Static(executor_signature),
			);
			self.last.insert((session, slot), Instant::now());
			due_claims.push((voucher, call));
		}
		// All at once: fee-less claims carry no nonce, so they land in the same block or two
		// (one by one, each waiting for finality, a host with many lanes could overrun a short
		// claim window).
		let submitted = futures::future::join_all(
			due_claims.iter().map(|(_, call)| x.chain().submit_general(call)),
		)
		.await;
		for ((voucher, _), result) in due_claims.into_iter().zip(submitted) {
			let (session, slot) = (voucher.session, voucher.slot);
			if let Err(e) = result {
				// Tried again on the next pass.
				self.last.remove(&(session, slot));
				eprintln!(
					"gonka-worker event=market_error step=claim session={session} slot={slot} \
					 error=\"{e:#}\""
				);
				continue;
			}
			x.book.mark_claimed(session, slot, voucher.seq, voucher.amount)?;
			x.metrics().market_claims.inc();
			eprintln!(
				"gonka-worker event=market_claimed session={session} slot={slot} seq={} amount={}",
				voucher.seq, voucher.amount
			);
			made += 1;
		}
		Ok(made)
	}
}
