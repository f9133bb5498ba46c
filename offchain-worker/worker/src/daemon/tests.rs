//! The daemon's state machine against an in-memory chain ([`FakeChain`], the one test double of
//! [`SprintChain`]): a sprint ends in progressive, correctly signed commitments with the
//! submission index the chain expects; validation submits signed verdicts in batches of the
//! runtime's `MaxVerdictsPerCall`; settlement claims each earned epoch exactly once.

use std::{
	sync::{Arc, Mutex},
	time::Duration,
};

use gonka_pow::{device::ComputeDevice, server::ProofStore};
use gonka_primitives::{
	crypto::worker::{WorkerPair, WorkerSignature},
	epoch::{EpochClock, Phase},
	pow::{EpochIndex, SprintCommitment, ValidationVerdict},
	sprint::{commitment_payload, verdicts_payload},
	GNK,
};
use sp_core::Pair as _;
use tokio::sync::watch;

use super::{
	progress::{sprint_dir, Progress},
	Daemon, DaemonConfig, SprintChain,
};
use crate::chain::{
	follow::Head, AccountId, Assignment, Balance, CommitmentRecord, EpochStatus, HostView, Limits,
};
use gonka_pow::store::read_sprint;

const GENESIS: [u8; 32] = [7; 32];

/// What the fake chain holds and records.
struct State {
	status: EpochStatus,
	block: u64,
	assignments: Vec<Assignment>,
	claimable: Vec<(EpochIndex, Balance)>,
	commitments: Vec<(SprintCommitment, u32, AccountId, WorkerSignature)>,
	verdicts: Vec<(EpochIndex, AccountId, Vec<(AccountId, ValidationVerdict)>, WorkerSignature)>,
	claims: Vec<EpochIndex>,
}

/// An in-memory chain whose clock the test moves.
#[derive(Clone)]
struct FakeChain(Arc<Mutex<State>>);

impl FakeChain {
	fn state(&self) -> std::sync::MutexGuard<'_, State> {
		self.0.lock().expect("fake chain")
	}
}

impl SprintChain for FakeChain {
	async fn epoch_clock(&self) -> anyhow::Result<EpochClock> {
		Ok(EpochClock {
			epoch_length: 20,
			sprint_start: 2,
			sprint_length: 6,
			commit_grace: 1,
			validation_window: 6,
		})
	}
	async fn epoch_status(&self) -> anyhow::Result<EpochStatus> {
		Ok(self.state().status.clone())
	}
	async fn limits(&self) -> anyhow::Result<Limits> {
		Ok(Limits { verdicts_per_call: 2, commitments_per_host: 8 })
	}
	fn genesis_hash(&self) -> [u8; 32] {
		GENESIS
	}
	async fn commitment(
		&self,
		epoch: EpochIndex,
		host: &AccountId,
	) -> anyhow::Result<Option<CommitmentRecord>> {
		let s = self.state();
		let mine: Vec<_> =
			s.commitments.iter().filter(|c| c.0.epoch == epoch && &c.2 == host).collect();
		Ok(mine.last().map(|c| CommitmentRecord {
			count: c.0.count,
			merkle_root: c.0.merkle_root,
			submissions: mine.len() as u32,
		}))
	}
	async fn submit_commitment(
		&self,
		commitment: SprintCommitment,
		submission: u32,
		host: AccountId,
		signature: WorkerSignature,
	) -> anyhow::Result<()> {
		self.state().commitments.push((commitment, submission, host, signature));
		Ok(())
	}
	async fn assignments(
		&self,
		_epoch: EpochIndex,
		_validator: &AccountId,
	) -> anyhow::Result<Vec<Assignment>> {
		Ok(self.state().assignments.clone())
	}
	async fn host(&self, _who: &AccountId) -> anyhow::Result<Option<HostView>> {
		Ok(None)
	}
	async fn submit_verdicts(
		&self,
		epoch: EpochIndex,
		validator: AccountId,
		verdicts: Vec<(AccountId, ValidationVerdict)>,
		signature: WorkerSignature,
	) -> anyhow::Result<()> {
		self.state().verdicts.push((epoch, validator, verdicts, signature));
		Ok(())
	}
	async fn active_epoch(&self) -> anyhow::Result<Option<EpochIndex>> {
		Ok(None)
	}
	async fn weight_of(&self, _epoch: EpochIndex, _host: &AccountId) -> anyhow::Result<u128> {
		Ok(0)
	}
	async fn claimable_epochs(
		&self,
		_host: &AccountId,
	) -> anyhow::Result<Vec<(EpochIndex, Balance)>> {
		Ok(self.state().claimable.clone())
	}
	async fn claim(
		&self,
		_signer: &subxt_signer::sr25519::Keypair,
		epoch: EpochIndex,
	) -> anyhow::Result<()> {
		self.state().claims.push(epoch);
		Ok(())
	}
}

