//! The executor's book of lanes: for each `(session, slot)` it serves, the leaves served so far,
//! the latest voucher the payer signed for them, what was claimed, and one record per leaf on
//! disk for validators.
//!
//! A lane extends credit for one request at a time: a request is admitted only when every leaf
//! served before it is covered by a voucher, so a payer who stops paying costs the executor at
//! most one request. Lanes are kept in `<state-dir>/market/<session>-<slot>/` (`lane.json` and
//! one `<seq>.json` record per leaf) until the session has settled on chain.

use super::wire::{Record, SignedVoucher};
use anyhow::Context;
use gonka_primitives::{
	market::{leaf_hash, leaf_proof, leaves_root, quote, Leaf, SessionId, SlotIndex, Voucher},
	Balance,
};
use serde::{Deserialize, Serialize};
use sp_core::H256;
use std::{
	collections::BTreeMap,
	path::{Path, PathBuf},
	sync::Mutex,
};

/// One lane's state.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct LaneState {
	/// Leaf hashes in `seq` order (leaf `i` at index `i - 1`).
	pub hashes: Vec<H256>,
	/// Cumulative prompt tokens served.
	pub in_tokens: u64,
	/// Cumulative output tokens served.
	pub out_tokens: u64,
	/// The latest voucher accepted, and its `seq`.
	pub voucher: Option<SignedVoucher>,
	/// `seq` of the latest voucher accepted (0: none).
	pub vouched: u64,
	/// `seq` of the latest voucher claimed on chain (0: none).
	pub claimed: u64,
	/// Amount of the latest voucher accepted.
	pub vouched_amount: Balance,
	/// Amount of the latest voucher claimed.
	pub claimed_amount: Balance,
	/// A request is being served on the lane now.
	#[serde(skip)]
	pub busy: bool,
}

/// Why a lane refuses a request or a voucher.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LaneError {
	/// Another request is being served on this lane.
	#[error(
		"slot {slot} of session {session} is serving another request; use another slot or wait"
	)]
	Busy {
		/// Session.
		session: SessionId,
		/// Slot.
		slot: SlotIndex,
	},
	/// Leaves served earlier on the lane are not covered by a voucher yet.
	#[error(
		"slot {slot} of session {session} served {served} requests but holds a voucher for \
		 {vouched}: deliver the voucher to {path} first"
	)]
	VoucherMissing {
		/// Session.
		session: SessionId,
		/// Slot.
		slot: SlotIndex,
		/// Leaves served.
		served: u64,
		/// Latest voucher's seq.
		vouched: u64,
		/// Where vouchers go.
		path: &'static str,
	},
	/// A voucher does not match what the lane served.
	#[error("voucher rejected: {0}")]
	BadVoucher(String),
}

/// All lanes of this executor.
pub struct LaneBook {
	dir: PathBuf,
	lanes: Mutex<BTreeMap<(SessionId, SlotIndex), LaneState>>,
}

fn lane_dir(dir: &Path, session: SessionId, slot: SlotIndex) -> PathBuf {
	dir.join(format!("{session}-{slot}"))
}

impl LaneBook {
	/// Opens (or creates) the book under `dir`, reloading every lane kept there.
	pub fn open(dir: &Path) -> anyhow::Result<Self> {
		std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
		let mut lanes = BTreeMap::new();
		for entry in std::fs::read_dir(dir)? {
			let path = entry?.path();
			let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
			let Some((s, l)) = name.split_once('-') else { continue };
			let (Ok(session), Ok(slot)) = (s.parse::<SessionId>(), l.parse::<SlotIndex>()) else {
				continue;
			};
			let text = std::fs::read_to_string(path.join("lane.json"))
				.with_context(|| format!("reading {}", path.display()))?;
			let state: LaneState = serde_json::from_str(&text)
				.with_context(|| format!("parsing {}/lane.json", path.display()))?;
			lanes.insert((session, slot), state);
		}
		Ok(Self { dir: dir.to_path_buf(), lanes: Mutex::new(lanes) })
	}

