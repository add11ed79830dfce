"""Build config/precursors.csv from the public reference tables (a developer tool, not run time).

Usage:
    .venv/bin/python tools/build_precursor_lexicon.py ../shared/data/chemicals \\
        > config/precursors.csv

Inputs (see ../shared/data/README.md and chemicals/EVIDENCE.md for the sources):
* fentanyl_precursors.csv: fentanyl and its precursors, with US / UN / China control status;
* vietnam_decree_28_2026_list_IVA_precursors.csv: Vietnam Decree 28/2026/ND-CP List IVA.
Rows are merged by CAS number (or by name where a row has none). CAS numbers that fail the
check digit are dropped from the row (the chemical's names stay) and listed on stderr.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from stdnum import casrn

COLUMNS = (
    "id", "name", "abbrev", "synonyms", "cas", "hs_code",
    "us_status", "un_status", "china_status", "sources",
)  # fmt: skip


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def valid_cas(raw: str, where: str) -> str:
    raw = raw.strip()
    if raw and not casrn.is_valid(raw):
        sys.stderr.write(f"{where}: CAS {raw!r} fails its check digit: dropped\n")
        return ""
    return raw


def main(folder: Path) -> None:
    rows: dict[str, dict[str, str]] = {}
    with (folder / "fentanyl_precursors.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            cas = valid_cas(r["cas"], f"fentanyl_precursors.csv {r['name']}")
            key = cas or slug(r["name"])
            synonyms = [s.strip() for s in r["synonyms"].split("|") if s.strip()]
            synonyms = [s for s in synonyms if not s.startswith("(")]
            rows[key] = {
                "id": slug(r["abbrev"] or r["name"]),
                "name": r["name"],
                "abbrev": r["abbrev"],
                "synonyms": "|".join(synonyms),
                "cas": cas,
                "hs_code": r["hs_code"],
                "us_status": r["us_status"],
                "un_status": r["un_status"],
                "china_status": r["china_status"],
                "sources": "fentanyl_precursors",
            }
    with (folder / "vietnam_decree_28_2026_list_IVA_precursors.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            names = [n.strip() for n in re.split(r";", r["tenchat"]) if n.strip()]
            cas = valid_cas(r["cas"], f"vietnam list IVA #{r['stt']}")
            key = cas or slug(names[0])
            scientific = r["tenkhoahoc"].strip()
            if key in rows:
                row = rows[key]
                extra = [n for n in [*names, scientific] if n and n not in row["synonyms"]]
                row["synonyms"] = "|".join([row["synonyms"], *extra]).strip("|")
                row["sources"] += "|vn_decree_28_2026_iva"
                continue
            rows[key] = {
                "id": slug(names[0]),
                "name": names[0],
                "abbrev": "",
                "synonyms": "|".join(n for n in [*names[1:], scientific] if n != names[0]),
                "cas": cas,
                "hs_code": r["ma_so_hang_hoa"],
                "us_status": "",
                "un_status": "",
                "china_status": "",
                "sources": "vn_decree_28_2026_iva",
            }
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in sorted(rows.values(), key=lambda r: r["id"]):
        writer.writerow(row)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
