"""Analyst: search, show, report and FollowTheMoney export over the published profile store.

`osint.analyst.ftm` (FollowTheMoney export) is imported by whoever needs it: loading
followthemoney takes about a second, which every other command should not pay.
"""

from osint.analyst.profile import load_profile
from osint.analyst.report import render_report
from osint.analyst.search import SearchFilters, search
from osint.analyst.store import UnknownProfileError, open_for_analysis, resolve_profile_id

__all__ = [
    "SearchFilters",
    "UnknownProfileError",
    "load_profile",
    "open_for_analysis",
    "render_report",
    "resolve_profile_id",
    "search",
]
