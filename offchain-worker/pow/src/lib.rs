//! The sprint proof of work of the Gonka worker.
//!
//! Every epoch the chain fixes a seed; each worker builds the same random Llama-style transformer
//! from it, searches nonces whose permuted, normalised last-position logits land within
//! `r_target` of a target unit vector, commits `(epoch, count, merkle_root)` over the valid ones,
//! serves Merkle proofs over HTTP, and validates other hosts by recomputing sampled nonces.
//! The byte-level protocol is `docs/sprint-protocol.md`; chain-side types and the sample-index
//! derivation live in [`gonka_primitives::pow`].
//!
//! Map of the crate (one concern per module):
//! - [`rng`], [`derive`]: the specified random generator and what is drawn from it;
//! - [`model`], [`device`]: the transformer on libtorch (CUDA bf16/f16 or CPU f32);
//! - [`score`]: logits to distance; [`search`]: the batched, pipelined nonce search;
//! - [`merkle`], [`store`]: the commitment and the sprint directory;
//! - [`wire`], [`server`], [`client`]: the proof API; [`validate`]: verdicts on other hosts;
//! - [`bench`]: FLOP counting and model-FLOP utilisation; [`params`]: presets and JSON.

pub mod bench;
pub mod client;
pub mod derive;
pub mod device;
pub mod listener;
pub mod merkle;
pub mod model;
pub mod params;
pub mod rng;
pub mod score;
pub mod search;
pub mod server;
pub mod store;
pub mod validate;
pub mod wire;

#[cfg(test)]
mod reference;

pub use gonka_primitives::pow::{
	PowLeaf, PowParams, SprintCommitment, ValidationVerdict, DISTANCE_SCALE, DISTANCE_TOLERANCE,
};
