//! Serving the host's catalogue model from the daemon: the model file is checked against the
//! on-chain catalogue, loaded into the inference engine, and served on the daemon's endpoint
//! behind the market's executor layer; a background loop claims vouchers and validates
//! sampled leaves.
//!
//! During the sprint the daemon keeps answering paid requests: a session's vouchers are credit
//! the host extended, refusing would turn them into misses, and the CPU or GPU time a request
//! takes is simply not spent searching nonces (the host's own trade-off).

use crate::{
	chain::ChainClient,
	daemon::metrics::Metrics,
	market::{
		claims::Claimer,
		executor::{meter, Executor},
		lanes::LaneBook,
		validator::Validator,
	},
};
use anyhow::{anyhow, bail, Context};
use gonka_inference::{
	load_model, validation::ValidationParams, ApiConfig, Engine, EngineConfig, LoadOptions,
};
use gonka_primitives::{crypto::worker::WorkerPair, hosts::ModelId};
use gonka_runtime::AccountId;
use sp_core::H256;
use std::{path::PathBuf, sync::Arc, time::Duration};

/// What `gonka-worker run --model` asks for.
#[derive(Debug, Clone)]
pub struct ServeConfig {
	/// The model file (GGUF) or Hugging Face directory.
	pub path: PathBuf,
	/// The catalogue id it is served as (default: the host's registered model with its hash).
	pub catalogue_id: Option<ModelId>,
	/// Run on the CPU.
	pub cpu: bool,
	/// Engine threads.
	pub threads: Option<i32>,
	/// Largest decode batch.
	pub max_batch: usize,
	/// Testing only: serve the file even if its hash is not the catalogue's (a cheating host).
	pub skip_hash_check: bool,
	/// Testing only: add Gaussian noise of this many percent of each weight matrix's standard
	/// deviation after loading (a cheating host serving a cheaper or altered model).
	pub perturb_percent: Option<f64>,
}

/// Parses `sha256:<hex>` into the catalogue's hash type.
fn hash_of(content_hash: &str) -> anyhow::Result<H256> {
	let hex = content_hash.strip_prefix("sha256:").unwrap_or(content_hash);
	let bytes = hex::decode(hex).context("model hash")?;
	anyhow::ensure!(bytes.len() == 32, "model hash of {} bytes", bytes.len());
	Ok(H256::from_slice(&bytes))
}

/// The serving half of a daemon: the router to merge into the endpoint and the background work.
pub struct Serving {
	/// The inference API behind the executor layer, plus the market routes.
	pub router: axum::Router,
	executor: Arc<Executor>,
	validator: Validator,
}

impl Serving {
	/// Checks `cfg.path` against the catalogue entry the host registered, loads and starts it.
	pub async fn start(
		cfg: &ServeConfig,
		chain: &ChainClient,
		host: &AccountId,
		worker: &WorkerPair,
		state_dir: &std::path::Path,
		metrics: Arc<Metrics>,
	) -> anyhow::Result<Self> {
		let view = chain
			.host(host)
			.await?
			.ok_or_else(|| anyhow!("{host} is not a registered host: register it first"))?;
		let catalogue = chain.catalogue().await?;
		let load = LoadOptions {
			compute_hash: true,
			device: if cfg.cpu { tch::Device::Cpu } else { LoadOptions::default().device },
			..Default::default()
		};
		let path = cfg.path.clone();
		let loaded = tokio::task::spawn_blocking(move || load_model(&path, &load))
			.await?
			.with_context(|| format!("cannot load --model {}", cfg.path.display()))?;
		let file_hash = hash_of(loaded.info.content_hash.as_deref().unwrap_or_default())?;
		let registered: Vec<_> =
			catalogue.iter().filter(|(id, _)| view.models.contains(id)).collect();
		let entry = match cfg.catalogue_id {
			Some(id) => registered.iter().find(|(m, _)| *m == id).ok_or_else(|| {
				anyhow!("the host did not register catalogue model {id}: `gonka-worker register --model {id}`")
			})?,
			None => match registered.iter().find(|(_, m)| m.weights_hash == file_hash) {
				Some(e) => e,
				None if cfg.skip_hash_check && registered.len() == 1 => &registered[0],
				None => bail!(
					"--model {} has hash {file_hash:?}; the host's registered models are {}",
					cfg.path.display(),
					registered
						.iter()
						.map(|(id, m)| format!(
							"{id} ({}, hash {:?})",
							String::from_utf8_lossy(&m.name),
							m.weights_hash
						))
						.collect::<Vec<_>>()
						.join(", ")
				),
			},
		};
		let (model, info) = (entry.0, &entry.1);
		if info.weights_hash != file_hash && !cfg.skip_hash_check {
			bail!(
				"--model {} has hash {file_hash:?} but catalogue model {model} ({}) has {:?}: \
				 serve exactly the catalogue's file",
				cfg.path.display(),
				String::from_utf8_lossy(&info.name),
				info.weights_hash
			);
		}
		let mut loaded = loaded;
		if let Some(p) = cfg.perturb_percent {
			tch::manual_seed(7);
			loaded
				.model
				.weights_mut()
				.map_matrices(|w| Ok(w + w.randn_like() * (w.std(true) * (p / 100.0))))?;
			eprintln!("gonka-worker event=testing_perturbed_weights percent={p}");
		}
		// Clients ask for the catalogue's name.
		loaded.info.id = String::from_utf8_lossy(&info.name).into_owned();
		let engine = Engine::start(
			loaded,
			EngineConfig { max_batch_size: cfg.max_batch, num_threads: cfg.threads },
		);
		let book = LaneBook::open(&state_dir.join("market"))?;
		let executor = Arc::new(Executor::new(
			host.clone(),
			worker.clone(),
			chain.clone(),
			book,
			model,
			metrics.clone(),
		));
		let params = ValidationParams {
			min_similarity: f64::from(info.validation_threshold.deconstruct()) / 1e9,
			..Default::default()
		};
		let validator = Validator::new(
			host.clone(),
			worker.clone(),
			chain.clone(),
			engine.clone(),
			model,
			params,
			metrics,
		);
		let api = gonka_inference::router(engine, ApiConfig::default())
			.layer(axum::middleware::from_fn_with_state(executor.clone(), meter));
		let router = api.merge(executor.routes());
		eprintln!(
			"gonka-worker event=serving model={model} name={:?} hash={file_hash:?} min_similarity={}",
			String::from_utf8_lossy(&info.name),
			params.min_similarity
		);
		Ok(Self { router, executor, validator })
	}

	/// Claims and validates forever, every two seconds.
	pub async fn background(mut self) {
		let mut claimer = Claimer::default();
		loop {
			if let Err(e) = claimer.run_once(&self.executor).await {
				eprintln!("gonka-worker event=market_error step=claim error=\"{e:#}\"");
			}
			if let Err(e) = self.validator.run_once().await {
				eprintln!("gonka-worker event=market_error step=validate error=\"{e:#}\"");
			}
			tokio::time::sleep(Duration::from_secs(2)).await;
		}
	}
}
