//! The inference market on the real runtime, block by block through `Executive`: a developer
//! with funds and no permission opens a session with a real signed extrinsic, signs vouchers
//! off chain, the executors claim them with fee-less worker-signed general transactions, the
//! session closes, samples are drawn after the claim window, validators attest (one leaf of a
//! cheating executor is condemned), and the idle hook settles: executors paid exactly what the
//! vouchers say minus the condemned share, validators their fee, the cheater slashed, the rest
//! back to the developer. Every block keeps the Gonka `try_state` checks and the block weight
//! limits. The test also prints the session's on-chain footprint at its peak.

mod common;

use frame_support::traits::fungible::{Inspect, InspectHold};
use gonka_primitives::{
	compute::ComputeWeights,
	hosts::HostRegistry,
	market::{self, Leaf, Verdict, Voucher},
};
use gonka_runtime::{
	genesis_config_presets::DEV_WORKER_KEYS, AccountId, Balance, Balances, Executive, Hosts,
	Inference, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, UncheckedExtrinsic, GNK,
};
use pallet_gonka_inference::{HoldReason, SessionPhase};
use sp_core::{Pair as _, H256};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Ferdie};

/// The catalogue model of the test: 1 GNK per 1,000 tokens... of a very expensive model, so
/// that amounts are easy to read (1 token = 0.001 GNK = 1,000,000 base units).
const PRICE: Balance = GNK;

/// The hosts of the test and the secret URIs of their worker keys.
fn hosts() -> Vec<(Sr25519Keyring, String)> {
	vec![
		(Alice, DEV_WORKER_KEYS[0].0.to_string()),
		(Bob, DEV_WORKER_KEYS[1].0.to_string()),
		(Charlie, "//Charlie//worker".to_string()),
		(Dave, "//Dave//worker".to_string()),
	]
}

fn uri_of(who: &AccountId) -> String {
	hosts().into_iter().find(|(k, _)| &k.to_account_id() == who).expect("a host").1
}

/// The development preset with a catalogue model served by four hosts with collateral.
fn market_ext() -> sp_io::TestExternalities {
	let mut config = common::preset_config("development");
	config["hosts"]["models"] = serde_json::json!([{
		"id": 0, "name": "HuggingFaceTB/SmolLM2-135M-Instruct",
		"weightsHash": format!("0x{}", "11".repeat(32)),
		"architecture": "llama:dim=576,layers=30", "validationThreshold": 900_000_000,
		"pricePer1kTokens": PRICE, "powWeightScale": "1000000000000000000"
	}]);
	let list: Vec<serde_json::Value> = hosts()
		.into_iter()
		.enumerate()
		.map(|(i, (k, uri))| {
			serde_json::json!({
				"account": k.to_account_id(),
				"workerKey": common::worker(&uri).public(),
				"endpoint": format!("http://127.0.0.1:{}", 8080 + i),
				"models": [0],
				"collateral": 1_000 * GNK,
			})
		})
		.collect();
	config["hosts"]["hosts"] = serde_json::Value::Array(list);
	common::new_ext_from(config)
}

/// Claim and validation windows of 3 blocks, as if a `parameters` referendum had set them (root
/// stands in for the track): the whole session then lives inside epoch 0's first 14 blocks,
/// before the sprint settles epoch 0.
fn short_windows() {
	use gonka_runtime::governance::{dynamic_params::inference as p, RuntimeParameters};
	for param in [
		p::Parameters::ClaimWindow(p::ClaimWindow, Some(3)),
		p::Parameters::ValidationWindow(p::ValidationWindow, Some(3)),
	] {
		pallet_parameters::Pallet::<Runtime>::set_parameter(
			gonka_runtime::RuntimeOrigin::root(),
			RuntimeParameters::Inference(param),
		)
		.expect("root sets parameters");
	}
}

/// Compute weights of epoch 0, written where the sprint pallet keeps settled weights (the sprint
/// itself is exercised by `sprint_epoch.rs` and `churn.rs`; here it only has to have happened).
fn give_weights(weights: &[(Sr25519Keyring, u128)]) {
	let total = weights.iter().map(|(_, w)| w).sum::<u128>();
	pallet_gonka_sprint::ActiveEpoch::<Runtime>::put(0);
	pallet_gonka_sprint::TotalWeight::<Runtime>::insert(0, total);
	for (k, w) in weights {
		pallet_gonka_sprint::Weights::<Runtime>::insert(0, k.to_account_id(), w);
	}
	assert_eq!(pallet_gonka_sprint::Pallet::<Runtime>::active_total_weight(), total);
}

