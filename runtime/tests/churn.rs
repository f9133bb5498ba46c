//! The many-epoch churn simulation: hundreds of sprint epochs of the real runtime (the
//! `development` preset's 20-block clock), block by block with every hook running, under random
//! churn, with the invariants of `docs/sprint-protocol.md` section 9.5 checked as it goes.
//!
//! The network: Alice and Bob (the genesis validators) and 22 more hosts that join over time,
//! each honest, a cheater faking 1-20% of its nonces (a fresh fraction every epoch) or a member
//! of a colluding coalition (two hosts, about a tenth of the weight, that compute honestly but
//! vote "valid" for the coalition's cheater and "invalid" for everyone else). Every epoch, hosts
//! join (register with a proof of possession), leave (deregister), go silent for a few epochs
//! and restart; now and then an *outage* silences most of the validating set (sometimes all of
//! it) for one to three epochs. Live hosts commit through worker-signed fee-less transactions,
//! judge their assignments (each sample of an honest target mismatches with the honest rate 2%,
//! of a cheater with `f + (1 - f) 2%`), claim their rewards and vote on referenda with signed
//! transactions.
//!
//! Checked every block: the ledger (`common::Ledger`: issuance = genesis + minted - burned,
//! accounts sum to issuance) and the block weight; the Gonka pallets' `try_state` at five blocks
//! of every epoch (every block with `GONKA_CHURN_EVERY_BLOCK=1`). Every epoch:
//! - **decisions follow the rule**: for every participant, the probability that its committee
//!   accepts it is computed exactly from who sat on it (honest members say "valid" with `1 -
//!   alpha(n)` of an honest target and `beta(n, f)` of a cheater, colluders by their rule, the
//!   silent never); honest rejections and cheater acceptances must stay within what that
//!   predicts (a 4-sigma bound), and an honest host with a fully live honest committee is never
//!   rejected (`P <= 1e-6` each);
//! - **recovery**: at most [`RECOVERY_BOUND`] consecutive epochs with honest participants end with
//!   zero total weight, and emission commits a reward for every epoch with weight;
//! - **governance**: every ongoing referendum's tally equals the recomputation from the voters'
//!   weights in the current voting epoch;
//! - **bounded storage**: the keys of the Gonka pallets do not grow with the number of epochs,
//!   and nothing of an epoch older than `HistoryDepth` is left.
//!
//! `GONKA_CHURN_EPOCHS` (default 210) and `GONKA_CHURN_SEED` change the run; with `--nocapture`
//! it prints its progress and statistics. The figures of a run are in `docs/operations.md`.

mod common;

use std::collections::{BTreeMap, HashMap};

use codec::Encode;
use frame_support::traits::{schedule::DispatchTime, Bounded, Get};
use gonka_primitives::{
	compute::ComputeWeights,
	crypto::{worker::WorkerPair, worker_pop_payload},
	pow::{SprintCommitment, ValidationVerdict},
	sprint::{commitment_payload, verdicts_payload},
};
use gonka_runtime::{
	genesis_config_presets::{DEV_EPOCH_CLOCK, DEV_POW_PARAMS},
	governance::origins::Origin,
	AccountId, Executive, OriginCaller, Runtime, RuntimeCall, Sprint, GNK,
};
use pallet_gonka_compute_voting::ComputeVote;
use pallet_gonka_sprint::Outcome;
use pallet_referenda::ReferendumInfo;
use rand::{rngs::StdRng, Rng, SeedableRng};
use rand_distr::{Binomial, Distribution};
use sp_core::{sr25519, Pair as _};
use sp_runtime::Perbill;

/// The stated recovery bound (`docs/sprint-protocol.md` 9.4.1): after the validating set goes
/// silent, at most one epoch is rejected by the silent committees and the next is
/// cross-validated; two leaves room for an outage that begins while an epoch is settling.
const RECOVERY_BOUND: u32 = 2;
/// The runtime's honest mismatch rate.
const HONEST_RATE: f64 = 0.02;
/// Cheaters fake at least this fraction to be in the "must be caught" class (the sprint's
/// stated detection bound is for 5%).
const DETECTABLE: f64 = 0.05;
/// Hosts besides Alice and Bob.
const EXTRA_HOSTS: usize = 22;
const EPOCH: u32 = DEV_EPOCH_CLOCK.epoch_length;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
	Honest,
	/// Fakes a fresh fraction in 1-20% of its nonces every epoch.
	Cheater,
	/// Computes honestly; votes for the coalition, against everyone else.
	Colluder,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Status {
	/// Not (or no longer) registered.
	Idle,
	/// Its worker runs: commits and validates.
	Running,
	/// Registered, worker stopped until the given epoch.
	Silent(u32),
}

struct Host {
	account: AccountId,
	pair: sr25519::Pair,
	worker: WorkerPair,
	kind: Kind,
	/// In the coalition (the colluders and one cheater).
	coalition: bool,
	status: Status,
	/// Nonces per sprint when honest.
	compute: u32,
}

