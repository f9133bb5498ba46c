//! The network at scale: `GONKA_SCALE_HOSTS` hosts (default 300 in the test command; the
//! documented run is 10,000, see docs/benchmarks.md#scale) through whole epochs of the real
//! runtime, block by block, every extrinsic a real signed or worker-signed transaction applied
//! through `Executive` until the block is full, and each block's storage proof recorded as a
//! collator records the PoV (the recorder is also the proof-size extension, so that weight
//! reclaim gives back the proof size a transaction did not use, as it does on a collator).
//!
//! - epoch 0: every host registers (signed, proof of possession of its worker key);
//! - epoch 1 (bootstrap): every host commits progressively (`GONKA_SCALE_SUBMISSIONS`
//!   worker-signed submissions), the genesis validators judge every host, settlement, weights;
//! - epoch 2 (steady state): every host commits, every host judges its committee assignments
//!   (`CommitteeSize` judges per host), settlement, activation at epoch 3's first block, emission,
//!   and every host claims its epoch-2 reward with a signed transaction;
//! - then epoch 1 is pruned as it would be when it leaves history.
//!
//! Asserted: each phase fits its window of the clock (commits in the commit window, verdicts in
//! the validation window, settlement before the epoch ends, with every host weighted), every
//! block within `max_block` ref time and proof size and its recorded PoV within the relay's
//! `MAX_POV_SIZE`, on-chain growth per host per epoch <= 1 KiB, and pruning an epoch gives back
//! what it added. The figures are printed (`--nocapture`) as a table per phase.
//!
//! `GONKA_SCALE_CLOCK=production` runs the production clock (14,400-block epochs: three epochs
//! are ~45,000 blocks); the default is a short clock with the production commit window (the
//! binding one) and shorter validation and settlement phases.

mod common;

use std::collections::{BTreeMap, VecDeque};

use codec::Encode;
use frame_support::{dispatch::DispatchClass, traits::Get, weights::Weight};
use gonka_primitives::{
	compute::ComputeWeights,
	crypto::{worker::WorkerPair, worker_pop_payload},
	epoch::EpochClock,
	pow::{SprintCommitment, ValidationVerdict},
	sprint::{commitment_payload, verdicts_payload},
};
use gonka_runtime::{AccountId, Executive, Runtime, RuntimeCall, Sprint, UncheckedExtrinsic, GNK};
use sp_core::{sr25519, Pair as _};
use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};

/// The short clock of the test command: the production commit window (sprint 50 + grace 20
/// blocks, where all hosts' commitments must land), validation and settlement shortened.
const SHORT_CLOCK: EpochClock = EpochClock {
	epoch_length: 600,
	sprint_start: 10,
	sprint_length: 50,
	commit_grace: 20,
	validation_window: 200,
};

/// Blocks between purges of the dead trie nodes from the in-memory state.
const PURGE_EVERY: u32 = 64;

/// Largest growth of the chain's state per host per epoch.
const BYTES_PER_HOST_EPOCH: u64 = 1_024;

struct Host {
	pair: sr25519::Pair,
	account: AccountId,
	worker: WorkerPair,
}

impl Host {
	fn new(i: usize) -> Self {
		let pair = sr25519::Pair::from_string(&format!("//Scale{i}"), None).expect("dev URI");
		let worker = common::worker(&format!("//Scale{i}//worker"));
		Self { account: pair.public().into(), pair, worker }
	}
}

/// A transaction to send: built when it is applied (nonces and submission indices are read
/// from the state of that moment).
type Tx = Box<dyn Fn() -> UncheckedExtrinsic>;

/// What one block used.
#[derive(Clone, Copy, Default)]
struct BlockUse {
	/// Extrinsics applied.
	extrinsics: u32,
	/// `Normal` class weight (the transactions).
	normal: Weight,
	/// `Mandatory` class weight (hooks and inherents: `on_initialize`, settlement).
	mandatory: Weight,
	/// The block's storage proof, bytes (encoded, as it goes into the PoV).
	proof: u64,
	/// Encoded extrinsics, bytes.
	body: u64,
}

#[derive(Default)]
struct PhaseStats {
	blocks: u32,
	extrinsics: u32,
	max_normal: Weight,
	max_mandatory: Weight,
	max_pov: u64,
}

