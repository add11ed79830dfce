import pytest

from osint.extract.recognizers import find_identifiers
from osint.extract.recognizers.keccak import keccak_256
from osint.extract.recognizers.wallets import eip55, find
from tests.extract.recognizers.factory import (
    B58,
    BECH32,
    b58check,
    flip_last,
    monero_address,
    random_b58check,
    segwit_address,
)

GENESIS = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
BIP173_P2WPKH = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
BIP350_TAPROOT = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
EIP55 = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
MONERO_GENERAL_FUND = (
    "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3Xjrp"
    "DtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"
)
# The Bitcoin Cash cashaddr specification's example:
# the same key hash as 1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu.
CASHADDR = "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"


def values(text: str) -> list[str]:
    return [f.value for f in find(text)]


@pytest.mark.parametrize(
    ("address", "value"),
    [
        (GENESIS, f"XBT:{GENESIS}"),
        (random_b58check(0x05, 1), f"XBT:{random_b58check(0x05, 1)}"),
        (BIP173_P2WPKH, f"XBT:{BIP173_P2WPKH}"),
        (BIP173_P2WPKH.upper(), f"XBT:{BIP173_P2WPKH}"),
        (BIP350_TAPROOT, f"XBT:{BIP350_TAPROOT}"),
        (EIP55, f"ETH:{EIP55.lower()}"),
        (EIP55.lower(), f"ETH:{EIP55.lower()}"),
        ("0x" + EIP55[2:].upper(), f"ETH:{EIP55.lower()}"),
        (random_b58check(0x41, 2), f"TRX:{random_b58check(0x41, 2)}"),
        (random_b58check(0x30, 3), f"LTC:{random_b58check(0x30, 3)}"),
        (random_b58check(0x32, 4), f"LTC:{random_b58check(0x32, 4)}"),
        (random_b58check(0x1E, 5), f"DOGE:{random_b58check(0x1E, 5)}"),
        (MONERO_GENERAL_FUND, f"XMR:{MONERO_GENERAL_FUND}"),
        (CASHADDR, "BCH:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"),
        (
            "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a",
            "BCH:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a",
        ),
    ],
)
def test_valid_addresses_with_offsets(address: str, value: str) -> None:
    text = f"Pay to: {address}. Thanks"
    [found] = find(text)
    assert found.label == "WALLET"
    assert found.value == value
    assert text[found.start : found.end] == address


def test_generated_segwit_and_monero_addresses() -> None:
    ltc = segwit_address("ltc", 0, bytes(range(20)))
    taproot = segwit_address("bc", 1, bytes(range(32)))
    xmr = monero_address(18, bytes(range(64)), keccak_256)
    sub = monero_address(42, bytes(range(1, 65)), keccak_256)
    assert values(f"{ltc} {taproot} {xmr} {sub}") == [
        f"LTC:{ltc}",
        f"XBT:{taproot}",
        f"XMR:{xmr}",
        f"XMR:{sub}",
    ]
    assert xmr.startswith("4")
    assert len(xmr) == 95
    assert sub.startswith("8")


def test_eip55_published_vectors() -> None:
    for address in (
        "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ):
        assert eip55(address.lower()) == address


@pytest.mark.parametrize(
    "address",
    [
        flip_last(GENESIS, B58),
        flip_last(random_b58check(0x41, 2), B58),
        flip_last(random_b58check(0x30, 3), B58),
        flip_last(BIP173_P2WPKH, BECH32),
        flip_last(BIP350_TAPROOT, BECH32),
        # BIP-350: a version-1 program with a bech32 (not bech32m) checksum is invalid.
        segwit_address("bc", 1, bytes(32)).replace("bc1p", "bc1p", 1)[:-6]
        + segwit_address("bc", 0, bytes(32))[-6:],
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",  # mixed case, wrong checksum
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae",  # 39 hex digits
        flip_last(MONERO_GENERAL_FUND, B58),
        MONERO_GENERAL_FUND[:-1],
        flip_last(CASHADDR, BECH32),
        b58check(0x99, bytes(20)),  # valid base58check, no chain with that version
    ],
)
def test_invalid_addresses_are_nothing_at_all(address: str) -> None:
    assert values(f"send {address} now") == []
    assert find_identifiers(f"send {address} now") == []


def test_usdt_context_before_eth_and_tron() -> None:
    tron = random_b58check(0x41, 9)
    text = f"USDT (TRC20): {tron}; ETH: {EIP55}; Tether ERC-20 {EIP55.lower()}"
    found = list(find(text))
    assert [(f.value, f.detail) for f in found] == [
        (f"USDT:{tron}", "TRX"),
        (f"ETH:{EIP55.lower()}", ""),
        (f"USDT:{EIP55.lower()}", "ETH"),
    ]


def test_usdt_word_far_away_does_not_count() -> None:
    text = "USDT accepted." + " " * 60 + EIP55
    assert values(text) == [f"ETH:{EIP55.lower()}"]


def test_address_inside_a_longer_word_is_not_taken() -> None:
    assert values(f"x{GENESIS}") == []
    assert values(f"{EIP55}ff") == []


def test_a_chain_named_next_to_usdt_keeps_its_own_chain() -> None:
    assert values(f"ETH / USDT-ERC20: {EIP55.lower()}") == [f"ETH:{EIP55.lower()}"]
