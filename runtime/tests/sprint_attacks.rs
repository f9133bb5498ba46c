//! Attacks on the sprint against the real runtime (native), with the `development` preset and the
//! runtime's own parameters (`docs/sprint-security.md`): an unbounded claim, a replayed
//! commitment, a signature from another chain, and parameters that would zero every epoch.

mod common;

use frame_support::traits::Get;
use gonka_runtime::{
	genesis_config_presets::DEV_EPOCH_CLOCK, governance::dynamic_params, AccountId, Executive,
	Runtime, RuntimeOrigin, Sprint,
};
use sp_keyring::Sr25519Keyring::{Alice, Bob};
use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};

fn apply(call: gonka_runtime::RuntimeCall) -> Result<(), TransactionValidityError> {
	Executive::apply_extrinsic(common::general(call)).map(|r| {
		r.expect("an authorised call dispatches");
	})
}

/// The custom validity code of a sprint pallet error.
fn code(e: pallet_gonka_sprint::Error<Runtime>) -> TransactionValidityError {
	let sp_runtime::DispatchError::Module(m) = sp_runtime::DispatchError::from(e) else {
		unreachable!()
	};
	InvalidTransaction::Custom(m.error[0]).into()
}

fn sprint_block() -> u32 {
	let mut n = 1;
	common::start_block(n);
	while n < DEV_EPOCH_CLOCK.sprint_start + 1 {
		n += 1;
		common::start_block(n);
	}
	n
}

#[test]
fn an_unbounded_claim_is_refused_on_the_real_runtime() {
	common::new_ext("development").execute_with(|| {
		sprint_block();
		let alice: AccountId = Alice.to_account_id();
		let limit = Sprint::count_limit(&alice);
		// A genesis host with no collateral and no weight yet: the newcomer allowance.
		assert_eq!(limit, dynamic_params::sprint::NewHostNonces::get());
		assert_eq!(
			apply(common::commit("//Alice//worker", &alice, 0, u32::MAX)),
			Err(code(pallet_gonka_sprint::Error::CountAboveLimit))
		);
		assert_eq!(
			apply(common::commit("//Alice//worker", &alice, 0, limit + 1)),
			Err(code(pallet_gonka_sprint::Error::CountAboveLimit))
		);
		assert_eq!(apply(common::commit("//Alice//worker", &alice, 0, limit)), Ok(()));
	});
}

#[test]
fn commitments_cannot_be_replayed_or_moved_between_chains_on_the_real_runtime() {
	common::new_ext("development").execute_with(|| {
		sprint_block();
		let bob: AccountId = Bob.to_account_id();
		let genesis = Sprint::genesis_hash();
		let first = common::commit_with("//Bob//worker", &bob, 0, 100, 0, genesis);
		assert_eq!(apply(first.clone()), Ok(()));
		assert_eq!(apply(common::commit("//Bob//worker", &bob, 0, 150)), Ok(()));
		// The first signed commitment again: refused, the record keeps the later one.
		assert_eq!(apply(first), Err(code(pallet_gonka_sprint::Error::StaleSubmission)));
		let record = pallet_gonka_sprint::Commitments::<Runtime>::get(0, &bob).unwrap();
		assert_eq!((record.count, record.submissions), (150, 2));
		// A commitment signed for another chain does not verify here.
		let alice: AccountId = Alice.to_account_id();
		let foreign = common::commit_with("//Alice//worker", &alice, 0, 100, 0, [0x11; 32]);
		assert_eq!(apply(foreign), Err(InvalidTransaction::BadProof.into()));
		// Fee-less commitments enter the pool at one priority, whatever their count.
		let priority = |count| {
			use frame_support::traits::Authorize;
			let call = common::commit("//Alice//worker", &alice, 0, count);
			let gonka_runtime::RuntimeCall::Sprint(call) = call else { unreachable!() };
			call.authorize(sp_runtime::transaction_validity::TransactionSource::External)
				.unwrap()
				.unwrap()
				.0
				.priority
		};
		assert_eq!(priority(10), priority(9_000));
	});
}

#[test]
fn a_zero_max_share_cannot_zero_the_epoch_on_the_real_runtime() {
	common::new_ext("development").execute_with(|| {
		// As if a `parameters` referendum had set MaxShare to 0 (root stands in for the track).
		let zero = gonka_runtime::governance::RuntimeParameters::Sprint(
			dynamic_params::sprint::Parameters::MaxShare(
				dynamic_params::sprint::MaxShare,
				Some(sp_runtime::Perbill::zero()),
			),
		);
		common::start_block(1);
		pallet_parameters::Pallet::<Runtime>::set_parameter(RuntimeOrigin::root(), zero)
			.expect("root sets parameters");
		assert_eq!(
			<<Runtime as pallet_gonka_sprint::Config>::MaxShare as Get<_>>::get(),
			sp_runtime::Perbill::zero()
		);
		assert_eq!(Sprint::max_share(), pallet_gonka_sprint::MIN_MAX_SHARE);
		// Two hosts of 300 each keep 300 / 99 = 3 each rather than 0.
		assert_eq!(Sprint::share_cap(300, 600), 3);
	});
}
