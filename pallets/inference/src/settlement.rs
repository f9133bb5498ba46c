//! The session's closing phases: the agenda hook, sampling after the claim window, settlement
//! after the validation window, and the escrow invariant (`docs/inference-market.md` 4-6).

use crate::*;
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::{Fortitude, Precision, Restriction},
		Get,
	},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use gonka_primitives::hosts::{HostRegistry, SlashReason};
use sp_runtime::{traits::Saturating, DispatchError};

/// What the next step of a session did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
	/// Closed at expiry.
	Closed,
	/// Samples drawn.
	Sampled,
	/// Settled and removed.
	Settled,
}

impl<T: Config> Pallet<T> {
	/// The most one session step can weigh (settling or sampling a full session).
	pub(crate) fn max_step_weight() -> Weight {
		let (g, k) = (T::MaxGroupSize::get(), T::MaxSamplesPerLane::get());
		T::WeightInfo::settle(g, k).max(T::WeightInfo::sample(g, k)).max(T::WeightInfo::close())
	}

	/// Advance due sessions with the block's leftover weight: walk the agendas from
	/// [`AgendaCursor`] up to block `n` (at most [`AGENDA_SEARCH`] blocks per call), taking one
	/// step per entry while `remaining` covers a worst-case step; what does not fit waits for the
	/// next block. Stale entries (a session that moved on or settled) cost one read.
	pub(crate) fn run_agenda(n: BlockNumberFor<T>, remaining: Weight) -> Weight {
		let step = Self::max_step_weight();
		// Blocks scanned, stale entries met and steps taken: the weight used is the measured
		// walk (`agenda(blocks, stale)`) plus a worst-case step per step taken.
		let (mut blocks, mut stale, mut steps) = (1u32, 0u32, 0u64);
		let used = |blocks: u32, stale: u32, steps: u64| {
			T::WeightInfo::agenda(blocks, stale).saturating_add(step.saturating_mul(steps))
		};
		let mut b = AgendaCursor::<T>::get().unwrap_or(n).min(n);
		for scanned in 1..=AGENDA_SEARCH {
			if b > n {
				break;
			}
			blocks = scanned;
			// `take` writes only when the block had an agenda: an idle chain writes nothing
			// here but the cursor.
			let mut due = Agenda::<T>::take(b);
			while let Some(id) = due.first().copied() {
				if used(blocks, stale, steps + 1).any_gt(remaining) {
					Agenda::<T>::insert(b, due);
					AgendaCursor::<T>::put(b);
					return used(blocks, stale, steps);
				}
				match Self::advance(id) {
					Ok(_) => steps += 1,
					Err(_) => stale += 1,
				}
				due.remove(0);
			}
			b = b.saturating_add(1u32.into());
		}
		AgendaCursor::<T>::put(b);
		used(blocks, stale, steps)
	}

	/// Take `id`'s next due step, or fail with [`Error::NotDue`] / [`Error::UnknownSession`].
	pub(crate) fn advance(id: SessionId) -> Result<Step, DispatchError> {
		let s = Sessions::<T>::get(id).ok_or(Error::<T>::UnknownSession)?;
		let now = Self::now();
		match s.phase {
			SessionPhase::Open if now >= s.expires_at => {
				Self::do_close(id, s)?;
				Ok(Step::Closed)
			},
			SessionPhase::Claiming { until } if now > until => {
				Self::do_sample(id, s);
				Ok(Step::Sampled)
			},
			SessionPhase::Validating { until } if now > until => {
				Self::do_settle(id, s)?;
				Ok(Step::Settled)
			},
			_ => Err(Error::<T>::NotDue.into()),
		}
	}

