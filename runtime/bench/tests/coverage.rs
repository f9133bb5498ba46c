//! Every dispatchable of the runtime has a benchmark behind its weight.
//!
//! The benchmarks are listed by `gonka-bencher pallet --list=all` from the `runtime-benchmarks`
//! WASM (the runtime's `Benchmark_benchmark_metadata`); the calls come from the native runtime's
//! `RuntimeCall`. A pallet with calls must be benchmarked call by call, or be in [`EXEMPT`] with
//! the reason its weights come from elsewhere. Then our own pallets' benchmarks are run once
//! against the real runtime (2 steps, 1 repeat): a benchmark that only works in a pallet's mock
//! runtime fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::OnceLock;

use frame_support::traits::{GetCallMetadata, PalletsInfoAccess};
use gonka_runtime::{AllPalletsWithSystem, RuntimeCall};

/// Pallets with calls whose weights are not measured by `gonka-bencher`, and why.
const EXEMPT: &[(&str, &str)] = &[(
	"pallet_xcm",
	"XCM is configured but unused by Gonka (no channels, no assets); its calls are weighed by \
	 pallet_xcm's own TestWeightInfo and the executor's FixedWeightBounds",
)];

/// Calls weighed with another benchmark of their pallet: `(pallet, call, benchmark)`. A call is
/// also covered by benchmarks named `<call>_<case>` (e.g. `burn_allow_death`).
const SHARED: &[(&str, &str, &str)] = &[
	("frame_system", "set_code_without_checks", "set_code"),
	("frame_system", "authorize_upgrade_without_checks", "authorize_upgrade"),
	("pallet_scheduler", "schedule_after", "schedule"),
	("pallet_scheduler", "schedule_named_after", "schedule_named"),
	("pallet_referenda", "set_metadata", "set_some_metadata"),
	("cumulus_pallet_xcmp_queue", "update_suspend_threshold", "set_config_with_u32"),
	("cumulus_pallet_xcmp_queue", "update_drop_threshold", "set_config_with_u32"),
	("cumulus_pallet_xcmp_queue", "update_resume_threshold", "set_config_with_u32"),
	("cumulus_pallet_xcmp_queue", "resume_xcm_execution", "set_config_with_u32"),
	// The same body with another beneficiary.
	("pallet_gonka_emission", "claim_for", "claim"),
	// Takes the due step of a session: the heavier of a draw and a settlement at full size.
	("pallet_gonka_inference", "finalize", "settle"),
];

/// Calls whose weight is not a benchmark's by design: `(pallet, call, why)`.
const UNMEASURED: &[(&str, &str, &str)] = &[
	(
		"cumulus_pallet_parachain_system",
		"set_validation_data",
		"the inherent: weighed by the messages it processes",
	),
	("cumulus_pallet_parachain_system", "sudo_send_upward_message", "root only, fixed weight"),
	("cumulus_pallet_xcmp_queue", "suspend_xcm_execution", "root only, one storage write"),
	("pallet_utility", "with_weight", "root only, the weight is the call's argument"),
];

fn bencher(args: &[&str]) -> String {
	let out = Command::new(env!("CARGO_BIN_EXE_gonka-bencher"))
		.arg("pallet")
		.args(args)
		.output()
		.expect("gonka-bencher runs");
	assert!(
		out.status.success(),
		"gonka-bencher pallet {args:?} failed:\n{}",
		String::from_utf8_lossy(&out.stderr)
	);
	String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// `pallet -> benchmarks` as the benchmarking WASM lists them (listed once per test process:
/// each listing compiles the WASM).
fn benchmarks() -> &'static BTreeMap<String, BTreeSet<String>> {
	static LISTED: OnceLock<BTreeMap<String, BTreeSet<String>>> = OnceLock::new();
	LISTED.get_or_init(|| {
		let mut all: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
		for line in bencher(&["--list=all", "--no-csv-header"]).lines() {
			let (pallet, bench) = line.split_once(", ").expect("`pallet, extrinsic` lines");
			all.entry(pallet.trim().to_string()).or_default().insert(bench.trim().to_string());
		}
		all
	})
}

#[test]
fn every_call_has_a_benchmark() {
	let benchmarks = benchmarks();
	assert!(benchmarks.contains_key("pallet_gonka_sprint"), "listed: {benchmarks:?}");
	let mut missing = Vec::new();
	let with_calls = RuntimeCall::get_module_names();
	for info in AllPalletsWithSystem::infos() {
		if !with_calls.contains(&info.name) {
			continue;
		}
		let calls = RuntimeCall::get_call_names(info.name);
		if calls.is_empty() {
			continue;
		}
		let module = info.module_name.rsplit("::").next().expect("a module path");
		if EXEMPT.iter().any(|(m, _)| *m == module) {
			continue;
		}
		let Some(benched) = benchmarks.get(module) else {
			missing.push(format!("{module} ({}): no benchmarks at all", info.name));
			continue;
		};
		for call in calls {
			if UNMEASURED.iter().any(|(m, c, _)| *m == module && c == call) {
				continue;
			}
			let shared = SHARED.iter().find(|(m, c, _)| *m == module && c == call);
			let bench = shared.map_or(*call, |(_, _, b)| *b);
			let case = format!("{bench}_");
			if !benched.iter().any(|b| b == bench || b.starts_with(&case)) {
				missing.push(format!("{module}::{call}"));
			}
		}
	}
	assert!(missing.is_empty(), "calls without a benchmark: {missing:#?}");
}

/// Runs every benchmark of `pallets` once (lowest and highest component values, one repeat, no
/// minimum duration: the default keeps re-running each benchmark for 10 s) with `extra`
/// arguments, and checks each printed a result.
fn run_once(pallets: &[&str], extra: &[&str]) {
	let benchmarks = benchmarks();
	let list = pallets.join(",");
	let mut args = vec![
		"--pallet",
		&list,
		"--extrinsic",
		"*",
		"--steps",
		"2",
		"--repeat",
		"1",
		"--min-duration",
		"0",
		"--wasm-execution",
		"compiled",
	];
	args.extend_from_slice(extra);
	let out = bencher(&args);
	for pallet in pallets {
		for bench in &benchmarks[*pallet] {
			assert!(
				out.contains(&format!("Pallet: \"{pallet}\", Extrinsic: \"{bench}\"")),
				"{pallet}::{bench} printed no result:\n{out}"
			);
		}
	}
}

#[test]
fn our_benchmarks_run_against_the_runtime() {
	run_once(
		&[
			"pallet_gonka_hosts",
			"pallet_gonka_sprint",
			"pallet_gonka_emission",
			"pallet_gonka_inference",
			"pallet_gonka_compute_voting",
		],
		&[],
	);
}

/// Referenda's and the treasury's benchmarks depend on our tally, tracks and pool: the "passing"
/// ones need the tally's benchmark `setup` to create an electorate, the payouts need the pool
/// and the beneficiary to exist, and `nudge_referendum_preparing` a prepare period longer than
/// one block (the genesis `scripts/bench/weights.sh` measures referenda on).
#[test]
fn governance_benchmarks_run_against_the_runtime() {
	run_once(
		&["pallet_referenda", "pallet_treasury"],
		&["--genesis-builder-preset", "production_clock_benchmark"],
	);
}
