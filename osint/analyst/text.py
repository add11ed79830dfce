"""A profile (as `load_profile` returns it) as readable text sections for a terminal."""

from __future__ import annotations

from typing import Any

LABELS = {
    "names": "Names",
    "countries": "Countries",
    "nationality": "Nationality",
    "dobs": "Dates of birth",
    "addresses": "Addresses",
    "phones": "Phones",
    "emails": "Emails",
    "domains": "Domains",
    "wallets": "Wallets",
    "identifiers": "Identifiers",
    "chemicals": "Chemicals",
    "programs": "Programs",
}


def _when(value: Any) -> str:
    return "" if value is None else str(value)[:19]


def _join(values: list[Any] | None) -> str:
    return ", ".join(str(v) for v in values or []) or "-"


def profile_text(p: dict[str, Any]) -> str:
    """Sections: header, values with their sources, records, links, judgements, notes."""
    lines: list[str] = []
    if p["retired_id"]:
        lines.append(f"{p['retired_id']} was merged into {p['profile_id']}: showing that profile")
        lines.append("")
    lines += [
        f"{p['name']}  ({p['kind']}, {p['profile_id']})",
        f"  risk flags  {_join(p['risk_flags'])}",
        f"  listed      {'yes' if p['listed'] else 'no'}",
        f"  sources     {_join(p['sources'])}  ({p['record_count']} records)",
        f"  first seen  {_when(p['first_seen'])}",
        f"  last seen   {_when(p['last_seen'])}",
    ]
    refs = {r["record_id"]: i + 1 for i, r in enumerate(p["records"])}
    for field, entries in p["values"].items():
        if not entries:
            continue
        lines += ["", LABELS[field]]
        for entry in entries:
            marks = " ".join(f"[{refs[s['record_id']]}]" for s in entry["sources"])
            lines.append(f"  {entry['value']}  {marks}")
    lines += ["", "Sources"]
    for i, r in enumerate(p["records"], 1):
        lines.append(f"  [{i}] {r['source']} {r['source_key']}  {r['record_id']}")
        lines.append(f"      {r['doc_url'] or '-'}  fetched {_when(r['doc_fetched_at'])}")
        lines.append(f"      origin {r['origin']}  confidence {r['confidence']}")
        lines.append(f"      seen {_when(r['first_seen'])} .. {_when(r['last_seen'])}")
    lines += ["", "Links"]
    if not p["links"] and not p["linked_from"]:
        lines.append("  none")
    for link in p["links"]:
        target = link["target_profile_id"] or "not a profile"
        lines.append(f"  {link['relation']} -> {link['target_name']} ({target})")
        lines.append(f"      {link['evidence']}")
    for link in p["linked_from"]:
        lines.append(f"  {link['relation']} <- {link['from_name']} ({link['from_profile_id']})")
    lines += ["", "Judgements"]
    if p["judgements"] is None:
        lines.append("  unknown (the work store could not be read)")
    elif not p["judgements"]:
        lines.append("  none")
    for j in p["judgements"] or []:
        note = f": {j['note']}" if j["note"] else ""
        lines.append(
            f"  {j['judgement']} {j['record_a']} ~ {j['record_b']} "
            f"by {j['author']} {_when(j['created_at'])}{note}"
        )
    if p["notes"]:
        lines += ["", "Notes"] + [f"  {n}" for n in p["notes"]]
    store = p["store"]
    lines += ["", f"profile store data version {store['data_version']}, built {store['built_at']}"]
    return "\n".join(lines) + "\n"


def value_rows(p: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per value, with its sources, for a CSV of a profile."""
    return [
        {
            "profile_id": p["profile_id"],
            "field": field,
            "value": entry["value"],
            "sources": [f"{s['source']}:{s['source_key']}" for s in entry["sources"]],
            "doc_urls": sorted({s["doc_url"] for s in entry["sources"] if s["doc_url"]}),
        }
        for field, entries in p["values"].items()
        for entry in entries
    ]
