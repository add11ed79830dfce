"""The item pipeline that writes what spiders yield into the work store.

Items are buffered and committed in batches (one transaction each), so a run killed halfway
keeps every batch already committed, and running it again upserts: nothing is duplicated.
When the spider closes, the run's row in `crawl_runs` gets its outcome and counters and, if the
run succeeded, skipped no row, and its entry count is within the source's assertions, entries
not seen in this run are marked as no longer listed (their history stays).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from pathlib import Path
from typing import Any

import duckdb
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from w3lib.url import canonicalize_url

from osint.records import stable_id
from osint.store import bulk
from osint.store.work import connect, utcnow
from spiders.items import DocumentItem, EntryItem, IssueItem

ENTRY_COLUMNS = (
    "entry_id", "source", "source_key", "doc_id", "format", "data", "content_sha256",
    "first_seen", "last_seen", "listed", "run_id",
)  # fmt: skip


def document_id(source: str, url: str) -> str:
    """Document id: a hash of the source and the canonical URL."""
    return stable_id("doc", source, canonicalize_url(url))


def entry_id(source: str, source_key: str) -> str:
    return stable_id("ent", source, source_key)


def json_sha256(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class StorePipeline:
    """Write documents, entries and issues to the work store in batches."""

    def __init__(
        self,
        store: Path,
        run_id: str,
        source: str,
        batch_size: int,
        min_entries: int,
        max_entries: int | None,
    ) -> None:
        self.store = store
        self.run_id = run_id
        self.source = source
        self.batch_size = batch_size
        self.min_entries = min_entries
        self.max_entries = max_entries
        self.con: duckdb.DuckDBPyConnection | None = None
        self.documents: dict[str, DocumentItem] = {}
        self.entries: dict[str, EntryItem] = {}
        self.issues: list[IssueItem] = []
        self.seen: set[str] = set()  # entry ids of this run, to report duplicates
        self.counts = {"documents": 0, "entries": 0, "dropped": 0, "errors": 0}
        self.crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        store = settings.get("OSINT_WORK_STORE")
        if not store:
            raise NotConfigured("OSINT_WORK_STORE is not set")
        max_entries = settings.getint("OSINT_MAX_ENTRIES", 0)
        pipeline = cls(
            Path(store),
            settings.get("OSINT_RUN_ID"),
            settings.get("OSINT_SOURCE"),
            settings.getint("OSINT_BATCH_SIZE", 500),
            settings.getint("OSINT_MIN_ENTRIES", 0),
            max_entries or None,
        )
        pipeline.crawler = crawler
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.con = connect(self.store)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, DocumentItem):
            self.documents[document_id(self.source, item.url)] = item
            self.counts["documents"] += 1
        elif isinstance(item, EntryItem):
            key = entry_id(self.source, item.source_key)
            if key in self.seen:
                self.issues.append(
                    IssueItem(
                        "warning",
                        item.doc_url,
                        f"entry {item.source_key} appears twice: the last one is kept",
                    )
                )
            else:
                self.counts["entries"] += 1
                self.seen.add(key)
            self.entries[key] = item
        elif isinstance(item, IssueItem):
            self.issues.append(item)
            self.counts["dropped"] += item.dropped
        if len(self.entries) + len(self.documents) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        if self.con is None or not (self.documents or self.entries or self.issues):
            return
        now = utcnow()
        con = self.con
        con.execute("BEGIN TRANSACTION")
        for doc_id, doc in self.documents.items():
            sha = hashlib.sha256(doc.body).hexdigest()
            con.execute(
                """
                INSERT INTO documents (doc_id, source, url, final_url, http_status, content_type,
                    content_sha256, size, body, meta, fetched_at, first_seen, last_seen, run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (doc_id) DO UPDATE SET
                    final_url = excluded.final_url, http_status = excluded.http_status,
                    content_type = excluded.content_type,
                    content_sha256 = excluded.content_sha256, size = excluded.size,
                    body = excluded.body, meta = excluded.meta, fetched_at = excluded.fetched_at,
                    last_seen = excluded.last_seen, run_id = excluded.run_id
                """,
                [
                    doc_id,
                    self.source,
                    doc.url,
                    doc.final_url,
                    doc.http_status,
                    doc.content_type,
                    sha,
                    len(doc.body),
                    zlib.compress(doc.body, 6),
                    json.dumps(doc.meta, ensure_ascii=False, default=str) if doc.meta else None,
                    now,
                    now,
                    now,
                    self.run_id,
                ],
            )
        rows = [
            [
                key,
                self.source,
                e.source_key,
                document_id(self.source, e.doc_url),
                e.format,
                json.dumps(e.data, ensure_ascii=False, sort_keys=True),
                json_sha256(e.data),
                now,
                now,
                True,
                self.run_id,
            ]
            for key, e in self.entries.items()
        ]
        bulk.insert(
            con,
            "entries",
            ENTRY_COLUMNS,
            rows,
            on_conflict="""
            ON CONFLICT (entry_id) DO UPDATE SET
                doc_id = excluded.doc_id, format = excluded.format, data = excluded.data,
                content_sha256 = excluded.content_sha256, last_seen = excluded.last_seen,
                listed = TRUE, run_id = excluded.run_id
            """,
        )
        if self.issues:
            bulk.insert(
                con,
                "run_issues",
                ("run_id", "logged_at", "level", "source", "url", "message"),
                [[self.run_id, now, i.level, self.source, i.url, i.message] for i in self.issues],
            )
        con.execute("COMMIT")
        self.documents.clear()
        self.entries.clear()
        self.issues.clear()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.con is None:
            return
        self.flush()
        stats = self.crawler.stats.get_stats() if self.crawler and self.crawler.stats else {}
        fatal: str | None = getattr(spider, "fatal_error", None)
        failures: list[tuple[str, str]] = getattr(spider, "failures", [])
        entries = self.counts["entries"]
        message = fatal
        if message is None and failures:
            message = "; ".join(f"{url}: {why}" for url, why in failures[:3])
        if message is None and reason != "finished":
            message = f"crawl stopped early ({reason})"
        if message is None and self.counts["documents"] == 0:
            filtered = stats.get("offsite/filtered", 0)
            message = "no document was fetched" + (
                f": {filtered} requests to other domains were filtered (a redirect off the "
                "site?); add the domain to the source's allowed_domains if it is genuine"
                if filtered
                else ""
            )
        if message is None and entries < self.min_entries:
            message = (
                f"only {entries} entries, fewer than the source's assertions.min_entries "
                f"({self.min_entries}): the publication may have changed; not marking others "
                "as delisted"
            )
        if message is None and self.max_entries is not None and entries > self.max_entries:
            message = f"{entries} entries, more than assertions.max_entries ({self.max_entries})"
        status = "ok" if message is None else "failed"
        now = utcnow()
        con = self.con
        con.execute("BEGIN TRANSACTION")
        delist = status == "ok" and entries and not self.counts["dropped"]
        if status == "ok" and self.counts["dropped"]:
            con.execute(
                "INSERT INTO run_issues VALUES (?, ?, 'warning', ?, NULL, ?)",
                [
                    self.run_id,
                    now,
                    self.source,
                    f"{self.counts['dropped']} rows were skipped, so entries missing from this "
                    "run are not marked delisted (they may be among the skipped rows)",
                ],
            )
        if delist:
            con.execute(
                "UPDATE entries SET listed = FALSE, last_seen = last_seen "
                "WHERE source = ? AND run_id <> ? AND listed",
                [self.source, self.run_id],
            )
        status_counts = {
            k.rsplit("/", 1)[1]: v
            for k, v in stats.items()
            if k.startswith("downloader/response_status_count/")
        }
        # The HTTP cache turns a 304 into the cached 200 before the downloader counts it.
        if revalidated := stats.get("httpcache/revalidate", 0):
            status_counts["304"] = revalidated
            status_counts["200"] = status_counts.get("200", 0) - revalidated
        if message:
            con.execute(
                "INSERT INTO run_issues VALUES (?, ?, 'error', ?, NULL, ?)",
                [self.run_id, now, self.source, message],
            )
        con.execute(
            """
            UPDATE crawl_runs SET ended_at = ?, status = ?, requests = ?, responses = ?,
                status_counts = ?, documents = ?, entries = ?, dropped = ?, errors = ?,
                bytes = ?, message = ?
            WHERE run_id = ?
            """,
            [
                now,
                status,
                stats.get("downloader/request_count", 0),
                stats.get("downloader/response_count", 0),
                json.dumps(status_counts),
                self.counts["documents"],
                entries,
                self.counts["dropped"],
                stats.get("log_count/ERROR", 0) + len(failures) + (1 if fatal else 0),
                stats.get("downloader/response_bytes", 0),
                message,
                self.run_id,
            ],
        )
        con.execute("COMMIT")
        con.close()
        self.con = None
