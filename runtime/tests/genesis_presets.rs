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
		// No sudo: the runtime has no such pallet, referenda decide privileged calls.
		use frame_support::traits::GetCallMetadata;
		let pallets = gonka_runtime::RuntimeCall::get_module_names();
		assert!(!pallets.contains(&"Sudo"), "{pallets:?}");
		assert!(pallets.contains(&"Referenda") && pallets.contains(&"ComputeVoting"));
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
fn total_issuance_is_the_endowments_plus_the_community_pool() {
	common::new_ext("development").execute_with(|| {
		let accounts = Sr25519Keyring::well_known().count() as u128;
		assert_eq!(
			pallet_balances::TotalIssuance::<Runtime>::get(),
			accounts * DEV_ENDOWMENT + pallet_gonka_emission::defaults::COMMUNITY_POOL_ALLOCATION
		);
	});
}

#[test]
fn dev_worker_keys_are_the_published_dev_uris() {
	use sp_core::Pair as _;
	for (uri, public) in genesis_config_presets::DEV_WORKER_KEYS {
		let pair = gonka_primitives::crypto::worker::WorkerPair::from_string(uri, None).unwrap();
		assert_eq!(pair.public().as_ref() as &[u8], &public[..], "{uri}");
	}
}

#[test]
fn development_registers_alice_and_bob_as_genesis_hosts_and_validators() {
	use gonka_primitives::hosts::HostRegistry;
	common::new_ext("development").execute_with(|| {
		for (who, (_, key)) in genesis_config_presets::dev_hosts()
			.into_iter()
			.zip(genesis_config_presets::DEV_WORKER_KEYS)
		{
			assert!(gonka_runtime::Hosts::is_active(&who.0));
			assert_eq!(gonka_runtime::Hosts::worker_key(&who.0), Some(who.1.clone()));
			assert_eq!(who.1.as_ref() as &[u8], &key[..]);
		}
		assert_eq!(
			pallet_gonka_sprint::Params::<Runtime>::get(),
			Some(genesis_config_presets::DEV_POW_PARAMS)
		);
		// The community pool holds its genesis allocation.
		assert_eq!(
			Balances::free_balance(gonka_runtime::configs::CommunityPool::get()),
			pallet_gonka_emission::defaults::COMMUNITY_POOL_ALLOCATION
		);
	});
}