struct Network {
	ext: sp_io::TestExternalities,
	/// Records each block's storage proof; weight reclaim reads its size.
	recorder: sp_trie::recorder::Recorder<sp_core::Blake2Hasher>,
	hosts: Vec<Host>,
	clock: EpochClock,
	/// The next block to build.
	next: u32,
	/// Per phase, in the order first seen.
	phases: Vec<(String, PhaseStats)>,
	max_block: Weight,
}

impl Network {
	fn new(n: usize, clock: EpochClock) -> Self {
		let hosts: Vec<Host> = (0..n).map(Host::new).collect();
		let mut config = common::preset_config("development");
		config["sprint"]["clock"] = serde_json::to_value(clock).expect("clock is JSON");
		let balances = config["balances"]["balances"].as_array_mut().expect("balances list");
		for h in &hosts {
			balances.push(serde_json::json!([h.account, 1_000_000 * GNK]));
		}
		let mut ext = common::new_ext_from(config);
		ext.commit_all().expect("genesis committed");
		let recorder = sp_trie::recorder::Recorder::default();
		ext.register_extension(sp_trie::proof_size_extension::ProofSizeExt::new(recorder.clone()));
		let max_block = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
		Self { ext, recorder, hosts, clock, next: 1, phases: Vec::new(), max_block }
	}

