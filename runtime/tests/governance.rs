//! Compute-weighted governance on the real runtime, through real signed extrinsics: a host
//! proposes, hosts vote with their compute weight, referenda decides by each track's thresholds
//! and the scheduler enacts. No sudo anywhere: a `parameters` referendum changes the sprint's PoW
//! parameters, a `root` referendum authorises a runtime upgrade whose (patched) WASM then goes to
//! the relay chain.

mod common;

use codec::{Decode, Encode};
use frame_support::traits::{schedule::DispatchTime, Bounded};
use gonka_primitives::{compute::ComputeWeight, pow::PowParams};
use gonka_runtime::{
	configs::SubmissionDeposit,
	genesis_config_presets::DEV_POW_PARAMS,
	governance::{
		origins::Origin,
		tracks::{ids, ComputeTracks},
	},
	AccountId, Balance, Balances, ComputeVoting, Executive, OriginCaller, Runtime, RuntimeCall,
	RuntimeEvent,
};
use pallet_gonka_compute_voting::ComputeVote;
use pallet_referenda::{ReferendumInfo, TracksInfo};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Eve};
use sp_runtime::{traits::Hash, DispatchError};

/// Proven compute per account in every epoch of these tests (a total of 100).
fn weights() -> Vec<(AccountId, ComputeWeight)> {
	vec![(Alice.to_account_id(), 60), (Bob.to_account_id(), 35), (Eve.to_account_id(), 5)]
}

/// The epoch in which the hosts of these tests "proved" [`weights`].
const PROVEN: u32 = 1_000;

/// Makes epoch [`PROVEN`] hold [`weights`] and be the latest epoch with weight (the validator
/// source, hence the voting epoch), as if these hosts had proven that compute in its sprint.
/// The sprint's own epochs that activate meanwhile are empty: they leave the voting epoch alone.
fn prove_weights() {
	let mut total = 0;
	for (who, weight) in weights() {
		pallet_gonka_sprint::Weights::<Runtime>::insert(PROVEN, who, weight);
		total += weight;
	}
	pallet_gonka_sprint::TotalWeight::<Runtime>::insert(PROVEN, total);
	pallet_gonka_sprint::ValidatorSource::<Runtime>::put(PROVEN);
}

/// Initialises every block after the current one up to `n`; returns their events.
fn run_to(n: u32) -> Vec<RuntimeEvent> {
	let mut events = Vec::new();
	let current = frame_system::Pallet::<Runtime>::block_number();
	for b in current + 1..=n {
		common::start_block(b);
		events.extend(frame_system::Pallet::<Runtime>::events().into_iter().map(|r| r.event));
	}
	events
}

fn now() -> u32 {
	frame_system::Pallet::<Runtime>::block_number()
}

/// Applies a signed extrinsic from `who` with its next nonce; returns the dispatch result.
fn submit(who: Sr25519Keyring, call: RuntimeCall) -> Result<(), DispatchError> {
	let nonce = frame_system::Pallet::<Runtime>::account_nonce(who.to_account_id());
	Executive::apply_extrinsic(common::signed(who, call, nonce)).expect("valid transaction")
}

/// `Referenda.submit` of `call` on the track of `origin`.
fn propose(origin: OriginCaller, call: RuntimeCall) -> RuntimeCall {
	let proposal = Bounded::Inline(call.encode().try_into().expect("small call"));
	RuntimeCall::Referenda(pallet_referenda::Call::submit {
		proposal_origin: Box::new(origin),
		proposal,
		enactment_moment: DispatchTime::After(0),
	})
}

fn decision_deposit(index: u32) -> RuntimeCall {
	RuntimeCall::Referenda(pallet_referenda::Call::place_decision_deposit { index })
}

fn vote(poll: u32, vote: ComputeVote) -> RuntimeCall {
	RuntimeCall::ComputeVoting(pallet_gonka_compute_voting::Call::vote { poll, vote })
}

fn set_pow_params(params: PowParams) -> RuntimeCall {
	RuntimeCall::Sprint(pallet_gonka_sprint::Call::set_pow_params { params })
}

fn parameters_track() -> OriginCaller {
	OriginCaller::Origins(Origin::ParametersAdmin)
}

fn root_track() -> OriginCaller {
	OriginCaller::system(frame_system::RawOrigin::Root)
}

/// PoW parameters the referenda of these tests propose: the dev model, twice as deep.
fn deeper_model() -> PowParams {
	PowParams { layers: DEV_POW_PARAMS.layers * 2, ..DEV_POW_PARAMS }
}

