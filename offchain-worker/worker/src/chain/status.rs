//! What `gonka-worker status` reports: where the chain is in its epoch and what a host has
//! earned there, as one JSON document (for scripts and dashboards) or a short text block.

use super::{market::ReputationView, AccountId, Balance, ChainClient, HostView, Phase};
use gonka_primitives::{pow::EpochIndex, GNK};
use serde_json::{json, Value};

/// A host's standing on the chain at one finalized block.
#[derive(Debug)]
pub struct HostStatus {
	/// The host.
	pub host: AccountId,
	/// Current epoch, phase and blocks left in the phase.
	pub epoch: EpochIndex,
	/// Current phase.
	pub phase: Phase,
	/// Blocks left in the phase, counting the current one.
	pub blocks_left: u32,
	/// The current epoch's seed once its sprint started.
	pub seed: Option<sp_core::H256>,
	/// The latest epoch whose weights are active.
	pub active_epoch: Option<EpochIndex>,
	/// The host's weight and the total weight in `active_epoch` (zeros if none).
	pub weight: (u128, u128),
	/// Open epochs with GNK to claim.
	pub claimable: Vec<(EpochIndex, Balance)>,
	/// The registry entry, if registered.
	pub registry: Option<HostView>,
	/// The host account's free balance.
	pub balance: Balance,
	/// Its market record: requests served, samples judged, misses, draw factor, GNK earned.
	pub market: ReputationView,
}

impl HostStatus {
	/// Reads everything from the chain's latest finalized state.
	pub async fn fetch(chain: &ChainClient, host: AccountId) -> anyhow::Result<Self> {
		let status = chain.epoch_status().await?;
		let active_epoch = chain.active_epoch().await?;
		let weight = match active_epoch {
			Some(e) => (chain.weight_of(e, &host).await?, chain.total_weight(e).await?),
			None => (0, 0),
		};
		Ok(Self {
			claimable: chain.claimable_epochs(&host).await?,
			balance: chain.free_balance(&host).await?,
			registry: chain.host(&host).await?,
			market: chain.reputation(&host).await?,
			host,
			epoch: status.epoch,
			phase: status.phase,
			blocks_left: status.blocks_left,
			seed: status.seed,
			active_epoch,
			weight,
		})
	}

	/// GNK claimable over all open epochs, in base units.
	pub fn claimable_total(&self) -> Balance {
		self.claimable.iter().map(|(_, amount)| amount).sum()
	}

	/// The machine-readable report (amounts in base units as strings: they exceed 2^53).
	pub fn to_json(&self) -> Value {
		json!({
			"host": self.host.to_string(),
			"epoch": self.epoch,
			"phase": format!("{:?}", self.phase),
			"blocksLeft": self.blocks_left,
			"seed": self.seed.map(|s| format!("{s:?}")),
			"activeEpoch": self.active_epoch,
			"weight": self.weight.0.to_string(),
			"totalWeight": self.weight.1.to_string(),
			"claimable": self.claimable.iter()
				.map(|(e, a)| json!({ "epoch": e, "amount": a.to_string() }))
				.collect::<Vec<_>>(),
			"claimableTotal": self.claimable_total().to_string(),
			"balance": self.balance.to_string(),
			"registered": self.registry.is_some(),
			"active": self.registry.as_ref().is_some_and(|h| h.active),
			"endpoint": self.registry.as_ref().map(|h| String::from_utf8_lossy(&h.endpoint).into_owned()),
			"market": {
				"served": self.market.window.served,
				"valid": self.market.window.valid,
				"invalid": self.market.window.invalid,
				"misses": self.market.window.misses,
				"validationsAssigned": self.market.window.assigned,
				"samplingRatePpb": self.market.sampling_rate.0,
				"drawFactorPpb": self.market.draw_factor.0,
				"earned": self.market.earned.to_string(),
			},
		})
	}

	/// The human-readable report.
	pub fn to_text(&self) -> String {
		let share = if self.weight.1 == 0 {
			0.0
		} else {
			self.weight.0 as f64 * 100.0 / self.weight.1 as f64
		};
		let registry = match &self.registry {
			Some(h) => format!(
				"registered, {}, endpoint {}",
				if h.active { "active" } else { "inactive" },
				String::from_utf8_lossy(&h.endpoint)
			),
			None => "not registered".to_string(),
		};
		format!(
			"host      {}\n\
			 registry  {registry}\n\
			 epoch     {} ({:?}, {} blocks left){}\n\
			 weight    {} of {} ({share:.1}%) in epoch {}\n\
			 claimable {} GNK in {} open epoch(s)\n\
			 balance   {} GNK\n\
			 market    {}",
			self.host,
			self.epoch,
			self.phase,
			self.blocks_left,
			self.seed.map(|s| format!(", seed {s:?}")).unwrap_or_default(),
			self.weight.0,
			self.weight.1,
			self.active_epoch.map(|e| e.to_string()).unwrap_or_else(|| "-".into()),
			format_gnk(self.claimable_total()),
			self.claimable.len(),
			format_gnk(self.balance),
			self.market_summary(),
		)
	}

	/// The market record in words: requests served, own samples judged valid of those judged,
	/// validations assigned, misses, draw factor (counters over the reputation window), and GNK
	/// earned from the market since genesis.
	pub fn market_summary(&self) -> String {
		let w = &self.market.window;
		format!(
			"served {} valid {}/{} validations {} misses {} draw {}% earned {} GNK",
			w.served,
			w.valid,
			w.valid + w.invalid,
			w.assigned,
			w.misses,
			self.market.draw_factor.0 / 10_000_000,
			format_gnk(self.market.earned)
		)
	}

	/// One compact line for `--watch`: weight, balance, claimable and market record of the host.
	pub fn to_cell(&self) -> String {
		let who = self.host.to_string();
		format!(
			"{}…{} weight {}/{} balance {} GNK unclaimed {} GNK | market {}",
			&who[..4],
			&who[who.len() - 4..],
			self.weight.0,
			self.weight.1,
			format_gnk(self.balance),
			format_gnk(self.claimable_total()),
			self.market_summary()
		)
	}
}

/// Base units as GNK with all 9 decimals (`1.500000000`).
pub fn format_gnk(amount: Balance) -> String {
	format!("{}.{:09}", amount / GNK, amount % GNK)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn gnk_amounts_keep_every_decimal() {
		assert_eq!(format_gnk(0), "0.000000000");
		assert_eq!(format_gnk(GNK * 3 / 2), "1.500000000");
		assert_eq!(format_gnk(323_000 * GNK + 7), "323000.000000007");
	}
}
