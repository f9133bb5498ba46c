//! `gonka-worker` as a library: everything the `gonka-worker` binary does, for tests and tools.
//!
//! - [`chain`]: the worker's client of a Gonka node (runtime APIs, general and signed
//!   transactions, runtime-upgrade compatibility checks).
//! - [`daemon`]: the host daemon (`gonka-worker run`): sprint, commit, validate, claim, serve.
//! - [`market`]: the off-chain inference market (executor layer, lanes, claims, validator,
//!   gateway).
//! - [`cli`]: the command-line interface; `src/main.rs` only parses and dispatches to it.

pub mod chain;
pub mod cli;
pub mod daemon;
pub mod market;