fn info(index: u32) -> pallet_referenda::ReferendumInfoOf<Runtime, ()> {
	pallet_referenda::ReferendumInfoFor::<Runtime>::get(index).expect("referendum exists")
}

/// Runs blocks until referendum `index` is decided (at most `limit` blocks); returns the events.
fn run_until_decided(index: u32, limit: u32) -> Vec<RuntimeEvent> {
	let mut events = Vec::new();
	let end = now() + limit;
	while matches!(info(index), ReferendumInfo::Ongoing(_)) {
		assert!(now() < end, "referendum {index} still ongoing at block {}", now());
		events.extend(run_to(now() + 1));
	}
	events
}

fn dev() -> sp_io::TestExternalities {
	let mut ext = common::new_ext("development");
	ext.execute_with(|| {
		common::start_block(1);
		prove_weights();
	});
	ext
}

#[test]
fn a_parameters_referendum_backed_by_compute_changes_the_pow_parameters() {
	dev().execute_with(|| {
		let alice = Alice.to_account_id();
		assert_eq!(pallet_gonka_sprint::Params::<Runtime>::get(), Some(DEV_POW_PARAMS));

		// Alice, an active host, proposes on the `parameters` track and places the decision
		// deposit; both deposits are reserved.
		submit(Alice, propose(parameters_track(), set_pow_params(deeper_model()))).unwrap();
		submit(Alice, decision_deposit(0)).unwrap();
		let track = <ComputeTracks as TracksInfo<Balance, u32>>::info(ids::PARAMETERS).unwrap();
		assert_eq!(
			Balances::reserved_balance(&alice),
			SubmissionDeposit::get() + track.decision_deposit
		);
		let ReferendumInfo::Ongoing(status) = info(0) else { panic!("ongoing") };
		assert_eq!(status.track, ids::PARAMETERS);

		// Alice (60% of the epoch's compute) votes aye; Eve (5%) abstains.
		submit(Alice, vote(0, ComputeVote::Aye)).unwrap();
		submit(Eve, vote(0, ComputeVote::Abstain)).unwrap();
		let ReferendumInfo::Ongoing(status) = info(0) else { panic!("ongoing") };
		assert_eq!((status.tally.ayes, status.tally.nays, status.tally.abstains), (60, 0, 5));

		// Prepare (1 block on the dev clock), confirm (2), then approval.
		let decided = run_until_decided(0, 20);
		assert!(matches!(info(0), ReferendumInfo::Approved(..)), "{:?}", info(0));
		assert!(decided.iter().any(|e| matches!(
			e,
			RuntimeEvent::Referenda(pallet_referenda::Event::Confirmed { index: 0, .. })
		)));
		// Not yet enacted: the track's minimum enactment period runs first.
		assert_eq!(pallet_gonka_sprint::Params::<Runtime>::get(), Some(DEV_POW_PARAMS));

		let enacted = run_to(now() + track.min_enactment_period + 1);
		assert!(
			enacted.iter().any(|e| matches!(
				e,
				RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched { result: Ok(()), .. })
			)),
			"the enactment dispatched without error"
		);
		assert_eq!(pallet_gonka_sprint::Params::<Runtime>::get(), Some(deeper_model()));

		// Both deposits come back once the referendum has passed.
		submit(
			Bob,
			RuntimeCall::Referenda(pallet_referenda::Call::refund_decision_deposit { index: 0 }),
		)
		.unwrap();
		submit(
			Bob,
			RuntimeCall::Referenda(pallet_referenda::Call::refund_submission_deposit { index: 0 }),
		)
		.unwrap();
		assert_eq!(Balances::reserved_balance(&alice), 0);
		ComputeVoting::do_try_state().unwrap();
	});
}

#[test]
fn a_parameters_referendum_without_enough_support_or_approval_is_rejected() {
	dev().execute_with(|| {
		// Referendum 0: only Eve (5% of the compute, below the track's 10% support floor) votes.
		submit(Bob, propose(parameters_track(), set_pow_params(deeper_model()))).unwrap();
		submit(Bob, decision_deposit(0)).unwrap();
		submit(Eve, vote(0, ComputeVote::Aye)).unwrap();
		// Referendum 1: support enough (95%), but Alice's 60% says nay to Bob's 35% aye.
		submit(Bob, propose(parameters_track(), set_pow_params(deeper_model()))).unwrap();
		submit(Bob, decision_deposit(1)).unwrap();
		submit(Bob, vote(1, ComputeVote::Aye)).unwrap();
		submit(Alice, vote(1, ComputeVote::Nay)).unwrap();

		// The decision period (7 epochs) runs out for both.
		let track = <ComputeTracks as TracksInfo<Balance, u32>>::info(ids::PARAMETERS).unwrap();
		run_until_decided(0, track.prepare_period + track.decision_period + 2);
		run_until_decided(1, 2);
		assert!(matches!(info(0), ReferendumInfo::Rejected(..)), "{:?}", info(0));
		assert!(matches!(info(1), ReferendumInfo::Rejected(..)), "{:?}", info(1));
		assert_eq!(pallet_gonka_sprint::Params::<Runtime>::get(), Some(DEV_POW_PARAMS));
		ComputeVoting::do_try_state().unwrap();
	});
}

