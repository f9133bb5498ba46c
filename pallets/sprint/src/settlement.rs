//! The epoch machinery: sprint start (seed), committee draw, the two-pass settlement, activation
//! of weights, pruning, the `ComputeWeights` implementation and the invariants.

use crate::*;
use alloc::{collections::BTreeMap, vec::Vec};
use codec::Encode;
use frame_support::{
	traits::{Get, Randomness},
	weights::Weight,
};
use gonka_primitives::hosts::SlashReason;
use sp_core::H256;
use sp_runtime::{traits::Zero, Perbill};

impl<T: Config> Pallet<T> {
	/// Everything `on_initialize` does at block `n`; returns the weight used.
	pub(crate) fn on_block(n: u32) -> Weight {
		let clock = clock::clock::<T>();
		let pos = clock.position(n);
		// The reads of a block with nothing to do (measured); the work below adds its own.
		let mut weight = T::WeightInfo::on_block_idle();
		// Epoch switch: activate the weights settled during the previous epoch.
		if pos.offset == 0 {
			if let Some((epoch, total)) = PendingActivation::<T>::take() {
				Self::activate(epoch, total);
				weight.saturating_accrue(Self::activate_weight());
			}
		}
		if pos.offset == clock.sprint_start && !Epochs::<T>::contains_key(pos.epoch) {
			Self::start_sprint(pos.epoch);
			weight.saturating_accrue(T::WeightInfo::start_sprint());
		}
		weight.saturating_accrue(Self::settle_step(n, &clock));
		weight.saturating_accrue(Self::prune_step());
		weight
	}

	/// Fix `epoch`'s seed, parameters and validator set.
	pub(crate) fn start_sprint(epoch: EpochIndex) {
		let mut subject = SEED_TAG.to_vec();
		epoch.encode_to(&mut subject);
		let (random, _) = T::Randomness::random(&subject);
		let mut preimage = subject;
		random.encode_to(&mut preimage);
		let seed = H256(sp_io::hashing::blake2_256(&preimage));
		// The liveness rule: when the last activated epoch had participants but nobody was
		// accepted (its validators are gone or silent), this epoch's participants validate each
		// other instead (see the crate docs).
		let stalled = ActiveEpoch::<T>::get().is_some_and(|a| {
			(TotalWeight::<T>::get(a) == Some(0) && ParticipantCount::<T>::get(a) > 0)
				|| Contested::<T>::contains_key(a)
		});
		let validator_set = if stalled { FALLBACK_SET } else { ValidatorSource::<T>::get() };
		let info = EpochInfo { seed, params: Params::<T>::get(), validator_set };
		Epochs::<T>::insert(epoch, info);
		Self::deposit_event(Event::SprintStarted { epoch, seed });
		if stalled {
			Self::deposit_event(Event::CrossValidation { epoch });
		}
	}

	/// The 32 bytes that stand for an account in hashes: its SCALE encoding when that is 32 bytes
	/// long (`AccountId32`: the raw public key), else the BLAKE2b-256 of it.
	pub fn account_bytes(who: &T::AccountId) -> [u8; 32] {
		who.using_encoded(|b| {
			if b.len() == 32 {
				let mut out = [0u8; 32];
				out.copy_from_slice(b);
				out
			} else {
				sp_io::hashing::blake2_256(b)
			}
		})
	}

	/// The committee of `target` in `epoch` (described by `info`): drawn from the weighted
	/// validator set `info.validator_set` ([`Pallet::committee`]), or, in a cross-validation
	/// epoch ([`FALLBACK_SET`], the liveness rule), from the epoch's own participants with equal
	/// weights ([`Pallet::participant_committee`]).
	pub fn committee_of(
		epoch: EpochIndex,
		info: &EpochInfo,
		target: &T::AccountId,
	) -> Vec<T::AccountId> {
		if info.validator_set == FALLBACK_SET {
			Self::participant_committee(epoch, info, target)
		} else {
			Self::committee(info, target)
		}
	}

