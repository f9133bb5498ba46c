#!/usr/bin/env python3
"""Independent implementation of the sprint protocol's random streams (docs/sprint-protocol.md),
in pure Python (no numpy, no Rust), used to cross-check the golden vectors pinned in
offchain-worker/pow/tests/golden.rs. Prints the first input values, permutation entries and
target values for seed 0x01*32, worker key 0x02*32, nonce 7 on the tiny preset."""
import hashlib
import math
import struct


def rotl(v, c):
    return ((v << c) & 0xFFFFFFFF) | (v >> (32 - c))


def quarter(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = rotl(s[b] ^ s[c], 7)


def chacha20_block(key, counter, nonce=bytes(12)):
    const = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
    state = const + list(struct.unpack("<8I", key)) + [counter] + list(struct.unpack("<3I", nonce))
    s = state[:]
    for _ in range(10):
        quarter(s, 0, 4, 8, 12); quarter(s, 1, 5, 9, 13); quarter(s, 2, 6, 10, 14); quarter(s, 3, 7, 11, 15)
        quarter(s, 0, 5, 10, 15); quarter(s, 1, 6, 11, 12); quarter(s, 2, 7, 8, 13); quarter(s, 3, 4, 9, 14)
    return struct.pack("<16I", *[(x + y) & 0xFFFFFFFF for x, y in zip(s, state)])


class Rng:
    def __init__(self, tag, *parts):
        self.key = hashlib.blake2b(tag + b"".join(parts), digest_size=32).digest()
        self.counter, self.buf = 0, b""

    def u32(self):
        if not self.buf:
            self.buf = chacha20_block(self.key, self.counter)
            self.counter += 1
        w, self.buf = self.buf[:4], self.buf[4:]
        return struct.unpack("<I", w)[0]

    def u64(self):
        lo = self.u32()
        return lo | (self.u32() << 32)

    def f64(self):
        return (self.u64() >> 11) * 2.0 ** -53

    def normals(self, n):
        out = []
        while len(out) < n:
            u1 = 1.0 - self.f64(); u2 = self.f64()
            r = math.sqrt(-2.0 * math.log(u1)); t = 2.0 * math.pi * u2
            out += [r * math.cos(t), r * math.sin(t)]
        return out[:n]

    def below(self, bound):
        m = self.u32() * bound
        if (m & 0xFFFFFFFF) < bound:
            threshold = (2 ** 32 - bound) % bound
            while (m & 0xFFFFFFFF) < threshold:
                m = self.u32() * bound
        return m >> 32

    def permutation(self, n):
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.below(i + 1)
            p[i], p[j] = p[j], p[i]
        return p


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


if __name__ == "__main__":
    seed, key, nonce = bytes([1]) * 32, bytes([2]) * 32, (7).to_bytes(8, "little")
    vocab = 256
    print("input ", [f32(z) for z in Rng(b"gonka-pow/v1/input", seed, key, nonce).normals(4)])
    print("perm  ", Rng(b"gonka-pow/v1/perm", seed, key, nonce).permutation(vocab)[:4])
    t = Rng(b"gonka-pow/v1/target", seed).normals(vocab)
    norm = math.sqrt(sum(x * x for x in t))
    print("target", [x / norm for x in t[:4]])