	fn run<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(f)
	}

	/// Builds one block: its hooks, then transactions from the front of `queue` until the block
	/// is full (the rest wait for the next block). Records what it used under `phase`.
	fn block(&mut self, phase: &str, queue: &mut VecDeque<Tx>) {
		let number = self.next;
		self.recorder.reset();
		let used = self.ext.execute_with_recorder(self.recorder.clone(), || {
			common::start_block(number);
			let mut used = BlockUse::default();
			while let Some(make) = queue.front() {
				let xt = make();
				let len = xt.encoded_size() as u64;
				match Executive::apply_extrinsic(xt) {
					Err(TransactionValidityError::Invalid(
						InvalidTransaction::ExhaustsResources,
					)) => break,
					Ok(Ok(())) => {
						used.extrinsics += 1;
						used.body += len;
						queue.pop_front();
					},
					other => panic!("block {number} ({phase}): a transaction failed: {other:?}"),
				}
			}
			let weight = frame_system::BlockWeight::<Runtime>::get();
			used.normal = *weight.get(DispatchClass::Normal);
			used.mandatory = *weight.get(DispatchClass::Mandatory);
			common::check_block_weight().unwrap_or_else(|e| panic!("block {number}: {e}"));
			common::end_block();
			used
		});
		let proof = self.recorder.to_storage_proof();
		self.ext.commit_all().expect("no open transactions");
		// The in-memory trie keeps the nodes a block replaced, reference count zero; a node's
		// database (the collator's) prunes them. Without this a 45,000-block run holds every
		// block's nodes (22 GiB at 10,000 hosts).
		if number % PURGE_EVERY == 0 {
			self.ext.backend.backend_storage_mut().purge();
		}
		let used = BlockUse { proof: proof.encoded_size() as u64, ..used };
		let pov = used.proof + used.body;
		assert!(
			pov <= cumulus_primitives_core::relay_chain::MAX_POV_SIZE as u64,
			"block {number} ({phase}): PoV {pov} bytes above the relay's limit"
		);
		let stats = match self.phases.iter().position(|(p, _)| p == phase) {
			Some(i) => &mut self.phases[i].1,
			None => {
				self.phases.push((phase.to_string(), PhaseStats::default()));
				&mut self.phases.last_mut().expect("just pushed").1
			},
		};
		stats.blocks += 1;
		stats.extrinsics += used.extrinsics;
		stats.max_normal = stats.max_normal.max(used.normal);
		stats.max_mandatory = stats.max_mandatory.max(used.mandatory);
		stats.max_pov = stats.max_pov.max(pov);
		self.next += 1;
	}

	/// Builds blocks until block `n` is the next one to build.
	fn run_to(&mut self, phase: &str, n: u32) {
		let mut none = VecDeque::new();
		while self.next < n {
			self.block(phase, &mut none);
		}
	}

	/// Sends every transaction of `queue`, block after block; returns the blocks it took.
	fn send_all(&mut self, phase: &str, mut queue: VecDeque<Tx>) -> u32 {
		let start = self.next;
		while !queue.is_empty() {
			self.block(phase, &mut queue);
		}
		self.next - start
	}

	fn signed(&self, i: usize, call: RuntimeCall) -> Tx {
		let (pair, account) = (self.hosts[i].pair.clone(), self.hosts[i].account.clone());
		Box::new(move || {
			let nonce = frame_system::Pallet::<Runtime>::account_nonce(&account);
			common::signed_by_pair(&pair, account.clone(), call.clone(), nonce)
		})
	}

	fn registrations(&self) -> VecDeque<Tx> {
		(0..self.hosts.len())
			.map(|i| {
				let h = &self.hosts[i];
				let call = pallet_gonka_hosts::Call::register {
					endpoint: format!("http://10.0.{}.{}:8080", i / 256, i % 256)
						.into_bytes()
						.try_into()
						.expect("short endpoint"),
					worker_key: h.worker.public(),
					key_proof: h.worker.sign(&worker_pop_payload(&h.account)),
					models: Default::default(),
					hardware: Default::default(),
				};
				self.signed(i, call.into())
			})
			.collect()
	}

	/// Submission `s` (of `of`) of every host's progressive commitment in `epoch`.
	fn commitments(&mut self, epoch: u32, s: u32, of: u32) -> VecDeque<Tx> {
		let genesis = self.run(Sprint::genesis_hash);
		let hosts = &self.hosts;
		let limits: Vec<u32> = self
			.ext
			.execute_with(|| hosts.iter().map(|h| Sprint::count_limit(&h.account)).collect());
		let mut queue: VecDeque<Tx> = VecDeque::new();
		for (h, limit) in self.hosts.iter().zip(limits) {
			let limit = limit.min(1_000);
			let count = (limit * (s + 1) / of).max(1);
			let commitment = SprintCommitment {
				epoch,
				count,
				merkle_root: sp_core::H256::from_low_u64_be(count as u64),
			};
			let signature =
				h.worker.sign(&commitment_payload(&genesis, &commitment, s, &h.account));
			let call: RuntimeCall = pallet_gonka_sprint::Call::submit_commitment {
				commitment,
				submission: s,
				host: h.account.clone(),
				signature,
			}
			.into();
			queue.push_back(Box::new(move || common::general(call.clone())));
		}
		queue
	}

	/// Every validator's verdicts ("all samples match") on its assignments in `epoch`: the
	/// hosts, and the genesis validators `//Alice` and `//Bob` (who judge the bootstrap epoch).
	/// Committees are computed once per target (the `assignments` runtime API scans every
	/// participant per validator: right for one worker, quadratic for a whole network).
	fn verdicts(&mut self, epoch: u32) -> VecDeque<Tx> {
		let max: u32 = <Runtime as pallet_gonka_sprint::Config>::MaxVerdictsPerCall::get();
		let sample_size: u32 = <Runtime as pallet_gonka_sprint::Config>::SampleSize::get();
		let genesis = self.run(Sprint::genesis_hash);
		let mut workers: BTreeMap<AccountId, WorkerPair> = ["Alice", "Bob"]
			.iter()
			.map(|name| {
				let account: AccountId =
					sr25519::Pair::from_string(&format!("//{name}"), None).unwrap().public().into();
				(account, common::worker(&format!("//{name}//worker")))
			})
			.collect();
		workers.extend(self.hosts.iter().map(|h| (h.account.clone(), h.worker.clone())));
		let mut judged: BTreeMap<AccountId, Vec<(AccountId, ValidationVerdict)>> = BTreeMap::new();
		self.run(|| {
			let info = pallet_gonka_sprint::Epochs::<Runtime>::get(epoch).expect("started");
			for (target, record) in pallet_gonka_sprint::Commitments::<Runtime>::iter_prefix(epoch)
			{
				let verdict = ValidationVerdict {
					samples_checked: record.count.min(sample_size),
					mismatches: 0,
					proofs_not_served: false,
				};
				for validator in Sprint::committee_of(epoch, &info, &target) {
					judged.entry(validator).or_default().push((target.clone(), verdict.clone()));
				}
			}
		});
		let mut queue: VecDeque<Tx> = VecDeque::new();
		for (me, verdicts) in judged {
			let worker = &workers[&me];
			for chunk in verdicts.chunks(max as usize) {
				let payload = verdicts_payload(&genesis, epoch, &me, chunk);
				let call: RuntimeCall = pallet_gonka_sprint::Call::submit_verdicts {
					epoch,
					validator: me.clone(),
					verdicts: chunk.to_vec().try_into().expect("at most MaxVerdictsPerCall"),
					signature: worker.sign(&payload),
				}
				.into();
				queue.push_back(Box::new(move || common::general(call.clone())));
			}
		}
		queue
	}

	fn claims(&self, epoch: u32) -> VecDeque<Tx> {
		(0..self.hosts.len())
			.map(|i| self.signed(i, pallet_gonka_emission::Call::claim { epoch }.into()))
			.collect()
	}

	/// One epoch's sprint: progressive commitments in the commit window, verdicts in the
	/// validation window, then settlement until the next epoch's first block activates it.
	fn sprint(&mut self, epoch: u32, submissions: u32) {
		let c = self.clock;
		let base = epoch * c.epoch_length;
		self.run_to("idle", base + c.sprint_start);
		let mut commit_blocks = 0;
		for s in 0..submissions {
			let queue = self.commitments(epoch, s, submissions);
			commit_blocks += self.send_all(&format!("commit (epoch {epoch})"), queue);
		}
		assert!(
			self.next <= base + c.commit_end(),
			"epoch {epoch}: {} hosts' commitments took {commit_blocks} blocks, past the commit \
			 window ({} blocks)",
			self.hosts.len(),
			c.sprint_length + c.commit_grace
		);
		let participants =
			self.run(|| pallet_gonka_sprint::ParticipantCount::<Runtime>::get(epoch));
		assert_eq!(participants as usize, self.hosts.len(), "epoch {epoch}: everyone committed");
		self.run_to("idle", base + c.commit_end());
		let queue = self.verdicts(epoch);
		let verdict_blocks = self.send_all(&format!("verdicts (epoch {epoch})"), queue);
		assert!(
			verdict_blocks <= c.validation_window,
			"epoch {epoch}: verdicts took {verdict_blocks} blocks, past the validation window"
		);
		let validation_end = c.validation_end().expect("a valid clock");
		self.run_to("idle", base + validation_end);
		// Settlement runs in `on_initialize` until the epoch is settled.
		let label = format!("settlement (epoch {epoch})");
		while self.run(|| pallet_gonka_sprint::NextToSettle::<Runtime>::get()) <= epoch {
			assert!(
				self.next < base + c.epoch_length,
				"epoch {epoch}: settlement of {} hosts did not finish inside the epoch",
				self.hosts.len()
			);
			let next = self.next;
			self.run_to(&label, next + 1);
		}
		self.run_to("idle", base + c.epoch_length);
		// The next epoch's first block activates the settled weights.
		self.run_to("activation", base + c.epoch_length + 1);
		let weighted = self.run(|| {
			assert_eq!(<Sprint as ComputeWeights<AccountId>>::active_epoch(), Some(epoch));
			pallet_gonka_sprint::Weights::<Runtime>::iter_prefix(epoch).count()
		});
		assert_eq!(weighted, self.hosts.len(), "epoch {epoch}: every honest host is weighted");
	}

	/// Bytes (keys and values) under the Gonka pallets' storage prefixes.
	fn gonka_bytes(&mut self) -> BTreeMap<&'static str, u64> {
		self.run(|| {
			["Hosts", "Sprint", "Emission", "ComputeVoting", "Inference"]
				.into_iter()
				.map(|pallet| {
					let prefix = sp_io::hashing::twox_128(pallet.as_bytes());
					let mut bytes = 0u64;
					let mut key = prefix.to_vec();
					while let Some(next) = sp_io::storage::next_key(&key) {
						if !next.starts_with(&prefix) {
							break;
						}
						let value = sp_io::storage::get(&next).map_or(0, |v| v.len());
						bytes += (next.len() + value) as u64;
						key = next;
					}
					(pallet, bytes)
				})
				.collect()
		})
	}

	fn report(&self) {
		let ms = |w: Weight| w.ref_time() as f64 / 1e9;
		println!(
			"| phase | blocks | extrinsics | max normal ref time (ms) | max normal proof (KiB) | \
			 max on_initialize ref time (ms) | max on_initialize proof (KiB) | max PoV (KiB) |"
		);
		println!("|---|---:|---:|---:|---:|---:|---:|---:|");
		for (phase, s) in &self.phases {
			println!(
				"| {phase} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
				s.blocks,
				s.extrinsics,
				ms(s.max_normal),
				s.max_normal.proof_size() as f64 / 1024.0,
				ms(s.max_mandatory),
				s.max_mandatory.proof_size() as f64 / 1024.0,
				s.max_pov as f64 / 1024.0,
			);
		}
		println!(
			"limits: block {:.0} ms ref time and {} KiB proof size (normal class 75%); relay PoV \
			 {} KiB",
			ms(self.max_block),
			self.max_block.proof_size() / 1024,
			cumulus_primitives_core::relay_chain::MAX_POV_SIZE / 1024
		);
	}
}