	/// The committee of `target` drawn from the weighted validator set `info.validator_set`:
	/// `min(CommitteeSize, n)` distinct validators, `n` being the number of validators of the
	/// set other than `target`, drawn by weight without replacement (see the crate docs). Empty
	/// only when the set holds no validator but `target`; an empty committee accepts nobody
	/// (but see the liveness rule, [`Pallet::committee_of`]).
	///
	/// Draw `i` takes `r = u128 LE(blake2_256(COMMITTEE_TAG || seed || target || i u32 LE)[..16])
	/// mod R`, `R` being the weight not yet excluded, and maps it to the cumulative-weight line
	/// with the excluded intervals (members drawn so far and, once drawn, the target) removed.
	/// So the target is drawn at most once and never seated, and at most `CommitteeSize + 1`
	/// draws (each reading at most one chunk) fill the committee.
	pub fn committee(info: &EpochInfo, target: &T::AccountId) -> Vec<T::AccountId> {
		let ends = ValidatorSetEnds::<T>::get(info.validator_set);
		let total = ends.last().copied().unwrap_or(0);
		let mut chunks: BTreeMap<u32, Vec<ValidatorEntry<T>>> = BTreeMap::new();
		Self::draw(info, target, total, |r| {
			let chunk_index = ends.partition_point(|end| *end <= r) as u32;
			let chunk = chunks.entry(chunk_index).or_insert_with(|| {
				ValidatorChunks::<T>::get(info.validator_set, chunk_index).into_inner()
			});
			let at = chunk.partition_point(|(_, end)| *end <= r);
			// `None` is unreachable while the set's chunks and ends agree (`do_try_state`).
			let (validator, end) = chunk.get(at).cloned()?;
			let start = match at.checked_sub(1) {
				Some(prev) => chunk[prev].1,
				None => chunk_index.checked_sub(1).map_or(0, |c| ends[c as usize]),
			};
			Some((validator, start, end))
		})
	}

	/// Weight of activating an epoch's weights: the measured activation plus what the runtime's
	/// `OnWeightsFinalized` (emission's settlement) declares.
	pub fn activate_weight() -> Weight {
		T::WeightInfo::activate().saturating_add(T::OnWeightsFinalized::weight())
	}

	/// Worst-case weight of drawing the committees of `targets` targets, on top of the measured
	/// calls that draw (their benchmarks draw from a one-chunk set): `CommitteeSize + 1` draws
	/// per target, each reading a validator chunk (benchmark `committee_chunks`). Ref time counts
	/// every draw; proof size counts distinct chunks only, at most the [`MaxChunks`] a set can
	/// have (a chunk read twice in a block is in its proof once).
	pub fn committee_weight(targets: u32) -> Weight {
		let draws = targets.saturating_mul(T::CommitteeSize::get().saturating_add(1));
		let time = T::WeightInfo::committee_chunks(draws).ref_time();
		let proof = T::WeightInfo::committee_chunks(draws.min(MaxChunks::<T>::get())).proof_size();
		Weight::from_parts(time, proof)
	}

	/// Weight of one block's settlement steps: `tallied` tally steps (each with its committee
	/// draws, [`Pallet::committee_weight`]: the block's draws share one proof of the chunks they
	/// read) and `finalized` finalize steps.
	pub fn settle_steps_weight(tallied: u32, finalized: u32) -> Weight {
		T::WeightInfo::settle_tally()
			.saturating_mul(tallied as u64)
			.saturating_add(Self::committee_weight(tallied))
			.saturating_add(T::WeightInfo::settle_finalize().saturating_mul(finalized as u64))
	}

	/// The committee of `target` drawn from `epoch`'s participants, each with weight 1 (same
	/// draws as [`Pallet::committee`] on the line `[0, ParticipantCount)`): the liveness rule's
	/// cross-validation. Empty only when `target` is the epoch's only participant.
	pub fn participant_committee(
		epoch: EpochIndex,
		info: &EpochInfo,
		target: &T::AccountId,
	) -> Vec<T::AccountId> {
		let count = ComputeWeight::from(ParticipantCount::<T>::get(epoch));
		Self::draw(info, target, count, |r| {
			let host = Participants::<T>::get(epoch, r as u32)?;
			Some((host, r, r + 1))
		})
	}

