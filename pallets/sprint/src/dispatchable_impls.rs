//! Implementations of the calls and of their authorisation.
//!
//! Each fee-less call has one `check_*` function that both the authorisation (which runs in the
//! transaction pool *and* again when the block is applied, as part of `AuthorizeCall`'s
//! `validate`) and the dispatch run, so the pool never admits what the dispatch would refuse and
//! every refusal has a named error. Only the authorisation verifies the signature: the dispatch is
//! reachable only with `frame_system::Origin::Authorized`, right after it. The authorisation
//! verifies the signature *before* anything else that costs work (committee draws, storage scans),
//! so a stream of forged fee-less transactions costs a node one key read and one signature check
//! each.

use crate::*;
use alloc::collections::BTreeSet;
use frame_support::{
	ensure,
	pallet_prelude::{
		DispatchResult, InvalidTransaction, TransactionSource, TransactionValidityError,
		TransactionValidityWithRefund, ValidTransaction,
	},
	traits::Get,
	weights::Weight,
};
use gonka_primitives::sprint::{commitment_payload, verdicts_payload};
use sp_runtime::{
	traits::{SaturatedConversion, Zero},
	DispatchError, RuntimeAppPublic,
};

/// A pallet error as a transaction-validity error: `Custom(error index)`, or `BadProof` for
/// [`Error::BadSignature`].
fn invalid<T: Config>(e: Error<T>) -> TransactionValidityError {
	if matches!(e, Error::<T>::BadSignature) {
		return InvalidTransaction::BadProof.into();
	}
	match DispatchError::from(e) {
		DispatchError::Module(m) => InvalidTransaction::Custom(m.error[0]).into(),
		_ => InvalidTransaction::Call.into(),
	}
}

impl<T: Config> Pallet<T> {
	pub(crate) fn now() -> u32 {
		frame_system::Pallet::<T>::block_number().saturated_into::<u32>()
	}

	/// The chain's genesis hash, bound into every signed payload (`frame_system`'s hash of block 0,
	/// as `CheckGenesis` uses it).
	pub fn genesis_hash() -> [u8; 32] {
		let h = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut out = [0u8; 32];
		let bytes = h.as_ref();
		let n = bytes.len().min(32);
		out[..n].copy_from_slice(&bytes[..n]);
		out
	}

	/// Most nonces `host` may claim in a commitment now:
	/// `max(NewHostNonces, MaxGrowthFactor * w) + collateral / CollateralPerNonce`, where `w` is
	/// the host's weight in the active epoch and the collateral term is zero when
	/// `CollateralPerNonce` is zero (saturating at `u32::MAX`).
	///
	/// Why (`docs/sprint-security.md`, attack 1): a count is self-declared, and an accepted count
	/// becomes weight. The record term lets an honest host double its proven compute every epoch
	/// for free; anything beyond it must be backed by collateral that the rejection slash takes.
	pub fn count_limit(host: &T::AccountId) -> u32 {
		Self::count_limit_at(host, <Self as ComputeWeights<_>>::active_weight_of(host))
	}

	/// [`Pallet::count_limit`] for a host whose active weight `last` the caller already read.
	fn count_limit_at(host: &T::AccountId, last: ComputeWeight) -> u32 {
		let record = ComputeWeight::from(T::MaxGrowthFactor::get()).saturating_mul(last);
		let record = record.max(T::NewHostNonces::get().into());
		let per_nonce = T::CollateralPerNonce::get();
		let staked = if per_nonce.is_zero() {
			0
		} else {
			ComputeWeight::from(T::Hosts::collateral(host) / per_nonce)
		};
		record.saturating_add(staked).min(u32::MAX.into()) as u32
	}

	/// Slots of an epoch open to newcomers (hosts without active weight): `MaxParticipants`
	/// less the number of hosts weighted in the active epoch, which are reserved for them.
	pub fn newcomer_slots() -> u32 {
		let reserved = ActiveEpoch::<T>::get().map_or(0, WeightedCount::<T>::get);
		T::MaxParticipants::get().saturating_sub(reserved)
	}

	pub(crate) fn do_set_pow_params(params: PowParams) -> DispatchResult {
		params.validate().map_err(|_| Error::<T>::InvalidPowParams)?;
		Params::<T>::put(params);
		Self::deposit_event(Event::ParamsSet { params });
		Ok(())
	}