#[test]
fn an_epoch_of_many_hosts_settles_within_the_block_limits() {
	let n = common::env("GONKA_SCALE_HOSTS", 300) as usize;
	let submissions = common::env("GONKA_SCALE_SUBMISSIONS", 2) as u32;
	let clock = match std::env::var("GONKA_SCALE_CLOCK").as_deref() {
		Ok("production") => EpochClock::PRODUCTION,
		_ => SHORT_CLOCK,
	};
	let started = std::time::Instant::now();
	let mut net = Network::new(n, clock);
	println!("{n} hosts, {submissions} submissions each, clock {clock:?}");

	// Epoch 0: registrations.
	let queue = net.registrations();
	let blocks = net.send_all("register", queue);
	println!("registration: {blocks} blocks ({:.0?})", started.elapsed());
	let registered = net.run(|| pallet_gonka_hosts::Hosts::<Runtime>::iter().count());
	assert!(registered >= n, "{registered} hosts registered");

	// Epoch 1 (bootstrap, judged by the genesis validators), epoch 2 (steady state).
	net.sprint(1, submissions);
	println!("epoch 1 settled ({:.0?})", started.elapsed());
	let before = net.gonka_bytes();
	net.sprint(2, submissions);
	println!("epoch 2 settled ({:.0?})", started.elapsed());

	// Every host claims its epoch-2 reward.
	let queue = net.claims(2);
	let claim_blocks = net.send_all("claims (epoch 2)", queue);
	let after = net.gonka_bytes();
	let grown: u64 = after.values().sum::<u64>() - before.values().sum::<u64>();
	let per_host = grown / n as u64;
	println!("claims: {claim_blocks} blocks; state growth of epoch 2: {grown} bytes, {per_host} per host");
	for (pallet, bytes) in &after {
		println!("  {pallet}: {} -> {bytes} bytes", before[pallet]);
	}
	assert!(
		per_host <= BYTES_PER_HOST_EPOCH,
		"an epoch adds {per_host} bytes per host (limit {BYTES_PER_HOST_EPOCH})"
	);

	// Pruning: epoch 1 leaves history (as it does `HistoryDepth` epochs later).
	let sprint_before = after["Sprint"];
	net.run(|| pallet_gonka_sprint::PruneQueue::<Runtime>::mutate(|q| q.try_push(1).unwrap()));
	let start = net.next;
	while net.run(|| !pallet_gonka_sprint::PruneQueue::<Runtime>::get().is_empty()) {
		let next = net.next;
		net.run_to("pruning", next + 1);
	}
	let pruned = net.gonka_bytes();
	let freed = sprint_before - pruned["Sprint"];
	println!(
		"pruning epoch 1: {} blocks, {freed} bytes freed ({} per host)",
		net.next - start,
		freed / n as u64
	);
	net.run(|| {
		assert_eq!(pallet_gonka_sprint::Commitments::<Runtime>::iter_prefix(1).count(), 0);
		assert_eq!(pallet_gonka_sprint::Weights::<Runtime>::iter_prefix(1).count(), 0);
		assert!(!pallet_gonka_sprint::Epochs::<Runtime>::contains_key(1));
		common::gonka_try_state().expect("try_state after pruning");
	});
	// What an epoch adds to the sprint pallet, pruning takes away (within 10%).
	let epoch_sprint_growth = after["Sprint"] - before["Sprint"];
	assert!(
		freed * 10 >= epoch_sprint_growth * 9,
		"pruning freed {freed} bytes, an epoch added {epoch_sprint_growth} to the sprint pallet"
	);

	net.report();
	// Peak resident set size of this process (`VmHWM`).
	let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
	let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).unwrap_or("?").trim();
	println!("total {:.0?}; peak RSS {peak}", started.elapsed());
}
