"""Consistency checks for the extraction development set (docs/ + gold.jsonl).

    .venv/bin/python tests/data/extract_eval/check_gold.py [-v] [--stats] [--data DIR]

Fails (exit code 1, one "file: problem" line each) when:
- a document has no gold line, a gold line has no document, a document has two lines, or the
  lines are not in file name order; a line has an unknown kind, label or malformed value;
- an identifier does not pass its check: PHONE (libphonenumber), CAS (stdnum.casrn), USCC
  (stdnum.cn.uscc), IMO (check digit), CONTAINER (ISO 6346), XBT (stdnum.bitcoin), TRX/USDT/LTC
  base58check (double SHA-256), XMR (Keccak-256 checksum), ETH (0x + 40 hex digits);
- a PRECURSOR id is not in config/precursors.csv, or none of its names, abbreviation,
  synonyms or CAS number is written in the document's scope;
- an ORG/PERSON/GPE surface form is not written, exactly, in the document's scope;
- an identifier's characters are not written in the scope (spaces, dashes, dots and the
  usual email obfuscations allowed); ANALYTICS_ID is looked up in the whole HTML source.

Scope = the text a reader sees outside <script>, <style>, <noscript>, <template>, <nav>,
<header>, <footer>, <aside>, <svg>, <iframe> and <head>; a .txt file is all scope.

--stats prints the document and label counts (the tables in README.md) and exits.

Warnings (printed with -v, never failing): valid-looking CAS numbers, containers, IMO numbers
and wallets in scope that gold does not list (candidates for a missed annotation, or planted
invalid ones, which the document's notes should name).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import phonenumbers
from stdnum import bitcoin, casrn, imo, iso6346
from stdnum.cn import uscc

# The set to check: this folder, or another one of the same layout given as `--data DIR`.
_ARGS = sys.argv[1:]
HERE = (
    Path(_ARGS[_ARGS.index("--data") + 1]).resolve()
    if "--data" in _ARGS and _ARGS.index("--data") + 1 < len(_ARGS)
    else Path(__file__).resolve().parent
)
ROOT = Path(__file__).resolve().parents[3]
DOCS = HERE / "docs"
GOLD = HERE / "gold.jsonl"
LEXICON = ROOT / "config" / "precursors.csv"

KINDS = {"listing", "supplier", "press_release", "shipping", "forum"}
LABELS = [
    "ORG",
    "PERSON",
    "GPE",
    "PRECURSOR",
    "CAS",
    "PHONE",
    "EMAIL",
    "URL",
    "WALLET",
    "MESSENGER",
    "USCC",
    "IMO",
    "MMSI",
    "CONTAINER",
    "HS_CODE",
    "ANALYTICS_ID",
]
SURFACE = {"ORG", "PERSON", "GPE"}
CHAINS = {"XBT", "ETH", "TRX", "USDT", "LTC", "XMR"}
APPS = {"telegram", "wickr", "wechat", "signal", "skype", "threema", "viber"}
DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "svg",
    "iframe",
    "head",
}
BLOCK = set(
    "address article blockquote br dd div dl dt figcaption figure form h1 h2 h3 h4 h5 h6 hr "
    "li main ol p pre section table td th tr ul".split()
)
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class _Scope(HTMLParser):
    def __init__(self, drop: set[str] = DROP) -> None:
        super().__init__(convert_charrefs=True)
        self.drop = drop
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.drop:
            self.skip += 1
        elif tag in BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.drop:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def scope_text(path: Path, raw: str, kind: str = "") -> str:
    if path.suffix != ".html":
        return raw
    # A supplier's own site: its header and footer are the company's (contact lines, copyright).
    parser = _Scope(DROP - {"header", "footer"} if kind == "supplier" else DROP)
    parser.feed(raw)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def compact(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def deobfuscate(text: str) -> str:
    text = text.lower()
    text = re.sub(r"\s*[(\[{<]\s*(?:at|arroba|@)\s*[)\]}>]\s*", "@", text)
    text = re.sub(r"\s*[(\[{<]\s*(?:dot|punto|\.)\s*[)\]}>]\s*", ".", text)
    text = re.sub(r"[ \t]+at[ \t]+", "@", text)
    return re.sub(r"[ \t]+dot[ \t]+", ".", text)


def b58decode(text: str) -> bytes:
    number = 0
    for ch in text:
        number = number * 58 + B58.index(ch)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def base58check_ok(address: str, versions: set[int]) -> bool:
    if not address or any(ch not in B58 for ch in address):
        return False
    raw = b58decode(address)
    if len(raw) != 25 or raw[0] not in versions:
        return False
    return hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()[:4] == raw[-4:]


def keccak256(message: bytes) -> bytes:
    rc = [
        0x0000000000000001,
        0x0000000000008082,
        0x800000000000808A,
        0x8000000080008000,
        0x000000000000808B,
        0x0000000080000001,
        0x8000000080008081,
        0x8000000000008009,
        0x000000000000008A,
        0x0000000000000088,
        0x0000000080008009,
        0x000000008000000A,
        0x000000008000808B,
        0x800000000000008B,
        0x8000000000008089,
        0x8000000000008003,
        0x8000000000008002,
        0x8000000000000080,
        0x000000000000800A,
        0x800000008000000A,
        0x8000000080008081,
        0x8000000000008080,
        0x0000000080000001,
        0x8000000080008008,
    ]
    rot = [
        [0, 36, 3, 41, 18],
        [1, 44, 10, 45, 2],
        [62, 6, 43, 15, 61],
        [28, 55, 25, 21, 56],
        [27, 20, 39, 8, 14],
    ]
    mask = (1 << 64) - 1

    def rol(x: int, n: int) -> int:
        return ((x << n) | (x >> (64 - n))) & mask if n else x

    rate = 136
    data = bytearray(message) + b"\x01"
    while len(data) % rate:
        data.append(0)
    data[-1] |= 0x80
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(data), rate):
        for i in range(rate // 8):
            a[i % 5][i // 5] ^= int.from_bytes(data[off + 8 * i : off + 8 * i + 8], "little")
        for rnd in range(24):
            c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
            d = [c[(x - 1) % 5] ^ rol(c[(x + 1) % 5], 1) for x in range(5)]
            a = [[a[x][y] ^ d[x] for y in range(5)] for x in range(5)]
            b = [[0] * 5 for _ in range(5)]
            for x in range(5):
                for y in range(5):
                    b[y][(2 * x + 3 * y) % 5] = rol(a[x][y], rot[x][y])
            a = [
                [b[x][y] ^ (~b[(x + 1) % 5][y] & b[(x + 2) % 5][y]) for y in range(5)]
                for x in range(5)
            ]
            a[0][0] ^= rc[rnd]
    return b"".join(a[i % 5][i // 5].to_bytes(8, "little") for i in range(4))


def monero_ok(address: str) -> bool:
    """Standard address: 95 base58 characters in 11-character blocks of 8 bytes, Keccak checksum."""
    if len(address) != 95 or address[0] != "4" or any(ch not in B58 for ch in address):
        return False
    sizes = {0: 0, 2: 1, 3: 2, 5: 3, 6: 4, 7: 5, 9: 6, 10: 7, 11: 8}
    out = b""
    for i in range(0, 95, 11):
        block = address[i : i + 11]
        number = 0
        for ch in block:
            number = number * 58 + B58.index(ch)
        out += number.to_bytes(sizes[len(block)], "big")
    return len(out) == 69 and out[0] == 0x12 and keccak256(out[:-4])[:4] == out[-4:]


def wallet_ok(chain: str, address: str) -> bool:
    if chain == "XBT":
        return bitcoin.is_valid(address)
    if chain == "LTC":
        return base58check_ok(address, {0x30, 0x32, 0x05})
    if chain == "XMR":
        return monero_ok(address)
    if address.startswith("0x"):  # ETH, or USDT on Ethereum
        return chain in {"ETH", "USDT"} and bool(re.fullmatch(r"0x[0-9a-fA-F]{40}", address))
    return chain in {"TRX", "USDT"} and address.startswith("T") and base58check_ok(address, {0x41})


def load_lexicon() -> dict[str, list[str]]:
    forms: dict[str, list[str]] = {}
    with LEXICON.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names = [row["name"], row["abbrev"], row["cas"], *row["synonyms"].split("|")]
            forms[row["id"]] = [n.strip() for n in names if n and n.strip()]
    return forms


def check_value(label: str, value: str, scope: str, raw: str) -> list[str]:
    """Problems with one normalized identifier (validity, format, presence in the document)."""
    digits = re.sub(r"\D", "", scope)
    if label == "CAS":
        if not casrn.is_valid(value):
            return [f"CAS {value} fails its check digit"]
        return [] if value in scope else [f"CAS {value} not written in the document"]
    if label == "PHONE":
        if not value.startswith("+"):
            return [f"PHONE {value} is not E.164"]
        try:
            number = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException:
            return [f"PHONE {value} does not parse"]
        if (
            not phonenumbers.is_valid_number(number)
            or phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) != value
        ):
            return [f"PHONE {value} is not a valid E.164 number"]
        return (
            []
            if str(number.national_number) in digits
            else [f"PHONE {value} not written in the document"]
        )
    if label == "EMAIL":
        if value != value.lower() or not re.fullmatch(
            r"[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+", value
        ):
            return [f"EMAIL {value} is not a lower-case address"]
        return (
            []
            if value in deobfuscate(scope)
            else [f"EMAIL {value} not written (plain or obfuscated) in the document"]
        )
    if label == "URL":
        if value.startswith(("www.", "http")) or "/" in value or value != value.lower():
            return [f"URL {value} is not a bare registered domain"]
        return [] if value in scope.lower() else [f"URL {value} not written in the document"]
    if label == "WALLET":
        chain, _, address = value.partition(":")
        if chain not in CHAINS:
            return [f"WALLET {value}: unknown chain {chain}"]
        if not wallet_ok(chain, address):
            return [f"WALLET {value} fails its checksum or format"]
        return [] if address in scope else [f"WALLET {value} not written in the document"]
    if label == "MESSENGER":
        app, _, handle = value.partition(":")
        if app not in APPS or not handle or handle.startswith("@"):
            return [f"MESSENGER {value} is not app:handle"]
        if re.fullmatch(r"\+?[\d ]{7,}", handle):
            return [f"MESSENGER {value} is a phone number (annotate it as PHONE)"]
        return (
            []
            if handle.lower() in scope.lower()
            else [f"MESSENGER {value} not written in the document"]
        )
    if label in {"USCC", "IMO", "MMSI", "CONTAINER"}:
        scheme, _, number = value.partition(":")
        if scheme != label.lower() or number != compact(number):
            return [f"{label} {value} is not {label.lower()}:VALUE"]
        valid = {
            "USCC": uscc.is_valid,
            "IMO": imo.is_valid,
            "CONTAINER": iso6346.is_valid,
            "MMSI": lambda n: bool(re.fullmatch(r"[2-7]\d{8}", n)),
        }[label](number)
        if not valid:
            return [f"{label} {value} fails its check"]
        return [] if number in compact(scope) else [f"{label} {value} not written in the document"]
    if label == "HS_CODE":
        if not re.fullmatch(r"\d{4,10}", value):
            return [f"HS_CODE {value} is not 4 to 10 digits"]
        return [] if value in compact(scope) else [f"HS_CODE {value} not written in the document"]
    if label == "ANALYTICS_ID":
        match = re.fullmatch(
            r"analytics:(UA-\d{4,10}|G-[A-Z0-9]{6,12}|GTM-[A-Z0-9]{4,9}|pub-\d{16})", value
        )
        if not match:
            return [f"ANALYTICS_ID {value} is not analytics:UA-n / G-x / GTM-x / pub-16digits"]
        return [] if match.group(1) in raw else [f"ANALYTICS_ID {value} not in the HTML source"]
    return [f"unknown label {label}"]


def warnings(gold: dict, scope: str) -> list[str]:
    """Valid-looking identifiers in scope that gold does not list."""
    ents = gold["entities"]
    out = []
    for cas in set(re.findall(r"(?<![\d-])\d{2,7}-\d{2}-\d(?![\d-])", scope)):
        if casrn.is_valid(cas) and cas not in ents.get("CAS", []):
            out.append(f"valid CAS {cas} in scope, not in gold")
    for box in set(re.findall(r"\b[A-Z]{3}U\d{7}\b", scope)):
        if iso6346.is_valid(box) and f"container:{box}" not in ents.get("CONTAINER", []):
            out.append(f"valid container {box} in scope, not in gold")
    for number in set(re.findall(r"IMO[:\s]*(\d{7})\b", scope)):
        if imo.is_valid(number) and f"imo:{number}" not in ents.get("IMO", []):
            out.append(f"valid IMO {number} in scope, not in gold")
    listed = {w.split(":", 1)[1] for w in ents.get("WALLET", [])}
    for address in set(
        re.findall(
            r"\b(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{11,71}|T[1-9A-HJ-NP-Za-km-z]{33}|0x[0-9a-fA-F]{40})\b",
            scope,
        )
    ):
        plausible = (
            bitcoin.is_valid(address) or base58check_ok(address, {0x41}) or address.startswith("0x")
        )
        if plausible and address not in listed:
            out.append(f"valid-looking wallet {address} in scope, not in gold")
    return sorted(out)


def stats(lines: list[dict]) -> str:
    """Markdown tables: documents per kind; per label, documents having it and values (entities)."""
    kinds: dict[str, int] = {}
    for gold in lines:
        kinds[gold["kind"]] = kinds.get(gold["kind"], 0) + 1
    out = ["| kind | documents |", "|---|---|"]
    out += [f"| {kind} | {n} |" for kind, n in sorted(kinds.items())]
    out += [f"| total | {len(lines)} |", "", "| label | documents | gold values |", "|---|---|---|"]
    for label in LABELS:
        having = [g for g in lines if g["entities"].get(label)]
        total = sum(len(g["entities"][label]) for g in having)
        forms = (
            sum(len(e) for g in having for e in g["entities"][label]) if label in SURFACE else None
        )
        out.append(
            f"| {label} | {len(having)} | {total}"
            + (f" entities, {forms} forms" if forms else "")
            + " |"
        )
    obfuscated = 0
    for gold in lines:
        raw = (DOCS / gold["doc"]).read_text(encoding="utf-8")
        if re.search(
            r"mailto:|[(\[{]\s*(?:at|arroba)\s*[)\]}]|\s(?:at)\s\S+\s(?:dot)\s", raw, re.I
        ):
            obfuscated += 1
    out += ["", f"Documents with an obfuscated or mailto: email: {obfuscated}"]
    return "\n".join(out)


def main() -> int:
    verbose = "-v" in sys.argv[1:]
    if "--stats" in sys.argv[1:]:
        print(
            stats(
                [
                    json.loads(line)
                    for line in GOLD.read_text(encoding="utf-8").splitlines()
                    if line.strip()
                ]
            )
        )
        return 0
    problems: list[str] = []
    lexicon = load_lexicon()
    files = sorted(p.name for p in DOCS.iterdir() if p.suffix in {".html", ".txt"})
    lines = [
        json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    names = [line.get("doc") for line in lines]
    for name in files:
        if names.count(name) != 1:
            problems.append(f"docs/{name}: {names.count(name)} gold lines (want exactly 1)")
    for name in names:
        if name not in files:
            problems.append(f"gold.jsonl: line for {name}, which is not in docs/")
    if names != sorted(names):
        problems.append("gold.jsonl: lines are not in file name order")
    notes = []
    for gold in lines:
        name = gold.get("doc")
        if name not in files:
            continue
        where = f"docs/{name}"
        path = DOCS / name
        raw = path.read_text(encoding="utf-8")
        scope = scope_text(path, raw, str(gold.get("kind", "")))
        if gold.get("kind") not in KINDS:
            problems.append(f"{where}: unknown kind {gold.get('kind')!r}")
        country = gold.get("country")
        if country is not None and not re.fullmatch(r"[A-Z]{2}", str(country)):
            problems.append(f"{where}: country {country!r} is not ISO alpha-2 or null")
        if not gold.get("notes"):
            problems.append(f"{where}: no notes")
        for label, values in gold.get("entities", {}).items():
            if label not in LABELS:
                problems.append(f"{where}: unknown label {label}")
                continue
            if not values:
                problems.append(f"{where}: {label} is empty (omit the label)")
            if label in SURFACE:
                for entity in values:
                    if not isinstance(entity, list) or not entity:
                        problems.append(
                            f"{where}: {label} entity {entity!r} is not a list of forms"
                        )
                        continue
                    for form in entity:
                        if form not in scope:
                            problems.append(
                                f"{where}: {label} form {form!r} not written in the "
                                "document's scope"
                            )
                continue
            if len(set(values)) != len(values):
                problems.append(f"{where}: {label} lists a value twice")
            for value in values:
                if not isinstance(value, str):
                    problems.append(f"{where}: {label} value {value!r} is not a string")
                elif label == "PRECURSOR":
                    if value not in lexicon:
                        problems.append(f"{where}: PRECURSOR {value!r} is not a lexicon id")
                    elif not any(form.lower() in scope.lower() for form in lexicon[value]):
                        problems.append(
                            f"{where}: PRECURSOR {value!r}: no name, synonym or CAS of it in "
                            "the document"
                        )
                else:
                    problems.extend(f"{where}: {p}" for p in check_value(label, value, scope, raw))
        notes.extend(f"{where}: {w}" for w in warnings(gold, scope))
    if verbose:
        for note in notes:
            print(f"warning: {note}")
    if problems:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s) in {len(files)} documents", file=sys.stderr)
        return 1
    counts = {label: sum(len(g["entities"].get(label, [])) for g in lines) for label in LABELS}
    print(
        f"ok: {len(files)} documents, {len(lines)} gold lines, "
        + ", ".join(f"{label} {n}" for label, n in counts.items() if n)
        + f" ({len(notes)} warning(s){'' if verbose else ', -v to list'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