/// What a host did in one epoch (for the checks at its settlement).
#[derive(Clone, Copy, Debug)]
struct Behaviour {
	kind: Kind,
	coalition: bool,
	/// Fraction of faked nonces (0 unless a cheater).
	faked: f64,
	committed: bool,
	/// Submitted its verdicts.
	judged: bool,
}

/// Running statistics of the checks.
#[derive(Default, Debug)]
struct Stats {
	judgements: u32,
	honest_judged: u32,
	honest_rejected: u32,
	honest_rejected_expected: f64,
	honest_rejected_with_full_committee: u32,
	detectable_judged: u32,
	detectable_accepted: u32,
	detectable_accepted_expected: f64,
	small_fraud_judged: u32,
	small_fraud_accepted: u32,
	outages: u32,
	cross_validation_epochs: u32,
	zero_epochs: u32,
	max_zero_streak: u32,
	referenda_approved: u32,
	referenda_rejected: u32,
	votes: u32,
	claims: u32,
	max_gonka_keys: usize,
	/// Transactions that found their block full and waited for the next.
	full_blocks: u32,
	/// Epochs settled as contested (most proven weight rejected).
	contested_epochs: u32,
	/// The longest run of consecutive participations of one honest host that ended in
	/// rejection.
	max_honest_rejection_streak: u32,
}

struct Network {
	hosts: Vec<Host>,
	rng: StdRng,
	ledger: common::Ledger,
	/// Behaviour per epoch, kept until the epoch is checked.
	behaviour: BTreeMap<u32, HashMap<AccountId, Behaviour>>,
	/// The critical value `c(n)` per sample size.
	critical: HashMap<u32, u32>,
	ln_fact: Vec<f64>,
	stats: Stats,
	zero_streak: u32,
	/// Gonka keys at the end of each epoch.
	keys: Vec<usize>,
	/// Referenda this simulation opened (still to clean up after they end).
	referenda: Vec<u32>,
	/// No random churn: a test sets the hosts' statuses itself.
	scripted: bool,
	/// Per honest host, consecutive epochs in which it committed and was rejected.
	rejection_streaks: HashMap<AccountId, u32>,
	/// `try_state` after every block (`GONKA_CHURN_EVERY_BLOCK=1`), not only after the blocks
	/// where something happens.
	every_block: bool,
}

fn host_pair(i: usize) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//Churn{i}"), None).unwrap()
}

/// The development preset plus the simulation's hosts' balances.
fn genesis() -> sp_io::TestExternalities {
	let mut config = common::preset_config("development");
	let balances = config["balances"]["balances"].as_array_mut().unwrap();
	for i in 0..EXTRA_HOSTS {
		let account: AccountId = host_pair(i).public().into();
		balances.push(serde_json::json!([account, 1_000_000 * GNK]));
	}
	common::new_ext_from(config)
}

fn weight(epoch: u32, who: &AccountId) -> u128 {
	<Sprint as ComputeWeights<AccountId>>::weight_of(epoch, who)
}

fn now() -> u32 {
	frame_system::Pallet::<Runtime>::block_number()
}

fn ln_factorials(n: u32) -> Vec<f64> {
	let mut t = vec![0.0f64; n as usize + 1];
	for i in 1..=n as usize {
		t[i] = t[i - 1] + (i as f64).ln();
	}
	t
}

impl Network {
	fn new(seed: u64) -> Self {
		let mut rng = StdRng::seed_from_u64(seed);
		let mut hosts = Vec::new();
		for (k, uri) in [
			(sp_keyring::Sr25519Keyring::Alice, "//Alice//worker"),
			(sp_keyring::Sr25519Keyring::Bob, "//Bob//worker"),
		] {
			hosts.push(Host {
				account: k.to_account_id(),
				pair: k.pair(),
				worker: common::worker(uri),
				kind: Kind::Honest,
				coalition: false,
				status: Status::Running,
				compute: rng.gen_range(1_000..3_000),
			});
		}
		for i in 0..EXTRA_HOSTS {
			let pair = host_pair(i);
			let (kind, coalition) = match i {
				0 => (Kind::Cheater, true),
				1 | 2 => (Kind::Cheater, false),
				3 | 4 => (Kind::Colluder, true),
				_ => (Kind::Honest, false),
			};
			hosts.push(Host {
				account: pair.public().into(),
				worker: common::worker(&format!("//Churn{i}//worker")),
				pair,
				kind,
				coalition,
				status: Status::Idle,
				compute: rng.gen_range(1_000..3_000),
			});
		}
		common::start_block(1);
		Self {
			hosts,
			rng,
			ledger: common::Ledger::at_genesis(),
			behaviour: BTreeMap::new(),
			critical: HashMap::new(),
			ln_fact: ln_factorials(1_000),
			stats: Stats::default(),
			zero_streak: 0,
			keys: Vec::new(),
			referenda: Vec::new(),
			scripted: false,
			rejection_streaks: HashMap::new(),
			every_block: std::env::var("GONKA_CHURN_EVERY_BLOCK").is_ok_and(|v| v == "1"),
		}
	}