	/// Draws up to `CommitteeSize` members other than `target` from a line `[0, total)` on
	/// which `lookup(r)` names the member whose interval `[start, end)` holds `r`, without
	/// replacement (see [`Pallet::committee`]).
	fn draw(
		info: &EpochInfo,
		target: &T::AccountId,
		total: ComputeWeight,
		mut lookup: impl FnMut(ComputeWeight) -> Option<(T::AccountId, ComputeWeight, ComputeWeight)>,
	) -> Vec<T::AccountId> {
		let size = T::CommitteeSize::get() as usize;
		let mut members: Vec<T::AccountId> = Vec::with_capacity(size);
		let target_bytes = Self::account_bytes(target);
		// Excluded intervals `[start, end)` of the line, sorted by start.
		let mut excluded: Vec<(ComputeWeight, ComputeWeight)> = Vec::with_capacity(size + 1);
		let mut remaining = total;
		let mut preimage = Vec::with_capacity(COMMITTEE_TAG.len() + 68);
		for i in 0..T::CommitteeSize::get().saturating_add(1) {
			if members.len() >= size || remaining == 0 {
				break;
			}
			preimage.clear();
			preimage.extend_from_slice(COMMITTEE_TAG);
			preimage.extend_from_slice(info.seed.as_bytes());
			preimage.extend_from_slice(&target_bytes);
			preimage.extend_from_slice(&i.to_le_bytes());
			let h = sp_io::hashing::blake2_256(&preimage);
			let mut word = [0u8; 16];
			word.copy_from_slice(&h[..16]);
			let mut r = u128::from_le_bytes(word) % remaining;
			for (start, end) in &excluded {
				if r >= *start {
					r += end - start;
				} else {
					break;
				}
			}
			let Some((member, start, end)) = lookup(r) else { break };
			let pos = excluded.partition_point(|(s, _)| *s < start);
			excluded.insert(pos, (start, end));
			remaining = remaining.saturating_sub(end - start);
			if member != *target {
				members.push(member);
			}
		}
		members
	}

	/// Append `who` with `weight` (cumulative end `end`) as entry `index` of validator set `set`.
	pub(crate) fn append_validator(
		set: EpochIndex,
		index: u32,
		who: T::AccountId,
		_weight: ComputeWeight,
		end: ComputeWeight,
	) {
		let chunk = index / T::ChunkSize::get();
		ValidatorChunks::<T>::mutate(set, chunk, |entries| {
			let pushed = entries.try_push((who, end));
			debug_assert!(pushed.is_ok(), "index / ChunkSize selects a chunk with room");
		});
		ValidatorSetEnds::<T>::mutate(set, |ends| {
			if ends.len() as u32 > chunk {
				ends[chunk as usize] = end;
			} else {
				let pushed = ends.try_push(end);
				debug_assert!(pushed.is_ok(), "MaxParticipants bounds the chunks");
			}
		});
	}

	/// Run at most `MaxSettlePerBlock` settlement steps; start the next epoch's settlement once
	/// its validation window has closed. Returns the weight used.
	pub(crate) fn settle_step(now: u32, clock: &clock::EpochClock) -> Weight {
		let mut weight = Weight::zero();
		let mut state = match Settlement::<T>::get() {
			Some(s) => s,
			None => {
				let epoch = NextToSettle::<T>::get();
				let start = clock.epoch_start(epoch).saturating_add(clock.settlement_start());
				if now < start {
					return weight;
				}
				if !Epochs::<T>::contains_key(epoch) {
					// The sprint never started: the pallet was added to a running chain after
					// this epoch's sprint start. Nothing to settle; skip to the current epoch
					// (no earlier epoch can have started either).
					let current = clock.position(now).epoch;
					NextToSettle::<T>::put(current.max(epoch + 1));
					return weight.saturating_add(T::DbWeight::get().reads_writes(1, 1));
				}
				SettlementState {
					epoch,
					stage: Stage::Tally,
					next: 0,
					uncapped_total: 0,
					total: 0,
					weighted: 0,
					proven: 0,
					rejected_proven: 0,
				}
			},
		};
		let count = ParticipantCount::<T>::get(state.epoch);
		let info = Epochs::<T>::get(state.epoch);
		let (mut tallied, mut finalized) = (0u32, 0u32);
		for _ in 0..T::MaxSettlePerBlock::get() {
			if state.next >= count {
				match state.stage {
					Stage::Tally => {
						state.stage = Stage::Finalize;
						state.next = 0;
						continue;
					},
					Stage::Finalize => break,
				}
			}
			let Some(host) = Participants::<T>::get(state.epoch, state.next) else {
				state.next += 1;
				continue;
			};
			match state.stage {
				Stage::Tally => {
					if let Some(info) = &info {
						Self::tally(&mut state, info, host);
					}
					tallied += 1;
				},
				Stage::Finalize => {
					Self::finalize(&mut state, host);
					finalized += 1;
				},
			}
			state.next += 1;
		}
		weight.saturating_accrue(Self::settle_steps_weight(tallied, finalized));
		if state.stage == Stage::Finalize && state.next >= count {
			Settlement::<T>::kill();
			WeightedCount::<T>::insert(state.epoch, state.weighted);
			// The contest rule: most of the proven weight that took part was rejected.
			if state.rejected_proven.saturating_mul(2) > state.proven {
				Contested::<T>::insert(state.epoch, (state.rejected_proven, state.proven));
				Self::deposit_event(Event::Contested {
					epoch: state.epoch,
					rejected: state.rejected_proven,
					proven: state.proven,
				});
			}
			NextToSettle::<T>::put(state.epoch + 1);
			let current = clock.position(now).epoch;
			if current > state.epoch {
				// Late: the epoch switch has passed, activate at once.
				Self::activate(state.epoch, state.total);
				weight.saturating_accrue(Self::activate_weight());
			} else {
				PendingActivation::<T>::put((state.epoch, state.total));
			}
		} else {
			Settlement::<T>::put(state);
		}
		weight
	}