/// A chain driven block by block.
struct Chain {
	ledger: common::Ledger,
}

impl Chain {
	fn number() -> u32 {
		frame_system::Pallet::<Runtime>::block_number()
	}

	/// Build the next block with `txs`; returns each one's dispatch outcome.
	fn block(&mut self, txs: Vec<UncheckedExtrinsic>) -> Vec<sp_runtime::DispatchResult> {
		common::start_block(Self::number() + 1);
		let results = txs
			.into_iter()
			.map(|tx| Executive::apply_extrinsic(tx).expect("valid transaction"))
			.collect();
		common::end_block();
		self.ledger.record_block_events();
		self.ledger.check().expect("ledger");
		common::gonka_try_state().expect("try_state");
		common::check_block_weight().expect("block weight");
		results
	}

	fn run_to(&mut self, n: u32) {
		while Self::number() < n {
			self.block(vec![]);
		}
	}
}

fn events() -> Vec<RuntimeEvent> {
	frame_system::Pallet::<Runtime>::events().into_iter().map(|r| r.event).collect()
}

fn market_events() -> Vec<pallet_gonka_inference::Event<Runtime>> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			RuntimeEvent::Inference(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Bytes of keys and values stored under the inference pallet's prefix.
fn market_bytes() -> usize {
	let prefix = sp_io::hashing::twox_128(b"Inference").to_vec();
	let mut key = prefix.clone();
	let mut bytes = 0;
	while let Some(next) = sp_io::storage::next_key(&key) {
		if !next.starts_with(&prefix) {
			break;
		}
		bytes += next.len() + sp_io::storage::get(&next).map_or(0, |v| v.len());
		key = next;
	}
	bytes
}

/// The executor's leaves for `n` requests of 600 prompt and 400 output tokens, signed.
fn serve(session: u64, slot: u8, executor_uri: &str, n: u64) -> (Vec<Leaf>, H256) {
	let genesis = Inference::genesis_hash();
	let key = common::worker(executor_uri);
	let leaves: Vec<Leaf> = (1..=n)
		.map(|seq| Leaf {
			seq,
			request_id: H256::from_low_u64_be(seq),
			prompt_hash: H256::repeat_byte(seq as u8),
			output_hash: H256::repeat_byte(0xee),
			in_tokens: 600,
			out_tokens: 400,
			model: 0,
		})
		.collect();
	for leaf in &leaves {
		// What the client checks before paying the next voucher.
		let payload = market::leaf_payload(&genesis, session, slot, leaf);
		let sig = key.sign(&payload);
		assert!(gonka_primitives::crypto::worker::WorkerPair::verify(
			&sig,
			&payload,
			&key.public()
		));
	}
	let root = market::leaves_root(&leaves.iter().map(market::leaf_hash).collect::<Vec<_>>());
	(leaves, root)
}

/// The developer's voucher after `n` such requests, and the executor's claim of it.
fn claim(
	developer: Sr25519Keyring,
	session: u64,
	slot: u8,
	executor_uri: &str,
	n: u64,
) -> UncheckedExtrinsic {
	let (_, root) = serve(session, slot, executor_uri, n);
	let voucher = Voucher {
		session,
		slot,
		seq: n,
		amount: market::quote(PRICE, 600 * n, 400 * n),
		in_tokens: 600 * n,
		out_tokens: 400 * n,
		leaves_root: root,
	};
	let genesis = Inference::genesis_hash();
	let payer_signature: gonka_runtime::Signature =
		developer.pair().sign(&market::voucher_payload(&genesis, &voucher)).into();
	let executor_signature =
		common::worker(executor_uri).sign(&market::claim_payload(&genesis, &voucher));
	common::general(RuntimeCall::Inference(pallet_gonka_inference::Call::claim {
		voucher,
		payer_signature,
		executor_signature,
	}))
}

fn attest(
	session: u64,
	slot: u8,
	leaf: u64,
	validator: &AccountId,
	verdict: Verdict,
) -> UncheckedExtrinsic {
	let payload =
		market::attest_payload(&Inference::genesis_hash(), session, slot, leaf, validator, verdict);
	let signature = common::worker(&uri_of(validator)).sign(&payload);
	common::general(RuntimeCall::Inference(pallet_gonka_inference::Call::attest {
		session,
		slot,
		leaf,
		validator: validator.clone(),
		verdict,
		signature,
	}))
}

fn escrow(who: &AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Inference(HoldReason::Escrow), who)
}