	fn save(&self, session: SessionId, slot: SlotIndex, state: &LaneState) -> anyhow::Result<()> {
		let dir = lane_dir(&self.dir, session, slot);
		std::fs::create_dir_all(&dir)?;
		let tmp = dir.join("lane.json.tmp");
		std::fs::write(&tmp, serde_json::to_vec(state)?)?;
		std::fs::rename(&tmp, dir.join("lane.json"))?;
		Ok(())
	}

	/// A copy of a lane's state (default if the lane has served nothing).
	pub fn get(&self, session: SessionId, slot: SlotIndex) -> LaneState {
		self.lanes.lock().expect("lanes").get(&(session, slot)).cloned().unwrap_or_default()
	}

	/// Every lane with its state.
	pub fn all(&self) -> Vec<((SessionId, SlotIndex), LaneState)> {
		self.lanes.lock().expect("lanes").iter().map(|(k, v)| (*k, v.clone())).collect()
	}

	/// Vouched-but-unclaimed amounts of `session`'s lanes here: credit the chain does not see yet.
	pub fn unclaimed(&self, session: SessionId) -> Balance {
		self.lanes
			.lock()
			.expect("lanes")
			.range((session, 0)..=(session, SlotIndex::MAX))
			.map(|(_, l)| l.vouched_amount.saturating_sub(l.claimed_amount))
			.sum()
	}

	/// Marks the lane busy for one request, or says why it cannot take one.
	pub fn reserve(&self, session: SessionId, slot: SlotIndex) -> Result<(), LaneError> {
		let mut lanes = self.lanes.lock().expect("lanes");
		let lane = lanes.entry((session, slot)).or_default();
		if lane.busy {
			return Err(LaneError::Busy { session, slot });
		}
		let served = lane.hashes.len() as u64;
		if lane.vouched < served {
			return Err(LaneError::VoucherMissing {
				session,
				slot,
				served,
				vouched: lane.vouched,
				path: super::wire::VOUCHER_PATH,
			});
		}
		lane.busy = true;
		Ok(())
	}

	/// Frees a reserved lane whose request ended without a leaf.
	pub fn release(&self, session: SessionId, slot: SlotIndex) {
		if let Some(lane) = self.lanes.lock().expect("lanes").get_mut(&(session, slot)) {
			lane.busy = false;
		}
	}

	/// The `seq` the next leaf on a lane gets.
	pub fn next_seq(&self, session: SessionId, slot: SlotIndex) -> u64 {
		self.get(session, slot).hashes.len() as u64 + 1
	}

	/// Records a served leaf (its record on disk first) and frees the lane.
	pub fn seal(
		&self,
		session: SessionId,
		slot: SlotIndex,
		leaf: &Leaf,
		record: &Record,
	) -> anyhow::Result<()> {
		let dir = lane_dir(&self.dir, session, slot);
		std::fs::create_dir_all(&dir)?;
		std::fs::write(dir.join(format!("{}.json", leaf.seq)), serde_json::to_vec(record)?)?;
		let mut lanes = self.lanes.lock().expect("lanes");
		let lane = lanes.entry((session, slot)).or_default();
		anyhow::ensure!(leaf.seq == lane.hashes.len() as u64 + 1, "leaf {} out of order", leaf.seq);
		lane.hashes.push(leaf_hash(leaf));
		lane.in_tokens += u64::from(leaf.in_tokens);
		lane.out_tokens += u64::from(leaf.out_tokens);
		lane.busy = false;
		let state = lane.clone();
		drop(lanes);
		self.save(session, slot, &state)
	}

