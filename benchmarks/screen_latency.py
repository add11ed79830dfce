"""Screening latency and throughput at 100k and 1M profiles (prints a table; not a test).

For each size: a synthetic work store (persons with syllable-built names and birth dates,
companies with legal forms, vessels with IMO numbers; some passports and phones) is published
with the real `publish` (so the screening indexes are the real ones); then
* single traveler queries (a profile's name with one letter changed or the words swapped, or
  a name nobody has) through the Python API (`Screener`) and the HTTP API (`POST /match` on a
  real loopback socket, one persistent connection): p50 and p95;
* `osint screen cargo` on a CSV of manifest lines (three parties each), as a subprocess:
  lines per second, start-up included;
* recall: whether the listed name each traveler query was made from, and each company name
  (as listed, and with one letter changed in one word) given as a shipper, is a match;
* Splink `linker.inference.predict_between` of one query record against the same profiles
  (their records' matching view) with the trained model `config/resolve/records.model.json`.

Usage: python benchmarks/screen_latency.py [--sizes 100000 1000000] [--dir /tmp/screen-bench]
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

REPO = Path(__file__).resolve().parents[1]
MODEL = Path("config") / "resolve" / "records.model.json"
sys.path.insert(0, str(REPO))

from osint.screen import CargoLine, Screener, ScreeningPaths, Traveler  # noqa: E402
from osint.screen.http import create_app, running  # noqa: E402
from osint.store import open_work_store, publish  # noqa: E402

SYL = (
    "ka ra mo li na se to vi an el da ri su ha ne lo mi za ba ko "
    "ye sh ta ni ro la fa gu de pe vo ti sa ma no ru ha ki bo ze"
).split()
FIRST = (
    "ali omar ivan pavel chen wei maria ana jose luis ahmed hassan olga irina dmitri "
    "sergei fatima leila yusuf karim nadia elena viktor boris samir tariq mei lin hana "
    "juan carlos pedro rosa ines amir reza farid laila nikolai anton yuri zhang li"
).split()
WORDS = (
    "global pacific golden star ocean united eastern northern trans alpha delta nova "
    "prime silver green royal grand summit bridge harbor crown atlas zenith orient"
).split()
SECTORS = "trading chemical logistics shipping pharma industrial import export".split()
FORMS = ["co ltd", "llc", "limited", "gmbh", "sa", "inc", "pvt ltd", "jsc"]
COUNTRIES = "CN IN RU IR AE TR MX CO US DE NL BE PK VN TH MY SG HK KR JP".split()

_RECORDS_SQL = """
INSERT INTO records (record_id, source, source_key, entry_key, doc_id, kind, name, aliases,
    names_norm, countries, nationality, address, city, dob, dobs, phones, emails, domains,
    wallets, identifiers, chemicals, hs_codes, programs, origin, confidence, first_seen,
    last_seen, listed, input_sha256, extracted_at)
WITH base AS (
    SELECT i,
           CASE WHEN i % 20 < 12 THEN 'person' WHEN i % 20 < 19 THEN 'organization'
                ELSE 'vessel' END AS kind,
           (hash(i, 1) % 1000000007)::BIGINT AS h1, (hash(i, 2) % 1000000007)::BIGINT AS h2,
           (hash(i, 3) % 1000000007)::BIGINT AS h3, (hash(i, 4) % 1000000007)::BIGINT AS h4
    FROM range($n) r(i)
), named AS (
    SELECT *,
        CASE kind
        WHEN 'person' THEN $first[1 + h1 % len($first)] || ' ' || $syl[1 + h2 % len($syl)]
            || $syl[1 + h3 % len($syl)] || $syl[1 + h4 % len($syl)]
        WHEN 'organization' THEN $syl[1 + h1 % len($syl)] || $syl[1 + h2 % len($syl)] || ' '
            || $words[1 + h3 % len($words)] || ' ' || $sectors[1 + h4 % len($sectors)]
        ELSE $words[1 + h1 % len($words)] || ' ' || $syl[1 + h2 % len($syl)]
            || $syl[1 + h3 % len($syl)] || ' ' || (h4 % 100)::VARCHAR
        END AS base_name
    FROM base
)
SELECT 'rec-' || i, 'bench', i::VARCHAR, 'e-' || i, 'doc-bench', kind,
       upper(base_name || CASE WHEN kind = 'organization'
                               THEN ' ' || $forms[1 + h1 % len($forms)] ELSE '' END),
       [], [base_name],
       [$countries[1 + h2 % len($countries)]],
       CASE WHEN kind = 'person' THEN [$countries[1 + h3 % len($countries)]] ELSE [] END,
       NULL, NULL,
       CASE WHEN kind = 'person' THEN strftime(DATE '1950-01-01' + (h4 % 18000)::INTEGER,
                                               '%Y-%m-%d') END,
       CASE WHEN kind = 'person' THEN [strftime(DATE '1950-01-01' + (h4 % 18000)::INTEGER,
                                                '%Y-%m-%d')] ELSE [] END,
       CASE WHEN h3 % 10 = 0 THEN ['+8613' || lpad((h1 % 1000000000)::VARCHAR, 9, '0')]
            ELSE [] END,
       [], [], [],
       CASE WHEN kind = 'person' AND h2 % 3 = 0 THEN ['passport:P' || lpad(i::VARCHAR, 8, '0')]
            WHEN kind = 'vessel' THEN ['imo:' || (9000000 + i % 999999)::VARCHAR]
            ELSE [] END,
       [], [], [],
       'bench:v1', 1.0, now()::TIMESTAMP, now()::TIMESTAMP,
       h1 % 5 = 0, 'x', now()::TIMESTAMP
