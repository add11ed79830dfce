"""Run one crawl in this process: `python -m osint.collect.process SPEC_JSON`.

Twisted's reactor cannot be restarted within a process, so the runner starts one of these per
source. The spec carries everything (no globals, no config file re-read).
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys

from scrapy.crawler import AsyncCrawlerProcess

from spiders import load_spider

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent_pid: int) -> None:
    """Linux: get SIGKILL when the osint process that started us dies, so that a crawl never
    goes on writing after the writer lock was released."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        sys.exit(1)


def main(argv: list[str]) -> int:
    spec = json.loads(argv[1])
    if "parent_pid" in spec:
        die_with_parent(int(spec["parent_pid"]))
    process = AsyncCrawlerProcess(spec["settings"])
    process.crawl(
        load_spider(spec["spider"]),
        source=spec["source"],
        urls=spec["urls"],
        options=spec.get("options") or {},
        allowed_domains=spec.get("allowed_domains") or [],
    )
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
