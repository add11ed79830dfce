"""The batch import (converters once per distinct value, the rest in SQL) against the
row-by-row reference (`to_record` + `record_row`): same records, same problems, for messy
files in both formats. A difference here means an analyst's list would import differently
depending on its size."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest

from osint.errors import ItemError
from osint.extract.rows import record_row
from osint.records import stable_id
from osint.resolve import import_read
from osint.resolve.imports import import_file, to_record
from osint.store import open_work_store

COMPARED = (
    "record_id", "source", "source_key", "entry_key", "doc_id", "kind", "name", "aliases",
    "names_norm", "countries", "nationality", "address", "city", "dob", "dobs", "phones",
    "emails", "domains", "wallets", "identifiers", "chemicals", "hs_codes", "programs",
    "origin", "confidence", "listed", "input_sha256",
)  # fmt: skip

# Values that import (in many spellings), and values that do not.
POOLS: dict[str, list[str]] = {
    "kind": ["organization", "person", "vessel", "Organization", " PERSON "],
    "name": [
        "Hefei GSK Trade Co Ltd",
        "HEFEI GSK TRADE CO., LTD.",
        "Wuhan Bright Star Chemical Co",
        "\u6b66\u6c49\u661f\u5149\u5316\u5de5\u6709\u9650\u516c\u53f8",
        "OOO \u00abSibir\u00bb",
        "\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432",
        "Jos\u00e9 \u00c1lvarez",
        "  Ali Hassan\u3000",
        "Limited",
        "co ltd",
        "!!!",
        "Ocean Star",
        "MV Ocean Star",
        "AL-HASSAN, Watab Ibrahim",
        "Zhou Mingyang",
    ],
    "aliases": ["", "Hefei GSK;Hefei GSK Trade", "GSK;gsk", " ; ;", "\u00c1lvarez;Alvarez"],
    "countries": ["", "CN", "China", "cn;CN", "RU; Mexico", "Iranian", " DE "],
    "nationality": ["", "CN", "Mexican"],
    "city": ["", "Wuhan", " Jinan ", "\u00a0"],
    "address": ["", "1 Main St", "  No. 5 Road\u2028"],
    "dob": ["", "1970-02-03", "1981", "03/02/1970", "1975; 1976"],
    "phones": [
        "",
        "+86 551 6512 3456",
        "0551 6512 3456",
        "5516512345",
        "+1 (604) 655-7956",
        "+86 551 6512 3456;+8655165123456",
        "009647718635788",
    ],
    "emails": ["", "Sales@Example.COM", "mailto:info@gsk-trade.cn.", "a@b.co;A@B.CO"],
    "domains": ["", "http://WWW.Example.co.uk/x", "gsk-trade.cn"],
    "wallets": ["", "XBT:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"],
    "identifiers": [
        "",
        "uscc: 9137 0100 MA3C 1234",
        "imo:9176187;IMO 9176187",
        "passport:P-123 456;passport:p123456",
    ],
    "chemicals": ["", "NPP;4-ANPP", "  4-AP  "],
    "hs_codes": ["", "2933.39;29333999"],
    "programs": ["", "SDNTK", "ILLICIT-DRUGS;SDNTK"],
    "confidence": ["", "0.5", "1", "0", " 0.25 "],
}
BAD: dict[str, list[str]] = {
    "kind": ["company", ""],
    "name": ["", "  "],
    "countries": ["Narnia", "CN;Atlantis"],
    "nationality": ["XX"],
    "dob": ["1970-02-30", "circa 1965"],
    "phones": ["12;+86 551 6512 3456", "call me"],
    "emails": ["bad@", "x@y"],
    "domains": ["localhost", "127.0.0.1"],
    "wallets": ["bitcoin:1A1z", "ETH:0xabc"],
    "identifiers": ["passport", "uscc:"],
    "confidence": ["1.5", "nan", "high"],
}


def _rows(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 (reproducible test rows)
    rows = []
    for i in range(n):
        row = {
            f: rng.choice(BAD[f] if f in BAD and rng.random() < 0.02 else values)
            for f, values in POOLS.items()
        }
        row["source_key"] = rng.choice([f"K{i}", f" K{i} ", f"K{rng.randrange(i + 1)}", ""])
        rows.append(row)
    return rows


def _reference(
    rows: list[tuple[int, dict[str, Any]]], path: Path, source: str, sha: str
) -> tuple[dict[str, tuple[Any, ...]], list[str]]:
    doc_id = stable_id("doc", source, path.resolve().as_uri())
    kept: dict[str, tuple[Any, ...]] = {}
    seen: dict[str, int] = {}
    problems = []
    for line, data in rows:
        try:
            record = to_record(data, source, doc_id, {})
            if record.source_key in seen:
                raise ItemError(
                    f"source_key {record.source_key!r} repeats line {seen[record.source_key]}"
                )
        except ItemError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        seen[record.source_key] = line
        row = dict(zip(_COLUMNS, record_row(record, f"import:{record.source_key}", sha, True,
                                            (None, None)), strict=True))  # fmt: skip
        kept[record.record_id] = tuple(row[c] for c in COMPARED)
    return kept, problems


from osint.extract.rows import RECORD_COLUMNS as _COLUMNS  # noqa: E402


def _imported(path: Path, tmp_path: Path) -> tuple[dict[str, tuple[Any, ...]], list[str]]:
    con = open_work_store(tmp_path / f"{path.stem}.duckdb")
    try:
        result = import_file(con, path, "analyst")
        rows = con.sql(f"SELECT {', '.join(COMPARED)} FROM records").fetchall()
    finally:
        con.close()
    return {r[0]: tuple(r) for r in rows}, result.problems


@pytest.mark.parametrize(
    ("batch", "plain", "newline"),
    [
        (import_read.BATCH, True, "\n"),  # read by DuckDB
        (97, True, "\r\n"),  # read by DuckDB; repeats across batches are found too
        (import_read.BATCH, False, "\n"),  # a quoted line break: read by Python's csv
        (97, False, "\r\n"),
    ],
)
def test_csv_batch_import_gives_the_reference_records_and_problems(
    tmp_path: Path, batch: int, plain: bool, newline: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_read, "BATCH", batch)
    rows = _rows(600, seed=3)
    rows[5]["name"] = 'Golden "Star" Trading, Ltd.'  # quotes and a comma inside a value
    rows[6]["address"] = ' "Room 5", Block B'
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, ["source_key", *POOLS], lineterminator=newline)
    writer.writeheader()
    writer.writerows(rows)
    buffer.write("Q0,person,Short Row,CN" + newline)  # a short row
    if not plain:
        buffer.write(newline)  # a blank line is skipped
        buffer.write('Q1,person,"Two\nLines",CN' + newline)  # a quoted value over two lines
    path = tmp_path / "list.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        numbered = [(reader.line_num, dict(r)) for r in reader]
    import hashlib

    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    want, want_problems = _reference(numbered, path, "analyst", sha)
    got, got_problems = _imported(path, tmp_path)
    assert got_problems == want_problems
    assert got == want
    assert 100 < len(want) < 550  # both kinds of row are there
    assert len(want_problems) > 50


def test_jsonl_batch_import_gives_the_reference_records_and_problems(tmp_path: Path) -> None:
    rows = _rows(400, seed=5)
    lines = []
    for i, row in enumerate(rows):
        data: dict[str, Any] = {k: v for k, v in row.items() if v != "" or i % 3}
        if i % 4 == 0:
            data["phones"] = [p for p in row["phones"].split(";")]  # lists as JSON lists
        if i % 7 == 0:
            data["confidence"] = 0.5
        if i % 50 == 0:
            data["colour"] = "red"  # unknown field on this line only
        lines.append(json.dumps(data, ensure_ascii=i % 2 == 0))
    lines[10] = "{not json"
    lines[11] = "[1, 2]"
    lines.insert(20, "")
    path = tmp_path / "list.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    numbered: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            numbered.append((number, {"__error__": f"not valid JSON ({exc})"}))
            continue
        numbered.append(
            (number, data if isinstance(data, dict) else {"__error__": "not a JSON object"})
        )
    import hashlib

    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    want, want_problems = _reference(numbered, path, "analyst", sha)
    got, got_problems = _imported(path, tmp_path)
    assert got_problems == want_problems
    assert got == want
    assert "unknown column 'colour'" in " ".join(got_problems)
