//! The runtime fuzzer: random sequences of calls from every pallet, from random origins with
//! random arguments, through the real runtime's dispatch (`Executive`: transaction extensions,
//! fees, nonces, `#[pallet::authorize]`), block after block with every hook running.
//!
//! A case is one fresh `development` chain driven by a random list of [`Action`]s: calls decoded
//! from random bytes behind every pallet's index (so every call of every pallet, with arbitrary
//! arguments), plus structured actions that reach the deep states random bytes never would
//! (registrations with real proofs of possession, worker-signed commitments and verdicts, collateral,
//! referenda and compute votes, claims, governance-origin calls with random parameters).
//!
//! After every action: no panic; a signed or governance call's post-dispatch weight is at most its
//! declared weight. After every block: the Gonka pallets' `try_state`, the money invariants of
//! [`common::Ledger`] and the block's consumed weight within `max_block`.
//!
//! Length: `GONKA_FUZZ_CASES` cases (default 16, what the test suite runs); the documented long
//! run and its figures are in `docs/operations.md` ("Long runs"). Every executed call is counted and the total
//! printed (`--nocapture`).

mod common;

use std::sync::atomic::{AtomicU64, Ordering};

use codec::{DecodeLimit, Encode};
use frame_support::{
	dispatch::GetDispatchInfo,
	storage::{with_transaction, TransactionOutcome},
	traits::{schedule::DispatchTime, Bounded},
};
use gonka_primitives::{
	crypto::{worker::WorkerPair, worker_pop_payload},
	pow::{PowParams, SprintCommitment, ValidationVerdict},
	sprint::{commitment_payload, verdicts_payload},
};
use gonka_runtime::{
	genesis_config_presets::DEV_POW_PARAMS, governance::origins::Origin, AccountId, Executive,
	OriginCaller, Runtime, RuntimeCall, RuntimeOrigin, Sprint, GNK,
};
use pallet_gonka_compute_voting::ComputeVote;
use proptest::prelude::*;
use sp_core::Pair as _;
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::traits::Dispatchable;

/// The accounts of the fuzzer: six funded by the preset (Alice and Bob are genesis hosts), two
/// with nothing.
const ACCOUNTS: [Sr25519Keyring; 8] = [Alice, Bob, Charlie, Dave, Eve, Ferdie, One, Two];

/// Every pallet index of the runtime (`construct_runtime` order).
const PALLETS: [u8; 27] = [
	0, 1, 2, 3, 4, 5, 10, 11, 20, 21, 22, 23, 24, 30, 31, 32, 33, 40, 41, 42, 50, 51, 52, 53, 54,
	55, 56,
];

/// Pallets whose calls a governance track may dispatch in the fuzzer. Left out: calls that may
/// legitimately break any invariant with `Root` (`System::set_storage`/`kill_storage`,
/// `Balances::force_set_balance`, parachain inherents, XCM configuration).
const GOVERNED: [u8; 8] = [5, 40, 41, 42, 52, 53, 55, 56];

/// Calls executed over all cases of this process (printed at the end).
static EXECUTED: AtomicU64 = AtomicU64::new(0);
/// Of those, the calls that dispatched successfully.
static SUCCEEDED: AtomicU64 = AtomicU64::new(0);
/// Blocks run, and epochs activated with positive weight (how deep the cases went).
static BLOCKS: AtomicU64 = AtomicU64::new(0);
static WEIGHTED_EPOCHS: AtomicU64 = AtomicU64::new(0);

fn count(result: bool) {
	EXECUTED.fetch_add(1, Ordering::Relaxed);
	SUCCEEDED.fetch_add(result as u64, Ordering::Relaxed);
}