	/// The *proven weight* of `host` at `epoch`: its weight in the latest of the
	/// `ProvenLookback` epochs before `epoch` in which it had a positive weight, else zero
	/// (at most `ProvenLookback` reads). The contest rule weighs rejections by it, so that only
	/// hosts the chain accepted recently count, in proportion to what they proved.
	pub fn proven_weight(epoch: EpochIndex, host: &T::AccountId) -> ComputeWeight {
		(1..=T::ProvenLookback::get())
			.filter_map(|k| epoch.checked_sub(k))
			.map(|e| Weights::<T>::get(e, host))
			.find(|w| *w > 0)
			.unwrap_or(0)
	}

	/// Pass 1 for one participant.
	pub(crate) fn tally(state: &mut SettlementState, info: &EpochInfo, host: T::AccountId) {
		let epoch = state.epoch;
		let Some(record) = Commitments::<T>::get(epoch, &host) else {
			return;
		};
		let committee = Self::committee_of(epoch, info, &host);
		let seats = committee.len() as u32;
		let mut valid = 0u32;
		let mut invalid = 0u32;
		let mut judged = Vec::with_capacity(committee.len());
		// Each verdict is read once, here: taking it keeps an epoch's state to what outlives
		// settlement (outcomes, weights, counters), about half of it otherwise.
		for validator in committee {
			match Verdicts::<T>::take((epoch, &host, &validator)) {
				Some(verdict) => {
					let ok = Self::verdict_valid(&verdict);
					if ok {
						valid += 1;
					} else {
						invalid += 1;
					}
					judged.push((validator, ok));
				},
				None => Missed::<T>::mutate(epoch, &validator, |m| *m += 1),
			}
		}
		// An empty committee accepts nobody: acceptance needs a majority of a non-empty committee
		// that does not contain the host itself. The one exception is the liveness rule's lone
		// survivor: the only participant of a cross-validation epoch (nobody else is left to
		// check it; its count is still bounded by `count_limit`).
		let lone_survivor = seats == 0 && info.validator_set == FALLBACK_SET;
		let accepted = lone_survivor || (seats > 0 && valid.saturating_mul(2) > seats);
		let found_invalid = invalid.saturating_mul(2) > seats;
		// A verdict contradicts the outcome when it says "invalid" of an accepted host or "valid"
		// of a host the majority found invalid (not of one rejected for silence: nobody knows).
		for (validator, ok) in judged {
			if (accepted && !ok) || (found_invalid && ok) {
				Contradicted::<T>::mutate(epoch, &validator, |c| *c += 1);
			}
		}
		let proven = Self::proven_weight(epoch, &host);
		state.proven = state.proven.saturating_add(proven);
		if !accepted {
			state.rejected_proven = state.rejected_proven.saturating_add(proven);
		}
		if accepted {
			let weight = ComputeWeight::from(record.count);
			state.uncapped_total = state.uncapped_total.saturating_add(weight);
			Outcomes::<T>::insert(epoch, &host, Outcome::Accepted { weight });
			Self::deposit_event(Event::HostAccepted { epoch, host, weight });
		} else {
			Outcomes::<T>::insert(epoch, &host, Outcome::Rejected);
			// Slash only a host that a committee majority *found* invalid, not one rejected
			// because its committee stayed silent: the flat slash plus the stake that backed
			// each claimed nonce.
			let amount = T::RejectionSlash::get()
				.saturating_add(T::CollateralPerNonce::get().saturating_mul(record.count.into()));
			let slashed = if amount.is_zero() || !found_invalid {
				0
			} else {
				T::Hosts::slash(&host, amount, SlashReason::InvalidSprintProof)
			};
			Self::deposit_event(Event::HostRejected { epoch, host, slashed });
		}
	}