FROM named
"""


def build(root: Path, n: int) -> Path:
    """A work store of n records (one profile each), published; returns the data dir."""
    data = root / f"n{n}"
    store = data / "profiles.duckdb"
    if store.exists():
        return data
    data.mkdir(parents=True, exist_ok=True)
    work = open_work_store(data / "work.duckdb")
    t0 = time.perf_counter()
    work.execute(
        _RECORDS_SQL,
        {
            "n": n,
            "first": FIRST,
            "syl": SYL,
            "words": WORDS,
            "sectors": SECTORS,
            "forms": FORMS,
            "countries": COUNTRIES,
        },
    )
    work.execute(
        "INSERT INTO profile_members SELECT record_id, 'prof-' || lpad(source_key, 10, '0'), 1.0"
        " FROM records"
    )
    t1 = time.perf_counter()
    publish(work, store, "bench", model_settings=(REPO / MODEL).read_text(encoding="utf-8"))
    print(
        f"  built {n:,} records in {t1 - t0:.1f} s, published in {time.perf_counter() - t1:.1f} s",
        file=sys.stderr,
    )
    work.close()
    return data


def _typo(name: str, rnd: random.Random) -> str:
    i = rnd.randrange(1, len(name) - 1)
    return name[:i] + rnd.choice("aeioukrst") + name[i + 1 :]


def queries(store: Path, count: int, seed: int = 7) -> list[Traveler]:
    return [q for q, _ in labelled_queries(store, count, seed)]


def labelled_queries(store: Path, count: int, seed: int = 7) -> list[tuple[Traveler, str | None]]:
    """Traveler queries with the listed name each was made from (None: nobody's name)."""
    con = duckdb.connect(str(store), read_only=True)
    rows = con.sql(
        "SELECT name, dobs[1] FROM profiles WHERE kind = 'person' "
        f"ORDER BY hash(profile_id, {seed}) LIMIT {count}"
    ).fetchall()
    con.close()
    rnd = random.Random(seed)
    out = []
    for i, (name, dob) in enumerate(rows):
        mode = i % 4
        if mode == 0:
            q = Traveler(f"q{i}", _typo(name, rnd), dob=dob)
        elif mode == 1:
            q = Traveler(f"q{i}", " ".join(reversed(name.split())), dob=dob[:4])
        elif mode == 2:
            q = Traveler(f"q{i}", name.title())
        else:
            q = Traveler(f"q{i}", f"Quentin {rnd.choice(SYL)}xyz{rnd.choice(SYL)}", dob="1971")
        out.append((q, name if mode < 3 else None))
    return out


def sample_names(store: Path, kind: str, count: int, salt: str = "") -> list[str]:
    """`count` distinct profiles' names of one kind, the same ones on every run."""
    con = duckdb.connect(str(store), read_only=True)
    order = f"hash(profile_id, '{salt}')" if salt else "hash(profile_id)"
    names = [
        r[0]
        for r in con.execute(
            f"SELECT name FROM profiles WHERE kind = ? ORDER BY {order} LIMIT {count}", [kind]
        ).fetchall()
    ]
    con.close()
    return names


def _word_typo(name: str, rnd: random.Random) -> str:
    """One letter changed inside one word of a company name (not its legal form)."""
    words = name.split()
    long = [i for i, w in enumerate(words[:-1]) if len(w) >= 4]
    if not long:
        return name
    i = rnd.choice(long)
    words[i] = _typo(words[i], rnd)
    return " ".join(words)


def bench_recall(screener: Screener, store: Path, count: int) -> dict[str, tuple[int, int]]:
    """(found as a match, asked) per kind of query: the listed name must be a match."""
    out: dict[str, tuple[int, int]] = {}

    def tally(kind: str, ok: bool) -> None:
        found, asked = out.get(kind, (0, 0))
        out[kind] = (found + ok, asked + 1)

    modes = ["person, one letter changed", "person, words swapped", "person, title case"]
    for i, (q, name) in enumerate(labelled_queries(store, count)):
        hits = screener.screen_traveler(q).hits
        if name is None:
            tally("nobody's name: no match", not any(h.match for h in hits))
        else:
            tally(modes[i % 4], any(h.match and h.name == name for h in hits))
    names = sample_names(store, "organization", count, "recall")
    rnd = random.Random(5)
    for i, name in enumerate(names):
        for kind, asked in (("company, exact", name), ("company, one letter changed", None)):
            shipper = asked or _word_typo(name, rnd)
            hits = screener.screen_cargo(CargoLine(f"r{i}", shipper_name=shipper)).hits
            tally(kind, any(h.match and h.name == name for h in hits))
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] * 1000


