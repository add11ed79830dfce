"""Heartbeats for scheduled runs: tell a monitor (healthchecks-style URL) that a run finished.

A successful run requests the URL itself; a failed one requests the URL with ``/fail``
appended, the convention of healthchecks.io and similar monitors, so a missing or failed
heartbeat raises the alarm there. A heartbeat that cannot be sent is reported, never fatal: the
run's own outcome is what its exit code says.
"""

from __future__ import annotations

import urllib.error
import urllib.request


def ping(url: str, ok: bool, timeout: float, user_agent: str) -> str | None:
    """Request the heartbeat URL; return a warning when it could not be reached, else None."""
    target = url if ok else url.rstrip("/") + "/fail"
    request = urllib.request.Request(target, headers={"User-Agent": user_agent})  # noqa: S310 - http(s) only, checked in config
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            if response.status >= 400:
                return f"heartbeat {target} answered HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return f"heartbeat {target} answered HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"heartbeat {target} not sent ({reason}): check [run] heartbeat_url"
    return None