	/// Everything about a commitment except the signature. Returns the host's stored record
	/// (if any), the blocks left in the commit window and whether the host is a newcomer (no
	/// weight in the active epoch).
	pub(crate) fn check_commitment(
		commitment: &SprintCommitment,
		submission: u32,
		host: &T::AccountId,
	) -> Result<(Option<CommitmentRecord>, u32, bool), Error<T>> {
		let clock = clock::clock::<T>();
		let pos = clock.position(Self::now());
		ensure!(
			commitment.epoch == pos.epoch
				&& matches!(pos.phase, Phase::Sprint | Phase::CommitGrace),
			Error::<T>::OutsideCommitWindow
		);
		ensure!(Epochs::<T>::contains_key(pos.epoch), Error::<T>::NoSprint);
		ensure!(commitment.count > 0, Error::<T>::ZeroCount);
		ensure!(T::Hosts::is_active(host), Error::<T>::NotActiveHost);
		let record = Commitments::<T>::get(pos.epoch, host);
		let active = <Self as ComputeWeights<_>>::active_weight_of(host);
		let newcomer = active == 0;
		ensure!(submission == record.map_or(0, |r| r.submissions), Error::<T>::StaleSubmission);
		match record {
			Some(r) => {
				ensure!(
					r.submissions < T::MaxCommitmentsPerHost::get(),
					Error::<T>::TooManyCommitments
				);
				ensure!(commitment.count >= r.count, Error::<T>::CountDecreased);
			},
			None => {
				ensure!(
					ParticipantCount::<T>::get(pos.epoch) < T::MaxParticipants::get(),
					Error::<T>::TooManyParticipants
				);
				if newcomer {
					ensure!(
						NewcomerCount::<T>::get(pos.epoch) < Self::newcomer_slots(),
						Error::<T>::NoNewcomerSlot
					);
				}
			},
		}
		ensure!(
			commitment.count <= Self::count_limit_at(host, active),
			Error::<T>::CountAboveLimit
		);
		let left = clock.commit_end().saturating_sub(pos.offset);
		Ok((record, left, newcomer))
	}

	/// Authorisation of [`Pallet::submit_commitment`].
	pub(crate) fn authorize_commitment(
		_source: TransactionSource,
		commitment: &SprintCommitment,
		submission: &u32,
		host: &T::AccountId,
		signature: &WorkerSignature,
	) -> TransactionValidityWithRefund {
		let key = T::Hosts::worker_key(host).ok_or(invalid(Error::<T>::NoWorkerKey))?;
		let payload = commitment_payload(&Self::genesis_hash(), commitment, *submission, host);
		ensure!(key.verify(&payload, signature), invalid(Error::<T>::BadSignature));
		let (_, left, _) =
			Self::check_commitment(commitment, *submission, host).map_err(invalid::<T>)?;
		// One pool entry per (epoch, host, submission index) at a priority the sender does not
		// choose: a pending commitment cannot be replaced by another with the same index, so a
		// host cannot churn the pool; its next commitment takes the next index once this one is
		// in a block.
		let validity = ValidTransaction::with_tag_prefix("gonka-sprint-commit")
			.priority(T::UnsignedPriority::get())
			.longevity(left.max(1) as u64)
			.and_provides((commitment.epoch, host, *submission))
			.propagate(true)
			.build()?;
		Ok((validity, Weight::zero()))
	}

	pub(crate) fn do_submit_commitment(
		commitment: SprintCommitment,
		submission: u32,
		host: T::AccountId,
	) -> DispatchResult {
		let (record, _, newcomer) = Self::check_commitment(&commitment, submission, &host)?;
		let key = T::Hosts::worker_key(&host).ok_or(Error::<T>::NoWorkerKey)?;
		let epoch = commitment.epoch;
		let submissions = match record {
			Some(r) => r.submissions + 1,
			None => {
				let index = ParticipantCount::<T>::get(epoch);
				Participants::<T>::insert(epoch, index, &host);
				ParticipantCount::<T>::insert(epoch, index + 1);
				if newcomer {
					NewcomerCount::<T>::mutate(epoch, |n| *n += 1);
				}
				1
			},
		};
		Commitments::<T>::insert(
			epoch,
			&host,
			CommitmentRecord {
				count: commitment.count,
				merkle_root: commitment.merkle_root,
				submissions,
			},
		);
		CommitmentKeys::<T>::insert(epoch, &host, key);
		Self::deposit_event(Event::CommitmentAccepted {
			epoch,
			host,
			count: commitment.count,
			merkle_root: commitment.merkle_root,
		});
		Ok(())
	}

