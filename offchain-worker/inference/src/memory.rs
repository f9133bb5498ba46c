//! Handing freed heap memory back to the operating system.
//!
//! libtorch allocates CPU tensors with the C allocator. glibc's allocator keeps freed memory
//! for reuse, and once large blocks have been freed it serves even multi-megabyte tensors from
//! its heap instead of fresh mappings, so memory freed between long-lived allocations stays
//! resident. Loading a model leaves ~300 MB of such holes behind (the unpacked codes and `i32`
//! copies the int4 packer needs; measured on SmolLM2-135M native: 575 MB resident after load,
//! 171 MB of it live), and a finished batch leaves its KV pool's. [`release_free_memory`] is
//! called after each loaded layer, after loading, and when the KV pool's last sequence ends.

/// Returns the allocator's free pages to the kernel (glibc's `malloc_trim(0)`, which releases
/// free pages inside the heap with `MADV_DONTNEED`, not only at its top: they stay mapped but
/// are no longer resident). Live allocations are untouched. Returns whether any memory was
/// released; a no-op (`false`) on other C libraries.
#[allow(unsafe_code)]
pub fn release_free_memory() -> bool {
	#[cfg(all(target_os = "linux", target_env = "gnu"))]
	{
		// SAFETY: `malloc_trim` takes no pointers and has no preconditions; it locks each
		// arena itself, so it is safe to call from any thread at any time.
		unsafe { libc::malloc_trim(0) != 0 }
	}
	#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
	{
		false
	}
}