	/// The voucher a payer must sign for everything served on the lane at `price_per_1k`.
	pub fn expected_voucher(
		&self,
		session: SessionId,
		slot: SlotIndex,
		price_per_1k: Balance,
	) -> Voucher<Balance> {
		let lane = self.get(session, slot);
		Voucher {
			session,
			slot,
			seq: lane.hashes.len() as u64,
			amount: quote(price_per_1k, lane.in_tokens, lane.out_tokens),
			in_tokens: lane.in_tokens,
			out_tokens: lane.out_tokens,
			leaves_root: leaves_root(&lane.hashes),
		}
	}

	/// Accepts `signed` (whose payer signature the caller checked) if it covers exactly what the
	/// lane served at `price_per_1k`; an older voucher than the one held is refused too.
	pub fn accept_voucher(
		&self,
		voucher: &Voucher<Balance>,
		signed: SignedVoucher,
		price_per_1k: Balance,
	) -> Result<(), LaneError> {
		let expected = self.expected_voucher(voucher.session, voucher.slot, price_per_1k);
		let bad = |m: String| Err(LaneError::BadVoucher(m));
		if voucher.seq != expected.seq {
			return bad(format!(
				"seq is {}, the lane served {} requests",
				voucher.seq, expected.seq
			));
		}
		if (voucher.in_tokens, voucher.out_tokens) != (expected.in_tokens, expected.out_tokens) {
			return bad(format!(
				"tokens are {}+{}, the lane served {}+{}",
				voucher.in_tokens, voucher.out_tokens, expected.in_tokens, expected.out_tokens
			));
		}
		if voucher.amount != expected.amount {
			return bad(format!(
				"amount is {}, the price of the tokens served is {}",
				voucher.amount, expected.amount
			));
		}
		if voucher.leaves_root != expected.leaves_root {
			return bad(format!(
				"leaves_root is {:?}, the lane's leaves give {:?}",
				voucher.leaves_root, expected.leaves_root
			));
		}
		let mut lanes = self.lanes.lock().expect("lanes");
		let lane = lanes.entry((voucher.session, voucher.slot)).or_default();
		if voucher.seq <= lane.vouched {
			return Ok(()); // the same voucher again: nothing to do
		}
		lane.vouched = voucher.seq;
		lane.vouched_amount = voucher.amount;
		lane.voucher = Some(signed);
		let state = lane.clone();
		drop(lanes);
		self.save(voucher.session, voucher.slot, &state)
			.map_err(|e| LaneError::BadVoucher(e.to_string()))
	}

	/// Notes that the voucher with `seq` and `amount` was claimed on chain.
	pub fn mark_claimed(
		&self,
		session: SessionId,
		slot: SlotIndex,
		seq: u64,
		amount: Balance,
	) -> anyhow::Result<()> {
		let mut lanes = self.lanes.lock().expect("lanes");
		let Some(lane) = lanes.get_mut(&(session, slot)) else { return Ok(()) };
		lane.claimed = lane.claimed.max(seq);
		lane.claimed_amount = lane.claimed_amount.max(amount);
		let state = lane.clone();
		drop(lanes);
		self.save(session, slot, &state)
	}

	/// A leaf's record and its proof in the tree of the lane's first `count` leaves.
	pub fn record(
		&self,
		session: SessionId,
		slot: SlotIndex,
		seq: u64,
		count: u64,
	) -> anyhow::Result<(Record, Vec<H256>)> {
		let lane = self.get(session, slot);
		anyhow::ensure!(
			seq >= 1 && seq <= count && count <= lane.hashes.len() as u64,
			"no leaf {seq} of {count} on slot {slot} of session {session}"
		);
		let path = lane_dir(&self.dir, session, slot).join(format!("{seq}.json"));
		let record: Record = serde_json::from_slice(
			&std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?,
		)?;
		let proof = leaf_proof(&lane.hashes[..count as usize], (seq - 1) as usize);
		Ok((record, proof))
	}