	/// Everything about a verdict batch except the signature; returns the blocks left in the
	/// validation window.
	pub(crate) fn check_verdicts(
		epoch: EpochIndex,
		validator: &T::AccountId,
		verdicts: &VerdictsOf<T>,
	) -> Result<u32, Error<T>> {
		let clock = clock::clock::<T>();
		let pos = clock.position(Self::now());
		ensure!(
			epoch == pos.epoch && pos.phase == Phase::Validation,
			Error::<T>::OutsideValidationWindow
		);
		let info = Epochs::<T>::get(epoch).ok_or(Error::<T>::NoSprint)?;
		ensure!(!verdicts.is_empty(), Error::<T>::NoVerdicts);
		let mut seen = BTreeSet::new();
		for (target, verdict) in verdicts.iter() {
			ensure!(seen.insert(target), Error::<T>::DuplicateTarget);
			let record =
				Commitments::<T>::get(epoch, target).ok_or(Error::<T>::TargetNotCommitted)?;
			ensure!(
				!Verdicts::<T>::contains_key((epoch, target, validator)),
				Error::<T>::VerdictAlreadyRecorded
			);
			if !verdict.proofs_not_served {
				ensure!(
					verdict.samples_checked == T::SampleSize::get().min(record.count),
					Error::<T>::WrongSampleCount
				);
				ensure!(
					verdict.mismatches <= verdict.samples_checked,
					Error::<T>::TooManyMismatches
				);
			}
			ensure!(
				Self::committee_of(epoch, &info, target).contains(validator),
				Error::<T>::NotInCommittee
			);
		}
		Ok(clock.settlement_start().saturating_sub(pos.offset))
	}

	/// Authorisation of [`Pallet::submit_verdicts`].
	pub(crate) fn authorize_verdicts(
		_source: TransactionSource,
		epoch: &EpochIndex,
		validator: &T::AccountId,
		verdicts: &VerdictsOf<T>,
		signature: &WorkerSignature,
	) -> TransactionValidityWithRefund {
		let key = T::Hosts::worker_key(validator).ok_or(invalid(Error::<T>::NoWorkerKey))?;
		let payload = verdicts_payload(&Self::genesis_hash(), *epoch, validator, verdicts);
		ensure!(key.verify(&payload, signature), invalid(Error::<T>::BadSignature));
		let left = Self::check_verdicts(*epoch, validator, verdicts).map_err(invalid::<T>)?;
		// One pool entry per (validator, first target): a batch can only be replaced by one
		// starting with the same target, and each verdict is recorded at most once.
		let validity = ValidTransaction::with_tag_prefix("gonka-sprint-verdicts")
			.priority(T::UnsignedPriority::get())
			.longevity(left.max(1) as u64)
			.and_provides((*epoch, validator, &verdicts[0].0))
			.propagate(true)
			.build()?;
		Ok((validity, Weight::zero()))
	}

	pub(crate) fn do_submit_verdicts(
		epoch: EpochIndex,
		validator: T::AccountId,
		verdicts: VerdictsOf<T>,
	) -> DispatchResult {
		Self::check_verdicts(epoch, &validator, &verdicts)?;
		for (target, verdict) in verdicts {
			Verdicts::<T>::insert((epoch, &target, &validator), verdict);
			Self::deposit_event(Event::VerdictRecorded {
				epoch,
				validator: validator.clone(),
				target,
				valid: Self::verdict_valid(&verdict),
			});
		}
		Ok(())
	}

	/// The per-validator test (see [`critical`]).
	pub fn verdict_valid(verdict: &ValidationVerdict) -> bool {
		!verdict.proofs_not_served
			&& verdict.mismatches
				<= critical::critical_value(
					verdict.samples_checked,
					T::HonestMismatchRate::get(),
					T::Significance::get(),
				)
	}
}
