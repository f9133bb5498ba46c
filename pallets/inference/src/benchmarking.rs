//! Benchmarks of `pallet-gonka-inference` (frame-benchmarking v2).
//!
//! Hosts, their compute weights and payer keys come from `Config::BenchmarkHelper` (the runtime's
//! registers real hosts and writes real weights), so signature checks are the real ones. Every
//! draw reads a full window of `MaxCandidates` hosts. Sampling and settlement are measured with
//! `g` claimed lanes of `k` samples each, every sample with `MaxValidatorsPerSample`
//! validators, the last of whom falsely accuses (a slash per sample: the worst case).

use super::*;
use crate::Pallet as Inference;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::weights::Weight;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{Authorize, Get, Hooks},
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use gonka_primitives::market::{attest_payload, claim_payload, quote, voucher_payload};
use sp_application_crypto::RuntimeAppPublic;
use sp_core::H256;

const DEPOSIT: Balance = 1_000_000_000_000_000;

/// `MaxCandidates` hosts serving the benchmark model; returns them with their worker keys.
fn hosts<T: Config>() -> Vec<(T::AccountId, WorkerId)> {
	let model = T::BenchmarkHelper::model();
	(0..T::MaxCandidates::get())
		.map(|i| {
			let who: T::AccountId = account("host", i, 0);
			let key = T::BenchmarkHelper::make_host(&who, model, 1_000 + i as u128);
			(who, key)
		})
		.collect()
}

fn payer<T: Config>() -> T::AccountId {
	T::BenchmarkHelper::payer(0, DEPOSIT * 4)
}

/// An open session of `payer` with a group of `g` slots, each on a distinct host.
fn session<T: Config>(
	payer: &T::AccountId,
	hosts: &[(T::AccountId, WorkerId)],
	g: u32,
) -> SessionId {
	let id = Inference::<T>::do_open_session(
		payer.clone(),
		T::BenchmarkHelper::model(),
		DEPOSIT,
		u32::MAX,
		1u32.into(),
		None,
	)
	.expect("opens");
	Sessions::<T>::mutate(id, |s| {
		let s = s.as_mut().expect("opened");
		s.group = hosts
			.iter()
			.take(g as usize)
			.map(|(h, _)| h.clone())
			.collect::<Vec<_>>()
			.try_into()
			.expect("g <= MaxGroupSize");
	});
	id
}

/// A fully signed claim call on `slot` of session `id` (group from `hosts`) for `seq` requests
/// of 200 tokens each, priced at the session's price.
fn claim_call<T: Config>(
	payer: &T::AccountId,
	hosts: &[(T::AccountId, WorkerId)],
	id: SessionId,
	slot: SlotIndex,
	seq: u64,
) -> Call<T> {
	let genesis = Inference::<T>::genesis_hash();
	let s = Sessions::<T>::get(id).expect("exists");
	let (in_tokens, out_tokens) = (seq * 100, seq * 100);
	let v = Voucher {
		session: id,
		slot,
		seq,
		amount: quote(s.price_per_1k_tokens, in_tokens, out_tokens),
		in_tokens,
		out_tokens,
		leaves_root: H256::repeat_byte(7),
	};
	let executor = &s.group[v.slot as usize];
	let key = &hosts.iter().find(|(h, _)| h == executor).expect("a benchmark host").1;
	let payer_signature = T::BenchmarkHelper::sign(payer, &voucher_payload(&genesis, &v));
	let executor_signature = key.sign(&claim_payload(&genesis, &v)).expect("key in keystore");
	Call::claim { voucher: v, payer_signature, executor_signature }
}

/// A session of `g` lanes with `k` requests claimed on each, closed and past its claim window.
fn claimed<T: Config>(g: u32, k: u32) -> (SessionId, Vec<(T::AccountId, WorkerId)>) {
	let hosts = hosts::<T>();
	let payer = payer::<T>();
	let id = session::<T>(&payer, &hosts, g);
	for slot in 0..g {
		if let Call::claim { voucher, .. } =
			claim_call::<T>(&payer, &hosts, id, slot as SlotIndex, k as u64)
		{
			Inference::<T>::do_claim(voucher).expect("claims");
		}
	}
	let s = Sessions::<T>::get(id).expect("exists");
	Inference::<T>::do_close(id, s).expect("closes");
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now + T::ClaimWindow::get() + 1u32.into());
	(id, hosts)
}

/// [`claimed`], sampled, with every validator's verdict recorded (the last one of each sample
/// accusing falsely), and past the validation window.
fn attested<T: Config>(g: u32, k: u32) -> SessionId {
	let (id, _) = claimed::<T>(g, k);
	let s = Sessions::<T>::get(id).expect("exists");
	Inference::<T>::do_sample(id, s);
	for ((slot, leaf), sample) in Samples::<T>::iter_prefix(id).collect::<Vec<_>>() {
		let last = sample.validators.len().saturating_sub(1);
		for (i, v) in sample.validators.iter().enumerate() {
			let verdict = if i == last && i > 0 { Verdict::Invalid } else { Verdict::Valid };
			Inference::<T>::do_attest(id, slot, leaf, v.clone(), verdict).expect("assigned");
		}
	}
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now + T::ValidationWindow::get() + 1u32.into());
	id
}

/// A session in its validation window and one of its samples: `(session, slot, leaf, validator,
/// its worker key)`.
fn validating<T: Config>() -> (SessionId, SlotIndex, u64, T::AccountId, WorkerId) {
	let (id, hosts) = claimed::<T>(1, 1);
	let s = Sessions::<T>::get(id).expect("exists");
	Inference::<T>::do_sample(id, s);
	let ((slot, leaf), sample) = Samples::<T>::iter_prefix(id).next().expect("a sample");
	let validator = sample.validators[0].clone();
	let key = hosts.iter().find(|(h, _)| *h == validator).expect("a host").1.clone();
	(id, slot, leaf, validator, key)
}