	/// Runs blocks up to and including block `n`, checking the block invariants at each end.
	fn run_to(&mut self, n: u32) {
		while now() < n {
			common::end_block();
			let number = now();
			self.ledger.record_block_events();
			self.ledger.check().unwrap_or_else(|e| panic!("block {number}: {e}"));
			// `try_state` walks every epoch of history: at every block in the long run, at the
			// blocks where something happens (activation, after the commits, after the verdicts,
			// during and after settlement) in CI.
			if self.every_block || [0, 4, 12, 17, 19].contains(&(number % EPOCH)) {
				common::gonka_try_state().unwrap_or_else(|e| panic!("block {number}: {e:?}"));
			}
			common::check_block_weight().unwrap_or_else(|e| panic!("block {number}: {e}"));
			self.count_events();
			common::start_block(number + 1);
		}
	}

	fn count_events(&mut self) {
		for record in frame_system::Pallet::<Runtime>::events() {
			match record.event {
				gonka_runtime::RuntimeEvent::Sprint(
					pallet_gonka_sprint::Event::CrossValidation { .. },
				) => self.stats.cross_validation_epochs += 1,
				gonka_runtime::RuntimeEvent::Sprint(pallet_gonka_sprint::Event::Contested {
					..
				}) => self.stats.contested_epochs += 1,
				// `Confirmed` is what referenda emits when a referendum passes.
				gonka_runtime::RuntimeEvent::Referenda(pallet_referenda::Event::Confirmed {
					..
				}) => self.stats.referenda_approved += 1,
				gonka_runtime::RuntimeEvent::Referenda(pallet_referenda::Event::Rejected {
					..
				}) => self.stats.referenda_rejected += 1,
				_ => {},
			}
		}
	}

	/// Sends `call` signed by host `host` (with its next nonce); when the block is full, waits
	/// for the next one. True when it dispatched successfully.
	fn signed(&mut self, host: usize, call: RuntimeCall) -> bool {
		let (pair, account) = (self.hosts[host].pair.clone(), self.hosts[host].account.clone());
		self.apply(|| {
			let nonce = frame_system::Pallet::<Runtime>::account_nonce(&account);
			common::signed_by_pair(&pair, account.clone(), call.clone(), nonce)
		})
	}

	/// Sends a fee-less general transaction; when the block is full, waits for the next one
	/// (as a worker's transaction waits in the pool). True when it dispatched successfully.
	fn general(&mut self, call: RuntimeCall) -> bool {
		self.apply(|| common::general(call.clone()))
	}