def bench_api(screener: Screener, qs: list[Traveler]) -> list[float]:
    for q in qs[:10]:
        screener.screen_traveler(q)  # warm the caches
    times = []
    for q in qs:
        t = time.perf_counter()
        screener.screen_traveler(q)
        times.append(time.perf_counter() - t)
    return times


def bench_http(screener: Screener, qs: list[Traveler]) -> list[float]:
    times = []
    with running(create_app(screener)) as url:
        host, port = url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.connect()
        # http.client sends headers and body in two writes: without NODELAY, Nagle and the
        # server's delayed ACK add 40 ms to every request.
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i, q in enumerate(qs):
            props = {"name": [q.name]} | ({"birthDate": [q.dob]} if q.dob else {})
            body = json.dumps({"queries": {q.id: {"schema": "Person", "properties": props}}})
            t = time.perf_counter()
            conn.request("POST", "/match", body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            if i >= 10:
                times.append(time.perf_counter() - t)
            if resp.status != 200:
                raise SystemExit(f"HTTP {resp.status}")
        conn.close()
    return times


def bench_cargo(data: Path, lines: int, workers: int) -> tuple[float, float]:
    """(lines/s including start-up, lines/s after start-up: minus a one-line run's time).

    Every line's shipper and notify party is a different profile's name (the worst case: the
    party cache never answers for them); consignees come from a small pool of made-up names.
    """
    store = data / "profiles.duckdb"
    orgs = sample_names(store, "organization", lines)
    people = sample_names(store, "person", lines)
    rnd = random.Random(3)
    path = data / "manifest.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["id", "shipper_name", "consignee_name", "notify_name", "hs_code", "goods_description"]
        )
        for i in range(lines):
            w.writerow(
                [
                    f"bl-{i}",
                    orgs[i % len(orgs)],
                    f"{rnd.choice(WORDS)} {rnd.choice(SECTORS)} llc",
                    people[i % len(people)],
                    rnd.choice(["2933.39", "8471.30", "2914.79", "0901.21"]),
                    rnd.choice(["chemical", "laptops", "4-piperidone", "coffee beans"]),
                ]
            )
    with path.open(encoding="utf-8") as fh:
        (data / "one.csv").write_text(fh.readline() + fh.readline(), encoding="utf-8")
    startup = _run_cargo(data, data / "one.csv", workers)
    elapsed = _run_cargo(data, path, workers)
    return lines / elapsed, (lines - 1) / max(elapsed - startup, 1e-9)


