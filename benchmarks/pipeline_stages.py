"""Time every pipeline stage on a synthetic OFAC-format list of N entries, and screening.

Usage: .venv/bin/python benchmarks/pipeline_stages.py [N ...]   (default: 500 5000 20000)

The list is made from the real sample rows (osint/demo/data/sdn.csv) with new ent_nums and
perturbed names, so the parser, extractor and resolver see realistic text. Prints a table;
nothing here is a pass/fail test.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from osint.config import load_config
from osint.demo import serve_directory
from osint.pipeline import crawl_stage, extract_stage, publish_stage, resolve_stage, train_stage
from osint.screen import Traveler, screen_traveler
from osint.store import open_profile_store

DATA = Path(__file__).resolve().parents[1] / "osint" / "demo" / "data"


def make_list(target: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    text = (DATA / "sdn.csv").read_bytes().decode("utf-8")
    rows = [r for r in text.split("\r\n") if r]
    out = []
    for i in range(n):
        _ent, rest = rows[i % len(rows)].split(",", 1)
        if i >= len(rows):
            name_end = rest.index('"', 1)
            name = rest[1:name_end]
            letters = list(name)
            pos = rng.randrange(len(letters))
            letters[pos] = rng.choice("AEIOUKLMNRST")
            rest = '"' + "".join(letters) + rest[name_end:]
        out.append(f"{100000 + i},{rest}")
    (target / "sdn.csv").write_bytes(("\r\n".join(out) + "\r\n").encode("utf-8"))
    (target / "add.csv").write_bytes(b"")
    (target / "alt.csv").write_bytes(b"")


def bench(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "srv").mkdir()
        make_list(root / "srv", n)
        with serve_directory(root / "srv") as url:
            (root / "cfg" / "sources").mkdir(parents=True)
            (root / "cfg" / "osint.toml").write_text(
                'data_dir = "../data"\n[collect]\ndownload_delay = 0\nautothrottle = false\n'
                '[resolve]\nmodel = "model.json"\n'
            )
            (root / "cfg" / "sources" / "ofac_sdn.toml").write_text(
                f'spider = "ofac_sdn_csv"\nurls = ["{url}/sdn.csv"]\n'
            )
            config = load_config(root / "cfg" / "osint.toml")
            times: dict[str, float] = {}
            for stage, fn in (
                ("crawl", lambda: crawl_stage(config, quiet=True)),
                ("extract", lambda: extract_stage(config)),
                ("train", lambda: train_stage(config)),
                ("resolve", lambda: resolve_stage(config)),
                ("publish", lambda: publish_stage(config)),
            ):
                start = time.perf_counter()
                fn()
                times[stage] = time.perf_counter() - start
        con = open_profile_store(config.profile_store)
        names = [r[0] for r in con.sql("SELECT name FROM profiles LIMIT 200").fetchall()]
        latencies = []
        for name in names:
            start = time.perf_counter()
            screen_traveler(con, Traveler("b", name), 0.75, 5)
            latencies.append((time.perf_counter() - start) * 1000)
        con.close()
        times["screen_p50_ms"] = statistics.median(latencies)
        times["screen_p95_ms"] = statistics.quantiles(latencies, n=20)[-1]
        return times


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv[1:]] or [500, 5000, 20000]
    cols = ["crawl", "extract", "train", "resolve", "publish", "screen_p50_ms", "screen_p95_ms"]
    print("| entries | " + " | ".join(cols) + " |")
    print("|---:|" + "---:|" * len(cols))
    for n in sizes:
        t = bench(n)
        cells = [f"{t[c]:.2f}" if c.endswith("ms") else f"{t[c]:.1f} s" for c in cols]
        print(f"| {n} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main(sys.argv)