	/// Forgets a lane and deletes its records (its session has settled).
	pub fn forget(&self, session: SessionId, slot: SlotIndex) -> anyhow::Result<()> {
		self.lanes.lock().expect("lanes").remove(&(session, slot));
		let dir = lane_dir(&self.dir, session, slot);
		if dir.exists() {
			std::fs::remove_dir_all(&dir)?;
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use gonka_primitives::{market::voucher_payload, Signature};

	fn leaf(seq: u64, tokens: u32) -> Leaf {
		Leaf {
			seq,
			request_id: H256::repeat_byte(seq as u8),
			prompt_hash: H256::repeat_byte(1),
			output_hash: H256::repeat_byte(2),
			in_tokens: tokens,
			out_tokens: tokens,
			model: 0,
		}
	}

	fn record() -> Record {
		Record {
			path: "/v1/completions".into(),
			body: "{}".into(),
			output: "0x00".into(),
			leaf: "0x".into(),
		}
	}

	fn signed(v: &Voucher<Balance>) -> SignedVoucher {
		use sp_core::Pair;
		let payer = sp_core::sr25519::Pair::from_string("//Charlie", None).unwrap();
		SignedVoucher::new(v, &Signature::Sr25519(payer.sign(&voucher_payload(&[0; 32], v))))
	}

	#[test]
	fn a_lane_extends_credit_for_one_request_and_survives_a_restart() {
		let dir = tempfile::tempdir().unwrap();
		let book = LaneBook::open(dir.path()).unwrap();
		let price = 1_000_000; // per 1k tokens: 1,000 base units a token
		book.reserve(7, 3).unwrap();
		assert_eq!(book.reserve(7, 3), Err(LaneError::Busy { session: 7, slot: 3 }));
		book.seal(7, 3, &leaf(1, 10), &record()).unwrap();
		// Served one, vouched none: the next request waits for the voucher.
		assert!(matches!(
			book.reserve(7, 3),
			Err(LaneError::VoucherMissing { served: 1, vouched: 0, .. })
		));
		// Another lane is independent.
		book.reserve(7, 4).unwrap();
		book.release(7, 4);

		let good = book.expected_voucher(7, 3, price);
		assert_eq!((good.seq, good.in_tokens, good.out_tokens, good.amount), (1, 10, 10, 20_000));
		for (bad, why) in [
			(Voucher { seq: 2, ..good }, "seq"),
			(Voucher { out_tokens: 9, ..good }, "tokens"),
			(Voucher { amount: 19_999, ..good }, "amount"),
			(Voucher { leaves_root: H256::zero(), ..good }, "leaves_root"),
		] {
			let err = book.accept_voucher(&bad, signed(&bad), price).unwrap_err().to_string();
			assert!(err.contains(why), "{err}");
		}
		book.accept_voucher(&good, signed(&good), price).unwrap();
		assert_eq!(book.unclaimed(7), 20_000);
		book.reserve(7, 3).unwrap();
		book.seal(7, 3, &leaf(2, 5), &record()).unwrap();
		book.mark_claimed(7, 3, 1, 20_000).unwrap();
		assert_eq!(book.unclaimed(7), 0);

		// Reopened from disk: the same lanes, leaves, vouchers and claims; no lane is busy.
		let again = LaneBook::open(dir.path()).unwrap();
		let lane = again.get(7, 3);
		assert_eq!((lane.hashes.len(), lane.vouched, lane.claimed, lane.busy), (2, 1, 1, false));
		assert_eq!(again.expected_voucher(7, 3, price).amount, 30_000);
		let (rec, proof) = again.record(7, 3, 2, 2).unwrap();
		assert_eq!(rec, record());
		assert!(gonka_primitives::market::verify_leaf_proof(
			&leaves_root(&lane.hashes),
			leaf_hash(&leaf(2, 5)),
			1,
			2,
			&proof
		));
		assert!(again.record(7, 3, 3, 2).is_err(), "no proof beyond the claimed count");
		again.forget(7, 3).unwrap();
		assert!(LaneBook::open(dir.path()).unwrap().get(7, 3).hashes.is_empty());
	}
}