	/// Draw every claimed lane's samples and their validators from randomness of this block
	/// (after the claim window: the lanes' roots are final).
	pub(crate) fn do_sample(id: SessionId, mut s: SessionOf<T>) {
		let seed = Self::seed(SAMPLE_TAG, id);
		let (hosts, weights) = Self::candidates(s.model, &seed);
		let per_sample = T::ValidatorsPerSample::get().min(T::MaxValidatorsPerSample::get());
		let mut total = 0u32;
		let mut sample_no = 0u32;
		let mut assigned: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (slot, mut lane) in Lanes::<T>::iter_prefix(id).collect::<Vec<_>>() {
			let n = lane.voucher.seq;
			let rate = Self::sampling_rate(&lane.executor);
			let wanted = rate.mul_ceil(n).min(T::MaxSamplesPerLane::get() as u64) as u32;
			let leaves = Self::draw_leaves(&seed, slot, n, wanted.max(1));
			for leaf in &leaves {
				let validators = Self::draw_validators(
					&hosts,
					&weights,
					&lane.executor,
					&seed,
					sample_no,
					per_sample,
				);
				sample_no += 1;
				for v in &validators {
					Assignments::<T>::insert(v, (id, slot, *leaf), ());
					*assigned.entry(v.clone()).or_default() += 1;
				}
				let sample = Sample {
					validators: validators.try_into().unwrap_or_default(),
					verdicts: Default::default(),
				};
				Samples::<T>::insert(id, (slot, *leaf), sample);
			}
			lane.samples = leaves.len() as u32;
			lane.rate = rate;
			total += lane.samples;
			Lanes::<T>::insert(id, slot, lane);
		}
		for (v, count) in assigned {
			Self::record(&v, |r| r.assigned = r.assigned.saturating_add(count));
		}
		let until = Self::now().saturating_add(T::ValidationWindow::get());
		s.phase = SessionPhase::Validating { until };
		Sessions::<T>::insert(id, s);
		let _ = Self::schedule(id, until.saturating_add(1u32.into()));
		Self::deposit_event(Event::Sampled { session: id, samples: total, attest_until: until });
	}

	/// Pay `amount` from the owner's escrow hold to `dest`; `false` if the transfer failed (the
	/// amount then stays on hold and is refunded).
	fn pay(owner: &T::AccountId, dest: &T::AccountId, amount: Balance) -> bool {
		amount == 0
			|| T::Currency::transfer_on_hold(
				&HoldReason::Escrow.into(),
				owner,
				dest,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)
			.is_ok()
	}