/// One step of a fuzz case. Indices are reduced modulo the sizes of [`ACCOUNTS`] and friends.
#[derive(Clone, Debug)]
enum Action {
	/// End the current block and start `1 + n % 6` more.
	Blocks(u8),
	/// A call decoded from `[pallet, call % 16, bytes..]`, sent signed by an account or, when
	/// `general`, as a fee-less general transaction.
	Raw { signer: u8, general: bool, pallet: u8, call: u8, bytes: Vec<u8> },
	/// A call decoded from `[pallet, call % 16, bytes..]` dispatched with a governance track's
	/// origin, as an approved referendum would (`track` picks root or a custom origin).
	Governance { track: u8, pallet: u8, call: u8, bytes: Vec<u8> },
	/// `transfer_keep_alive` / `transfer_allow_death` of `amount` (scaled by `scale`).
	Transfer { from: u8, to: u8, amount: u64, scale: u8, keep_alive: bool },
	/// Register with a real proof of possession of worker key generation `key`.
	Register { who: u8, key: u8 },
	/// Deposit (0), withdraw (1) or release (2) collateral; deregister (3).
	Collateral { who: u8, op: u8, amount: u64 },
	/// Rotate to worker key generation `key`.
	RotateKey { who: u8, key: u8 },
	/// A worker-signed commitment of the current (or previous) epoch.
	Commit { host: u8, key: u8, count: u32, submission: u8, previous_epoch: bool },
	/// Worker-signed verdicts on the assignments of the `validator`-th account that has any;
	/// `seed` picks each verdict (mostly "all matched").
	Verdicts { validator: u8, key: u8, seed: u64 },
	/// Submit a referendum on a track, with a decision deposit when `deposit`.
	Propose { who: u8, track: u8, layers: u32, deposit: bool },
	/// Vote (0 aye, 1 nay, 2 abstain) or remove the vote (3) on poll `poll % 4`.
	Vote { who: u8, poll: u8, choice: u8 },
	/// Claim (or `claim_for` another host) the reward of the active epoch minus `back`.
	Claim { who: u8, host: Option<u8>, back: u8 },
}

fn account(i: u8) -> (Sr25519Keyring, AccountId) {
	let k = ACCOUNTS[i as usize % ACCOUNTS.len()];
	(k, k.to_account_id())
}

/// The worker key of generation `key % 3` of an account: `//Name//worker`, `//Name//worker1`,
/// `//Name//worker2` (the preset registers generation 0 of Alice and Bob).
fn worker_key(k: Sr25519Keyring, key: u8) -> WorkerPair {
	let uri = match key % 3 {
		0 => format!("{}//worker", k.to_seed()),
		g => format!("{}//worker{g}", k.to_seed()),
	};
	common::worker(&uri)
}

/// Decodes `[pallet, call % 16, bytes..]` as a call (most pallets have fewer than 16 calls);
/// `None` when the bytes are not a call's arguments.
fn decode_call(pallet: u8, call: u8, bytes: &[u8]) -> Option<RuntimeCall> {
	let mut input = vec![pallet, call % 16];
	input.extend_from_slice(bytes);
	RuntimeCall::decode_with_depth_limit(frame_support::MAX_EXTRINSIC_DEPTH, &mut &input[..]).ok()
}

/// Dispatches `call` with `origin` inside a rolled-back storage transaction and checks that the
/// post-dispatch weight does not exceed the declared one.
fn check_declared_weight(call: &RuntimeCall, origin: RuntimeOrigin) {
	let declared = call.get_dispatch_info().call_weight;
	let post = with_transaction(|| {
		let post = match call.clone().dispatch(origin) {
			Ok(post) => post,
			Err(e) => e.post_info,
		};
		TransactionOutcome::Rollback(Ok::<_, sp_runtime::DispatchError>(post))
	})
	.expect("rolled back");
	if let Some(actual) = post.actual_weight {
		assert!(
			actual.all_lte(declared),
			"{call:?}: post-dispatch weight {actual:?} above the declared {declared:?}"
		);
	}
}

/// Sends `call` signed by `who` through `Executive` (invalid transactions are fine: they are
/// refused before dispatch).
fn signed(who: Sr25519Keyring, call: RuntimeCall) {
	check_declared_weight(&call, RuntimeOrigin::signed(who.to_account_id()));
	let nonce = frame_system::Pallet::<Runtime>::account_nonce(who.to_account_id());
	count(matches!(Executive::apply_extrinsic(common::signed(who, call, nonce)), Ok(Ok(()))));
}

/// Sends `call` as a fee-less general transaction (authorised by `#[pallet::authorize]` or
/// refused).
fn general(call: RuntimeCall) {
	count(matches!(Executive::apply_extrinsic(common::general(call)), Ok(Ok(()))));
}

/// Dispatches `call` with a governance origin.
fn governed(call: RuntimeCall, origin: RuntimeOrigin) {
	check_declared_weight(&call, origin.clone());
	count(call.dispatch(origin).is_ok());
}