#[test]
fn a_session_from_opening_to_settlement_with_one_cheating_lane() {
	market_ext().execute_with(|| {
		give_weights(&[(Alice, 400), (Bob, 300), (Charlie, 200), (Dave, 100)]);
		short_windows();
		let mut chain = Chain { ledger: common::Ledger::at_genesis() };
		let before_open = market_bytes();
		let developer = Ferdie;
		let dev = developer.to_account_id();
		let free_before = Balances::balance(&dev);

		// 1. Anyone with funds opens a session: a real signed extrinsic, no permission needed.
		let deposit = 100 * GNK;
		let open = RuntimeCall::Inference(pallet_gonka_inference::Call::open_session {
			model: 0,
			deposit,
			max_tokens_per_request: 2_048,
			duration: 50,
			delegate: None,
		});
		let r = chain.block(vec![common::signed(developer, open, 0)]);
		assert_eq!(r, vec![Ok(())]);
		let id = 0;
		let session = pallet_gonka_inference::Sessions::<Runtime>::get(id).expect("opened");
		assert_eq!(session.group.len(), 16);
		assert_eq!(escrow(&dev), deposit);
		let opened = market_bytes() - before_open;
		let view = Inference::api_session(id).unwrap();
		for slot in &view.slots {
			assert_eq!(slot.endpoint, <Hosts as HostRegistry<_, _>>::endpoint(&slot.executor));
		}

		// 2. Requests are served off chain; executors of slots 0 and 1 claim fee-lessly (slot 0
		//    twice: the later voucher replaces the earlier one).
		let (e0, e1) = (session.group[0].clone(), session.group[1].clone());
		let (u0, u1) = (uri_of(&e0), uri_of(&e1));
		let r = chain.block(vec![claim(developer, id, 0, &u0, 2), claim(developer, id, 1, &u1, 3)]);
		assert_eq!(r, vec![Ok(()), Ok(())]);
		let r = chain.block(vec![claim(developer, id, 0, &u0, 5)]);
		assert_eq!(r, vec![Ok(())]);
		// A claim signed by the wrong worker key never reaches a block.
		let forged = claim(developer, id, 0, &u1, 6);
		common::start_block(Chain::number() + 1);
		assert!(Executive::apply_extrinsic(forged).is_err());
		common::end_block();
		// 5 requests + 3 requests of 1,000 tokens at 1 GNK per 1,000.
		assert_eq!(Inference::api_session(id).unwrap().claimed, 8 * GNK);

		// 3. The developer closes; the claim window runs; samples are drawn after it.
		let close = RuntimeCall::Inference(pallet_gonka_inference::Call::close { session: id });
		assert_eq!(chain.block(vec![common::signed(developer, close, 1)]), vec![Ok(())]);
		let SessionPhase::Claiming { until } =
			pallet_gonka_inference::Sessions::<Runtime>::get(id).unwrap().phase
		else {
			panic!("closed")
		};
		chain.run_to(until + 1);
		let SessionPhase::Validating { until } =
			pallet_gonka_inference::Sessions::<Runtime>::get(id).unwrap().phase
		else {
			panic!("sampled")
		};
		assert!(Chain::number() < 16, "sampled before the sprint settles epoch 0");
		let peak = market_bytes();
		let samples: Vec<((u8, u64), Vec<AccountId>)> =
			pallet_gonka_inference::Samples::<Runtime>::iter_prefix(id)
				.map(|(k, s)| (k, s.validators.into_inner()))
				.collect();
		// New executors are sampled fully: 5 + 3 leaves.
		assert_eq!(samples.len(), 8);

		// 4. Validators attest: the executor of slot 1 cheated on its first leaf.
		let mut txs = Vec::new();
		for ((slot, leaf), validators) in &samples {
			assert!(!validators.contains(&session.group[*slot as usize]));
			for v in validators {
				let verdict =
					if (*slot, *leaf) == (1, 1) { Verdict::Invalid } else { Verdict::Valid };
				txs.push(attest(id, *slot, *leaf, v, verdict));
			}
		}
		let n = txs.len();
		assert_eq!(chain.block(txs), vec![Ok(()); n]);

		// 5. The idle hook settles after the validation window.
		let free: Vec<(AccountId, Balance)> = hosts()
			.iter()
			.map(|(k, _)| (k.to_account_id(), Balances::balance(&k.to_account_id())))
			.collect();
		let collateral_e1 = <Hosts as HostRegistry<_, _>>::collateral(&e1);
		chain.run_to(until + 1);
		assert!(pallet_gonka_inference::Sessions::<Runtime>::get(id).is_none());
		let settled = market_events()
			.into_iter()
			.find_map(|e| match e {
				pallet_gonka_inference::Event::SessionSettled {
					executors_paid,
					validators_paid,
					refunded,
					invalid_leaves,
					..
				} => Some((executors_paid, validators_paid, refunded, invalid_leaves)),
				_ => None,
			})
			.expect("settled");
		// Slot 1: 3 GNK with one of its 3 sampled leaves condemned refunds a third.
		let refund_slot1 = 1 * GNK;
		let (paid_e, paid_v, refunded, invalid) = settled;
		assert_eq!(invalid, 1);
		assert_eq!(paid_e + paid_v, 8 * GNK - refund_slot1);
		// 5% of the pay, split per attestation (rounded down, the dust stays with executors).
		let fee = (8 * GNK - refund_slot1) / 20;
		assert!(paid_v <= fee && paid_v + 100 > fee, "{paid_v} vs {fee}");
		assert_eq!(refunded, deposit - paid_e - paid_v);
		assert_eq!(escrow(&dev), 0);
		// The developer is out exactly what it paid for served work, plus transaction fees.
		let fees_paid: Balance = free_before - paid_e - paid_v - Balances::balance(&dev);
		assert!(fees_paid < GNK, "only transaction fees are gone: {fees_paid}");
		let gained: Balance = free.iter().map(|(a, before)| Balances::balance(a) - before).sum();
		assert_eq!(gained, paid_e + paid_v);
		assert_eq!(
			<Hosts as HostRegistry<_, _>>::collateral(&e1),
			collateral_e1 - 100 * GNK,
			"the cheater is slashed InvalidSlash"
		);
		let rep = Inference::api_reputation(e1.clone());
		assert!(rep.window.invalid >= 1);
		assert_eq!(rep.sampling_rate, sp_runtime::Perbill::one());
		// Nothing of the session outlives it (only counters, reputation and the stale agenda
		// entry of its expiry, removed when its block comes).
		use pallet_gonka_inference as p;
		assert_eq!(p::Lanes::<Runtime>::iter_prefix(id).count(), 0);
		assert_eq!(p::Samples::<Runtime>::iter_prefix(id).count(), 0);
		assert_eq!(p::Assignments::<Runtime>::iter().count(), 0);
		assert_eq!(p::Misses::<Runtime>::iter().count(), 0);
		let after = market_bytes();
		println!(
			"market footprint: {opened} bytes for an open 16-slot session, {peak} bytes at the peak of a 16-slot session with 2 claimed \
			 lanes and 8 samples of 3 validators; {after} bytes of market state after settlement \
			 (reputation of 4 hosts, counters)"
		);
		assert!(peak < 8 * 1024, "{peak} bytes");
	})
}

