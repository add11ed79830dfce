"""Run one crawl in this process: `python -m osint.collect.process SPEC_JSON`.

Twisted's reactor cannot be restarted within a process, so the runner starts one of these per
source. The spec carries everything (no globals, no config file re-read).
"""

from __future__ import annotations

import json
import sys

from scrapy.crawler import AsyncCrawlerProcess

from spiders import SPIDERS


def main(argv: list[str]) -> int:
    spec = json.loads(argv[1])
    process = AsyncCrawlerProcess(spec["settings"])
    process.crawl(SPIDERS[spec["spider"]], source=spec["source"], urls=spec["urls"])
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