#[test]
fn only_active_hosts_propose_and_only_proven_compute_votes() {
	dev().execute_with(|| {
		// Charlie is no host: he cannot propose.
		assert_eq!(
			submit(Charlie, propose(parameters_track(), set_pow_params(deeper_model()))),
			Err(DispatchError::BadOrigin)
		);
		submit(Alice, propose(parameters_track(), set_pow_params(deeper_model()))).unwrap();
		// Charlie has no compute weight: his vote is refused by name.
		let refused = submit(Charlie, vote(0, ComputeVote::Aye)).unwrap_err();
		assert_eq!(refused, pallet_gonka_compute_voting::Error::<Runtime>::NoComputeWeight.into());
		// A re-vote replaces the first one.
		submit(Bob, vote(0, ComputeVote::Nay)).unwrap();
		submit(Bob, vote(0, ComputeVote::Aye)).unwrap();
		let ReferendumInfo::Ongoing(status) = info(0) else { panic!("ongoing") };
		assert_eq!((status.tally.ayes, status.tally.nays), (35, 0));
		// Without sudo there is no way around a referendum: a signed call is refused.
		assert_eq!(submit(Alice, set_pow_params(deeper_model())), Err(DispatchError::BadOrigin));
	});
}

#[test]
fn a_community_pool_referendum_pays_from_the_pool() {
	dev().execute_with(|| {
		let pool = gonka_runtime::configs::CommunityPool::get();
		let charlie = Charlie.to_account_id();
		let (pool_before, charlie_before) =
			(Balances::free_balance(&pool), Balances::free_balance(&charlie));
		let amount = 5_000 * gonka_runtime::GNK;
		let spend = RuntimeCall::Treasury(pallet_treasury::Call::spend {
			asset_kind: Box::new(()),
			amount,
			beneficiary: Box::new(charlie.clone()),
			valid_from: None,
		});
		submit(Bob, propose(OriginCaller::Origins(Origin::CommunityPoolSpender), spend)).unwrap();
		submit(Bob, decision_deposit(0)).unwrap();
		let ReferendumInfo::Ongoing(status) = info(0) else { panic!("ongoing") };
		assert_eq!(status.track, ids::COMMUNITY_POOL);
		submit(Alice, vote(0, ComputeVote::Aye)).unwrap();
		submit(Bob, vote(0, ComputeVote::Aye)).unwrap();
		let track = <ComputeTracks as TracksInfo<Balance, u32>>::info(ids::COMMUNITY_POOL).unwrap();
		run_until_decided(0, track.prepare_period + track.confirm_period + 5);
		assert!(matches!(info(0), ReferendumInfo::Approved(..)), "{:?}", info(0));
		run_to(now() + track.min_enactment_period + 1);

		// The approved spend is paid out of the pool by anyone's `payout`.
		submit(Eve, RuntimeCall::Treasury(pallet_treasury::Call::payout { index: 0 })).unwrap();
		assert_eq!(Balances::free_balance(&charlie), charlie_before + amount);
		assert_eq!(Balances::free_balance(&pool), pool_before - amount);
		// Beyond the track's limit, a spend fails even when approved.
		let too_much = RuntimeCall::Treasury(pallet_treasury::Call::spend {
			asset_kind: Box::new(()),
			amount: gonka_runtime::governance::origins::MAX_COMMUNITY_POOL_SPEND + 1,
			beneficiary: Box::new(charlie),
			valid_from: None,
		});
		let origin: gonka_runtime::RuntimeOrigin = Origin::CommunityPoolSpender.into();
		use sp_runtime::traits::Dispatchable;
		assert_eq!(
			too_much.dispatch(origin).unwrap_err().error,
			pallet_treasury::Error::<Runtime>::InsufficientPermission.into()
		);
	});
}