	/// Pass 2 for one participant.
	pub(crate) fn finalize(state: &mut SettlementState, host: T::AccountId) {
		let epoch = state.epoch;
		let Some(Outcome::Accepted { weight }) = Outcomes::<T>::get(epoch, &host) else {
			return;
		};
		let mut weight = weight.min(Self::share_cap(weight, state.uncapped_total));
		let missed = Missed::<T>::get(epoch, &host);
		let contradicted = Contradicted::<T>::get(epoch, &host);
		if missed > 0 || contradicted > 0 {
			let parts = Self::silence_penalty()
				.deconstruct()
				.saturating_mul(missed)
				.saturating_add(
					Self::contradiction_penalty().deconstruct().saturating_mul(contradicted),
				)
				.min(1_000_000_000);
			let lost = Perbill::from_parts(parts).mul_floor(weight);
			weight = weight.saturating_sub(lost);
			Self::deposit_event(Event::ValidatorPenalised {
				epoch,
				validator: host.clone(),
				missed,
				contradicted,
				lost,
			});
		}
		if weight > 0 {
			Weights::<T>::insert(epoch, &host, weight);
			state.total = state.total.saturating_add(weight);
			Self::append_validator(epoch, state.weighted, host, weight, state.total);
			state.weighted += 1;
		}
	}

	/// The largest final weight a host with uncapped weight `own` may keep when the epoch's
	/// accepted hosts sum to `uncapped_total`: with `s` the clamped `MaxShare` and `O = total -
	/// own` the weight of everyone else, `cap = floor(O * s / (1 - s))`, the weight at which the
	/// host holds exactly `s` of `O + cap`. The cap is measured against the others, never against
	/// a total that includes the host's own claim (which would let a claim raise its own cap).
	/// A host that is the only one accepted (`O = 0`), or `s = 100%`, is not capped.
	pub fn share_cap(own: ComputeWeight, uncapped_total: ComputeWeight) -> ComputeWeight {
		let s = Self::max_share().deconstruct() as u128;
		let others = uncapped_total.saturating_sub(own);
		let one = Perbill::one().deconstruct() as u128;
		if s >= one || others == 0 {
			return own;
		}
		others.saturating_mul(s) / (one - s)
	}

	/// `MaxShare` clamped to `[MIN_MAX_SHARE, 100%]`: a share of zero would leave every epoch
	/// without weight and governance without voters (`docs/sprint-security.md`, attack 11).
	pub fn max_share() -> Perbill {
		T::MaxShare::get().max(MIN_MAX_SHARE)
	}

	/// `SilencePenalty` clamped to at most [`MAX_VALIDATOR_PENALTY`] per unjudged target.
	pub fn silence_penalty() -> Perbill {
		T::SilencePenalty::get().min(MAX_VALIDATOR_PENALTY)
	}

	/// `ContradictionPenalty` clamped to at most [`MAX_VALIDATOR_PENALTY`] per verdict.
	pub fn contradiction_penalty() -> Perbill {
		T::ContradictionPenalty::get().min(MAX_VALIDATOR_PENALTY)
	}

	/// Make `epoch`'s weights final and active.
	pub(crate) fn activate(epoch: EpochIndex, total: ComputeWeight) {
		ActiveEpoch::<T>::put(epoch);
		TotalWeight::<T>::insert(epoch, total);
		if total > 0 {
			ValidatorSource::<T>::put(epoch);
		}
		if let Some(old) = epoch.checked_sub(T::HistoryDepth::get()) {
			PruneQueue::<T>::mutate(|q| {
				if q.is_full() {
					q.remove(0);
				}
				let _ = q.try_push(old);
			});
		}
		Self::deposit_event(Event::WeightsActivated { epoch, total });
		T::OnWeightsFinalized::on_weights_finalized(epoch, total);
	}

