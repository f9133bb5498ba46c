//! Call bodies of the session's open phase: opening, top-ups, closing, claims, miss reports and
//! attestations, with the authorisation of the fee-less calls.
//!
//! As in the sprint pallet, each fee-less call has one `check_*` that both its authorisation
//! (pool and block) and its dispatch run; only the authorisation verifies signatures, before any
//! other work, so a forged transaction costs a node a few reads and one signature check.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::{
		DispatchResult, InvalidTransaction, TransactionSource, TransactionValidityError,
		TransactionValidityWithRefund, ValidTransaction,
	},
	traits::{fungible::MutateHold, Get},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use gonka_primitives::{
	hosts::HostRegistry,
	market::{attest_payload, claim_payload, quote, voucher_payload},
};
use sp_runtime::{
	traits::{Saturating, Verify, Zero},
	DispatchError, RuntimeAppPublic,
};

/// A pallet error as a transaction-validity error: `BadProof` for signature errors,
/// `Custom(error index)` otherwise.
pub(crate) fn invalid<T: Config>(e: Error<T>) -> TransactionValidityError {
	if matches!(e, Error::<T>::BadSignature | Error::<T>::BadVoucherSignature) {
		return InvalidTransaction::BadProof.into();
	}
	match DispatchError::from(e) {
		DispatchError::Module(m) => InvalidTransaction::Custom(m.error[0]).into(),
		_ => InvalidTransaction::Call.into(),
	}
}

impl<T: Config> Pallet<T> {
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// The chain's genesis hash, the domain of every signed payload.
	pub fn genesis_hash() -> [u8; 32] {
		let h = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut out = [0u8; 32];
		let n = h.as_ref().len().min(32);
		out[..n].copy_from_slice(&h.as_ref()[..n]);
		out
	}

	/// Put `id` on the agenda of the first block `>= at` with room (searching
	/// [`AGENDA_SEARCH`] blocks).
	pub(crate) fn schedule(id: SessionId, at: BlockNumberFor<T>) -> Result<(), Error<T>> {
		let mut b = at;
		for _ in 0..AGENDA_SEARCH {
			if Agenda::<T>::mutate(b, |a| a.try_push(id)).is_ok() {
				return Ok(());
			}
			b = b.saturating_add(1u32.into());
		}
		Err(Error::<T>::AgendaFull)
	}