/// A copy of `code` (a possibly compressed runtime WASM) whose embedded `runtime_version`
/// custom section says `spec_version`; recompressed.
fn with_spec_version(code: &[u8], spec_version: u32) -> Vec<u8> {
	fn leb128(bytes: &[u8]) -> (usize, usize) {
		let (mut value, mut shift) = (0usize, 0);
		for (i, byte) in bytes.iter().enumerate() {
			value |= ((byte & 0x7f) as usize) << shift;
			if byte & 0x80 == 0 {
				return (value, i + 1);
			}
			shift += 7;
		}
		panic!("truncated LEB128");
	}
	const LIMIT: usize = 64 << 20;
	let mut wasm = sp_maybe_compressed_blob::decompress(code, LIMIT).unwrap().into_owned();
	let mut at = 8; // magic and version
	let mut patched = false;
	while at < wasm.len() {
		let id = wasm[at];
		let (size, n) = leb128(&wasm[at + 1..]);
		let start = at + 1 + n;
		if id == 0 {
			let (name_len, n) = leb128(&wasm[start..]);
			let name_end = start + n + name_len;
			if &wasm[start + n..name_end] == b"runtime_version" {
				// spec_name and impl_name (SCALE strings), authoring_version, then spec_version.
				let mut rest = &wasm[name_end..start + size];
				let before = rest.len();
				String::decode(&mut rest).unwrap();
				String::decode(&mut rest).unwrap();
				let spec_at = name_end + (before - rest.len()) + 4;
				wasm[spec_at..spec_at + 4].copy_from_slice(&spec_version.to_le_bytes());
				patched = true;
			}
		}
		at = start + size;
	}
	assert!(patched, "the runtime WASM has a runtime_version section");
	sp_maybe_compressed_blob::compress_strongly(&wasm, LIMIT).unwrap()
}

#[test]
fn a_root_referendum_upgrades_the_runtime_to_a_higher_version() {
	let real =
		gonka_runtime::WASM_BINARY.expect("the runtime WASM is built (unset SKIP_WASM_BUILD)");
	let current = gonka_runtime::VERSION.spec_version;
	let next = with_spec_version(real, current + 1);

	let mut ext = dev();
	let executor = sc_executor::WasmExecutor::<sp_io::SubstrateHostFunctions>::builder().build();
	ext.register_extension(sp_core::traits::ReadRuntimeVersionExt::new(executor));
	ext.execute_with(|| {
		let hash = <Runtime as frame_system::Config>::Hashing::hash(&next);
		let authorize =
			RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash: hash });

		// Alice proposes on the `root` track; Alice and Bob (95% of the compute) vote aye.
		submit(Alice, propose(root_track(), authorize)).unwrap();
		submit(Bob, decision_deposit(0)).unwrap();
		submit(Alice, vote(0, ComputeVote::Aye)).unwrap();
		submit(Bob, vote(0, ComputeVote::Aye)).unwrap();
		let track = <ComputeTracks as TracksInfo<Balance, u32>>::info(ids::ROOT).unwrap();
		run_until_decided(0, track.prepare_period + track.confirm_period + 5);
		assert!(matches!(info(0), ReferendumInfo::Approved(..)), "{:?}", info(0));
		run_to(now() + track.min_enactment_period + 1);
		let authorization =
			frame_system::Pallet::<Runtime>::authorized_upgrade().expect("authorised");
		assert_eq!(authorization.code_hash(), &hash);

		// Anyone may now hand in the authorised code. The real WASM (same version) is not it.
		common::relay_validation_data();
		let apply = |code: &[u8]| {
			RuntimeCall::System(frame_system::Call::apply_authorized_upgrade {
				code: code.to_vec(),
			})
		};
		let same_version = with_spec_version(real, current);
		assert_eq!(
			submit(Charlie, apply(&same_version)),
			Err(frame_system::Error::<Runtime>::Unauthorized.into())
		);
		submit(Charlie, apply(&next)).unwrap();

		// The parachain hands the new code to the relay chain, which enacts it after its
		// upgrade delay; the authorisation is used up.
		assert_eq!(cumulus_pallet_parachain_system::PendingValidationCode::<Runtime>::get(), next);
		assert_eq!(
			cumulus_pallet_parachain_system::NewValidationCode::<Runtime>::get().as_ref(),
			Some(&next)
		);
		assert!(frame_system::Pallet::<Runtime>::authorized_upgrade().is_none());
		assert!(frame_system::Pallet::<Runtime>::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::ParachainSystem(
				cumulus_pallet_parachain_system::Event::ValidationFunctionStored
			)
		)));

		// When the relay chain signals go-ahead, parachain-system stores the pending code as the
		// chain's code (`update_code_in_storage`, called here directly: the signal arrives in a
		// relay-chain state proof). The code the chain then runs reports the higher version.
		frame_system::Pallet::<Runtime>::update_code_in_storage(&next);
		let code = sp_io::storage::get(sp_core::storage::well_known_keys::CODE).expect(":code");
		let version = sp_io::misc::runtime_version(&code).expect("a runtime version");
		let version = sp_version::RuntimeVersion::decode(&mut &version[..]).unwrap();
		assert_eq!((version.spec_name, version.spec_version), ("gonka".into(), current + 1));
	});
}