	/// Delete up to `MaxPrunePerBlock` keys of the oldest queued epoch. Returns the weight used.
	pub(crate) fn prune_step() -> Weight {
		let mut queue = PruneQueue::<T>::get();
		let Some(&epoch) = queue.first() else {
			return Weight::zero();
		};
		let limit = T::MaxPrunePerBlock::get();
		// First, so that a half-pruned epoch reads as having no weights (and the invariant
		// "weights sum to the stored total" holds at every block).
		TotalWeight::<T>::remove(epoch);
		let keep_validators = ValidatorSource::<T>::get() == epoch;
		// Each map in turn, sharing one budget of `MaxPrunePerBlock` keys: a map still holding
		// keys (the budget spent) ends this block's work.
		let mut budget = limit;
		let mut removed = 0u32;
		let mut done = true;
		let mut clear = |result: &dyn Fn(u32) -> sp_io::MultiRemovalResults| {
			if !done || budget == 0 {
				done = false;
				return;
			}
			let r = result(budget);
			budget = budget.saturating_sub(r.unique);
			removed = removed.saturating_add(r.unique);
			done = r.maybe_cursor.is_none();
		};
		clear(&|n| Commitments::<T>::clear_prefix(epoch, n, None));
		clear(&|n| Participants::<T>::clear_prefix(epoch, n, None));
		clear(&|n| Verdicts::<T>::clear_prefix((epoch,), n, None));
		clear(&|n| Outcomes::<T>::clear_prefix(epoch, n, None));
		clear(&|n| Missed::<T>::clear_prefix(epoch, n, None));
		clear(&|n| Contradicted::<T>::clear_prefix(epoch, n, None));
		clear(&|n| CommitmentKeys::<T>::clear_prefix(epoch, n, None));
		clear(&|n| Weights::<T>::clear_prefix(epoch, n, None));
		if !keep_validators {
			clear(&|n| ValidatorChunks::<T>::clear_prefix(epoch, n, None));
		}
		if done && !keep_validators {
			ValidatorSetEnds::<T>::remove(epoch);
		}
		if done {
			Epochs::<T>::remove(epoch);
			ParticipantCount::<T>::remove(epoch);
			NewcomerCount::<T>::remove(epoch);
			WeightedCount::<T>::remove(epoch);
			Contested::<T>::remove(epoch);
			queue.remove(0);
			PruneQueue::<T>::put(queue);
			Self::deposit_event(Event::EpochPruned { epoch });
		}
		T::WeightInfo::prune_keys(removed.saturating_add(9))
	}

	/// The sample indices `validator` must check for `target` in `epoch` (empty if the epoch or
	/// the commitment is unknown).
	pub fn sample_indices_of(
		epoch: EpochIndex,
		validator: &T::AccountId,
		target: &T::AccountId,
	) -> Vec<u32> {
		let (Some(info), Some(record)) =
			(Epochs::<T>::get(epoch), Commitments::<T>::get(epoch, target))
		else {
			return Vec::new();
		};
		gonka_primitives::pow::sample_indices(
			&info.seed.0,
			&Self::account_bytes(validator),
			&Self::account_bytes(target),
			record.count,
			T::SampleSize::get(),
		)
	}

	/// Every target whose committee `validator` is in for `epoch`, with what to check. Scans all
	/// participants: for the runtime API (off chain) only.
	pub fn assignments(
		epoch: EpochIndex,
		validator: &T::AccountId,
	) -> Vec<Assignment<T::AccountId>> {
		let Some(info) = Epochs::<T>::get(epoch) else {
			return Vec::new();
		};
		let mut out = Vec::new();
		for (_, target) in Participants::<T>::iter_prefix(epoch) {
			if !Self::committee_of(epoch, &info, &target).contains(validator) {
				continue;
			}
			let Some(record) = Commitments::<T>::get(epoch, &target) else {
				continue;
			};
			let indices = Self::sample_indices_of(epoch, validator, &target);
			let worker_key =
				CommitmentKeys::<T>::get(epoch, &target).or_else(|| T::Hosts::worker_key(&target));
			out.push(Assignment {
				worker_key,
				target,
				count: record.count,
				merkle_root: record.merkle_root,
				indices,
			});
		}
		out
	}

