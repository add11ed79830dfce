"""find_identifiers: all recognizers together, overlaps resolved, on realistic and hostile text."""

import itertools
import random
import string

from osint.extract.recognizers import LABELS, Found, find_identifiers
from tests.extract.recognizers.factory import container_check_digit, random_b58check

TRON = random_b58check(0x41, 42)
CONTAINER = "TGHU876543" + container_check_digit("TGHU876543")

SELLER = f"""
Hebei Chem Trading Co.Ltd (USCC 91110000600037341L) - top supplier of 1-boc-4-piperidone,
CAS 79099-07-3, 99% purity, price USD 1,250.00/kg, MOQ 1 kg, updated 2024-05-03.
Order No. 2024050312345. HS code: 2933.39.
Contact Tel/WhatsApp: +86 138 1234 5678, Wickr: chemlab99, Telegram @pharma_king,
email sales(at)hbchem(dot)com or info@hbchem-trade.cn, www.hbchem-trade.cn/products/index.html.
Payment: BTC 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa or USDT (TRC20) {TRON}.
Shipped in container {CONTAINER} on MV Ocean Star (IMO 9321483, MMSI 412345678).
See catalog.pdf or product.html for details. Batch 20240503, 1,000 kg in stock.
"""


def test_seller_paragraph_exact_set() -> None:
    found = find_identifiers(SELLER)
    assert {(f.label, f.value) for f in found} == {
        ("USCC", "uscc:91110000600037341L"),
        ("HS_CODE", "293339"),
        ("PHONE", "+8613812345678"),
        ("MESSENGER", "wickr:chemlab99"),
        ("MESSENGER", "telegram:pharma_king"),
        ("EMAIL", "sales@hbchem.com"),
        ("EMAIL", "info@hbchem-trade.cn"),
        ("URL", "hbchem-trade.cn"),
        ("WALLET", "XBT:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
        ("WALLET", f"USDT:{TRON}"),
        ("CONTAINER", f"container:{CONTAINER}"),
        ("IMO", "imo:9321483"),
        ("MMSI", "mmsi:412345678"),
    }
    assert len(found) == 13
    phone = next(f for f in found if f.label == "PHONE")
    assert (SELLER[phone.start : phone.end], phone.detail) == ("+86 138 1234 5678", "whatsapp")
    url = next(f for f in found if f.label == "URL")
    assert url.detail == "www.hbchem-trade.cn/products/index.html"


def test_seller_paragraph_with_country_hint_adds_no_false_phones() -> None:
    found = find_identifiers(SELLER, "CN")
    assert [f.value for f in found if f.label == "PHONE"] == ["+8613812345678"]


def test_results_are_sorted_non_overlapping_and_offsets_match() -> None:
    found = find_identifiers(SELLER, "CN")
    assert found == sorted(found, key=lambda f: f.start)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert all(f.label in LABELS and SELLER[f.start : f.end] for f in found)


def test_more_specific_wins_an_overlap() -> None:
    text = "sales [at] example [dot] com"
    assert find_identifiers(text) == [Found("EMAIL", 0, len(text), "sales@example.com", text)]


def test_one_megabyte_of_noise_mojibake_and_mixed_scripts() -> None:
    rng = random.Random(2026)  # noqa: S311 (reproducible noise, not crypto)
    pieces = [
        string.printable,
        "电话手机微信海关编码供应商化学品",
        "Привет мир поставщик химикатов ",
        "Ã©Ã¨â€™Ð¿Ñ€Ð¸Ã¢â‚¬Å“\ufffd\u200b",  # noqa: RUF001 (mojibake on purpose)
        "0123456789 .-+@()[]:/",
    ]
    alphabet = "".join(pieces)
    text = "".join(rng.choice(alphabet) for _ in range(1_000_000))
    found = find_identifiers(text, "CN")
    assert all(text[f.start : f.end] and f.label in LABELS for f in found)
    # The same noise with one real identifier in the middle still gives it back.
    marked = text[:500_000] + " sales@example.com " + text[500_000:]
    assert ("EMAIL", "sales@example.com") in {(f.label, f.value) for f in find_identifiers(marked)}
