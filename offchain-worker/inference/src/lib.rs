//! Gonka worker inference: Llama-family LLMs on libtorch, served through an OpenAI-compatible
//! HTTP API, plus the re-execution rule validators use to check executors.
//!
//! Layers, bottom up:
//! - [`gguf`], [`safetensors_dir`]: model file formats; [`config`]: architecture parameters.
//! - [`model`]: the decoder forward pass over packed batches with per-sequence KV caches.
//! - [`tokenizer`], [`chat_template`]: text in and out, using the model's own conventions.
//! - [`sampling`], [`stop`]: choosing tokens and cutting text at stop strings.
//! - [`engine`]: the model-owning thread running continuous batching.
//! - [`api`]: axum router for `/v1/models`, `/v1/chat/completions`, `/v1/completions`.
//! - [`validation`]: teacher-forced scoring and the similarity rule.

pub mod api;
pub mod chat_template;
pub mod config;
pub mod detok;
pub mod engine;
pub mod error;
pub mod gguf;
pub mod loader;
pub mod memory;
pub mod model;
pub mod safetensors_dir;
pub mod sampling;
pub mod stop;
pub mod tokenizer;
pub mod validation;

pub use api::{router, serve, ApiConfig};
pub use engine::{Engine, EngineConfig};
pub use error::{InferenceError, Result};
pub use loader::{content_hash, load_model, LoadOptions, LoadedModel, ModelInfo};
