//! Key/value caches of all sequences in one pool per model, so a decode step attends for the
//! whole batch in one call.
//!
//! Layout: per layer, keys and values are each one tensor `[slots, kv_heads, capacity,
//! head_dim]`. A sequence owns a *slot* (a [`KvCache`] handle) for its lifetime; its position
//! `p` lives at `[slot, :, p, :]`. A decode step writes every sequence's new key with one
//! `index_put_` and computes attention over `[slots, kv_heads, longest, head_dim]` with a
//! length mask — one batched matmul instead of a loop per sequence, and no copy of any cache
//! (the narrowed pool is a strided view BLAS reads directly).
//!
//! In the precisions whose attention runs on oneDNN, attention reads keys up to the longest
//! sequence rounded up to 128 positions (`Buckets` in `model/mod.rs`), masked past each
//! sequence's end, so its matmul shapes repeat from step to step.
//!
//! This is a padded cache, not a paged one: every slot has the pool's capacity, which grows by
//! at least a quarter (in steps of 128 positions) when a sequence outgrows it, and slots double
//! when more sequences are live than slots. Both
//! are released when the last sequence finishes. Memory is
//! `slots × capacity × layers × 2 × kv_heads × head_dim × dtype size` — for SmolLM2-135M
//! (30 layers, 3 KV heads of 64) 46 KB per position in `f32`, 23 KB in `bf16`.

use std::sync::{Arc, Mutex, MutexGuard};

use tch::{Device, Kind, Tensor};

use crate::config::ModelConfig;
use crate::error::{InferenceError, Result};

/// Capacities are multiples of this many positions.
const GROWTH_STEP: i64 = 128;

/// The shared storage behind every [`KvCache`] of one model.
#[derive(Debug)]
pub(crate) struct KvPool {
	keys: Vec<Tensor>,
	values: Vec<Tensor>,
	/// Which slots are owned by a live [`KvCache`].
	used: Vec<bool>,
	capacity: i64,
	layers: usize,
	shape: (i64, i64),
	device: Device,
	kind: Kind,
}

impl KvPool {
	pub(crate) fn new(cfg: &ModelConfig, device: Device, kind: Kind) -> Arc<Mutex<KvPool>> {
		Arc::new(Mutex::new(KvPool {
			keys: Vec::new(),
			values: Vec::new(),
			used: Vec::new(),
			capacity: 0,
			layers: cfg.num_layers as usize,
			shape: (cfg.num_kv_heads, cfg.head_dim),
			device,
			kind,
		}))
	}

	/// Number of slots (live or free).
	pub(crate) fn slots(&self) -> i64 {
		self.used.len() as i64
	}

	/// Positions every slot holds.
	pub(crate) fn capacity(&self) -> i64 {
		self.capacity
	}

	/// Keys and values of `layer`, `[slots, kv_heads, capacity, head_dim]` each.
	pub(crate) fn layer(&self, layer: usize) -> (&Tensor, &Tensor) {
		(&self.keys[layer], &self.values[layer])
	}

	/// Resizes every buffer to `slots × capacity`, keeping the first `keep` positions.
	fn resize(&mut self, slots: i64, capacity: i64) {
		let (heads, dim) = self.shape;
		let old_slots = self.slots();
		let keep = self.capacity.min(capacity);
		for buf in self.keys.iter_mut().chain(self.values.iter_mut()) {
			let grown = Tensor::zeros([slots, heads, capacity, dim], (self.kind, self.device));
			if keep > 0 && old_slots > 0 {
				grown.narrow(0, 0, old_slots).narrow(2, 0, keep).copy_(&buf.narrow(2, 0, keep));
			}
			*buf = grown;
		}
		if self.keys.is_empty() {
			let alloc = || Tensor::zeros([slots, heads, capacity, dim], (self.kind, self.device));
			self.keys = (0..self.layers).map(|_| alloc()).collect();
			self.values = (0..self.layers).map(|_| alloc()).collect();
		}
		self.used.resize(slots as usize, false);
		self.capacity = capacity;
	}

	fn acquire(&mut self) -> i64 {
		if let Some(i) = self.used.iter().position(|u| !u) {
			self.used[i] = true;
			return i as i64;
		}
		let slot = self.slots();
		let capacity = self.capacity.max(GROWTH_STEP);
		self.resize((slot * 2).max(1), capacity);
		self.used[slot as usize] = true;
		slot
	}

	fn release(&mut self, slot: i64) {
		if let Some(u) = self.used.get_mut(slot as usize) {
			*u = false;
		}
		if self.used.iter().all(|u| !u) {
			// Nothing live: give the memory back.
			self.keys.clear();
			self.values.clear();
			self.used.clear();
			self.capacity = 0;
			crate::memory::release_free_memory();
		}
	}

	/// Grows every slot to at least `needed` positions: by a quarter at least (so a decoding
	/// sequence copies the pool every ~capacity/4 tokens, not every token), rounded up to
	/// [`GROWTH_STEP`].
	pub(crate) fn ensure_capacity(&mut self, needed: i64) {
		if needed > self.capacity {
			let target = needed.max(self.capacity + self.capacity / 4);
			self.resize(self.slots(), (target + GROWTH_STEP - 1) / GROWTH_STEP * GROWTH_STEP);
		}
	}

	/// Writes `k`, `v` (`[tokens, kv_heads, head_dim]`) of `layer` at `(slots[i], positions[i])`.
	pub(crate) fn write(
		&mut self,
		layer: usize,
		slots: &Tensor,
		positions: &Tensor,
		k: &Tensor,
		v: &Tensor,
	) {
		let idx = [Some(slots.shallow_clone()), None, Some(positions.shallow_clone())];
		let _ = self.keys[layer].index_put_(&idx, k, false);
		let _ = self.values[layer].index_put_(&idx, v, false);
	}
}

/// One sequence's slot in its model's cache pool.
///
/// Dropping it frees the slot. Only the model that created it can use it.
#[derive(Debug)]
pub struct KvCache {
	pool: Arc<Mutex<KvPool>>,
	slot: i64,
	len: i64,
}

impl KvCache {
	pub(crate) fn new(pool: &Arc<Mutex<KvPool>>) -> Self {
		let slot = lock(pool).acquire();
		Self { pool: pool.clone(), slot, len: 0 }
	}

	/// Number of positions already cached (the position of the next token).
	pub fn len(&self) -> i64 {
		self.len
	}

	/// Whether nothing has been cached yet.
	pub fn is_empty(&self) -> bool {
		self.len == 0
	}

	/// The slot index in the pool.
	pub(crate) fn slot(&self) -> i64 {
		self.slot
	}

	/// Checks that this cache belongs to `pool`.
	pub(crate) fn check_pool(&self, pool: &Arc<Mutex<KvPool>>) -> Result<()> {
		if Arc::ptr_eq(&self.pool, pool) {
			Ok(())
		} else {
			Err(InferenceError::InvalidRequest("a KV cache was used with another model".into()))
		}
	}

	/// Commits `n` positions written by the forward pass.
	pub(crate) fn advance(&mut self, n: i64) {
		self.len += n;
	}
}

impl Drop for KvCache {
	fn drop(&mut self) {
		lock(&self.pool).release(self.slot);
	}
}

/// Locks the pool; a panic while it was held cannot leave it half-written in a way later
/// steps would read (lengths advance only after a forward pass succeeds), so poisoning is
/// ignored.
pub(crate) fn lock(pool: &Arc<Mutex<KvPool>>) -> MutexGuard<'_, KvPool> {
	pool.lock().unwrap_or_else(|e| e.into_inner())
}