	/// Applies the extrinsic `make` builds, in the next block again while the current one is
	/// full.
	fn apply(&mut self, make: impl Fn() -> gonka_runtime::UncheckedExtrinsic) -> bool {
		use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};
		loop {
			match Executive::apply_extrinsic(make()) {
				Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources)) => {
					self.stats.full_blocks += 1;
					self.run_to(now() + 1)
				},
				result => return matches!(result, Ok(Ok(()))),
			}
		}
	}

	/// Host `i` registers with a proof of possession of its worker key; its worker runs.
	fn register(&mut self, i: usize) {
		let h = &self.hosts[i];
		let call = pallet_gonka_hosts::Call::register {
			endpoint: b"http://127.0.0.1:9000".to_vec().try_into().unwrap(),
			worker_key: h.worker.public(),
			key_proof: h.worker.sign(&worker_pop_payload(&h.account)),
			models: Default::default(),
			hardware: Default::default(),
		};
		assert!(self.signed(i, call.into()), "host {i} registers");
		self.hosts[i].status = Status::Running;
	}

	/// Churn at the start of `epoch`: silences end, hosts join, leave, go silent; sometimes an
	/// outage.
	fn churn(&mut self, epoch: u32) {
		for i in 0..self.hosts.len() {
			if let Status::Silent(until) = self.hosts[i].status {
				if until <= epoch {
					self.hosts[i].status = Status::Running;
				}
			}
		}
		// Joins: an idle host registers (its worker starts with the next sprint).
		let idle: Vec<usize> =
			(0..self.hosts.len()).filter(|&i| self.hosts[i].status == Status::Idle).collect();
		if !idle.is_empty() && self.rng.gen_bool(if epoch < 10 { 0.9 } else { 0.3 }) {
			let i = idle[self.rng.gen_range(0..idle.len())];
			self.register(i);
		}
		let running: Vec<usize> =
			(0..self.hosts.len()).filter(|&i| self.hosts[i].status == Status::Running).collect();
		// Leaves (never below four running hosts; Alice and Bob stay registered).
		if running.len() > 4 && self.rng.gen_bool(0.08) {
			let i = running[self.rng.gen_range(0..running.len())];
			if i >= 2 {
				assert!(
					self.signed(i, pallet_gonka_hosts::Call::deregister {}.into()),
					"host {i} deregisters"
				);
				self.hosts[i].status = Status::Idle;
			}
		}
		// Silences: a running host stops its worker for one to four epochs.
		for &i in &running {
			if self.rng.gen_bool(0.04) {
				self.hosts[i].status = Status::Silent(epoch + self.rng.gen_range(1..=4));
			}
		}
		// Outages: most or all of the validating set goes silent for one to three epochs; at
		// least one honest host keeps running.
		if epoch > 5 && self.rng.gen_bool(0.04) {
			self.stats.outages += 1;
			let source = pallet_gonka_sprint::ValidatorSource::<Runtime>::get();
			let share = if self.rng.gen_bool(0.5) { 1.0 } else { self.rng.gen_range(0.5..0.9) };
			let until = epoch + self.rng.gen_range(1..=3);
			for i in 0..self.hosts.len() {
				let validating = weight(source, &self.hosts[i].account) > 0;
				if validating && self.hosts[i].status == Status::Running && self.rng.gen_bool(share)
				{
					self.hosts[i].status = Status::Silent(until);
				}
			}
			let honest_running = (0..self.hosts.len()).any(|i| {
				self.hosts[i].status == Status::Running && self.hosts[i].kind == Kind::Honest
			});
			if !honest_running {
				let honest: Vec<usize> = (2..self.hosts.len())
					.filter(|&i| {
						self.hosts[i].kind == Kind::Honest
							&& matches!(self.hosts[i].status, Status::Silent(_))
					})
					.collect();
				// A registered honest host outside the validating set (a newcomer) keeps running;
				// if there is none, the first honest host does.
				let keep = honest
					.iter()
					.copied()
					.find(|&i| weight(source, &self.hosts[i].account) == 0)
					.or(honest.first().copied())
					.unwrap_or(0);
				self.hosts[keep].status = Status::Running;
			}
		}
	}

	/// The sprint: every running host commits its count (cheaters claim a fraction more than
	/// they computed, which their faked leaves make up).
	fn commit(&mut self, epoch: u32) {
		let mut behaviour = HashMap::new();
		for i in 0..self.hosts.len() {
			let h = &self.hosts[i];
			let faked = if h.kind == Kind::Cheater { self.rng.gen_range(0.01..0.20) } else { 0.0 };
			let mut b = Behaviour {
				kind: h.kind,
				coalition: h.coalition,
				faked,
				committed: false,
				judged: false,
			};
			if h.status == Status::Running {
				let jitter = self.rng.gen_range(0.9..1.1);
				let count = ((h.compute as f64 * jitter) / (1.0 - faked)) as u32;
				let count = count.min(Sprint::count_limit(&h.account));
				let commitment = SprintCommitment {
					epoch,
					count,
					merkle_root: sp_core::H256::from_low_u64_be(count as u64),
				};
				let payload =
					commitment_payload(&Sprint::genesis_hash(), &commitment, 0, &h.account);
				let call = pallet_gonka_sprint::Call::submit_commitment {
					commitment,
					submission: 0,
					host: h.account.clone(),
					signature: h.worker.sign(&payload),
				};
				// A newcomer may find no slot left; that is the sybil defence, not a failure.
				let account = h.account.clone();
				b.committed = self.general(call.into());
				behaviour.insert(account, b);
			} else {
				behaviour.insert(h.account.clone(), b);
			}
		}
		self.behaviour.insert(epoch, behaviour);
	}

	fn critical(&mut self, n: u32) -> u32 {
		*self.critical.entry(n).or_insert_with(|| {
			pallet_gonka_sprint::critical::critical_value(
				n,
				Perbill::from_percent(2),
				Perbill::from_parts(1_000_000),
			)
		})
	}

	/// `P(Bin(n, p) <= c)`.
	fn cdf(&self, n: u32, c: u32, p: f64) -> f64 {
		let lf = &self.ln_fact;
		(0..=c.min(n))
			.map(|k| {
				let (n_, k_) = (n as usize, k as usize);
				(lf[n_] - lf[k_] - lf[n_ - k_]
					+ k as f64 * p.ln()
					+ (n - k) as f64 * (1.0 - p).ln())
				.exp()
			})
			.sum::<f64>()
			.min(1.0)
	}

	/// The mismatch rate of a sample of `b`'s leaves.
	fn mismatch_rate(b: &Behaviour) -> f64 {
		b.faked + (1.0 - b.faked) * HONEST_RATE
	}

	/// Validation: every running host judges its assignments.
	fn judge(&mut self, epoch: u32) {
		for i in 0..self.hosts.len() {
			if self.hosts[i].status != Status::Running {
				continue;
			}
			let me = self.hosts[i].account.clone();
			let assignments = Sprint::assignments(epoch, &me);
			if assignments.is_empty() {
				continue;
			}
			let mut verdicts = Vec::new();
			for a in assignments {
				let target = self.behaviour[&epoch][&a.target];
				let samples = a.indices.len() as u32;
				let mismatches = match self.hosts[i].kind {
					Kind::Colluder if target.coalition => 0,
					Kind::Colluder => samples,
					_ => Binomial::new(samples as u64, Self::mismatch_rate(&target))
						.unwrap()
						.sample(&mut self.rng) as u32,
				};
				verdicts.push((
					a.target,
					ValidationVerdict {
						samples_checked: samples,
						mismatches,
						proofs_not_served: false,
					},
				));
			}
			let max: u32 = <Runtime as pallet_gonka_sprint::Config>::MaxVerdictsPerCall::get();
			let max = max as usize;
			for chunk in verdicts.chunks(max) {
				let payload = verdicts_payload(&Sprint::genesis_hash(), epoch, &me, chunk);
				let call = pallet_gonka_sprint::Call::submit_verdicts {
					epoch,
					validator: me.clone(),
					verdicts: chunk.to_vec().try_into().unwrap(),
					signature: self.hosts[i].worker.sign(&payload),
				};
				assert!(
					self.general(call.into()),
					"epoch {epoch}: validator {i}'s verdicts refused"
				);
			}
			self.behaviour.get_mut(&epoch).unwrap().get_mut(&me).unwrap().judged = true;
		}
	}

	/// The probability that a committee accepts `target`: each member says "valid"
	/// independently with its own probability; acceptance needs more than half of the seats.
	fn acceptance_probability(
		&mut self,
		behaviour: &HashMap<AccountId, Behaviour>,
		target: &Behaviour,
		committee: &[AccountId],
		samples: u32,
	) -> f64 {
		let c = self.critical(samples);
		let honest_valid = self.cdf(samples, c, Self::mismatch_rate(target));
		let mut dist = vec![1.0f64]; // dist[k] = P(k valid so far)
		for member in committee {
			let m = behaviour.get(member).copied();
			let p = match m {
				Some(m) if m.judged => match m.kind {
					Kind::Colluder => {
						if target.coalition {
							1.0
						} else {
							0.0
						}
					},
					_ => honest_valid,
				},
				_ => 0.0,
			};
			let mut next = vec![0.0; dist.len() + 1];
			for (k, q) in dist.iter().enumerate() {
				next[k] += q * (1.0 - p);
				next[k + 1] += q * p;
			}
			dist = next;
		}
		let seats = committee.len();
		if seats == 0 {
			return 0.0;
		}
		dist.iter().enumerate().filter(|(k, _)| 2 * k > seats).map(|(_, q)| q).sum()
	}

	/// Checks the decisions of `epoch` (settled and activated).
	fn check_settled(&mut self, epoch: u32) {
		let behaviour = self.behaviour.remove(&epoch).expect("behaviour recorded");
		let info = pallet_gonka_sprint::Epochs::<Runtime>::get(epoch).expect("epoch info");
		let sample_size = <Runtime as pallet_gonka_sprint::Config>::SampleSize::get();
		let mut honest_participants = false;
		for (account, b) in &behaviour {
			if !b.committed {
				continue;
			}
			let record = pallet_gonka_sprint::Commitments::<Runtime>::get(epoch, account)
				.expect("commitment kept");
			let outcome = pallet_gonka_sprint::Outcomes::<Runtime>::get(epoch, account)
				.expect("every participant settled");
			let accepted = matches!(outcome, Outcome::Accepted { .. });
			let committee = Sprint::committee_of(epoch, &info, account);
			let samples = record.count.min(sample_size);
			let p_accept = if committee.is_empty()
				&& info.validator_set == pallet_gonka_sprint::FALLBACK_SET
			{
				1.0 // the lone survivor
			} else {
				self.acceptance_probability(&behaviour, b, &committee, samples)
			};
			self.stats.judgements += 1;
			match b.kind {
				Kind::Honest | Kind::Colluder if b.faked == 0.0 => {
					if b.kind == Kind::Honest {
						honest_participants = true;
					}
					self.stats.honest_judged += 1;
					if b.kind == Kind::Honest {
						let streak = self.rejection_streaks.entry(account.clone()).or_default();
						*streak = if accepted { 0 } else { *streak + 1 };
						self.stats.max_honest_rejection_streak =
							self.stats.max_honest_rejection_streak.max(*streak);
					}
					self.stats.honest_rejected_expected += 1.0 - p_accept;
					if !accepted {
						if std::env::var("GONKA_CHURN_DEBUG").is_ok() {
							let roles: Vec<String> = committee
								.iter()
								.map(|m| match behaviour.get(m) {
									Some(m) if m.judged => format!("{:?}", m.kind),
									Some(m) => format!("silent(committed={})", m.committed),
									None => "unknown".into(),
								})
								.collect();
							eprintln!(
								"epoch {epoch} set {} p={p_accept:.3}: {roles:?}",
								info.validator_set
							);
						}
						self.stats.honest_rejected += 1;
						let full = committee.len() as u32
							== <Runtime as pallet_gonka_sprint::Config>::CommitteeSize::get()
							&& committee.iter().all(|m| {
								behaviour
									.get(m)
									.is_some_and(|m| m.judged && m.kind != Kind::Colluder)
							});
						if full {
							self.stats.honest_rejected_with_full_committee += 1;
						}
					}
				},
				_ if b.faked >= DETECTABLE => {
					self.stats.detectable_judged += 1;
					self.stats.detectable_accepted_expected += p_accept;
					self.stats.detectable_accepted += accepted as u32;
				},
				_ => {
					self.stats.small_fraud_judged += 1;
					self.stats.small_fraud_accepted += accepted as u32;
				},
			}
		}
		// Recovery: epochs with honest participants that ended with no weight at all.
		let total = <Sprint as ComputeWeights<AccountId>>::total_weight(epoch);
		if total == 0 && honest_participants {
			self.zero_streak += 1;
			self.stats.zero_epochs += 1;
			self.stats.max_zero_streak = self.stats.max_zero_streak.max(self.zero_streak);
			assert!(
				self.zero_streak <= RECOVERY_BOUND,
				"epoch {epoch}: {} epochs in a row without weight",
				self.zero_streak
			);
		} else if total > 0 {
			self.zero_streak = 0;
			// Emission pays every epoch with weight.
			let reward = pallet_gonka_emission::EpochRewards::<Runtime>::get(epoch)
				.unwrap_or_else(|| panic!("epoch {epoch}: weight {total} but no reward"));
			assert_eq!(reward.total_weight, total);
		}
	}

	/// Claims, proposals, votes and clean-up of finished referenda's votes.
	fn govern(&mut self) {
		// Hosts claim what they earned in the active epoch.
		if let Some(active) = pallet_gonka_sprint::ActiveEpoch::<Runtime>::get() {
			for i in 0..self.hosts.len() {
				if gonka_runtime::Emission::api_claimable(self.hosts[i].account.clone(), active) > 0
				{
					assert!(
						self.signed(i, pallet_gonka_emission::Call::claim { epoch: active }.into())
					);
					self.stats.claims += 1;
				}
			}
		}
		let Some(voting) = <Sprint as ComputeWeights<AccountId>>::voting_epoch() else { return };
		let weighted: Vec<usize> = (0..self.hosts.len())
			.filter(|&i| {
				self.hosts[i].status == Status::Running
					&& weight(voting, &self.hosts[i].account) > 0
			})
			.collect();
		// Keep a referendum open: a weighted host proposes and places the decision deposit.
		let ongoing: Vec<u32> = self
			.referenda
			.iter()
			.copied()
			.filter(|r| {
				matches!(
					pallet_referenda::ReferendumInfoFor::<Runtime>::get(r),
					Some(ReferendumInfo::Ongoing(_))
				)
			})
			.collect();
		if ongoing.is_empty() && !weighted.is_empty() {
			let proposer = weighted[self.rng.gen_range(0..weighted.len())];
			let proposal = RuntimeCall::Sprint(pallet_gonka_sprint::Call::set_pow_params {
				params: DEV_POW_PARAMS,
			});
			let index = pallet_referenda::ReferendumCount::<Runtime>::get();
			let submit = RuntimeCall::Referenda(pallet_referenda::Call::submit {
				proposal_origin: Box::new(OriginCaller::Origins(Origin::ParametersAdmin)),
				proposal: Bounded::Inline(proposal.encode().try_into().unwrap()),
				enactment_moment: DispatchTime::After(0),
			});
			// Proposing needs weight in the active epoch (not just the voting epoch).
			if self.signed(proposer, submit) {
				assert!(self.signed(
					proposer,
					pallet_referenda::Call::place_decision_deposit { index }.into()
				));
				self.referenda.push(index);
			}
		}
		// Votes: some weighted hosts vote or change their vote, a few withdraw it.
		for &poll in &ongoing {
			for &i in &weighted {
				if self.rng.gen_bool(0.3) {
					let call = match self.rng.gen_range(0..20) {
						0 => pallet_gonka_compute_voting::Call::remove_vote { poll },
						1..=2 => pallet_gonka_compute_voting::Call::vote {
							poll,
							vote: ComputeVote::Abstain,
						},
						3..=6 => {
							pallet_gonka_compute_voting::Call::vote { poll, vote: ComputeVote::Nay }
						},
						_ => {
							pallet_gonka_compute_voting::Call::vote { poll, vote: ComputeVote::Aye }
						},
					};
					self.stats.votes += self.signed(i, call.into()) as u32;
				}
			}
		}
		// Finished referenda: every voter removes its record.
		let finished: Vec<u32> = self
			.referenda
			.iter()
			.copied()
			.filter(|r| {
				!matches!(
					pallet_referenda::ReferendumInfoFor::<Runtime>::get(r),
					Some(ReferendumInfo::Ongoing(_))
				)
			})
			.collect();
		for poll in finished {
			for i in 0..self.hosts.len() {
				if pallet_gonka_compute_voting::VotingFor::<Runtime>::contains_key(
					poll,
					&self.hosts[i].account,
				) {
					assert!(self
						.signed(i, pallet_gonka_compute_voting::Call::remove_vote { poll }.into()));
				}
			}
			self.referenda.retain(|r| *r != poll);
		}
	}

	/// Every ongoing referendum's tally equals the recomputation from current weights.
	fn check_tallies(&self) {
		assert!(pallet_gonka_compute_voting::RecountCursor::<Runtime>::get().is_none());
		let voting = <Sprint as ComputeWeights<AccountId>>::voting_epoch();
		let weight = |who: &AccountId| voting.map_or(0, |e| weight(e, who));
		for &poll in &self.referenda {
			let Some(ReferendumInfo::Ongoing(status)) =
				pallet_referenda::ReferendumInfoFor::<Runtime>::get(poll)
			else {
				continue;
			};
			let (mut ayes, mut nays, mut abstains) = (0, 0, 0);
			for (voter, record) in
				pallet_gonka_compute_voting::VotingFor::<Runtime>::iter_prefix(poll)
			{
				match record.vote {
					ComputeVote::Aye => ayes += weight(&voter),
					ComputeVote::Nay => nays += weight(&voter),
					ComputeVote::Abstain => abstains += weight(&voter),
				}
			}
			let tally = status.tally;
			assert_eq!(
				(tally.ayes, tally.nays, tally.abstains),
				(ayes, nays, abstains),
				"poll {poll}: the tally is not the recomputation from current weights"
			);
		}
	}

	/// Storage of the Gonka pallets: bounded, and nothing older than `HistoryDepth` is left.
	fn check_storage(&mut self, epoch: u32) {
		let keys: usize = ["Hosts", "Sprint", "Emission", "ComputeVoting"]
			.iter()
			.map(|p| {
				let prefix = sp_io::hashing::twox_128(p.as_bytes());
				let mut n = 0;
				let mut key = prefix.to_vec();
				while let Some(next) = sp_io::storage::next_key(&key) {
					if !next.starts_with(&prefix) {
						break;
					}
					n += 1;
					key = next;
				}
				n
			})
			.sum();
		self.keys.push(keys);
		self.stats.max_gonka_keys = self.stats.max_gonka_keys.max(keys);
		let depth: u32 = <Runtime as pallet_gonka_sprint::Config>::HistoryDepth::get();
		// Pruning runs a few keys per block: an epoch is gone two epochs after it left history.
		if let Some(old) = epoch.checked_sub(depth + 2) {
			assert!(!pallet_gonka_sprint::Epochs::<Runtime>::contains_key(old), "epoch {old} kept");
			assert_eq!(pallet_gonka_sprint::Commitments::<Runtime>::iter_prefix(old).count(), 0);
			assert_eq!(pallet_gonka_sprint::Weights::<Runtime>::iter_prefix(old).count(), 0);
			assert!(pallet_gonka_emission::EpochRewards::<Runtime>::get(old).is_none());
		}
	}

	/// One epoch, block by block.
	fn epoch(&mut self, epoch: u32) {
		let base = epoch * EPOCH;
		let clock = DEV_EPOCH_CLOCK;
		self.run_to(base.max(1));
		if epoch > 0 {
			self.check_settled(epoch - 1);
		}
		if !self.scripted {
			self.churn(epoch);
		}
		self.run_to(base + clock.sprint_start + 1);
		self.commit(epoch);
		self.run_to(base + clock.commit_end() + 1);
		self.judge(epoch);
		self.govern();
		self.run_to(base + EPOCH - 1);
		self.check_tallies();
		self.check_storage(epoch);
	}
}