fn track_origin(track: u8) -> OriginCaller {
	match track % 4 {
		0 => OriginCaller::system(frame_system::RawOrigin::Root),
		1 => OriginCaller::Origins(Origin::ParametersAdmin),
		2 => OriginCaller::Origins(Origin::CatalogueAdmin),
		_ => OriginCaller::Origins(Origin::CommunityPoolSpender),
	}
}

fn epoch() -> u32 {
	Sprint::epoch_status().epoch
}

/// The state a case carries between actions.
struct Case {
	ledger: common::Ledger,
}

impl Case {
	fn new() -> Self {
		common::start_block(1);
		Self { ledger: common::Ledger::at_genesis() }
	}

	/// Ends the block, checks the block invariants and starts the next one.
	fn next_block(&mut self) {
		common::end_block();
		let number = frame_system::Pallet::<Runtime>::block_number();
		BLOCKS.fetch_add(1, Ordering::Relaxed);
		let weighted = frame_system::Pallet::<Runtime>::events().iter().any(|r| {
			matches!(
				r.event,
				gonka_runtime::RuntimeEvent::Sprint(
					pallet_gonka_sprint::Event::WeightsActivated { total, .. }
				) if total > 0
			)
		});
		WEIGHTED_EPOCHS.fetch_add(weighted as u64, Ordering::Relaxed);
		self.ledger.record_block_events();
		self.check(number);
		common::start_block(number + 1);
		common::check_block_weight().unwrap_or_else(|e| panic!("block {}: hooks: {e}", number + 1));
	}

	fn check(&self, number: u32) {
		common::gonka_try_state().unwrap_or_else(|e| panic!("block {number}: {e:?}"));
		self.ledger.check().unwrap_or_else(|e| panic!("block {number}: {e}"));
		common::check_block_weight().unwrap_or_else(|e| panic!("block {number}: {e}"));
	}