/// An assignment to check a host that is not in the registry (its proofs cannot be served).
fn unregistered(n: u8) -> Assignment {
	Assignment {
		target: AccountId::from([n; 32]),
		worker_key: None,
		count: 10,
		merkle_root: Default::default(),
		indices: vec![0],
	}
}

/// A fake chain at block 1, in epoch 1's sprint with 6 blocks left and seed `seed`.
fn chain_in_sprint(seed: [u8; 32]) -> FakeChain {
	FakeChain(Arc::new(Mutex::new(State {
		status: EpochStatus {
			epoch: 1,
			phase: Phase::Sprint,
			blocks_left: 6,
			seed: Some(seed.into()),
			params: Some(gonka_pow::params::tiny_params()),
		},
		block: 1,
		assignments: (10..13).map(unregistered).collect(),
		claimable: Vec::new(),
		commitments: Vec::new(),
		verdicts: Vec::new(),
		claims: Vec::new(),
	})))
}

/// A daemon for `host` with worker key `worker` on `chain`, its state in `dir`, following the
/// heads the test sends on the returned sender.
fn daemon_on(
	chain: &FakeChain,
	dir: &std::path::Path,
	host: &AccountId,
	worker: &WorkerPair,
) -> (Daemon<FakeChain>, watch::Sender<Option<Head<FakeChain>>>) {
	let (heads_tx, heads) = watch::channel(None);
	let cfg = DaemonConfig {
		url: "fake://".into(),
		host: host.clone(),
		worker: worker.clone(),
		host_key: Some(subxt_signer::sr25519::dev::alice()),
		listen: "127.0.0.1:0".parse().unwrap(),
		state_dir: dir.to_path_buf(),
		compute: ComputeDevice::cpu(),
		lanes: 1,
		commit_every: Duration::from_millis(300),
		inflate_count_percent: 0,
		serve: None,
	};
	let daemon = Daemon {
		progress: Progress::load(&cfg.state_dir).unwrap(),
		cfg,
		chain: chain.clone(),
		store: Arc::new(ProofStore::new()),
		metrics: Default::default(),
		model: None,
		heads,
	};
	(daemon, heads_tx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daemon_sprints_validates_and_claims_against_the_chain_it_is_given() {
	let dir = tempfile::tempdir().unwrap();
	let worker = WorkerPair::from_string("//Alice//worker", None).unwrap();
	let host = AccountId::from([1u8; 32]);
	let chain = chain_in_sprint([9u8; 32]);
	let (mut daemon, heads_tx) = daemon_on(&chain, dir.path(), &host, &worker);

	// The clock: a block every 400 ms through sprint, validation, settlement and waiting.
	let clock = async {
		let phases = [(Phase::Validation, 6), (Phase::Settlement, 3), (Phase::Waiting, 10)];
		let mut next = phases.iter();
		for _ in 0..80 {
			tokio::time::sleep(Duration::from_millis(400)).await;
			{
				let mut s = chain.state();
				s.block += 1;
				s.status.blocks_left -= 1;
				if s.status.blocks_left == 0 {
					let Some(&(phase, blocks)) = next.next() else { break };
					s.status.phase = phase;
					s.status.blocks_left = blocks;
					if phase == Phase::Settlement {
						s.claimable = vec![(1, 5 * GNK)];
					}
				}
			}
			let number = chain.state().block;
			heads_tx.send_replace(Some(Head { number, connection: 0, chain: chain.clone() }));
			let s = chain.state();
			if s.status.phase == Phase::Waiting && s.status.blocks_left < 8 {
				break;
			}
		}
	};
	tokio::select! {
		r = daemon.work() => panic!("the daemon stopped: {r:?}"),
		_ = clock => {},
	}

	let s = chain.state();
	// Sprint: progressive commitments, each with the submission index the chain expected and
	// signed by the worker key over the payload bound to this chain and host.
	assert!(!s.commitments.is_empty(), "no commitment");
	for (i, (commitment, submission, who, signature)) in s.commitments.iter().enumerate() {
		assert_eq!((commitment.epoch, *submission, who), (1, i as u32, &host));
		assert!(commitment.count > 0);
		let payload = commitment_payload(&GENESIS, commitment, *submission, who);
		assert!(WorkerPair::verify(signature, &payload, &worker.public()), "commitment {i}");
	}
	let counts: Vec<u32> = s.commitments.iter().map(|c| c.0.count).collect();
	assert!(counts.windows(2).all(|w| w[0] <= w[1]), "counts only grow: {counts:?}");
	assert!(daemon.progress.committed.contains(&1));
	assert_eq!(daemon.store.epochs(), vec![1], "the proofs of epoch 1 are served");

	// Validation: three unregistered targets, judged "not served", in batches of at most
	// `MaxVerdictsPerCall` (2), each batch signed.
	let sizes: Vec<usize> = s.verdicts.iter().map(|v| v.2.len()).collect();
	assert_eq!(sizes, vec![2, 1]);
	for (epoch, validator, verdicts, signature) in &s.verdicts {
		assert_eq!((*epoch, validator), (1, &host));
		assert!(verdicts.iter().all(|(_, v)| v.proofs_not_served));
		let payload = verdicts_payload(&GENESIS, *epoch, validator, verdicts);
		assert!(WorkerPair::verify(signature, &payload, &worker.public()));
	}
	assert!(daemon.progress.judged.contains(&1));

	// Claims: epoch 1 once, though it stays claimable on every later block.
	assert_eq!(s.claims, vec![1]);
	assert!(daemon.progress.claimed.contains(&1));
}

/// The daemon reads the seed at the best block, which a reorg may replace: when the seed
/// changes mid-sprint, it drops what it found and sprints again with the new seed, so the
/// commitment the chain ends with is over nonces of the chain's seed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daemon_sprints_again_when_a_reorg_changes_the_seed() {
	let dir = tempfile::tempdir().unwrap();
	let worker = WorkerPair::from_string("//Bob//worker", None).unwrap();
	let host = AccountId::from([2u8; 32]);
	let (old_seed, new_seed) = ([3u8; 32], [4u8; 32]);
	let chain = chain_in_sprint(old_seed);
	chain.state().status.blocks_left = 10;
	let (mut daemon, heads_tx) = daemon_on(&chain, dir.path(), &host, &worker);

	// A block every 400 ms; after the second, the seed changes (the sprint's first block was
	// replaced); the test ends when the sprint is over.
	let clock = async {
		loop {
			tokio::time::sleep(Duration::from_millis(400)).await;
			{
				let mut s = chain.state();
				s.block += 1;
				s.status.blocks_left -= 1;
				if s.status.blocks_left == 8 {
					s.status.seed = Some(new_seed.into());
				}
				if s.status.blocks_left == 0 {
					s.status.phase = Phase::CommitGrace;
					s.status.blocks_left = 1;
				}
			}
			let number = chain.state().block;
			heads_tx.send_replace(Some(Head { number, connection: 0, chain: chain.clone() }));
			if chain.state().status.phase == Phase::CommitGrace {
				// Give a commitment in flight time to land.
				tokio::time::sleep(Duration::from_millis(800)).await;
				break;
			}
		}
	};
	tokio::select! {
		r = daemon.work() => panic!("the daemon stopped: {r:?}"),
		_ = clock => {},
	}

	let s = chain.state();
	let (last, _, _, _) = s.commitments.last().expect("a commitment after the reorg");
	let record = read_sprint(&sprint_dir(dir.path(), 1)).expect("the sprint's record");
	assert_eq!(record.seed, new_seed, "the served sprint is the new seed's");
	assert_eq!(*last, record.commitment(), "the last commitment is that sprint's");
	assert!(daemon.progress.committed.contains(&1));
	let model_seed = daemon.model.as_ref().map(|m| m.1);
	assert_eq!(model_seed, Some(new_seed), "the cached model is the new seed's");
}

#[test]
fn inflation_is_only_for_testing_cheaters() {
	assert_eq!(super::inflate(100, 0), 100);
	assert_eq!(super::inflate(100, 20), 120);
	assert_eq!(super::inflate(u32::MAX, 20), u32::MAX);
}