	pub(crate) fn do_open_session(
		owner: T::AccountId,
		model: ModelId,
		deposit: Balance,
		max_tokens_per_request: u32,
		duration: BlockNumberFor<T>,
		delegate: Option<T::AccountId>,
	) -> Result<SessionId, DispatchError> {
		ensure!(deposit >= T::MinDeposit::get() && deposit > 0, Error::<T>::DepositTooLow);
		ensure!(!duration.is_zero() && duration <= T::MaxDuration::get(), Error::<T>::BadDuration);
		ensure!(max_tokens_per_request > 0, Error::<T>::ZeroTokenCap);
		let terms = T::Hosts::model_terms(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(terms.active, Error::<T>::ModelRetired);
		ensure!(SessionCount::<T>::get() < T::MaxSessions::get(), Error::<T>::TooManySessions);
		let id = NextSessionId::<T>::get();
		let seed = Self::seed(GROUP_TAG, id);
		let (hosts, weights) = Self::candidates(model, &seed);
		let size = T::GroupSize::get().clamp(1, T::MaxGroupSize::get());
		let group = Self::draw_group(&hosts, &weights, &seed, size);
		ensure!(!group.is_empty(), Error::<T>::NoExecutors);
		T::Currency::hold(&HoldReason::Escrow.into(), &owner, deposit)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		let now = Self::now();
		let expires_at = now.saturating_add(duration);
		Self::schedule(id, expires_at)?;
		let session = Session {
			owner: owner.clone(),
			delegate,
			model,
			price_per_1k_tokens: terms.price_per_1k_tokens,
			max_tokens_per_request,
			deposit,
			claimed: 0,
			opened_at: now,
			expires_at,
			phase: SessionPhase::Open,
			group: group.clone().try_into().map_err(|_| Error::<T>::NoExecutors)?,
		};
		Sessions::<T>::insert(id, session);
		SessionCount::<T>::mutate(|n| *n += 1);
		NextSessionId::<T>::put(id + 1);
		Totals::<T>::mutate(|t| t.deposited = t.deposited.saturating_add(deposit));
		Self::deposit_event(Event::SessionOpened { session: id, owner, model, deposit, group });
		Ok(id)
	}

	pub(crate) fn do_top_up(
		who: T::AccountId,
		session: SessionId,
		amount: Balance,
	) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let mut s = Sessions::<T>::get(session).ok_or(Error::<T>::UnknownSession)?;
		ensure!(s.owner == who, Error::<T>::NotOwner);
		ensure!(s.phase == SessionPhase::Open, Error::<T>::NotOpen);
		T::Currency::hold(&HoldReason::Escrow.into(), &who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		s.deposit = s.deposit.saturating_add(amount);
		Sessions::<T>::insert(session, s);
		Totals::<T>::mutate(|t| t.deposited = t.deposited.saturating_add(amount));
		Self::deposit_event(Event::ToppedUp { session, amount });
		Ok(())
	}

	/// Close an open session: the claim window runs until `now + ClaimWindow`, sampling is
	/// scheduled for the block after.
	pub(crate) fn do_close(session: SessionId, mut s: SessionOf<T>) -> DispatchResult {
		ensure!(s.phase == SessionPhase::Open, Error::<T>::NotOpen);
		let until = Self::now().saturating_add(T::ClaimWindow::get());
		s.phase = SessionPhase::Claiming { until };
		Sessions::<T>::insert(session, s);
		// If the agenda is full the step waits for `finalize`; closing itself must not fail.
		let _ = Self::schedule(session, until.saturating_add(1u32.into()));
		Self::deposit_event(Event::SessionClosed { session, claim_until: until });
		Ok(())
	}

	/// Everything a claim must satisfy except signatures; returns the session, the executor and
	/// the lane's previous voucher.
	pub(crate) fn check_claim(
		voucher: &Voucher<Balance>,
	) -> Result<(SessionOf<T>, T::AccountId, Option<Lane<T::AccountId>>), Error<T>> {
		let s = Sessions::<T>::get(voucher.session).ok_or(Error::<T>::UnknownSession)?;
		match s.phase {
			SessionPhase::Open => {},
			SessionPhase::Claiming { until } if Self::now() <= until => {},
			_ => return Err(Error::<T>::ClaimWindowClosed),
		}
		let executor = s.group.get(voucher.slot as usize).ok_or(Error::<T>::BadSlot)?.clone();
		let previous = Lanes::<T>::get(voucher.session, voucher.slot);
		if let Some(lane) = &previous {
			let old = &lane.voucher;
			ensure!(voucher.seq > old.seq, Error::<T>::StaleVoucher);
			ensure!(
				voucher.amount >= old.amount
					&& voucher.in_tokens >= old.in_tokens
					&& voucher.out_tokens >= old.out_tokens,
				Error::<T>::VoucherDecreased
			);
		}
		ensure!(voucher.seq > 0, Error::<T>::StaleVoucher);
		let tokens = (voucher.in_tokens as u128).saturating_add(voucher.out_tokens as u128);
		ensure!(
			tokens <= (voucher.seq as u128).saturating_mul(s.max_tokens_per_request as u128),
			Error::<T>::TooManyTokens
		);
		ensure!(
			voucher.amount == quote(s.price_per_1k_tokens, voucher.in_tokens, voucher.out_tokens),
			Error::<T>::WrongAmount
		);
		let old = previous.as_ref().map_or(0, |l| l.voucher.amount);
		ensure!(
			s.claimed.saturating_sub(old).saturating_add(voucher.amount) <= s.deposit,
			Error::<T>::EscrowExceeded
		);
		Ok((s, executor, previous))
	}

	pub(crate) fn authorize_claim(
		_source: TransactionSource,
		voucher: &Voucher<Balance>,
		payer_signature: &T::PayerSignature,
		executor_signature: &WorkerSignature,
	) -> TransactionValidityWithRefund {
		let s =
			Sessions::<T>::get(voucher.session).ok_or(invalid::<T>(Error::<T>::UnknownSession))?;
		let executor =
			s.group.get(voucher.slot as usize).ok_or(invalid::<T>(Error::<T>::BadSlot))?;
		let key = T::Hosts::worker_key(executor).ok_or(invalid::<T>(Error::<T>::BadSignature))?;
		let genesis = Self::genesis_hash();
		ensure!(
			key.verify(&claim_payload(&genesis, voucher), executor_signature),
			invalid::<T>(Error::<T>::BadSignature)
		);
		let payload = voucher_payload(&genesis, voucher);
		let by_owner = payer_signature.verify(&payload[..], &s.owner);
		let by_delegate =
			s.delegate.as_ref().is_some_and(|d| payer_signature.verify(&payload[..], d));
		ensure!(by_owner || by_delegate, invalid::<T>(Error::<T>::BadVoucherSignature));
		Self::check_claim(voucher).map_err(invalid::<T>)?;
		let validity = ValidTransaction::with_tag_prefix("gonka-market-claim")
			.priority(T::UnsignedPriority::get())
			.longevity(16)
			.and_provides((voucher.session, voucher.slot, voucher.seq))
			.propagate(true)
			.build()?;
		Ok((validity, Weight::zero()))
	}

	pub(crate) fn do_claim(voucher: Voucher<Balance>) -> DispatchResult {
		let (mut s, executor, previous) = Self::check_claim(&voucher)?;
		let old = previous.as_ref().map_or(0, |l| l.voucher.amount);
		s.claimed = s.claimed.saturating_sub(old).saturating_add(voucher.amount);
		let (session, slot, seq, amount) =
			(voucher.session, voucher.slot, voucher.seq, voucher.amount);
		Sessions::<T>::insert(session, s);
		Lanes::<T>::insert(
			session,
			slot,
			Lane { executor: executor.clone(), voucher, samples: 0, rate: Default::default() },
		);
		Self::deposit_event(Event::Claimed { session, slot, executor, seq, amount });
		Ok(())
	}

	pub(crate) fn do_report_miss(
		who: T::AccountId,
		session: SessionId,
		slot: SlotIndex,
	) -> DispatchResult {
		let s = Sessions::<T>::get(session).ok_or(Error::<T>::UnknownSession)?;
		ensure!(s.owner == who || s.delegate.as_ref() == Some(&who), Error::<T>::NotPayer);
		ensure!(!matches!(s.phase, SessionPhase::Validating { .. }), Error::<T>::ClaimWindowClosed);
		let executor = s.group.get(slot as usize).ok_or(Error::<T>::BadSlot)?.clone();
		ensure!(!Misses::<T>::contains_key(session, slot), Error::<T>::MissAlreadyReported);
		Misses::<T>::insert(session, slot, ());
		Self::record(&executor, |r| r.misses = r.misses.saturating_add(1));
		Self::deposit_event(Event::MissReported { session, slot, executor });
		Ok(())
	}

	/// Everything an attestation must satisfy except the signature; returns the sample and the
	/// validator's index in it.
	pub(crate) fn check_attest(
		session: SessionId,
		slot: SlotIndex,
		leaf: u64,
		validator: &T::AccountId,
	) -> Result<(SampleOf<T>, u8), Error<T>> {
		let s = Sessions::<T>::get(session).ok_or(Error::<T>::UnknownSession)?;
		match s.phase {
			SessionPhase::Validating { until } if Self::now() <= until => {},
			_ => return Err(Error::<T>::NotValidating),
		}
		let sample = Samples::<T>::get(session, (slot, leaf)).ok_or(Error::<T>::NotSampled)?;
		let index =
			sample.validators.iter().position(|v| v == validator).ok_or(Error::<T>::NotAssigned)?
				as u8;
		ensure!(!sample.verdicts.iter().any(|(i, _)| *i == index), Error::<T>::AlreadyAttested);
		Ok((sample, index))
	}

	pub(crate) fn authorize_attest(
		_source: TransactionSource,
		session: &SessionId,
		slot: &SlotIndex,
		leaf: &u64,
		validator: &T::AccountId,
		verdict: &Verdict,
		signature: &WorkerSignature,
	) -> TransactionValidityWithRefund {
		let key = T::Hosts::worker_key(validator).ok_or(invalid::<T>(Error::<T>::BadSignature))?;
		let payload =
			attest_payload(&Self::genesis_hash(), *session, *slot, *leaf, validator, *verdict);
		ensure!(key.verify(&payload, signature), invalid::<T>(Error::<T>::BadSignature));
		Self::check_attest(*session, *slot, *leaf, validator).map_err(invalid::<T>)?;
		let validity = ValidTransaction::with_tag_prefix("gonka-market-attest")
			.priority(T::UnsignedPriority::get())
			.longevity(16)
			.and_provides((*session, *slot, *leaf, validator))
			.propagate(true)
			.build()?;
		Ok((validity, Weight::zero()))
	}

	pub(crate) fn do_attest(
		session: SessionId,
		slot: SlotIndex,
		leaf: u64,
		validator: T::AccountId,
		verdict: Verdict,
	) -> DispatchResult {
		let (mut sample, index) = Self::check_attest(session, slot, leaf, &validator)?;
		sample.verdicts.try_push((index, verdict)).map_err(|_| Error::<T>::AlreadyAttested)?;
		Samples::<T>::insert(session, (slot, leaf), sample);
		Assignments::<T>::remove(&validator, (session, slot, leaf));
		Self::deposit_event(Event::Attested { session, slot, leaf, validator, verdict });
		Ok(())
	}

	/// The session ids of `who`'s pending validation assignments (runtime API helper).
	pub fn api_assignments(who: T::AccountId) -> Vec<(SessionId, SlotIndex, u64)> {
		Assignments::<T>::iter_key_prefix(&who).collect()
	}
}