	fn run(&mut self, action: Action) {
		match action {
			Action::Blocks(n) => {
				for _ in 0..1 + n % 6 {
					self.next_block()
				}
			},
			Action::Raw { signer, general: is_general, pallet, call, bytes } => {
				let pallet = PALLETS[pallet as usize % PALLETS.len()];
				let Some(call) = decode_call(pallet, call, &bytes) else {
					return;
				};
				if is_general {
					general(call)
				} else {
					signed(account(signer).0, call)
				}
			},
			Action::Governance { track, pallet, call, bytes } => {
				let pallet = GOVERNED[pallet as usize % GOVERNED.len()];
				let Some(call) = decode_call(pallet, call, &bytes) else {
					return;
				};
				governed(call, track_origin(track).into())
			},
			Action::Transfer { from, to, amount, scale, keep_alive } => {
				let amount = amount as u128 * 10u128.pow((scale % 16) as u32);
				let dest = account(to).1.into();
				let call = if keep_alive {
					pallet_balances::Call::transfer_keep_alive { dest, value: amount }
				} else {
					pallet_balances::Call::transfer_allow_death { dest, value: amount }
				};
				signed(account(from).0, call.into())
			},
			Action::Register { who, key } => {
				let (k, id) = account(who);
				let worker = worker_key(k, key);
				let call = pallet_gonka_hosts::Call::register {
					endpoint: b"http://127.0.0.1:9000".to_vec().try_into().unwrap(),
					worker_key: worker.public(),
					key_proof: worker.sign(&worker_pop_payload(&id)),
					models: Default::default(),
					hardware: Default::default(),
				};
				signed(k, call.into())
			},
			Action::Collateral { who, op, amount } => {
				let amount = amount as u128 * (GNK / 1000);
				let call = match op % 4 {
					0 => pallet_gonka_hosts::Call::deposit_collateral { amount },
					1 => pallet_gonka_hosts::Call::withdraw_collateral { amount },
					2 => pallet_gonka_hosts::Call::withdraw_unbonded {},
					_ => pallet_gonka_hosts::Call::deregister {},
				};
				signed(account(who).0, call.into())
			},
			Action::RotateKey { who, key } => {
				let (k, id) = account(who);
				let worker = worker_key(k, key);
				let call = pallet_gonka_hosts::Call::rotate_worker_key {
					new_key: worker.public(),
					key_proof: worker.sign(&worker_pop_payload(&id)),
				};
				signed(k, call.into())
			},
			Action::Commit { host, key, count, submission, previous_epoch } => {
				let (k, id) = account(host);
				let epoch = epoch().saturating_sub(previous_epoch as u32);
				let next = pallet_gonka_sprint::Commitments::<Runtime>::get(epoch, &id)
					.map_or(0, |r| r.submissions);
				// Mostly the next index; sometimes a replayed or skipped one.
				let submission = match submission % 8 {
					0 => next.saturating_sub(1),
					1 => next + 1,
					_ => next,
				};
				let commitment = SprintCommitment {
					epoch,
					count,
					merkle_root: sp_core::H256::from_low_u64_be(count as u64),
				};
				let payload =
					commitment_payload(&Sprint::genesis_hash(), &commitment, submission, &id);
				let signature = worker_key(k, key).sign(&payload);
				general(
					pallet_gonka_sprint::Call::submit_commitment {
						commitment,
						submission,
						host: id,
						signature,
					}
					.into(),
				)
			},
			Action::Verdicts { validator, key, seed } => {
				// Among the accounts with assignments in the current epoch, when there are any.
				let epoch = epoch();
				let judges: Vec<u8> = (0..ACCOUNTS.len() as u8)
					.filter(|&i| !Sprint::assignments(epoch, &account(i).1).is_empty())
					.collect();
				let validator = if judges.is_empty() {
					validator
				} else {
					judges[validator as usize % judges.len()]
				};
				let (k, id) = account(validator);
				let mut bits = seed;
				let verdicts: Vec<(AccountId, ValidationVerdict)> = Sprint::assignments(epoch, &id)
					.into_iter()
					.map(|a| {
						bits = bits.rotate_left(7) ^ 0x9e37_79b9_7f4a_7c15;
						let samples = a.indices.len() as u32;
						let mismatches = match bits % 8 {
							0 => (bits >> 8) as u32 % (samples + 1),
							_ => 0,
						};
						let verdict = ValidationVerdict {
							samples_checked: samples,
							mismatches,
							proofs_not_served: bits % 16 == 15,
						};
						(a.target, verdict)
					})
					.collect();
				if verdicts.is_empty() {
					return;
				}
				let payload = verdicts_payload(&Sprint::genesis_hash(), epoch, &id, &verdicts);
				let signature = worker_key(k, key).sign(&payload);
				let Ok(verdicts) = verdicts.try_into() else { return };
				general(
					pallet_gonka_sprint::Call::submit_verdicts {
						epoch,
						validator: id,
						verdicts,
						signature,
					}
					.into(),
				)
			},
			Action::Propose { who, track, layers, deposit } => {
				let (k, _) = account(who);
				let proposal = match track % 2 {
					0 => RuntimeCall::Sprint(pallet_gonka_sprint::Call::set_pow_params {
						params: PowParams { layers: layers % 64, ..DEV_POW_PARAMS },
					}),
					_ => RuntimeCall::System(frame_system::Call::remark_with_event {
						remark: layers.encode(),
					}),
				};
				let call = RuntimeCall::Referenda(pallet_referenda::Call::submit {
					proposal_origin: Box::new(track_origin(track)),
					proposal: Bounded::Inline(proposal.encode().try_into().unwrap()),
					enactment_moment: DispatchTime::After(0),
				});
				let index = pallet_referenda::ReferendumCount::<Runtime>::get();
				signed(k, call);
				if deposit {
					signed(k, pallet_referenda::Call::place_decision_deposit { index }.into())
				}
			},
			Action::Vote { who, poll, choice } => {
				let poll = (poll % 4) as u32;
				let call = match choice % 4 {
					0 => pallet_gonka_compute_voting::Call::vote { poll, vote: ComputeVote::Aye },
					1 => pallet_gonka_compute_voting::Call::vote { poll, vote: ComputeVote::Nay },
					2 => {
						pallet_gonka_compute_voting::Call::vote { poll, vote: ComputeVote::Abstain }
					},
					_ => pallet_gonka_compute_voting::Call::remove_vote { poll },
				};
				signed(account(who).0, call.into())
			},
			Action::Claim { who, host, back } => {
				let Some(active) = pallet_gonka_sprint::ActiveEpoch::<Runtime>::get() else {
					return;
				};
				let epoch = active.saturating_sub((back % 4) as u32);
				let call = match host {
					Some(h) => pallet_gonka_emission::Call::claim_for { host: account(h).1, epoch },
					None => pallet_gonka_emission::Call::claim { epoch },
				};
				signed(account(who).0, call.into())
			},
		}
	}
}