#[test]
fn two_hundred_epochs_of_churn_keep_every_invariant() {
	let epochs = common::env("GONKA_CHURN_EPOCHS", 210) as u32;
	let seed = common::env("GONKA_CHURN_SEED", 17);
	let mut ext = genesis();
	let started = std::time::Instant::now();
	let mut net = ext.execute_with(|| Network::new(seed));
	for epoch in 0..epochs {
		ext.execute_with(|| net.epoch(epoch));
		// The overlay keeps every key ever written (pruned ones as deletions); moving it into
		// the backend keeps storage iteration as fast at epoch 200 as at epoch 2.
		ext.commit_all().expect("the overlay commits");
		if epoch % 10 == 9 {
			eprintln!(
				"churn: epoch {epoch} at {:.0?}, {} Gonka keys",
				started.elapsed(),
				net.keys.last().unwrap()
			);
		}
	}
	ext.execute_with(|| {
		if std::env::var("GONKA_CHURN_DEBUG").is_ok() {
			for r in 0..pallet_referenda::ReferendumCount::<Runtime>::get() {
				eprintln!(
					"referendum {r}: {:?}",
					pallet_referenda::ReferendumInfoFor::<Runtime>::get(r)
				);
			}
		}
		let s = &net.stats;
		println!("churn: {epochs} epochs (seed {seed}) in {:.0?}: {s:#?}", started.elapsed());

		// Decisions follow the rule: observed within 4 sigma (+3) of what the committees predict.
		let bound = |expected: f64| expected + 4.0 * expected.sqrt() + 3.0;
		assert!(
			(s.honest_rejected as f64) <= bound(s.honest_rejected_expected),
			"{} honest rejections, {:.2} expected",
			s.honest_rejected,
			s.honest_rejected_expected
		);
		assert!(
			(s.detectable_accepted as f64) <= bound(s.detectable_accepted_expected),
			"{} cheaters above 5% accepted, {:.2} expected",
			s.detectable_accepted,
			s.detectable_accepted_expected
		);
		assert_eq!(s.honest_rejected_with_full_committee, 0);
		// The run exercised what it claims to.
		if epochs >= 200 {
			assert!(s.outages >= 3, "{} outages", s.outages);
			assert!(s.cross_validation_epochs >= 1);
			assert!(s.detectable_judged >= 100);
			assert!(s.referenda_approved >= 1);
			// Recovery for every honest host: a capture or a silent committee costs it at most
			// two participations in a row (rejected, then contested or cross-validated).
			assert!(s.max_honest_rejection_streak <= 2, "{}", s.max_honest_rejection_streak);
		}
		// Storage depends on hosts and history, not on the number of epochs: per epoch of
		// history at most `hosts * (CommitteeSize + 8) + 8` keys (verdicts, commitments,
		// participants, outcomes, keys, weights, penalties, counters), plus per-host records.
		let hosts = net.hosts.len();
		let depth: u32 = <Runtime as pallet_gonka_sprint::Config>::HistoryDepth::get();
		let committee: u32 = <Runtime as pallet_gonka_sprint::Config>::CommitteeSize::get();
		let bound = (depth as usize + 2) * (hosts * (committee as usize + 8) + 8) + 8 * hosts + 64;
		assert!(s.max_gonka_keys <= bound, "{} keys, bound {bound}", s.max_gonka_keys);
	});
}

