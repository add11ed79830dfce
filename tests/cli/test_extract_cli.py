"""`osint extract --file` and `osint eval extract` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import osint

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_extract_file_prints_entities_and_records_as_json() -> None:
    page = FIXTURES / "marketplace" / "p" / "1.html"
    result = osint("extract", "--file", str(page), "--kind", "listing", "--format", "json")
    assert result.returncode == 0, result.stderr
    [out] = json.loads(result.stdout)
    assert out["kind"] == "listing"
    labels = {e["label"] for e in out["entities"]}
    assert {"ORG", "PERSON", "PRECURSOR", "PHONE", "MESSENGER"} <= labels
    seller = out["records"][0]
    assert seller["name"] == "Wuhan Jiangcheng Biotech Co., Ltd."
    assert seller["chemicals"] == ["1-boc-4-piperidone"]


def test_extract_file_errors_are_one_line(tmp_path: Path) -> None:
    missing = osint("extract", "--file", str(tmp_path / "nope.html"))
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr
    assert "Traceback" not in missing.stderr
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    refused = osint("extract", "--file", str(binary))
    assert refused.returncode == 2
    assert "binary" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    kind = osint("extract", "--file", str(binary), "--kind", "blog")
    assert kind.returncode == 2
    assert "listing, supplier, press_release" in kind.stderr


def test_eval_extract_prints_a_row_per_label(tmp_path: Path) -> None:
    data = tmp_path / "set"
    (data / "docs").mkdir(parents=True)
    (data / "docs" / "a.txt").write_text(
        "Company: Wuhan Shengmao Chemical Co., Ltd\nTel: +86 139 7123 4567\n"
        "We sell 4-ANPP (CAS 21409-26-7) and ship by DHL.\n",
        encoding="utf-8",
    )
    gold = {
        "doc": "a.txt", "kind": "supplier", "country": "CN",
        "entities": {"ORG": [["Wuhan Shengmao Chemical Co., Ltd"]], "PHONE": ["+8613971234567"],
                     "PRECURSOR": ["anpp"], "CAS": ["21409-26-7"], "EMAIL": ["x@y.com"]},
    }  # fmt: skip
    (data / "gold.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    result = osint("eval", "extract", "--data", str(data), "--format", "json", "--errors")
    assert result.returncode == 0, result.stderr
    rows = {r["label"]: r for r in json.loads(result.stdout)}
    assert rows["ORG"]["recall"] == "1.00"
    assert rows["ORG"]["precision"] == "1.00"
    assert rows["PHONE"]["f1"] == "1.00"
    assert rows["EMAIL"]["recall"] == "0.00"  # the gold address is not in the text
    assert rows["PHONE"]["plain_f1"] == "n/a"  # the plain model has no such label
    assert "a.txt: EMAIL missed" in result.stderr


def test_bad_country_and_broken_evaluation_sets_are_one_line_errors(tmp_path: Path) -> None:
    page = FIXTURES / "marketplace" / "p" / "1.html"
    country = osint("extract", "--file", str(page), "--country", "Atlantis")
    assert country.returncode == 2
    assert "--country 'Atlantis' is not a country" in country.stderr
    data = tmp_path / "set"
    (data / "docs").mkdir(parents=True)
    (data / "gold.jsonl").write_text('{"doc": "gone.txt", "kind": "page"}\n', encoding="utf-8")
    missing = osint("eval", "extract", "--data", str(data))
    assert missing.returncode == 1
    assert "gold.jsonl:1: cannot read docs/gone.txt" in missing.stderr
    assert "Traceback" not in missing.stderr
    (data / "gold.jsonl").write_text('{"kind": "blog"}\n', encoding="utf-8")
    malformed = osint("eval", "extract", "--data", str(data))
    assert malformed.returncode == 1
    assert 'gold.jsonl:1: needs a "doc" file name' in malformed.stderr
