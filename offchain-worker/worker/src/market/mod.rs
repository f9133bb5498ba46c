//! The worker's half of the inference market (`docs/inference-market.md`): the off-chain
//! protocol between a paying client, the executors of its session's slots and the validators
//! of sampled requests.
//!
//! - [`wire`]: headers and JSON messages.
//! - [`lanes`]: the executor's book of lanes: served leaves, vouchers, records on disk.
//! - [`executor`]: the HTTP layer in front of the inference API that admits metered requests,
//!   forwards requests for other hosts' slots, takes vouchers and serves records to validators.
//! - [`claims`]: claiming the latest voucher of every lane on chain.
//! - [`validator`]: re-executing sampled leaves and attesting.
//! - [`gateway`]: the client side for one session: routes each request to a slot, authorizes
//!   it, checks the receipt and pays with vouchers.
//! - [`renewal`]: the local OpenAI endpoint of `gonka-worker gateway`, moving to a new session
//!   when the current one ends.

pub mod claims;
pub mod executor;
pub mod gateway;
pub mod lanes;
pub mod renewal;
pub mod validator;
pub mod wire;