#[test]
fn an_upgrade_must_raise_the_spec_version() {
	let real =
		gonka_runtime::WASM_BINARY.expect("the runtime WASM is built (unset SKIP_WASM_BUILD)");
	let mut ext = dev();
	let executor = sc_executor::WasmExecutor::<sp_io::SubstrateHostFunctions>::builder().build();
	ext.register_extension(sp_core::traits::ReadRuntimeVersionExt::new(executor));
	ext.execute_with(|| {
		// As if a `root` referendum had authorised the code the chain already runs.
		let same = with_spec_version(real, gonka_runtime::VERSION.spec_version);
		let hash = <Runtime as frame_system::Config>::Hashing::hash(&same);
		frame_system::Pallet::<Runtime>::do_authorize_upgrade(hash, true);
		common::relay_validation_data();
		let apply =
			RuntimeCall::System(frame_system::Call::apply_authorized_upgrade { code: same });
		// The caller is not at fault (no fee), the chain refuses the code and forgets the
		// authorisation.
		submit(Charlie, apply).unwrap();
		let refused = frame_system::Pallet::<Runtime>::events().into_iter().any(|r| {
			r.event
				== RuntimeEvent::System(frame_system::Event::RejectedInvalidAuthorizedUpgrade {
					code_hash: hash,
					error: frame_system::Error::<Runtime>::SpecVersionNeedsToIncrease.into(),
				})
		});
		assert!(refused, "RejectedInvalidAuthorizedUpgrade(SpecVersionNeedsToIncrease)");
		assert!(frame_system::Pallet::<Runtime>::authorized_upgrade().is_none());
		assert!(cumulus_pallet_parachain_system::PendingValidationCode::<Runtime>::get().is_empty());
	});
}

/// Votes count with current compute (issue 17's stale vote): Alice votes aye with her 60 of 100;
/// a later epoch in which Alice proved nothing and Bob and Eve 40 each becomes the voting epoch;
/// one block later her vote carries 0 and support reads 0 of 80, not 60 of 80. An epoch in which
/// nobody proved compute changes nothing.
#[test]
fn a_vote_follows_its_voters_current_compute() {
	dev().execute_with(|| {
		submit(Alice, propose(parameters_track(), set_pow_params(deeper_model()))).unwrap();
		submit(Alice, vote(0, ComputeVote::Aye)).unwrap();
		let ayes = || match info(0) {
			ReferendumInfo::Ongoing(status) => status.tally.ayes,
			other => panic!("not ongoing: {other:?}"),
		};
		assert_eq!(ayes(), 60);

		// An empty epoch activates (the sprint's epoch 0 had no participants): nothing moves.
		run_to(gonka_runtime::genesis_config_presets::DEV_EPOCH_CLOCK.epoch_length + 1);
		assert_eq!(pallet_gonka_sprint::ActiveEpoch::<Runtime>::get(), Some(0));
		assert_eq!(ayes(), 60);

		// Epoch PROVEN + 1: Alice proved nothing, Bob and Eve 40 each.
		let next = PROVEN + 1;
		for who in [Bob, Eve] {
			pallet_gonka_sprint::Weights::<Runtime>::insert(next, who.to_account_id(), 40);
		}
		pallet_gonka_sprint::TotalWeight::<Runtime>::insert(next, 80);
		pallet_gonka_sprint::ValidatorSource::<Runtime>::put(next);
		let events = run_to(now() + 1);
		assert_eq!(ayes(), 0, "Alice's vote no longer carries compute she does not have");
		assert!(events.iter().any(|e| matches!(
			e,
			RuntimeEvent::ComputeVoting(pallet_gonka_compute_voting::Event::Recounted {
				epoch: Some(e)
			}) if *e == next
		)));
		type Electorate = <Runtime as pallet_gonka_compute_voting::Config>::Electorate;
		assert_eq!(<Electorate as frame_support::traits::Get<u128>>::get(), 80);
		pallet_gonka_compute_voting::Pallet::<Runtime>::do_try_state().unwrap();
	});
}
