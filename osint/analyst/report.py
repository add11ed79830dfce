"""`osint report`: one profile as a self-contained HTML page.

Inline CSS, an inline SVG graph of the linked profiles, no scripts and no external URLs
(links to source documents are plain text), so the file opens anywhere, offline, and can
be handed to a partner as it is.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from osint.analyst.text import LABELS

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;
color:#1d2330;line-height:1.4;padding:0 1rem}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #d5dae3;padding-bottom:.2rem;margin-top:2rem}
.sub{color:#5b6477}.flag{display:inline-block;background:#b3261e;color:#fff;border-radius:3px;
padding:.05rem .45rem;margin-right:.3rem;font-size:.85rem}.note{background:#fff4d6;
padding:.5rem .8rem;border-left:4px solid #e0a800}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;
padding:.3rem .5rem;border-bottom:1px solid #e3e6ec;vertical-align:top}th{background:#f3f5f8}
code{font-size:.85rem;word-break:break-all}.ref{color:#5b6477;font-size:.8rem}
svg text{font-family:system-ui,sans-serif}
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _graph(p: dict[str, Any]) -> str:
    """An SVG star: the profile in the middle, linked profiles and names around it."""
    neighbours: dict[str, tuple[str, str, bool]] = {}
    for link in p["links"]:
        key = link["target_profile_id"] or f"name:{link['target_name']}"
        neighbours.setdefault(
            key, (link["target_name"], link["relation"], link["target_profile_id"] is not None)
        )
    for link in p["linked_from"]:
        neighbours.setdefault(
            link["from_profile_id"], (link["from_name"], link["relation"] + " (in)", True)
        )
    width, height, radius = 900, 420, 160
    cx, cy = width / 2, height / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="linked profiles">'
    ]
    items = list(neighbours.items())[:16]
    nodes = []
    for i, (key, (name, relation, is_profile)) in enumerate(items):
        angle = 2 * math.pi * i / max(len(items), 1) - math.pi / 2
        x, y = cx + radius * 1.6 * math.cos(angle), cy + radius * math.sin(angle)
        dash = "" if is_profile else ' stroke-dasharray="4 3"'
        parts.append(
            f'<line x1="{cx:.0f}" y1="{cy:.0f}" x2="{x:.0f}" y2="{y:.0f}" stroke="#8a94a8"{dash}/>'
            f'<text x="{(cx + x) / 2:.0f}" y="{(cy + y) / 2 - 4:.0f}" font-size="11" '
            f'fill="#5b6477" text-anchor="middle">{_e(relation)}</text>'
        )
        fill = "#dbe7ff" if is_profile else "#eef0f4"
        label = name if len(name) <= 34 else name[:33] + "…"
        ident = key if is_profile else "not a profile"
        nodes.append(
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="9" fill="{fill}" stroke="#3d5a99"/>'
            f'<text x="{x:.0f}" y="{y + 24:.0f}" font-size="12" text-anchor="middle">'
            f"{_e(label)}</text>"
            f'<text x="{x:.0f}" y="{y + 38:.0f}" font-size="10" fill="#5b6477" '
            f'text-anchor="middle">{_e(ident)}</text>'
        )
    parts += nodes
    parts.append(
        f'<circle cx="{cx:.0f}" cy="{cy:.0f}" r="16" fill="#b3261e"/>'
        f'<text x="{cx:.0f}" y="{cy + 34:.0f}" font-size="14" font-weight="bold" '
        f'text-anchor="middle">{_e(p["name"])}</text>'
    )
    if not items:
        parts.append(
            f'<text x="{cx:.0f}" y="{cy + 60:.0f}" font-size="12" fill="#5b6477" '
            'text-anchor="middle">no links to other profiles</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _values(p: dict[str, Any], refs: dict[str, int]) -> str:
    rows = []
    for field, entries in p["values"].items():
        for entry in entries:
            marks = " ".join(f"[{refs[s['record_id']]}]" for s in entry["sources"])
            rows.append(
                f"<tr><th>{_e(LABELS[field])}</th><td><code>{_e(entry['value'])}</code></td>"
                f'<td class="ref">{_e(marks)}</td></tr>'
            )
    return "<table><tr><th>field</th><th>value</th><th>sources</th></tr>" + "".join(rows)


def _records(p: dict[str, Any]) -> str:
    rows = [
        f"<tr><td>[{i}]</td><td>{_e(r['source'])}<br><span class=ref>{_e(r['source_key'])}"
        f"</span></td><td><code>{_e(r['doc_url'])}</code><br><span class=ref>fetched "
        f"{_e(str(r['doc_fetched_at'])[:19])} · sha256 {_e((r['doc_content_sha256'] or '')[:12])}"
        f"</span></td><td><code>{_e(r['origin'])}</code></td><td>{_e(r['confidence'])}</td>"
        f"<td>{_e(str(r['first_seen'])[:10])} &ndash; {_e(str(r['last_seen'])[:10])}</td></tr>"
        for i, r in enumerate(p["records"], 1)
    ]
    head = "<tr><th></th><th>source</th><th>document</th><th>origin</th><th>conf.</th><th>seen</th>"
    return f"<table>{head}</tr>{''.join(rows)}</table>"


def _links(p: dict[str, Any]) -> str:
    rows = [
        f"<tr><td>{_e(link['relation'])}</td><td>{_e(link['target_name'])}</td>"
        f"<td><code>{_e(link['target_profile_id'] or '-')}</code></td>"
        f"<td>{_e(link['evidence'])}</td></tr>"
        for link in p["links"]
    ] + [
        f"<tr><td>{_e(link['relation'])} (from)</td><td>{_e(link['from_name'])}</td>"
        f"<td><code>{_e(link['from_profile_id'])}</code></td><td>{_e(link['evidence'])}</td></tr>"
        for link in p["linked_from"]
    ]
    if not rows:
        return "<p>No links.</p>"
    head = "<tr><th>relation</th><th>name</th><th>profile</th><th>evidence</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def _judgements(p: dict[str, Any]) -> str:
    if p["judgements"] is None:
        return "<p>Unknown: the work store could not be read.</p>"
    if not p["judgements"]:
        return "<p>None.</p>"
    rows = [
        f"<tr><td>{_e(j['judgement'])}</td><td><code>{_e(j['record_a'])}</code> ~ "
        f"<code>{_e(j['record_b'])}</code></td><td>{_e(j['author'])}</td>"
        f"<td>{_e(str(j['created_at'])[:19])}</td><td>{_e(j['note'])}</td></tr>"
        for j in p["judgements"]
    ]
    return "<table>" + "".join(rows) + "</table>"


def render_report(p: dict[str, Any]) -> str:
    """The whole page as one string."""
    refs = {r["record_id"]: i + 1 for i, r in enumerate(p["records"])}
    flags = "".join(f'<span class="flag">{_e(f)}</span>' for f in p["risk_flags"] or [])
    retired = (
        f'<p class="note">{_e(p["retired_id"])} was merged into this profile.</p>'
        if p["retired_id"]
        else ""
    )
    notes = "".join(f'<p class="note">{_e(n)}</p>' for n in p["notes"])
    store = p["store"]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(p['name'])} &ndash; osint profile report</title><style>{_CSS}</style></head>"
        f"<body><h1>{_e(p['name'])}</h1>"
        f'<p class="sub">{_e(p["kind"])} · <code>{_e(p["profile_id"])}</code> · '
        f"{'listed' if p['listed'] else 'not listed'} · first seen "
        f"{_e(str(p['first_seen'])[:19])} · last seen {_e(str(p['last_seen'])[:19])}</p>"
        f"<p>{flags}</p>{retired}"
        f"<h2>Linked profiles</h2>{_graph(p)}{_links(p)}"
        f"<h2>What is known</h2>{_values(p, refs)}</table>"
        f"<h2>Evidence</h2>{_records(p)}"
        f"<h2>Judgements</h2>{_judgements(p)}{notes}"
        f'<p class="sub">Profile store data version {_e(store["data_version"])}, built '
        f"{_e(store['built_at'])}, model {_e(store['model_version'])}.</p></body></html>\n"
    )
