//! The host registry on the real runtime, through real signed extrinsics: the catalogue is
//! managed by the origin of an approved `catalogue` referendum, a host registers with a worker key it proves to hold, and
//! puts collateral on hold.

mod common;

use frame_support::traits::fungible::InspectHold;
use gonka_primitives::crypto::{worker::WorkerPair, worker_pop_payload};
use gonka_runtime::{
	configs::HostDeposit, Balances, Executive, Hosts, RuntimeCall, RuntimeHoldReason,
	RuntimeOrigin, GNK,
};
use pallet_gonka_hosts::{HardwareSpec, ModelTermsUpdate};
use sp_core::Pair;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie};
use sp_runtime::traits::Dispatchable;
use sp_runtime::{DispatchError, FixedU128, Perbill};

fn add_model() -> RuntimeCall {
	RuntimeCall::Hosts(pallet_gonka_hosts::Call::add_model {
		name: b"HuggingFaceTB/SmolLM2-135M-Instruct".to_vec().try_into().unwrap(),
		weights_hash: sp_core::H256::repeat_byte(7),
		architecture: b"llama:dim=576,layers=30,heads=9,kv_heads=3".to_vec().try_into().unwrap(),
		terms: ModelTermsUpdate {
			validation_threshold: Perbill::from_percent(90),
			price_per_1k_tokens: GNK / 100,
			pow_weight_scale: FixedU128::from_u32(1),
		},
		precision: pallet_gonka_hosts::ModelPrecision::Native,
	})
}

/// What an approved referendum on the `catalogue` track dispatches its call with.
fn catalogue_track() -> RuntimeOrigin {
	gonka_runtime::governance::origins::Origin::CatalogueAdmin.into()
}

fn register(worker: &WorkerPair, host: &gonka_runtime::AccountId, models: Vec<u32>) -> RuntimeCall {
	RuntimeCall::Hosts(pallet_gonka_hosts::Call::register {
		endpoint: b"https://gpu-1.example.org:8443".to_vec().try_into().unwrap(),
		worker_key: worker.public(),
		key_proof: worker.sign(&worker_pop_payload(host)),
		models: models.try_into().unwrap(),
		hardware: HardwareSpec {
			gpu_model: b"NVIDIA H100 80GB HBM3".to_vec().try_into().unwrap(),
			gpu_count: 8,
			gpu_memory_gib: 80,
		},
	})
}

#[test]
fn host_registers_with_a_real_signed_extrinsic() {
	common::new_ext("development").execute_with(|| {
		common::start_block(1);
		// An approved `catalogue` referendum adds a model.
		add_model().dispatch(catalogue_track()).unwrap();
		// The dev catalogue lists SmolLM2 (id 0); the new model comes after it.
		let catalogue = Hosts::api_catalogue();
		assert_eq!(catalogue.len(), 2);
		let model = catalogue[1].0;

		// Charlie (not a genesis host) registers as a host serving it, with a worker key he proves
		// to hold.
		let charlie = Charlie.to_account_id();
		let worker = WorkerPair::from_string("//Charlie//worker", None).unwrap();
		Executive::apply_extrinsic(common::signed(
			Charlie,
			register(&worker, &charlie, vec![model]),
			0,
		))
		.unwrap()
		.unwrap();

		let view = Hosts::api_host(charlie.clone()).expect("Charlie is a host");
		assert_eq!(view.worker_key, worker.public());
		assert_eq!(view.models, vec![model]);
		assert_eq!(view.endpoint, b"https://gpu-1.example.org:8443".to_vec());
		assert_eq!(Hosts::api_hosts_serving(model, None, 10), vec![charlie.clone()]);
		// The registry deposit is on hold, not reserved.
		let deposit_reason = RuntimeHoldReason::Hosts(pallet_gonka_hosts::HoldReason::HostDeposit);
		assert_eq!(Balances::balance_on_hold(&deposit_reason, &charlie), HostDeposit::get());

		// Collateral goes on hold too.
		let deposit =
			RuntimeCall::Hosts(pallet_gonka_hosts::Call::deposit_collateral { amount: 500 * GNK });
		Executive::apply_extrinsic(common::signed(Charlie, deposit, 1)).unwrap().unwrap();
		let collateral_reason =
			RuntimeHoldReason::Hosts(pallet_gonka_hosts::HoldReason::Collateral);
		assert_eq!(Balances::balance_on_hold(&collateral_reason, &charlie), 500 * GNK);
		assert_eq!(Hosts::api_host(charlie).unwrap().collateral, 500 * GNK);
	});
}

#[test]
fn a_worker_key_proof_for_another_account_is_refused() {
	common::new_ext("development").execute_with(|| {
		common::start_block(1);
		let worker = WorkerPair::from_string("//Charlie//worker", None).unwrap();
		// The proof names Alice, but Charlie submits it: a squatter replaying a seen proof.
		let stolen = register(&worker, &Alice.to_account_id(), vec![]);
		let result = Executive::apply_extrinsic(common::signed(Charlie, stolen, 0)).unwrap();
		assert!(result.is_err(), "registration with someone else's proof must fail");
		assert!(Hosts::api_host(Charlie.to_account_id()).is_none());
	});
}

#[test]
fn only_the_privileged_origin_manages_the_catalogue() {
	common::new_ext("development").execute_with(|| {
		common::start_block(1);
		// Bob calls add_model directly: bad origin.
		let result = Executive::apply_extrinsic(common::signed(Bob, add_model(), 0)).unwrap();
		assert_eq!(result, Err(DispatchError::BadOrigin));
		// Another track's origin cannot either: a `parameters` decision is not a catalogue one.
		let parameters: RuntimeOrigin =
			gonka_runtime::governance::origins::Origin::ParametersAdmin.into();
		assert_eq!(add_model().dispatch(parameters).unwrap_err().error, DispatchError::BadOrigin);
		assert_eq!(Hosts::api_catalogue().len(), 1, "only the dev genesis model");
		// The catalogue track can.
		add_model().dispatch(catalogue_track()).unwrap();
		assert_eq!(Hosts::api_catalogue().len(), 2);
	});
}