fn action() -> impl Strategy<Value = Action> {
	let bytes = || prop::collection::vec(any::<u8>(), 0..96);
	prop_oneof![
		6 => any::<u8>().prop_map(Action::Blocks),
		6 => (any::<u8>(), any::<bool>(), any::<u8>(), any::<u8>(), bytes()).prop_map(
			|(signer, general, pallet, call, bytes)| Action::Raw { signer, general, pallet, call, bytes }
		),
		2 => (any::<u8>(), any::<u8>(), any::<u8>(), bytes())
			.prop_map(|(track, pallet, call, bytes)| Action::Governance { track, pallet, call, bytes }),
		2 => (any::<u8>(), any::<u8>(), any::<u64>(), any::<u8>(), any::<bool>()).prop_map(
			|(from, to, amount, scale, keep_alive)| Action::Transfer { from, to, amount, scale, keep_alive }
		),
		2 => (any::<u8>(), any::<u8>()).prop_map(|(who, key)| Action::Register { who, key }),
		2 => (any::<u8>(), any::<u8>(), 0u64..2_000_000)
			.prop_map(|(who, op, amount)| Action::Collateral { who, op, amount }),
		1 => (any::<u8>(), any::<u8>()).prop_map(|(who, key)| Action::RotateKey { who, key }),
		10 => (any::<u8>(), 0u8..8, prop_oneof![4 => 1u32..10_000, 1 => any::<u32>()], any::<u8>(), prop::bool::weighted(0.1))
			.prop_map(|(host, key, count, submission, previous_epoch)| Action::Commit {
				host,
				// Mostly the current key of a never-rotated host.
				key: if key >= 3 { 0 } else { key },
				count,
				submission,
				previous_epoch,
			}),
		10 => (any::<u8>(), 0u8..8, any::<u64>()).prop_map(|(validator, key, seed)| Action::Verdicts {
			validator,
			key: if key >= 3 { 0 } else { key },
			seed,
		}),
		2 => (any::<u8>(), any::<u8>(), any::<u32>(), any::<bool>())
			.prop_map(|(who, track, layers, deposit)| Action::Propose { who, track, layers, deposit }),
		3 => (any::<u8>(), any::<u8>(), any::<u8>())
			.prop_map(|(who, poll, choice)| Action::Vote { who, poll, choice }),
		2 => (any::<u8>(), prop::option::of(any::<u8>()), any::<u8>())
			.prop_map(|(who, host, back)| Action::Claim { who, host, back }),
	]
}

fn cases() -> u32 {
	std::env::var("GONKA_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(16)
}

/// Random calls of every pallet, random origins and arguments, through real dispatch: no panic,
/// declared weights hold, `try_state` and the ledger hold after every block.
#[test]
fn the_runtime_survives_random_calls() {
	let config = ProptestConfig {
		cases: cases(),
		// A failing case shrinks to a short list of actions; slow, but worth it.
		max_shrink_iters: 2_000,
		failure_persistence: None,
		..ProptestConfig::default()
	};
	let mut runner = proptest::test_runner::TestRunner::new(config);
	let started = std::time::Instant::now();
	let result = runner.run(&prop::collection::vec(action(), 50..400), |actions| {
		common::new_ext("development").execute_with(|| {
			let mut case = Case::new();
			for a in actions {
				case.run(a);
			}
			case.next_block();
		});
		Ok(())
	});
	println!(
		"fuzz: {} cases, {} calls executed ({} dispatched successfully) in {} blocks, {} epochs \
		 activated with weight, in {:.0?}",
		cases(),
		EXECUTED.load(Ordering::Relaxed),
		SUCCEEDED.load(Ordering::Relaxed),
		BLOCKS.load(Ordering::Relaxed),
		WEIGHTED_EPOCHS.load(Ordering::Relaxed),
		started.elapsed()
	);
	if let Err(e) = result {
		panic!("{e}");
	}
}
