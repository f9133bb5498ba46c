//! Serving the host's catalogue model from the daemon: the model file is checked against the
//! on-chain catalogue, loaded into the inference engine, and served on the daemon's endpoint
//! behind the market's executor layer; a background loop claims vouchers and validates
//! sampled leaves.
//!
//! During the sprint the daemon keeps answering paid requests: a session's vouchers are credit
//! the host extended, refusing would turn them into misses, and the CPU or GPU time a request
//! takes is simply not spent searching nonces (the host's own trade-off).

use crate::chain::AccountId;
use crate::{
	chain::market::{engine_precision, ModelInfo},
	market::executor::ServedModel,
};
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
use axum::{body::Body, extract::Request, routing::get, Json, Router};
use gonka_inference::{
	content_hash, load_model, validation::ValidationParams, ApiConfig, Engine, EngineConfig,
	LoadOptions, LoadedModel,
};
use gonka_primitives::{crypto::worker::WorkerPair, hosts::ModelId};
use sp_core::H256;
use std::collections::BTreeMap;
use std::{path::PathBuf, sync::Arc, time::Duration};
use tower::ServiceExt as _;

/// What `gonka-worker run --model ...` asks for.
#[derive(Debug, Clone)]
pub struct ServeConfig {
	/// The model files (GGUF) or Hugging Face directories, one per catalogue model served.
	pub paths: Vec<PathBuf>,
	/// The catalogue id a single model is served as (default: the host's registered model with
	/// the file's hash).
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
	/// Checks each of `cfg.paths` against the catalogue entries the host registered, loads and
	/// starts them, and puts them behind one executor layer.
	pub async fn start(
		cfg: &ServeConfig,
		chain: &ChainClient,
		host: &AccountId,
		worker: &WorkerPair,
		state_dir: &std::path::Path,
		metrics: Arc<Metrics>,
	) -> anyhow::Result<Self> {
		anyhow::ensure!(!cfg.paths.is_empty(), "no --model to serve");
		anyhow::ensure!(
			cfg.catalogue_id.is_none() || cfg.paths.len() == 1,
			"--catalogue-model names the catalogue id of a single --model; with several, each \
			 file is matched to the catalogue by its hash"
		);
		let view = chain
			.host(host)
			.await?
			.ok_or_else(|| anyhow!("{host} is not a registered host: register it first"))?;
		let catalogue = chain.catalogue().await?;
		let registered: Vec<_> =
			catalogue.iter().filter(|(id, _)| view.models.contains(id)).collect();
		let mut apis = BTreeMap::new();
		let mut engines = BTreeMap::new();
		for path in &cfg.paths {
			let (model, info, loaded, file_hash) = load_checked(cfg, path, &registered).await?;
			anyhow::ensure!(
				!apis.contains_key(&model),
				"--model {} is catalogue model {model} again: give each model once",
				path.display()
			);
			let engine = Engine::start(
				loaded,
				EngineConfig {
					max_batch_size: cfg.max_batch,
					num_threads: cfg.threads,
					..EngineConfig::default()
				},
			);
			let params = ValidationParams {
				min_similarity: f64::from(info.validation_threshold.0) / 1e9,
				..Default::default()
			};
			apis.insert(model, gonka_inference::router(engine.clone(), ApiConfig::default()));
			engines.insert(model, (engine, params));
			eprintln!(
				"gonka-worker event=serving model={model} name={:?} hash={file_hash:?} \
				 precision={} min_similarity={}",
				String::from_utf8_lossy(&info.name),
				engine_precision(&info.precision),
				params.min_similarity
			);
		}
		let book = LaneBook::open(&state_dir.join("market"))?;
		let executor = Arc::new(Executor::new(
			host.clone(),
			worker.clone(),
			chain.clone(),
			book,
			apis.keys().copied().collect(),
			metrics.clone(),
		));
		let validator =
			Validator::new(host.clone(), worker.clone(), chain.clone(), engines, metrics);
		let api =
			dispatch(apis).layer(axum::middleware::from_fn_with_state(executor.clone(), meter));
		let router = api.merge(executor.routes());
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

/// Loads `path` and finds its catalogue entry among the host's `registered` models: by
/// `cfg.catalogue_id`, else by the file's hash (refused, naming both hashes, when they differ).
async fn load_checked(
	cfg: &ServeConfig,
	path: &std::path::Path,
	registered: &[&(ModelId, ModelInfo)],
) -> anyhow::Result<(ModelId, ModelInfo, LoadedModel, H256)> {
	// The file's hash picks the catalogue entry, whose precision the engine loads it in.
	let owned = path.to_path_buf();
	let hash_text = tokio::task::spawn_blocking(move || content_hash(&owned))
		.await?
		.with_context(|| format!("cannot read --model {}", path.display()))?;
	let file_hash = hash_of(&hash_text)?;
	let entry = match cfg.catalogue_id {
		Some(id) => registered.iter().find(|(m, _)| *m == id).ok_or_else(|| {
			anyhow!("the host did not register catalogue model {id}: `gonka-worker register --model {id}`")
		})?,
		None => match registered.iter().find(|(_, m)| m.weights_hash == file_hash) {
			Some(e) => e,
			None if cfg.skip_hash_check && registered.len() == 1 => &registered[0],
			None => bail!(
				"--model {} has hash {file_hash:?}; the host's registered models are {}",
				path.display(),
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
	let (model, info) = (entry.0, entry.1.clone());
	if info.weights_hash != file_hash && !cfg.skip_hash_check {
		bail!(
			"--model {} has hash {file_hash:?} but catalogue model {model} ({}) has {:?}: \
			 serve exactly the catalogue's file",
			path.display(),
			String::from_utf8_lossy(&info.name),
			info.weights_hash
		);
	}
	let load = LoadOptions {
		compute_hash: false,
		device: if cfg.cpu { tch::Device::Cpu } else { LoadOptions::default().device },
		precision: engine_precision(&info.precision),
		..Default::default()
	};
	let owned = path.to_path_buf();
	let mut loaded = tokio::task::spawn_blocking(move || load_model(&owned, &load))
		.await?
		.with_context(|| format!("cannot load --model {}", path.display()))?;
	loaded.info.content_hash = Some(hash_text);
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
	Ok((model, info, loaded, file_hash))
}

/// One endpoint for several models' APIs: a completion goes to the API of the model its
/// session pays for ([`ServedModel`], set by the executor layer in front), `GET /v1/models`
/// lists every model, anything else goes to the first API (which answers 404 for unknown
/// routes).
pub fn dispatch(apis: BTreeMap<ModelId, Router>) -> Router {
	let apis = Arc::new(apis);
	let listed = apis.clone();
	Router::new()
		.route(
			"/v1/models",
			get(move || async move {
				let mut data = Vec::new();
				let mut object = serde_json::Value::Null;
				for api in listed.values() {
					let req = Request::get("/v1/models").body(Body::empty()).expect("request");
					let response = api.clone().oneshot(req).await.unwrap_or_else(|e| match e {});
					let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
						.await
						.unwrap_or_default();
					let mut list: serde_json::Value =
						serde_json::from_slice(&bytes).unwrap_or_default();
					if let Some(d) = list["data"].as_array_mut() {
						data.append(d);
					}
					object = list["object"].take();
				}
				Json(serde_json::json!({ "object": object, "data": data }))
			}),
		)
		.fallback(move |req: Request| {
			let apis = apis.clone();
			async move {
				let chosen = req.extensions().get::<ServedModel>().and_then(|m| apis.get(&m.0));
				let api = chosen.or_else(|| apis.values().next()).expect("at least one model");
				api.clone().oneshot(req).await.unwrap_or_else(|e| match e {})
			}
		})
}

#[cfg(test)]
mod tests {
	use super::*;
	use axum::routing::post;

	fn api(name: &'static str) -> Router {
		Router::new().route("/v1/chat/completions", post(move || async move { name })).route(
			"/v1/models",
			get(move || async move {
				Json(serde_json::json!({ "object": "list", "data": [{ "id": name }] }))
			}),
		)
	}

	async fn text(router: &Router, req: Request) -> String {
		let r = router.clone().oneshot(req).await.unwrap();
		String::from_utf8(axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap().to_vec())
			.unwrap()
	}

	#[tokio::test]
	async fn completions_go_to_their_sessions_model_and_models_lists_all() {
		let router = dispatch(BTreeMap::from([(0, api("small")), (3, api("large"))]));
		for (model, expected) in [(0, "small"), (3, "large")] {
			let mut req = Request::post("/v1/chat/completions").body(Body::empty()).unwrap();
			req.extensions_mut().insert(ServedModel(model));
			assert_eq!(text(&router, req).await, expected);
		}
		let listed: serde_json::Value = serde_json::from_str(
			&text(&router, Request::get("/v1/models").body(Body::empty()).unwrap()).await,
		)
		.unwrap();
		assert_eq!(
			listed,
			serde_json::json!({ "object": "list", "data": [{ "id": "small" }, { "id": "large" }] })
		);
	}
}
