//! The genesis presets build into a working state: balances, collators, para id.

mod common;

use gonka_runtime::{
	genesis_config_presets::{self, DEV_ENDOWMENT, PARACHAIN_ID},
	Balances, ParachainInfo, Runtime, Session,
};
use sp_keyring::Sr25519Keyring;

#[test]
fn every_listed_preset_builds() {
	let names = genesis_config_presets::preset_names();
	assert_eq!(names.len(), 2);
	for name in names {
		common::new_ext(&name).execute_with(|| {
			assert_eq!(u32::from(ParachainInfo::parachain_id()), PARACHAIN_ID);
			assert!(
				!pallet_aura::Authorities::<Runtime>::get().is_empty(),
				"{name}: no Aura authority"
			);
		});
	}
}

#[test]
fn unknown_preset_is_none() {
	assert!(genesis_config_presets::get_preset(&"production".into()).is_none());
}

#[test]
fn development_funds_dev_accounts_and_sets_alice_as_collator() {
	common::new_ext("development").execute_with(|| {
		for account in Sr25519Keyring::well_known() {
			assert_eq!(Balances::free_balance(account.to_account_id()), DEV_ENDOWMENT);
		}
		assert_eq!(
			pallet_collator_selection::Invulnerables::<Runtime>::get().into_inner(),
			vec![Sr25519Keyring::Alice.to_account_id()]
		);
		assert_eq!(Session::validators(), vec![Sr25519Keyring::Alice.to_account_id()]);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
	});
}

#[test]
fn local_testnet_has_two_collators() {
	common::new_ext("local_testnet").execute_with(|| {
		let mut invulnerables =
			pallet_collator_selection::Invulnerables::<Runtime>::get().into_inner();
		invulnerables.sort();
		let mut expected =
			vec![Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Bob.to_account_id()];
		expected.sort();
		assert_eq!(invulnerables, expected);
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 2);
	});
}

#[test]
fn total_issuance_is_the_sum_of_endowments() {
	common::new_ext("development").execute_with(|| {
		let accounts = Sr25519Keyring::well_known().count() as u128;
		assert_eq!(pallet_balances::TotalIssuance::<Runtime>::get(), accounts * DEV_ENDOWMENT);
	});
}
