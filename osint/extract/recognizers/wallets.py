"""Cryptocurrency addresses, validated by their checksums, as `CHAIN:address` (OFAC's chains).

* XBT: base58check P2PKH ("1...") and P2SH ("3...") addresses, and segwit "bc1..." addresses:
  bech32 for witness version 0 (BIP-173), bech32m for versions 1..16 (BIP-350, taproot).
  Base58 and version-0 addresses are checked by `stdnum.bitcoin`; bech32m by `bech32.py`.
* ETH: "0x" + 40 hex digits. A mixed-case address must carry a valid EIP-55 checksum (hex
  digit i is upper case iff nibble i of Keccak-256(lower-case hex) is >= 8); all-lower and
  all-upper addresses have none. The value is lower case (as OFAC lists most ETH addresses),
  so every spelling links.
* TRX: base58check, version byte 0x41 ("T...", 34 characters).
* LTC: base58check versions 0x30 ("L") and 0x32 ("M"), and "ltc1" segwit.
* DOGE: base58check versions 0x1e ("D") and 0x16 (P2SH).
* XMR: 95 characters (standard "4", subaddress "8") or 106 (integrated "4") in Monero's block
  base58; network byte 18, 42 or 19; the last 4 bytes are Keccak-256 of the rest.
* BCH: cashaddr "bitcoincash:q..." / "p..." (prefix optional), value without the prefix.
* USDT: an ETH or TRX address with "USDT" or "Tether" in the 40 characters before it gets
  the chain USDT (as OFAC lists Tether addresses), unless the chain's own name is there too
  ("ETH / USDT: 0x..."); `detail` keeps the format's chain.

An address-shaped string whose checksum fails is dropped, and being one word it is not
picked up by any other recognizer either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import bitcoin

from osint.extract.recognizers.base58 import b58check_decode, monero_b58decode
from osint.extract.recognizers.bech32 import decode_cashaddr, decode_segwit
from osint.extract.recognizers.found import Found
from osint.extract.recognizers.keccak import keccak_256

_B58 = "1-9A-HJ-NP-Za-km-z"
_TOKEN = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"(?P<eth>0x[0-9a-fA-F]{40})"
    r"|(?P<cash>(?:bitcoincash:)?[qpQP][02-9ac-hj-np-zAC-HJ-NP-Z]{41})"
    r"|(?P<segwit>(?:bc|BC|ltc|LTC)1[02-9ac-hj-np-zAC-HJ-NP-Z]{6,87})"
    rf"|(?P<b58>[{_B58}]{{25,110}})"
    r")(?![A-Za-z0-9])"
)
_USDT = re.compile(r"(?i:usdt|tether)")
_USDT_WINDOW = 40
_CHAIN_WORD = re.compile(r"(?<![A-Za-z])(?:ETH|Ethereum|ether|TRX|TRON)(?![A-Za-z])", re.I)

# base58check version bytes (first byte) of 25-byte addresses, per chain.
_B58_VERSIONS = {0x41: "TRX", 0x30: "LTC", 0x32: "LTC", 0x1E: "DOGE", 0x16: "DOGE"}
_MONERO_NETWORK = {18: 69, 42: 69, 19: 77}  # network byte -> decoded length


def eip55(hex40: str) -> str:
    """EIP-55 checksum spelling of 40 hex digits (without "0x")."""
    lower = hex40.lower()
    digest = keccak_256(lower.encode("ascii")).hex()[:40]
    return "".join(
        c.upper() if c.isalpha() and int(h, 16) >= 8 else c
        for c, h in zip(lower, digest, strict=True)
    )


def _eth(address: str) -> str | None:
    body = address[2:]
    checksummed = eip55(body)
    mixed = body != body.lower() and body != body.upper()
    if mixed and body != checksummed:
        return None
    return "0x" + body.lower()


def _base58(token: str) -> tuple[str, str] | None:
    if token[0] in "13" and 26 <= len(token) <= 35:
        return ("XBT", token) if bitcoin.is_valid(token) else None
    if len(token) in (95, 106) and token[0] in "48":
        raw = monero_b58decode(token)
        if raw is None or _MONERO_NETWORK.get(raw[0]) != len(raw):
            return None
        return ("XMR", token) if keccak_256(raw[:-4])[:4] == raw[-4:] else None
    if not 33 <= len(token) <= 35:
        return None
    body = b58check_decode(token)
    if body is None or len(body) != 21:
        return None
    chain = _B58_VERSIONS.get(body[0])
    return (chain, token) if chain else None


def _segwit(token: str) -> tuple[str, str] | None:
    lower = token.lower()
    if lower.startswith("bc1"):
        if lower.startswith("bc1q"):
            return ("XBT", lower) if bitcoin.is_valid(lower) else None
        return ("XBT", lower) if decode_segwit("bc", lower) else None
    return ("LTC", lower) if decode_segwit("ltc", lower) else None


def _classify(match: re.Match[str]) -> tuple[str, str] | None:
    token = match[0]
    if match["eth"]:
        address = _eth(token)
        return ("ETH", address) if address else None
    if match["cash"]:
        payload = token.lower().removeprefix("bitcoincash:")
        return ("BCH", payload) if decode_cashaddr("bitcoincash", payload) else None
    if match["segwit"]:
        return _segwit(token)
    return _base58(token)


def find(text: str, country_hint: str | None = None) -> Iterator[Found]:
    """Valid addresses in text (country_hint is unused)."""
    for match in _TOKEN.finditer(text):
        classified = _classify(match)
        if classified is None:
            continue
        chain, address = classified
        detail = ""
        if chain in ("ETH", "TRX"):
            before = text[max(0, match.start() - _USDT_WINDOW) : match.start()]
            # "ETH / USDT-ERC20: 0x..." names the chain itself: that wins over the token.
            if _USDT.search(before) and not _CHAIN_WORD.search(before):
                chain, detail = "USDT", chain
        yield Found("WALLET", match.start(), match.end(), f"{chain}:{address}", detail)
