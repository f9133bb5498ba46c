//! Per-sequence key/value cache.
//!
//! Each sequence owns its cache, so sequences of different lengths can share a decode step
//! (the packed batch in [`super::LlamaModel::forward`]) without padding, and a finished
//! sequence frees its memory simply by being dropped.

use tch::{Device, Kind, Tensor};

use crate::config::ModelConfig;

/// Keys and values of every layer for one sequence, `[kv_heads, capacity, head_dim]` each.
#[derive(Debug)]
pub struct KvCache {
	keys: Vec<Tensor>,
	values: Vec<Tensor>,
	len: i64,
	capacity: i64,
}

impl KvCache {
	/// An empty cache with room for `capacity` positions before it has to grow.
	pub fn new(cfg: &ModelConfig, capacity: i64, device: Device, kind: Kind) -> Self {
		let capacity = capacity.max(1);
		let alloc = || Tensor::zeros([cfg.num_kv_heads, capacity, cfg.head_dim], (kind, device));
		let n = cfg.num_layers as usize;
		Self {
			keys: (0..n).map(|_| alloc()).collect(),
			values: (0..n).map(|_| alloc()).collect(),
			len: 0,
			capacity,
		}
	}

	/// Number of positions already cached (the position of the next token).
	pub fn len(&self) -> i64 {
		self.len
	}

	/// Whether nothing has been cached yet.
	pub fn is_empty(&self) -> bool {
		self.len == 0
	}

	/// Makes room for `extra` more positions, doubling the buffers when full.
	pub(crate) fn reserve(&mut self, extra: i64) {
		let needed = self.len + extra;
		if needed <= self.capacity {
			return;
		}
		let new_cap = needed.max(self.capacity * 2);
		for buf in self.keys.iter_mut().chain(self.values.iter_mut()) {
			let mut size = buf.size();
			size[1] = new_cap;
			let grown = Tensor::zeros(size.as_slice(), (buf.kind(), buf.device()));
			grown.narrow(1, 0, self.len).copy_(&buf.narrow(1, 0, self.len));
			*buf = grown;
		}
		self.capacity = new_cap;
	}

	/// Stores `k`, `v` (`[kv_heads, n, head_dim]`) for `layer` at positions `len..len+n` and
	/// returns views of all keys and values up to and including them.
	///
	/// [`Self::reserve`] must have been called for `n`; the length only advances with
	/// [`Self::advance`] once every layer has written, so all layers see the same offset.
	pub(crate) fn write(&mut self, layer: usize, k: &Tensor, v: &Tensor) -> (Tensor, Tensor) {
		let n = k.size()[1];
		self.keys[layer].narrow(1, self.len, n).copy_(k);
		self.values[layer].narrow(1, self.len, n).copy_(v);
		(self.keys[layer].narrow(1, 0, self.len + n), self.values[layer].narrow(1, 0, self.len + n))
	}

	/// Commits `n` positions written by [`Self::write`].
	pub(crate) fn advance(&mut self, n: i64) {
		self.len += n;
	}
}