	/// The clock at the current block.
	pub fn epoch_status() -> EpochStatus {
		let pos = clock::position::<T>(Self::now());
		let info = Epochs::<T>::get(pos.epoch);
		EpochStatus {
			epoch: pos.epoch,
			phase: pos.phase,
			blocks_left: pos.blocks_left,
			seed: info.map(|i| i.seed),
			params: info.and_then(|i| i.params),
		}
	}

	/// Check the pallet's invariants: every activated epoch's weights sum to its stored total;
	/// no commitment, participant or verdict belongs to an epoch whose sprint has not started or
	/// that is in the future; contested epochs are settled and had a rejected majority of
	/// proven weight; participant lists are dense and match the commitments; validator
	/// set boundaries match their chunks.
	#[cfg(any(test, feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		let current = clock::position::<T>(Self::now()).epoch;
		for (epoch, total) in TotalWeight::<T>::iter() {
			let sum =
				Weights::<T>::iter_prefix(epoch).fold(0u128, |acc, (_, w)| acc.saturating_add(w));
			ensure!(sum == total, "weights do not sum to the stored total");
		}
		for (epoch, (rejected, proven)) in Contested::<T>::iter() {
			ensure!(epoch < NextToSettle::<T>::get(), "an unsettled epoch is contested");
			ensure!(rejected.saturating_mul(2) > proven, "a contest without a rejected majority");
		}
		for (epoch, host, record) in Commitments::<T>::iter() {
			ensure!(epoch <= current, "commitment in a future epoch");
			ensure!(Epochs::<T>::contains_key(epoch), "commitment outside a started epoch");
			ensure!(record.count > 0, "commitment of zero nonces");
			ensure!(
				record.submissions >= 1 && record.submissions <= T::MaxCommitmentsPerHost::get(),
				"submission count out of range"
			);
			ensure!(
				CommitmentKeys::<T>::contains_key(epoch, &host),
				"commitment without its signing key"
			);
		}
		for (epoch, host, _) in CommitmentKeys::<T>::iter() {
			ensure!(Commitments::<T>::contains_key(epoch, &host), "signing key without commitment");
		}
		for (epoch, count) in ParticipantCount::<T>::iter() {
			ensure!(count <= T::MaxParticipants::get(), "too many participants");
			ensure!(NewcomerCount::<T>::get(epoch) <= count, "more newcomers than participants");
			for i in 0..count {
				let host = Participants::<T>::get(epoch, i).ok_or("participant list has a hole")?;
				ensure!(
					Commitments::<T>::contains_key(epoch, &host),
					"participant without commitment"
				);
			}
			ensure!(
				Commitments::<T>::iter_prefix(epoch).count() as u32 == count,
				"commitments and participants differ"
			);
		}
		for ((epoch, _, _), _) in Verdicts::<T>::iter() {
			ensure!(Epochs::<T>::contains_key(epoch), "verdict outside a started epoch");
		}
		for (set, ends) in ValidatorSetEnds::<T>::iter() {
			let mut last = 0u128;
			for (i, end) in ends.iter().enumerate() {
				let chunk = ValidatorChunks::<T>::get(set, i as u32);
				ensure!(!chunk.is_empty(), "empty validator chunk");
				ensure!(chunk.last().map(|e| e.1) == Some(*end), "chunk end mismatch");
				for (_, e) in chunk.iter() {
					ensure!(*e > last, "cumulative weights must increase");
					last = *e;
				}
			}
		}
		Ok(())
	}
}

impl<T: Config> ComputeWeights<T::AccountId> for Pallet<T> {
	fn active_epoch() -> Option<EpochIndex> {
		ActiveEpoch::<T>::get()
	}

	fn weight_of(epoch: EpochIndex, who: &T::AccountId) -> ComputeWeight {
		if TotalWeight::<T>::contains_key(epoch) {
			Weights::<T>::get(epoch, who)
		} else {
			0
		}
	}

	fn total_weight(epoch: EpochIndex) -> ComputeWeight {
		TotalWeight::<T>::get(epoch).unwrap_or(0)
	}

	/// The validator source: the latest activated epoch with positive total weight (`None`
	/// before one, or once it was pruned after `HistoryDepth` epochs without weight).
	fn voting_epoch() -> Option<EpochIndex> {
		let source = ValidatorSource::<T>::get();
		(source != GENESIS_SET && TotalWeight::<T>::get(source).is_some_and(|t| t > 0))
			.then_some(source)
	}
}
