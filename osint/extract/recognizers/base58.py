"""Base58 decoding: Bitcoin's base58check and Monero's block variant.

Base58 (Bitcoin): the string is a big-endian number in the alphabet below (no 0, O, I, l);
each leading "1" stands for a leading zero byte. Base58check: the decoded bytes are
version + payload + checksum, the checksum being the first 4 bytes of SHA-256(SHA-256(version
+ payload)).

Monero's base58 encodes 8-byte blocks as 11 characters each (big-endian, padded with "1");
a last block of n bytes (1..7) takes 2, 3, 5, 6, 7, 9 or 10 characters.
"""

from __future__ import annotations

import hashlib

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

# Monero: characters in an encoded block -> bytes in the decoded block.
_MONERO_BLOCK_BYTES = {2: 1, 3: 2, 5: 3, 6: 4, 7: 5, 9: 6, 10: 7, 11: 8}


def _to_int(text: str) -> int | None:
    number = 0
    for char in text:
        digit = ALPHABET.find(char)
        if digit < 0:
            return None
        number = number * 58 + digit
    return number


def b58decode(text: str) -> bytes | None:
    """Bitcoin base58 -> bytes, or None if a character is outside the alphabet."""
    number = _to_int(text)
    if number is None:
        return None
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\x00" * zeros + body


def double_sha256(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def b58check_decode(text: str) -> bytes | None:
    """Version + payload of a base58check string, or None if it is not one (bad checksum)."""
    raw = b58decode(text)
    if raw is None or len(raw) < 5:
        return None
    body, checksum = raw[:-4], raw[-4:]
    return body if double_sha256(body)[:4] == checksum else None


def monero_b58decode(text: str) -> bytes | None:
    """Monero block base58 -> bytes, or None if malformed (bad block length or overflow)."""
    out = bytearray()
    for offset in range(0, len(text), 11):
        block = text[offset : offset + 11]
        size = _MONERO_BLOCK_BYTES.get(len(block))
        number = _to_int(block)
        if size is None or number is None or number >= 1 << (8 * size):
            return None
        out += number.to_bytes(size, "big")
    return bytes(out)
