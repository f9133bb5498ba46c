//! A real signed GNK transfer on the real runtime: fees are charged from the sender, paid to the
//! collator pot, and balances move exactly.

mod common;

use codec::Encode;
use frame_support::dispatch::GetDispatchInfo;
use gonka_runtime::{
	Balances, Executive, RuntimeCall, RuntimeEvent, System, TransactionPayment, GNK,
};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie};

fn transfer(to: sp_keyring::Sr25519Keyring, value: u128) -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: to.to_account_id().into(),
		value,
	})
}

fn collator_pot() -> gonka_runtime::AccountId {
	gonka_runtime::CollatorSelection::account_id()
}

fn fee_paid_by(who: &gonka_runtime::AccountId) -> u128 {
	System::events()
		.into_iter()
		.find_map(|record| match record.event {
			RuntimeEvent::TransactionPayment(
				pallet_transaction_payment::Event::TransactionFeePaid {
					who: payer,
					actual_fee,
					..
				},
			) if &payer == who => Some(actual_fee),
			_ => None,
		})
		.expect("a TransactionFeePaid event")
}

#[test]
fn signed_transfer_moves_gnk_and_charges_the_predicted_fee() {
	common::new_ext("development").execute_with(|| {
		common::start_block(1);
		let alice = Alice.to_account_id();
		let bob = Bob.to_account_id();
		let value = 1_234 * GNK;
		let alice_before = Balances::free_balance(&alice);
		let bob_before = Balances::free_balance(&bob);
		let pot_before = Balances::free_balance(collator_pot());
		let issuance_before = Balances::total_issuance();

		let call = transfer(Bob, value);
		let xt = common::signed(Alice, call, 0);
		let len = xt.encoded_size() as u32;
		// The dispatch info of the whole extrinsic: the call's weight plus its extensions'.
		let predicted = TransactionPayment::compute_fee(len, &xt.get_dispatch_info(), 0);

		let result = Executive::apply_extrinsic(xt).expect("transaction is valid");
		assert!(result.is_ok(), "dispatch failed: {result:?}");

		let fee = fee_paid_by(&alice);
		assert!(fee > 0, "a transfer is not free");
		// Unused weight is refunded after dispatch, so the charge never exceeds the prediction.
		assert!(fee <= predicted, "charged {fee} > predicted {predicted}");
		assert!(fee * 2 > predicted, "charged {fee}, far below the predicted {predicted}");
		// A plain transfer costs a small fraction of a GNK.
		assert!(fee < gonka_runtime::MILLI_GNK * 100, "fee {fee} is unreasonably high");

		assert_eq!(Balances::free_balance(&alice), alice_before - value - fee);
		assert_eq!(Balances::free_balance(&bob), bob_before + value);
		// Fees are not burned: they go to the collator pot.
		assert_eq!(Balances::free_balance(collator_pot()), pot_before + fee);
		assert_eq!(Balances::total_issuance(), issuance_before);
		assert_eq!(System::account_nonce(&alice), 1);
	});
}

#[test]
fn failed_transfer_still_pays_its_fee_and_moves_nothing() {
	common::new_ext("development").execute_with(|| {
		common::start_block(1);
		let alice = Alice.to_account_id();
		let charlie = Charlie.to_account_id();
		let alice_before = Balances::free_balance(&alice);
		let charlie_before = Balances::free_balance(&charlie);

		// More than Alice owns.
		let xt = common::signed(Alice, transfer(Charlie, alice_before * 2), 0);
		let result = Executive::apply_extrinsic(xt).expect("transaction is valid");
		assert!(result.is_err(), "overdraft must fail");

		let fee = fee_paid_by(&alice);
		assert_eq!(Balances::free_balance(&alice), alice_before - fee);
		assert_eq!(Balances::free_balance(&charlie), charlie_before);
	});
}

#[test]
fn replayed_nonce_is_rejected() {
	common::new_ext("development").execute_with(|| {
		common::start_block(1);
		let first = common::signed(Alice, transfer(Bob, GNK), 0);
		Executive::apply_extrinsic(first.clone()).unwrap().unwrap();
		let err = Executive::apply_extrinsic(first).expect_err("replay must be invalid");
		assert_eq!(
			err,
			sp_runtime::transaction_validity::TransactionValidityError::Invalid(
				sp_runtime::transaction_validity::InvalidTransaction::Stale
			)
		);
	});
}

#[test]
fn forged_signature_is_rejected() {
	common::new_ext("development").execute_with(|| {
		common::start_block(1);
		// Bob signs a transaction that claims to be Alice's.
		let forged = common::signed_as(Bob, Alice.to_account_id(), transfer(Bob, GNK), 0);
		let err = Executive::apply_extrinsic(forged).expect_err("forged signature");
		assert_eq!(
			err,
			sp_runtime::transaction_validity::TransactionValidityError::Invalid(
				sp_runtime::transaction_validity::InvalidTransaction::BadProof
			)
		);
	});
}
