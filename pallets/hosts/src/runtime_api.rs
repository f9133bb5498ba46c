//! Runtime API of the hosts registry, for wallets, explorers, the router and workers.
//!
//! The runtime implements it with the `Pallet::api_*` helpers, e.g.
//! ```ignore
//! use pallet_gonka_hosts::{runtime_api::HostsApi, HostView, ModelId, ModelInfo};
//! type View = HostView<AccountId, Balance, BlockNumber>;
//! impl HostsApi<Block, AccountId, Balance, BlockNumber> for Runtime {
//!     fn hosts(start_after: Option<AccountId>, limit: u32) -> Vec<View> {
//!         Hosts::api_hosts(start_after, limit)
//!     }
//!     fn host(who: AccountId) -> Option<View> {
//!         Hosts::api_host(who)
//!     }
//!     fn catalogue() -> Vec<(ModelId, ModelInfo<Balance>)> {
//!         Hosts::api_catalogue()
//!     }
//!     fn hosts_serving(model: ModelId, after: Option<AccountId>, limit: u32) -> Vec<AccountId> {
//!         Hosts::api_hosts_serving(model, after, limit)
//!     }
//! }
//! ```

use crate::{HostView, ModelInfo};
use alloc::vec::Vec;
use codec::Codec;
use gonka_primitives::hosts::ModelId;

sp_api::decl_runtime_apis! {
	/// Read access to hosts and the model catalogue.
	pub trait HostsApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// Up to `limit` hosts (capped at 1,000) in storage order, starting after `start_after`
		/// (the last account of the previous page; `None` for the first).
		fn hosts(
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<HostView<AccountId, Balance, BlockNumber>>;
		/// One host, with the worker key valid at this block.
		fn host(who: AccountId) -> Option<HostView<AccountId, Balance, BlockNumber>>;
		/// The model catalogue, active and retired, by id.
		fn catalogue() -> Vec<(ModelId, ModelInfo<Balance>)>;
		/// A page of the hosts serving an active model (capped at 1,000).
		fn hosts_serving(
			model: ModelId,
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<AccountId>;
	}
}
