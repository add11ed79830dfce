"""Builders of valid (and deliberately broken) identifiers, written from the published rules.

They are independent of the package code they test, so a checksum bug cannot hide in both.
"""

from __future__ import annotations

import hashlib
import random

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, digit = divmod(number, 58)
        out = B58[digit] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58check(version: int, payload: bytes) -> str:
    body = bytes([version]) + payload
    return b58encode(body + hashlib.sha256(hashlib.sha256(body).digest()).digest()[:4])


def random_b58check(version: int, seed: int) -> str:
    return b58check(version, random.Random(seed).randbytes(20))  # noqa: S311 (fixed test data)


def monero_address(network: int, payload: bytes, keccak: object) -> str:
    """Monero block base58 of network byte + payload + 4-byte Keccak-256 checksum."""
    assert callable(keccak)
    body = bytes([network]) + payload
    raw = body + keccak(body)[:4]
    sizes = {1: 2, 2: 3, 3: 5, 4: 6, 5: 7, 6: 9, 7: 10, 8: 11}
    out = ""
    for i in range(0, len(raw), 8):
        block = raw[i : i + 8]
        number = int.from_bytes(block, "big")
        chars = ""
        while number:
            number, digit = divmod(number, 58)
            chars = B58[digit] + chars
        out += chars.rjust(sizes[len(block)], "1")
    return out


def _bech32_polymod(values: list[int]) -> int:
    generators = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            chk ^= generators[i] if (top >> i) & 1 else 0
    return chk


def segwit_address(hrp: str, version: int, program: bytes) -> str:
    """BIP-173 (version 0) / BIP-350 (version 1+) encoding."""
    acc = bits = 0
    data = [version]
    for byte in program:
        acc = (acc << 8) | byte
        bits += 8
        while bits >= 5:
            bits -= 5
            data.append((acc >> bits) & 31)
    if bits:
        data.append((acc << (5 - bits)) & 31)
    const = 1 if version == 0 else 0x2BC830A3
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    polymod = _bech32_polymod([*expanded, *data, 0, 0, 0, 0, 0, 0]) ^ const
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32[d] for d in data + checksum)


def container_check_digit(owner_serial: str) -> str:
    """ISO 6346: A=10, skipping multiples of 11; weights 2**i; sum mod 11 mod 10."""
    values = {}
    value = 10
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if value % 11 == 0:
            value += 1
        values[letter] = value
        value += 1
    total = sum((values[c] if c.isalpha() else int(c)) * 2**i for i, c in enumerate(owner_serial))
    return str(total % 11 % 10)


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015: weights 3**i mod 31, check = (31 - sum mod 31) mod 31."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return alphabet[(31 - total % 31) % 31]


def imo_check_digit(first6: str) -> str:
    return str(sum(int(d) * w for d, w in zip(first6, range(7, 1, -1), strict=True)) % 10)


def flip_last(text: str, alphabet: str) -> str:
    """The same string with its last character changed (a broken checksum)."""
    last = text[-1]
    return text[:-1] + next(c for c in alphabet if c != last)
