//! Measured weights of the FRAME and Cumulus pallets this runtime configures, one file per
//! pallet, written by `scripts/bench/weights.sh` (frame-benchmarking-cli's standard runtime
//! template) from runs of `gonka-bencher pallet` against this runtime; each file's header gives
//! the command, date and machine. Gonka's own pallets carry their measured weights in their
//! crates (`pallets/*/src/weights.rs`, same runs, our template).

pub mod cumulus_pallet_parachain_system;
pub mod cumulus_pallet_weight_reclaim;
pub mod cumulus_pallet_xcmp_queue;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_collator_selection;
pub mod pallet_message_queue;
pub mod pallet_parameters;
pub mod pallet_preimage;
pub mod pallet_referenda;
pub mod pallet_scheduler;
pub mod pallet_session;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod pallet_treasury;
pub mod pallet_utility;

// `pallet_xcm` keeps its `TestWeightInfo`: the runtime sends and executes no XCM yet
// (`configs/xcm_config.rs`).