fn attest_call<T: Config>(
	(id, slot, leaf, validator, key): (SessionId, SlotIndex, u64, T::AccountId, WorkerId),
) -> Call<T> {
	let payload =
		attest_payload(&Inference::<T>::genesis_hash(), id, slot, leaf, &validator, Verdict::Valid);
	let signature = key.sign(&payload).expect("key in keystore");
	Call::attest { session: id, slot, leaf, validator, verdict: Verdict::Valid, signature }
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn open_session() {
		let _ = hosts::<T>();
		let payer = payer::<T>();
		let model = T::BenchmarkHelper::model();
		#[extrinsic_call]
		_(RawOrigin::Signed(payer), model, DEPOSIT, 1_000, 10u32.into(), None);
		assert_eq!(SessionCount::<T>::get(), 1);
	}

	#[benchmark]
	fn top_up() {
		let hosts = hosts::<T>();
		let payer = payer::<T>();
		let id = session::<T>(&payer, &hosts, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id, DEPOSIT);
		assert_eq!(Sessions::<T>::get(id).expect("open").deposit, DEPOSIT * 2);
	}

	#[benchmark]
	fn close() {
		let hosts = hosts::<T>();
		let payer = payer::<T>();
		let id = session::<T>(&payer, &hosts, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id);
		assert!(Sessions::<T>::get(id).expect("exists").phase != SessionPhase::Open);
	}

	#[benchmark]
	fn claim() {
		let hosts = hosts::<T>();
		let payer = payer::<T>();
		let id = session::<T>(&payer, &hosts, 1);
		let first = claim_call::<T>(&payer, &hosts, id, 0, 1);
		if let Call::claim { voucher, .. } = first {
			Inference::<T>::do_claim(voucher).expect("first claim");
		}
		let call = claim_call::<T>(&payer, &hosts, id, 0, 2);
		#[block]
		{
			use frame_support::traits::UnfilteredDispatchable;
			call.dispatch_bypass_filter(RawOrigin::Authorized.into()).expect("claims");
		}
		assert_eq!(Lanes::<T>::get(id, 0).expect("claimed").voucher.seq, 2);
	}

	#[benchmark]
	fn authorize_claim() {
		let hosts = hosts::<T>();
		let payer = payer::<T>();
		let id = session::<T>(&payer, &hosts, 1);
		let call = claim_call::<T>(&payer, &hosts, id, 0, 1);
		#[block]
		{
			call.authorize(TransactionSource::External)
				.expect("has an authorisation")
				.expect("authorised");
		}
	}

	#[benchmark]
	fn report_miss() {
		let hosts = hosts::<T>();
		let payer = payer::<T>();
		let id = session::<T>(&payer, &hosts, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id, 0);
		assert!(Misses::<T>::contains_key(id, 0));
	}

	#[benchmark]
	fn attest() {
		let call = attest_call::<T>(validating::<T>());
		#[block]
		{
			use frame_support::traits::UnfilteredDispatchable;
			call.dispatch_bypass_filter(RawOrigin::Authorized.into()).expect("attests");
		}
	}

	#[benchmark]
	fn authorize_attest() {
		let call = attest_call::<T>(validating::<T>());
		#[block]
		{
			call.authorize(TransactionSource::External)
				.expect("has an authorisation")
				.expect("authorised");
		}
	}

	#[benchmark]
	fn sample(
		g: Linear<1, { T::MaxGroupSize::get() }>,
		k: Linear<1, { T::MaxSamplesPerLane::get() }>,
	) {
		let (id, _) = claimed::<T>(g, k);
		let s = Sessions::<T>::get(id).expect("exists");
		#[block]
		{
			Inference::<T>::do_sample(id, s);
		}
		assert_eq!(Samples::<T>::iter_prefix(id).count() as u32, g * k);
	}

	#[benchmark]
	fn settle(
		g: Linear<1, { T::MaxGroupSize::get() }>,
		k: Linear<1, { T::MaxSamplesPerLane::get() }>,
	) {
		let id = attested::<T>(g, k);
		let s = Sessions::<T>::get(id).expect("exists");
		#[block]
		{
			Inference::<T>::do_settle(id, s).expect("settles");
		}
		assert!(Sessions::<T>::get(id).is_none());
	}

	/// The agenda walk without the steps it takes: `b` blocks scanned (cursor to the current
	/// block), the first holding `s` stale entries (each one `Sessions` read that finds nothing
	/// due; unknown ids here, which the proof size counts at the session's full bound).
	#[benchmark]
	fn agenda(b: Linear<1, AGENDA_SEARCH>, s: Linear<0, { T::MaxAgendaPerBlock::get() }>) {
		let n: u32 = AGENDA_SEARCH + 10;
		let first = n + 1 - b;
		AgendaCursor::<T>::put(BlockNumberFor::<T>::from(first));
		let stale: Vec<SessionId> = (0..s).map(|i| SessionId::MAX - i as SessionId).collect();
		Agenda::<T>::insert(
			BlockNumberFor::<T>::from(first),
			frame_support::BoundedVec::<_, T::MaxAgendaPerBlock>::truncate_from(stale),
		);
		#[block]
		{
			Inference::<T>::on_idle(n.into(), Weight::MAX);
		}
		assert_eq!(AgendaCursor::<T>::get(), Some(BlockNumberFor::<T>::from(n + 1)));
	}

	impl_benchmark_test_suite!(Inference, crate::mock::new_test_ext(), crate::mock::Test);
}
