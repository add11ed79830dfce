"""Bech32 and bech32m segwit addresses (BIP-173, BIP-350) and Bitcoin Cash cashaddr.

BIP-173: hrp + "1" + data in the 32-character set below, the last 6 characters a BCH-code
checksum; the polymod over expand(hrp) + data must equal 1 (bech32) or 0x2bc830a3 (bech32m,
BIP-350). The first data character is the witness version: 0 uses bech32 and needs a 20- or
32-byte program, 1..16 use bech32m and a 2..40-byte program. A string is all lower or all
upper case, at most 90 characters.

Cashaddr (Bitcoin Cash specification "cashaddr"): prefix ("bitcoincash") + ":" + payload in
the same character set, with a 40-bit checksum: polymod over the low 5 bits of each prefix
character, a 0, and the payload must be 0. The first payload byte gives type and hash size.
"""

from __future__ import annotations

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32 = 1
_BECH32M = 0x2BC830A3
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_CASH_GENERATOR = (0x98F2BC8E61, 0x79B76D99E2, 0xF33E5FB3C4, 0xAE2EABE2A8, 0x1E4F43E470)
_CASH_HASH_BITS = (160, 192, 224, 256, 320, 384, 448, 512)


def _polymod(values: list[int]) -> int:
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i, generator in enumerate(_GENERATOR):
            if (top >> i) & 1:
                chk ^= generator
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _five_bit(text: str) -> list[int] | None:
    values = [CHARSET.find(c) for c in text]
    return None if -1 in values else values


def convert_bits(data: list[int], from_bits: int, to_bits: int) -> bytes | None:
    """Regroup bits without padding: leftover bits must be fewer than from_bits and zero."""
    acc = bits = 0
    out = bytearray()
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & ((1 << to_bits) - 1))
    if bits >= from_bits or (acc & ((1 << bits) - 1)):
        return None
    return bytes(out)


def decode_segwit(hrp: str, address: str) -> tuple[int, bytes] | None:
    """(witness version, program) of a valid segwit address for `hrp`, else None."""
    if len(address) > 90 or (address != address.lower() and address != address.upper()):
        return None
    text = address.lower()
    sep = text.rfind("1")
    if text[:sep] != hrp or len(text) - sep - 1 < 7:
        return None
    data = _five_bit(text[sep + 1 :])
    if data is None:
        return None
    version = data[0]
    constant = _polymod(_hrp_expand(hrp) + data)
    if version > 16 or constant != (_BECH32 if version == 0 else _BECH32M):
        return None
    program = convert_bits(data[1:-6], 5, 8)
    if program is None or not 2 <= len(program) <= 40:
        return None
    if version == 0 and len(program) not in (20, 32):
        return None
    return version, program


def _cash_polymod(values: list[int]) -> int:
    c = 1
    for value in values:
        top = c >> 35
        c = ((c & 0x07FFFFFFFF) << 5) ^ value
        for i, generator in enumerate(_CASH_GENERATOR):
            if (top >> i) & 1:
                c ^= generator
    return c ^ 1


def decode_cashaddr(prefix: str, payload: str) -> bytes | None:
    """Hash of a valid cashaddr payload (without "prefix:"), else None."""
    if payload != payload.lower() and payload != payload.upper():
        return None
    data = _five_bit(payload.lower())
    if data is None or len(data) < 9:
        return None
    if _cash_polymod([ord(c) & 31 for c in prefix] + [0] + data) != 0:
        return None
    raw = convert_bits(data[:-8], 5, 8)
    if raw is None or not raw or raw[0] & 0x80:
        return None
    hash_bytes = raw[1:]
    return hash_bytes if len(hash_bytes) * 8 == _CASH_HASH_BITS[raw[0] & 7] else None