	/// Settle a session: judge each sample by its validators' majority, pay lanes and validators,
	/// slash, record reputation, refund the rest to the owner and remove everything.
	pub(crate) fn do_settle(id: SessionId, s: SessionOf<T>) -> DispatchResult {
		let mut executors_paid: Balance = 0;
		let mut validators_paid: Balance = 0;
		let mut invalid_leaves = 0u32;
		let mut records: BTreeMap<T::AccountId, EpochRecord> = BTreeMap::new();
		// Paid, and slashed, once per account whatever the number of samples it appears in.
		let mut fees: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut slashes: BTreeMap<(T::AccountId, bool), Balance> = BTreeMap::new();
		let mut earned: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut samples: BTreeMap<SlotIndex, Vec<(u64, SampleOf<T>)>> = BTreeMap::new();
		for ((slot, leaf), sample) in Samples::<T>::drain_prefix(id) {
			samples.entry(slot).or_default().push((leaf, sample));
		}
		for (slot, lane) in Lanes::<T>::drain_prefix(id) {
			let mut invalid = 0u32;
			let mut agreeing: Vec<T::AccountId> = Vec::new();
			for (leaf, sample) in samples.remove(&slot).unwrap_or_default() {
				let condemned = sample.verdicts.iter().filter(|(_, v)| v.condemns()).count();
				let valid = sample.verdicts.len() - condemned;
				let assigned = sample.validators.len();
				// Invalid iff more than half of the assigned validators condemn it; silence never
				// condemns (a leaf nobody checked is paid).
				let is_invalid = condemned * 2 > assigned;
				let majority_valid = valid * 2 > assigned;
				if is_invalid {
					invalid += 1;
					Self::deposit_event(Event::LeafInvalid {
						session: id,
						slot,
						leaf,
						executor: lane.executor.clone(),
					});
				}
				for (i, v) in sample.validators.iter().enumerate() {
					let r = records.entry(v.clone()).or_default();
					match sample.verdicts.iter().find(|(j, _)| *j as usize == i) {
						None => {
							r.misses = r.misses.saturating_add(1);
							Assignments::<T>::remove(v, (id, slot, leaf));
						},
						Some((_, verdict)) if verdict.condemns() == is_invalid => {
							agreeing.push(v.clone())
						},
						Some((_, verdict)) => {
							if verdict.condemns() && majority_valid {
								r.false_accusations = r.false_accusations.saturating_add(1);
								let due = slashes.entry((v.clone(), false)).or_default();
								*due = due.saturating_add(T::FalseAccusationSlash::get());
							}
						},
					}
				}
			}
			let amount = lane.voucher.amount;
			// The condemned leaves' share of the lane, `amount * invalid / samples` rounded up:
			// each condemned sample stands for `1 / rate` leaves.
			let refund = if lane.samples == 0 {
				0
			} else {
				sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
					amount,
					invalid as u128,
					lane.samples as u128,
					sp_runtime::Rounding::Up,
				)
				.unwrap_or(amount)
				.min(amount)
			};
			let pay = amount.saturating_sub(refund);
			let fee = if agreeing.is_empty() { 0 } else { T::ValidationFee::get().mul_floor(pay) };
			let share = fee / agreeing.len().max(1) as Balance;
			for v in &agreeing {
				let f = fees.entry(v.clone()).or_default();
				*f = f.saturating_add(share);
			}
			let executor_pay = pay.saturating_sub(share.saturating_mul(agreeing.len() as Balance));
			if Self::pay(&s.owner, &lane.executor, executor_pay) {
				executors_paid = executors_paid.saturating_add(executor_pay);
				let e = earned.entry(lane.executor.clone()).or_default();
				*e = e.saturating_add(executor_pay);
			}
			if invalid > 0 {
				let due = slashes.entry((lane.executor.clone(), true)).or_default();
				*due =
					due.saturating_add(T::InvalidSlash::get().saturating_mul(invalid as Balance));
			}
			invalid_leaves += invalid;
			let r = records.entry(lane.executor.clone()).or_default();
			r.served = r.served.saturating_add(lane.voucher.seq);
			r.valid = r.valid.saturating_add(lane.samples - invalid);
			r.invalid = r.invalid.saturating_add(invalid);
		}
		for (v, fee) in fees {
			if Self::pay(&s.owner, &v, fee) {
				validators_paid = validators_paid.saturating_add(fee);
				let e = earned.entry(v.clone()).or_default();
				*e = e.saturating_add(fee);
			}
		}
		for ((who, as_executor), amount) in slashes {
			let reason = if as_executor {
				SlashReason::InvalidInference
			} else {
				SlashReason::FaultyValidation
			};
			T::Hosts::slash(&who, amount, reason);
		}
		for (who, delta) in records {
			Self::record(&who, |r| r.add(&delta));
		}
		for (who, amount) in earned {
			Earned::<T>::mutate(&who, |e| *e = e.saturating_add(amount));
		}
		let _ = Misses::<T>::clear_prefix(id, u32::MAX, None);
		let held = s.deposit.saturating_sub(executors_paid).saturating_sub(validators_paid);
		let refunded = T::Currency::release(
			&HoldReason::Escrow.into(),
			&s.owner,
			held,
			Precision::BestEffort,
		)?;
		Totals::<T>::mutate(|t| {
			t.paid = t.paid.saturating_add(executors_paid).saturating_add(validators_paid);
			t.refunded = t.refunded.saturating_add(refunded);
		});
		Sessions::<T>::remove(id);
		SessionCount::<T>::mutate(|n| *n = n.saturating_sub(1));
		Self::deposit_event(Event::SessionSettled {
			session: id,
			executors_paid,
			validators_paid,
			refunded,
			invalid_leaves,
		});
		Ok(())
	}

	/// The escrow invariant and the storage bounds:
	/// - `deposited == paid + refunded + Σ open sessions' (deposit - nothing paid yet)`;
	/// - `paid == Σ Earned` (every unit paid out is on some host's earnings);
	/// - each owner's `Escrow` hold equals the sum of its sessions' deposits;
	/// - `SessionCount` counts `Sessions`; `claimed <= deposit`; lanes and samples belong to
	///   existing sessions and valid slots.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut per_owner: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut held: Balance = 0;
		let mut count = 0u32;
		for (id, s) in Sessions::<T>::iter() {
			count += 1;
			ensure!(s.claimed <= s.deposit, "claimed above deposit");
			ensure!(id < NextSessionId::<T>::get(), "session id not yet issued");
			*per_owner.entry(s.owner.clone()).or_default() += s.deposit;
			held += s.deposit;
			let mut claimed = 0;
			for (slot, lane) in Lanes::<T>::iter_prefix(id) {
				ensure!((slot as usize) < s.group.len(), "lane outside the group");
				claimed += lane.voucher.amount;
			}
			ensure!(claimed == s.claimed, "lanes do not sum to claimed");
		}
		ensure!(count == SessionCount::<T>::get(), "SessionCount out of sync");
		ensure!(count <= T::MaxSessions::get(), "too many sessions");
		for (owner, deposit) in per_owner {
			let on_hold = T::Currency::balance_on_hold(&HoldReason::Escrow.into(), &owner);
			ensure!(on_hold == deposit, "escrow hold differs from the owner's sessions");
		}
		let t = Totals::<T>::get();
		ensure!(t.deposited == t.paid + t.refunded + held, "escrow not conserved");
		let earned = Earned::<T>::iter_values().fold(0u128, |a, e| a.saturating_add(e));
		ensure!(earned == t.paid, "hosts' earnings differ from what escrow paid");
		for id in Lanes::<T>::iter_keys().map(|(id, _)| id) {
			ensure!(Sessions::<T>::contains_key(id), "lane of a settled session");
		}
		for id in Samples::<T>::iter_keys().map(|(id, _)| id) {
			ensure!(Sessions::<T>::contains_key(id), "sample of a settled session");
		}
		for (_, (id, slot, leaf)) in Assignments::<T>::iter_keys() {
			ensure!(Samples::<T>::contains_key(id, (slot, leaf)), "assignment without a sample");
		}
		Ok(())
	}

	/// Runtime API: a session with its slots' endpoints and claims.
	pub fn api_session(id: SessionId) -> Option<SessionView<T::AccountId, BlockNumberFor<T>>> {
		let s = Sessions::<T>::get(id)?;
		let slots = s
			.group
			.iter()
			.enumerate()
			.map(|(i, executor)| SlotView {
				slot: i as SlotIndex,
				executor: executor.clone(),
				endpoint: T::Hosts::endpoint(executor),
				claimed: Lanes::<T>::get(id, i as SlotIndex).map(|l| l.voucher),
			})
			.collect();
		Some(SessionView {
			owner: s.owner,
			delegate: s.delegate,
			model: s.model,
			price_per_1k_tokens: s.price_per_1k_tokens,
			max_tokens_per_request: s.max_tokens_per_request,
			deposit: s.deposit,
			claimed: s.claimed,
			available: s.deposit.saturating_sub(s.claimed),
			expires_at: s.expires_at,
			phase: s.phase,
			slots,
		})
	}

	/// Runtime API: the price of `in_tokens + out_tokens` on an active `model` now.
	pub fn api_quote(model: ModelId, in_tokens: u64, out_tokens: u64) -> Option<Balance> {
		let terms = T::Hosts::model_terms(model).filter(|t| t.active)?;
		Some(gonka_primitives::market::quote(terms.price_per_1k_tokens, in_tokens, out_tokens))
	}
}
