//! A whole sprint epoch on the real runtime with the `development` preset's clock and PoW
//! parameters: the seed is fixed at the sprint start, worker keys commit and judge through
//! fee-less general transactions (one host has no balance at all), weights activate at the epoch
//! switch, and emission pays the epoch's reward by weight.

mod common;

use gonka_primitives::{
	compute::ComputeWeights, crypto::worker::WorkerId, pow::ValidationVerdict,
	sprint::verdicts_payload,
};
use gonka_runtime::{
	genesis_config_presets::{DEV_EPOCH_CLOCK, DEV_POW_PARAMS},
	AccountId, Balances, Emission, Executive, Runtime, RuntimeCall, RuntimeEvent, Sprint,
};
use pallet_gonka_sprint::Phase;
use sp_core::Pair as _;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob};

/// A host account with no balance at all.
fn zero_host() -> AccountId {
	sp_core::sr25519::Pair::from_string("//ZeroBalanceHost", None).unwrap().public().into()
}

/// The development preset plus a third genesis host that owns nothing.
fn dev_with_zero_balance_host() -> sp_io::TestExternalities {
	let mut config = common::preset_config("development");
	let key: WorkerId = common::worker("//ZeroBalanceHost//worker").public();
	let host = serde_json::json!({
		"account": zero_host(),
		"workerKey": key,
		"endpoint": "http://127.0.0.1:8099",
		"models": [],
	});
	config["hosts"]["hosts"].as_array_mut().unwrap().push(host);
	common::new_ext_from(config)
}

/// Verdicts "all samples matched" for every target assigned to `validator`.
fn judge_all(uri: &str, validator: &AccountId, epoch: u32) -> RuntimeCall {
	let sample_size: u32 = <Runtime as pallet_gonka_sprint::Config>::SampleSize::get();
	let verdicts: Vec<(AccountId, ValidationVerdict)> = Sprint::assignments(epoch, validator)
		.into_iter()
		.map(|a| {
			let samples = a.indices.len() as u32;
			assert_eq!(samples, a.count.min(sample_size));
			(
				a.target,
				ValidationVerdict {
					samples_checked: samples,
					mismatches: 0,
					proofs_not_served: false,
				},
			)
		})
		.collect();
	assert!(!verdicts.is_empty(), "every genesis validator judges someone");
	let payload = verdicts_payload(&Sprint::genesis_hash(), epoch, validator, &verdicts);
	let signature = common::worker(uri).sign(&payload);
	pallet_gonka_sprint::Call::submit_verdicts {
		epoch,
		validator: validator.clone(),
		verdicts: verdicts.try_into().unwrap(),
		signature,
	}
	.into()
}

/// Initialise every block after the current one up to `n` (their `on_initialize` hooks run).
fn run_to(n: u32) {
	let current = frame_system::Pallet::<Runtime>::block_number();
	for b in current + 1..=n {
		common::start_block(b);
	}
}

fn events() -> Vec<RuntimeEvent> {
	frame_system::Pallet::<Runtime>::events().into_iter().map(|r| r.event).collect()
}

fn account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

