//! Runtime benchmarks registry.

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_session, SessionBench::<Runtime>]
	[pallet_timestamp, Timestamp]
	[pallet_message_queue, MessageQueue]
	[pallet_utility, Utility]
	[pallet_collator_selection, CollatorSelection]
	[cumulus_pallet_parachain_system, ParachainSystem]
	[cumulus_pallet_xcmp_queue, XcmpQueue]
	[cumulus_pallet_weight_reclaim, WeightReclaim]
	[pallet_gonka_hosts, Hosts]
	[pallet_gonka_sprint, Sprint]
	[pallet_gonka_emission, Emission]
	[pallet_gonka_inference, Inference]
	[pallet_scheduler, Scheduler]
	[pallet_preimage, Preimage]
	[pallet_referenda, Referenda]
	[pallet_gonka_compute_voting, ComputeVoting]
	[pallet_parameters, Parameters]
	[pallet_treasury, Treasury]
);
