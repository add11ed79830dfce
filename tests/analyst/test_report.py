"""`osint report`: a self-contained HTML page, checked in a real headless Chromium.

Without `chromium` on the PATH the browser tests skip (and say why), unless
OSINT_REQUIRE_CHROMIUM=1 (CI sets it), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.analyst.conftest import Run, Store

BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str:
    found = shutil.which("chromium")
    if found:
        return found
    if os.environ.get("OSINT_REQUIRE_CHROMIUM") == "1":
        pytest.fail(
            "chromium is not installed and OSINT_REQUIRE_CHROMIUM=1: apt-get install chromium"
        )
    pytest.skip(
        "chromium is not installed (apt-get install chromium): the HTML report is not rendered "
        "here; CI renders it (.ci/run installs chromium and sets OSINT_REQUIRE_CHROMIUM=1)"
    )


def _linked_profile(store: Store) -> tuple[str, str, str]:
    row = store(
        "SELECT l.profile_id, p.name, l.target_profile_id FROM profile_links l "
        "JOIN profiles p USING (profile_id) WHERE l.relation = 'linked_to' "
        "AND l.target_profile_id IS NOT NULL AND len(p.identifiers) > 0 ORDER BY 1 LIMIT 1"
    )[0]
    return str(row[0]), str(row[1]), str(row[2])


def _report(osint: Run, profile_id: str, path: Path) -> str:
    result = osint("report", profile_id, "--html", str(path))
    assert result.returncode == 0, result.stderr
    assert f"written to {path}" in result.stderr
    return path.read_text(encoding="utf-8")


def test_report_is_self_contained(osint: Run, store: Store, tmp_path: Path) -> None:
    profile_id, _name, target = _linked_profile(store)
    html = _report(osint, profile_id, tmp_path / "report.html")
    assert "<svg" in html
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "external resource"
    assert "@import" not in html
    assert "url(" not in html
    assert profile_id in html
    assert target in html


def test_report_renders_in_headless_chromium(osint: Run, store: Store, tmp_path: Path) -> None:
    browser = _chromium()
    profile_id, name, target = _linked_profile(store)
    identifiers = [
        str(r[0])
        for r in store(
            f"SELECT unnest(identifiers) FROM profiles WHERE profile_id = '{profile_id}'"
        )
    ]
    path = tmp_path / "report.html"
    _report(osint, profile_id, path)
    base = [browser, *BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'chromium'}"]
    dom = subprocess.run(
        [*base, "--dump-dom", path.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = dom.stdout
    assert "<svg" in rendered
    assert name.replace("&", "&amp;") in rendered
    for identifier in identifiers:
        assert identifier.replace("&", "&amp;") in rendered, identifier
    assert target in rendered  # the linked profile, in the graph and the links table
    png = tmp_path / "report.png"
    shot = subprocess.run(
        [*base, f"--screenshot={png}", "--window-size=1200,1600", path.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert png.exists()
    assert png.stat().st_size > 20_000, "the screenshot looks blank"
    print(f"report screenshot: {png}")


def test_report_to_an_unwritable_path_is_one_line(osint: Run, store: Store, tmp_path: Path) -> None:
    profile_id, _, _ = _linked_profile(store)
    result = osint("report", profile_id, "--html", str(tmp_path / "missing" / "r.html"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "cannot write" in result.stderr


def test_report_on_an_unknown_id_is_one_line(osint: Run, tmp_path: Path) -> None:
    result = osint("report", "prof-nope", "--html", str(tmp_path / "r.html"))
    assert result.returncode == 1
    assert "osint search" in result.stderr
    assert not (tmp_path / "r.html").exists()