#[test]
fn dev_epoch_runs_on_the_real_runtime() {
	dev_with_zero_balance_host().execute_with(|| {
		let (alice, bob, zero) = (account(Alice), account(Bob), zero_host());
		assert_eq!(Balances::free_balance(&zero), 0);
		assert_eq!(pallet_gonka_sprint::Clock::<Runtime>::get(), DEV_EPOCH_CLOCK);

		// Before the sprint, commitments are refused (and cost nothing: the transaction is invalid).
		common::start_block(1);
		assert_eq!(Sprint::epoch_status().phase, Phase::Waiting);
		assert!(Executive::apply_extrinsic(common::general(common::commit(
			"//Alice//worker",
			&alice,
			0,
			9
		)))
		.is_err());

		// The sprint's first block fixes the seed.
		run_to(DEV_EPOCH_CLOCK.sprint_start);
		let status = Sprint::epoch_status();
		assert_eq!((status.epoch, status.phase), (0, Phase::Sprint));
		let seed = status.seed.expect("seed fixed at the sprint start");
		assert_eq!(status.params, Some(DEV_POW_PARAMS));
		assert!(events().contains(&RuntimeEvent::Sprint(
			pallet_gonka_sprint::Event::SprintStarted { epoch: 0, seed }
		)));

		// Three hosts commit through fee-less general transactions signed by their worker keys.
		run_to(DEV_EPOCH_CLOCK.sprint_start + 1);
		for (uri, host, count) in [
			("//Alice//worker", &alice, 120),
			("//Bob//worker", &bob, 100),
			("//ZeroBalanceHost//worker", &zero, 40),
		] {
			Executive::apply_extrinsic(common::general(common::commit(uri, host, 0, count)))
				.expect("valid transaction")
				.expect("dispatch succeeds");
		}
		// A commitment signed by the wrong worker key is refused.
		assert!(Executive::apply_extrinsic(common::general(common::commit(
			"//Bob//worker",
			&alice,
			0,
			999
		)))
		.is_err());
		assert_eq!(Balances::free_balance(&zero), 0, "committing is free");
		assert_eq!(pallet_gonka_sprint::ParticipantCount::<Runtime>::get(0), 3);

		// Validation: the genesis validators (Alice, Bob) judge their assigned targets.
		let validation_start = DEV_EPOCH_CLOCK.commit_end();
		run_to(validation_start);
		assert_eq!(Sprint::epoch_status().phase, Phase::Validation);
		for (uri, validator) in [("//Alice//worker", &alice), ("//Bob//worker", &bob)] {
			Executive::apply_extrinsic(common::general(judge_all(uri, validator, 0)))
				.expect("valid transaction")
				.expect("dispatch succeeds");
		}

		// Settlement runs in on_initialize; the weights activate at the first block of epoch 1.
		run_to(DEV_EPOCH_CLOCK.epoch_length - 1);
		assert_eq!(<Sprint as ComputeWeights<AccountId>>::active_epoch(), None);
		run_to(DEV_EPOCH_CLOCK.epoch_length);
		assert_eq!(<Sprint as ComputeWeights<AccountId>>::active_epoch(), Some(0));
		let total = <Sprint as ComputeWeights<AccountId>>::total_weight(0);
		let weight = |who: &AccountId| <Sprint as ComputeWeights<AccountId>>::weight_of(0, who);
		// The 25% cap is measured against the other hosts' 140 and 160: 140 * 25 / 75 = 46 and
		// 160 * 25 / 75 = 53; the zero-balance host's 40 is below its cap of 73.
		assert_eq!(Sprint::share_cap(120, 260), 46);
		assert_eq!(weight(&alice), 46);
		assert_eq!(weight(&bob), 53);
		assert_eq!(weight(&zero), 40);
		assert_eq!(total, weight(&alice) + weight(&bob) + weight(&zero));
		assert!(events().contains(&RuntimeEvent::Sprint(
			pallet_gonka_sprint::Event::WeightsActivated { epoch: 0, total }
		)));

		// Emission: epoch 0's scheduled reward is committed and split by weight.
		let reward = Emission::schedule().reward(0);
		assert_eq!(reward, pallet_gonka_emission::defaults::INITIAL_REWARD);
		let share = |who: &AccountId| reward * weight(who) / total;
		assert_eq!(Emission::api_claimable(zero.clone(), 0), share(&zero));
		// Anyone may claim for the zero-balance host; the GNK lands in its account.
		let bob_nonce = frame_system::Pallet::<Runtime>::account_nonce(&bob);
		let claim_for = pallet_gonka_emission::Call::claim_for { host: zero.clone(), epoch: 0 };
		Executive::apply_extrinsic(common::signed(Bob, claim_for.into(), bob_nonce))
			.expect("valid transaction")
			.expect("dispatch succeeds");
		assert_eq!(Balances::free_balance(&zero), share(&zero));
		assert_eq!(Emission::api_claimable(zero.clone(), 0), 0, "claimed once");
		// Alice claims her own, paying the fee from her balance.
		let before = Balances::free_balance(&alice);
		let alice_nonce = frame_system::Pallet::<Runtime>::account_nonce(&alice);
		let claim = pallet_gonka_emission::Call::claim { epoch: 0 };
		Executive::apply_extrinsic(common::signed(Alice, claim.into(), alice_nonce))
			.expect("valid transaction")
			.expect("dispatch succeeds");
		let gained = Balances::free_balance(&alice) - before;
		assert!(gained < share(&alice) && gained > share(&alice) - gonka_runtime::GNK);
		assert_eq!(Emission::api_totals().minted, share(&zero) + share(&alice));

		// The next epoch's sprint is run by the hosts that proved weight in epoch 0.
		run_to(DEV_EPOCH_CLOCK.epoch_length + DEV_EPOCH_CLOCK.sprint_start);
		let next = Sprint::epoch_status();
		assert_eq!((next.epoch, next.phase), (1, Phase::Sprint));
		assert_ne!(next.seed, Some(seed), "every epoch gets its own seed");
	});
}
