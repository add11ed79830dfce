"""Store: the work store (DuckDB, migrated, one writer) and the published profile store."""

from osint.store import bulk
from osint.store.lock import WriterLock, command_line
from osint.store.profiles import meta, open_profile_store
from osint.store.publish import PROFILE_SCHEMA_VERSION, Publication, publish
from osint.store.work import open_work_store, utcnow

__all__ = [
    "PROFILE_SCHEMA_VERSION",
    "Publication",
    "WriterLock",
    "bulk",
    "command_line",
    "meta",
    "open_profile_store",
    "open_work_store",
    "publish",
    "utcnow",
]
