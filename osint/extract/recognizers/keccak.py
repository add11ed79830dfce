"""Keccak-256 as Ethereum (EIP-55) and Monero use it: the Keccak submission, not FIPS 202 SHA3.

Written from the Keccak reference and FIPS 202 section 3: the permutation Keccak-f[1600] is 24
rounds of theta, rho, pi, chi and iota over a 5x5 array of 64-bit lanes (lane (x, y) is bytes
8(x+5y) .. 8(x+5y)+7 of the state, little-endian). The rho offsets and the iota round
constants are computed here from their definitions (FIPS 202 Algorithms 2 and 5) rather than
copied as tables. The sponge for Keccak-256 has rate 1088 bits (136 bytes) and the original
multi-rate padding: a 0x01 byte, zeros, and 0x80 on the last byte of the block. FIPS 202's
SHA3-256 (hashlib.sha3_256) differs only in that domain byte (0x06), which is how the tests
check the permutation against the standard library.
"""

from __future__ import annotations

_MASK = (1 << 64) - 1


def _rc_bit(t: int) -> int:
    """FIPS 202 Algorithm 5: output bit of the LFSR x^8 + x^6 + x^5 + x^4 + 1 after t steps."""
    if t % 255 == 0:
        return 1
    r = 1  # bit k of r is R[k]; R starts as 10000000
    for _ in range(t % 255):
        r <<= 1  # R = 0 || R
        if r & 0x100:  # R[8]
            r ^= 0x171  # R[0], R[4], R[5], R[6] ^= R[8], and drop R[8] (Trunc8)
    return r & 1


def _round_constants() -> tuple[int, ...]:
    """Iota: RC[2^j - 1] = rc(j + 7 * round) for j = 0..6."""
    out = []
    for ir in range(24):
        rc = 0
        for j in range(7):
            rc |= _rc_bit(j + 7 * ir) << ((1 << j) - 1)
        out.append(rc)
    return tuple(out)


def _rho_offsets() -> tuple[int, ...]:
    """FIPS 202 Algorithm 2: offsets by lane index x + 5y; (x, y) walks from (1, 0)."""
    offsets = [0] * 25
    x, y = 1, 0
    for t in range(24):
        offsets[x + 5 * y] = ((t + 1) * (t + 2) // 2) % 64
        x, y = y, (2 * x + 3 * y) % 5
    return tuple(offsets)


_RC = _round_constants()
_RHO = _rho_offsets()
# pi: A'[x, y] = A[(x + 3y) mod 5, x], as source lane index for each destination lane.
_PI_SOURCE = tuple(((x + 3 * y) % 5) + 5 * x for y in range(5) for x in range(5))


def _rotl(lane: int, n: int) -> int:
    return ((lane << n) | (lane >> (64 - n))) & _MASK if n else lane


def keccak_f1600(lanes: list[int]) -> list[int]:
    """The permutation on 25 lanes (index x + 5y); returns the new lanes."""
    a = lanes
    for rc in _RC:
        c = [a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rotl(c[(x + 1) % 5], 1) for x in range(5)]
        theta = [a[i] ^ d[i % 5] for i in range(25)]
        rotated = [_rotl(theta[i], _RHO[i]) for i in range(25)]
        b = [rotated[_PI_SOURCE[i]] for i in range(25)]
        a = [
            b[i] ^ ((~b[(i % 5 + 1) % 5 + 5 * (i // 5)]) & b[(i % 5 + 2) % 5 + 5 * (i // 5)])
            for i in range(25)
        ]
        a[0] ^= rc
    return a


def sponge(data: bytes, rate: int, domain: int, out_len: int) -> bytes:
    """Keccak sponge with pad10*1: `domain` is 0x01 for Keccak, 0x06 for FIPS 202 SHA3."""
    padded = bytearray(data)
    padded.append(domain)
    padded.extend(b"\x00" * (-len(padded) % rate))
    padded[-1] |= 0x80
    lanes = [0] * 25
    for offset in range(0, len(padded), rate):
        block = padded[offset : offset + rate]
        for i in range(rate // 8):
            lanes[i] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        lanes = keccak_f1600(lanes)
    out = bytearray()
    while True:
        for i in range(rate // 8):
            out += lanes[i].to_bytes(8, "little")
        if len(out) >= out_len:
            return bytes(out[:out_len])
        lanes = keccak_f1600(lanes)


def keccak_256(data: bytes) -> bytes:
    """Keccak-256 digest (32 bytes), as in Ethereum and Monero."""
    return sponge(data, 136, 0x01, 32)