/// The declared weights of the market's calls and of its heaviest idle step, against the block
/// limits: the worst settlement (16 lanes of 8 samples, 5 validators each) fits in a quarter of
/// a block's ref time and proof size, so the idle hook always has room for it in a block that is
/// not already three-quarters full.
#[test]
fn the_market_calls_and_the_worst_settlement_fit_a_block() {
	use frame_support::{dispatch::GetDispatchInfo, weights::Weight};
	use pallet_gonka_inference::WeightInfo as _;
	type W = pallet_gonka_inference::weights::SubstrateWeight<Runtime>;
	let max = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	let claim = W::claim().saturating_add(W::authorize_claim());
	let attest = W::attest().saturating_add(W::authorize_attest());
	let settle = W::settle(16, 8);
	let sample = W::sample(16, 8);
	let finalize = RuntimeCall::Inference(pallet_gonka_inference::Call::finalize { session: 0 })
		.get_dispatch_info()
		.call_weight;
	let show = |w: Weight| {
		format!("{:.3} ms, {} KiB proof", w.ref_time() as f64 / 1e9, w.proof_size() / 1024)
	};
	println!(
		"declared weights: claim {} | attest {} | open_session {} | settle(16, 8) {} | \
		 sample(16, 8) {} | finalize (worst of both) {} | block max {}",
		show(claim),
		show(attest),
		show(W::open_session()),
		show(settle),
		show(sample),
		show(finalize),
		show(max)
	);
	assert_eq!(finalize, settle.max(sample));
	let quarter = max / 4;
	assert!(finalize.all_lte(quarter), "{finalize:?} above a quarter of {max:?}");
	assert!(W::open_session().all_lte(max / 20));
}
