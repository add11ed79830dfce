"""The precursor lexicon (`config/precursors.csv`): controlled chemicals, their names and CAS.

Built from public reference tables by tools/build_precursor_lexicon.py. Every CAS number is
checked with its check digit on load (python-stdnum `casrn`); a row with an invalid one is a
configuration error, since a wrong CAS would tag the wrong chemical.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from stdnum import casrn

from osint.errors import ConfigError

REQUIRED = ("id", "name", "abbrev", "synonyms", "cas", "hs_code")


@dataclass(frozen=True, slots=True)
class Chemical:
    """One controlled chemical."""

    id: str
    name: str
    abbrev: str
    synonyms: tuple[str, ...]
    cas: str | None
    hs_code: str | None
    us_status: str
    un_status: str
    china_status: str

    @property
    def names(self) -> tuple[str, ...]:
        """The full name and every synonym (matched without regard to case)."""
        return (self.name, *self.synonyms)


def load_lexicon(path: Path) -> list[Chemical]:
    """Read and check the lexicon; every problem is reported at once."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read the precursor lexicon ({exc.strerror})"]) from exc
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ConfigError([f"{path}: missing columns {', '.join(missing)}"])
    problems: list[str] = []
    chemicals: list[Chemical] = []
    seen: set[str] = set()
    for line_no, row in enumerate(reader, start=2):
        cas = (row["cas"] or "").strip() or None
        if cas and not casrn.is_valid(cas):
            problems.append(f"{path}:{line_no}: cas {cas!r} fails its check digit: correct it")
            continue
        if row["id"] in seen:
            problems.append(f"{path}:{line_no}: id {row['id']!r} is used twice")
            continue
        seen.add(row["id"])
        chemicals.append(
            Chemical(
                id=row["id"],
                name=row["name"].strip(),
                abbrev=row["abbrev"].strip(),
                synonyms=tuple(s.strip() for s in row["synonyms"].split("|") if s.strip()),
                cas=cas,
                hs_code=(row["hs_code"] or "").strip() or None,
                us_status=row.get("us_status", ""),
                un_status=row.get("un_status", ""),
                china_status=row.get("china_status", ""),
            )
        )
    if problems:
        raise ConfigError(problems)
    return chemicals