def _run_cargo(data: Path, path: Path, workers: int) -> float:
    t = time.perf_counter()
    proc = subprocess.run(  # noqa: S603 (our own CLI)
        [
            sys.executable,
            "-m",
            "osint",
            "--data-dir",
            str(data),
            "screen",
            "cargo",
            str(path),
            "--format",
            "jsonl",
            "--workers",
            str(workers),
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - t
    if proc.returncode not in (0, 4):
        raise SystemExit(proc.stderr)
    return elapsed


def bench_splink(data: Path, qs: list[Traveler], count: int) -> list[float]:
    from splink import DuckDBAPI, Linker

    from osint.normalize import normalize_name
    from osint.resolve.features import feature_table

    work = duckdb.connect(str(data / "work.duckdb"), read_only=True)
    table, _ = feature_table(work, "records")
    work.close()
    mem = duckdb.connect()
    mem.execute("SET lambda_syntax='ENABLE_SINGLE_ARROW'")
    mem.register("t_arrow", table)
    mem.execute("CREATE TABLE profiles_in AS SELECT * FROM t_arrow")
    mem.unregister("t_arrow")
    db = DuckDBAPI(mem)
    right = db.register("profiles_in")
    model = json.loads((REPO / MODEL).read_text())
    model.pop("osint", None)  # our own notes on the model, not a Splink setting
    linker = Linker(right, model)
    schema = table.schema
    times = []
    for i, q in enumerate(qs[:count]):
        norm = normalize_name(q.name)
        row: dict[str, Any] = {c: None for c in schema.names}
        row.update(
            unique_id=f"query-{i}",
            kind="person",
            name_norm=norm,
            names_norm=[norm],
            name_tokens=sorted(set(norm.split())),
            dob=q.dob,
            dobs=[q.dob] if q.dob else None,
            dob_year=q.dob[:4] if q.dob else None,
        )
        one = pa.Table.from_pylist([row], schema=schema)
        mem.register("q_arrow", one)
        mem.execute("CREATE OR REPLACE TABLE query_in AS SELECT * FROM q_arrow")
        mem.unregister("q_arrow")
        left = db.register("query_in")
        t = time.perf_counter()
        linker.inference.predict_between(left, right).as_duckdbpyrelation().fetchall()
        times.append(time.perf_counter() - t)
    mem.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/screen-bench"))  # noqa: S108
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--lines", type=int, default=5_000)
    parser.add_argument("--splink-queries", type=int, default=30)
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        print(f"size {n:,}", file=sys.stderr)
        data = build(args.dir, n)
        store = data / "profiles.duckdb"
        qs = queries(store, args.queries)
        paths = ScreeningPaths.under(data, store, REPO / "config" / "precursors.csv", REPO / MODEL)
        screener = Screener(paths, who="bench", interface="bench")
        t = time.perf_counter()
        api = bench_api(screener, qs)
        print(f"  api {time.perf_counter() - t:.1f} s", file=sys.stderr)
        t = time.perf_counter()
        web = bench_http(screener, qs)
        print(f"  http {time.perf_counter() - t:.1f} s", file=sys.stderr)
        t = time.perf_counter()
        found = bench_recall(screener, store, args.queries)
        print(f"  recall {time.perf_counter() - t:.1f} s", file=sys.stderr)
        screener.close()
        t = time.perf_counter()
        lines = bench_cargo(data, args.lines, 1)
        lines2 = bench_cargo(data, args.lines, 2)
        print(f"  cargo {time.perf_counter() - t:.1f} s", file=sys.stderr)
        t = time.perf_counter()
        splink = bench_splink(data, qs, args.splink_queries)
        print(f"  splink {time.perf_counter() - t:.1f} s", file=sys.stderr)
        rows.append((n, api, web, lines, lines2, splink, found))
        print(f"  done {n:,}", file=sys.stderr)
    print(
        "| profiles | API p50 | API p95 | HTTP p50 | HTTP p95 | `screen cargo` lines/s "
        "(after start-up), 1 process | 2 processes | Splink predict_between p50 | p95 |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, api, web, (l1, s1), (l2, s2), splink, _ in rows:
        print(
            f"| {n:,} | {pct(api, 50):.1f} ms | {pct(api, 95):.1f} ms | {pct(web, 50):.1f} ms "
            f"| {pct(web, 95):.1f} ms | {l1:,.0f} ({s1:,.0f}) | {l2:,.0f} ({s2:,.0f}) "
            f"| {pct(splink, 50):.0f} ms | {pct(splink, 95):.0f} ms |"
        )
    print()
    print("| profiles | queries | as they should be (the listed name a match; nobody's: none) |")
    print("|---:|---|---:|")
    for n, *_, found in rows:
        for kind, (ok, asked) in found.items():
            print(f"| {n:,} | {kind} | {ok} of {asked} ({ok / asked:.0%}) |")


if __name__ == "__main__":
    main()