/// Issue 17's frozen validators on the real runtime: Alice, Bob and Charlie prove weight in
/// epoch 0, then all three stop; Dave, an honest newcomer, commits. Epoch 1: his committee is
/// silent, nobody gets weight. Epoch 2 is a cross-validation epoch and Dave, its only
/// participant, gets weight: within the stated two epochs. Emission pays him for it, and a
/// referendum he proposes and votes for passes: governance works again, with no sudo.
#[test]
fn frozen_validators_recover_weight_emission_and_governance() {
	genesis().execute_with(|| {
		let mut net = Network::new(3);
		net.scripted = true;
		let (charlie, dave) = (7, 8);
		assert_eq!(net.hosts[charlie].kind, Kind::Honest);
		assert_eq!(net.hosts[dave].kind, Kind::Honest);
		net.register(charlie);
		net.epoch(0);
		net.run_to(EPOCH);
		for i in [0, 1, charlie] {
			assert!(weight(0, &net.hosts[i].account) > 0, "host {i} proved weight in epoch 0");
			net.hosts[i].status = Status::Silent(u32::MAX);
		}
		net.register(dave);
		let dave_account = net.hosts[dave].account.clone();
		net.epoch(1);
		net.epoch(2);
		net.run_to(3 * EPOCH);
		net.check_settled(2);
		assert_eq!(<Sprint as ComputeWeights<AccountId>>::total_weight(1), 0);
		assert_eq!(
			pallet_gonka_sprint::Epochs::<Runtime>::get(2).unwrap().validator_set,
			pallet_gonka_sprint::FALLBACK_SET
		);
		assert!(weight(2, &dave_account) > 0, "Dave has weight two epochs after the freeze");
		// Emission pays Dave for epoch 2.
		let before = gonka_runtime::Balances::free_balance(&dave_account);
		let reward = gonka_runtime::Emission::api_claimable(dave_account.clone(), 2);
		assert!(reward > 0);
		assert!(net.signed(dave, pallet_gonka_emission::Call::claim { epoch: 2 }.into()));
		assert!(gonka_runtime::Balances::free_balance(&dave_account) > before);
		// Governance: Dave proposes and votes; his compute is the whole electorate.
		let index = pallet_referenda::ReferendumCount::<Runtime>::get();
		let proposal = RuntimeCall::Sprint(pallet_gonka_sprint::Call::set_pow_params {
			params: DEV_POW_PARAMS,
		});
		let submit = RuntimeCall::Referenda(pallet_referenda::Call::submit {
			proposal_origin: Box::new(OriginCaller::Origins(Origin::ParametersAdmin)),
			proposal: Bounded::Inline(proposal.encode().try_into().unwrap()),
			enactment_moment: DispatchTime::After(0),
		});
		assert!(net.signed(dave, submit));
		assert!(net.signed(dave, pallet_referenda::Call::place_decision_deposit { index }.into()));
		let aye = pallet_gonka_compute_voting::Call::vote { poll: index, vote: ComputeVote::Aye };
		assert!(net.signed(dave, aye.into()));
		net.run_to(5 * EPOCH);
		assert!(
			matches!(
				pallet_referenda::ReferendumInfoFor::<Runtime>::get(index),
				Some(ReferendumInfo::Approved(..))
			),
			"{:?}",
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(index)
		);
	});
}
