"""Withdrawing exclusions (HTTP over a real socket, and the CLI) and reading the audit log."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
from typing import Any

from osint.config import Config
from osint.screen.http import create_app, running
from tests.cli.test_cli import osint
from tests.screen.conftest import MakeScreener

PERSON = {
    "schema": "Person",
    "properties": {"name": ["Bilal Mohsen Wehbe"], "birthDate": ["1967-01-07"]},
}


def _call(
    url: str, method: str = "GET", body: Any = None, user: str | None = None
) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if user:
        headers["X-Osint-User"] = user
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _top(url: str) -> dict[str, Any]:
    status, body = _call(f"{url}/match", "POST", {"queries": {"q": PERSON}}, user="officer-1")
    assert status == 200, body
    return body["responses"]["q"]  # type: ignore[no-any-return]


def test_withdraw_an_exclusion_over_http(make_screener: MakeScreener) -> None:
    screener = make_screener(interface="http")
    with running(create_app(screener)) as url:
        hit = _top(url)["results"][0]
        status, added = _call(
            f"{url}/exclusions",
            "POST",
            {"fingerprint": hit["fingerprint"], "profile_id": hit["id"], "author": "analyst-7"},
        )
        assert status == 201, added
        status, listed = _call(f"{url}/exclusions")
        assert [e["exclusion_id"] for e in listed["exclusions"]] == [added["exclusion_id"]]
        assert _top(url)["excluded"] == [hit["id"]]

        path = f"{url}/exclusions/{added['exclusion_id']}"
        status, refused = _call(path, "DELETE")
        assert status == 400, refused
        assert "needs an author" in refused["detail"]
        status, withdrawn = _call(path + "?reason=same%20man", "DELETE", user="analyst-9")
        assert status == 200, withdrawn
        assert withdrawn["withdrawn"] is True
        assert withdrawn["author"] == "analyst-9"
        again = _top(url)
        assert again["excluded"] == []
        assert again["results"][0]["id"] == hit["id"]
        status, _ = _call(f"{url}/exclusions")
        assert _call(f"{url}/exclusions")[1]["total"] == 0
        status, missing = _call(path, "DELETE", user="analyst-9")
        assert status == 404, missing
        assert "already withdrawn" in missing["detail"]
    # Withdrawal appends: both lines stay in the file, the history is whole.
    lines = screener.paths.exclusions.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["action"] for line in lines] == ["exclude", "remove"]
    assert json.loads(lines[1])["reason"] == "same man"


def _base(config: Config) -> list[str]:
    return ["--config", str(config.config_path)]


def test_unexclude_and_read_the_audit_through_the_cli(published_copy: Config) -> None:
    base = _base(published_copy)
    query = ["screen", "traveler", "--name", "Bilal Mohsen Wehbe", "--dob", "1967-01-07"]
    first = osint(*base, *query, "--format", "json", "--who", "officer-1")
    hit = json.loads(first.stdout)[0]["hits"][0]
    added = osint(
        *base, "screen", "exclude", hit["fingerprint"], hit["profile_id"], "--author", "jdoe"
    )
    assert added.returncode == 0, added.stderr
    exclusion = json.loads(added.stdout)["exclusion_id"]
    osint(*base, *query, "--who", "officer-2")

    withdrawn = osint(*base, "screen", "unexclude", exclusion, "--author", "asmith")
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert json.loads(withdrawn.stdout)["action"] == "remove"
    twice = osint(*base, "screen", "unexclude", exclusion, "--author", "asmith")
    assert twice.returncode == 1
    assert "already withdrawn" in twice.stderr
    assert "Traceback" not in twice.stderr
    assert osint(*base, *query, "--fail-on-match", "--who", "officer-1").returncode == 4

    everything = osint(*base, "screen", "audit", "--format", "jsonl")
    assert everything.returncode == 0, everything.stderr
    entries = [json.loads(line) for line in everything.stdout.splitlines()]
    assert [e["who"] for e in entries] == ["officer-1", "officer-2", "officer-1"]
    assert [e["excluded"] for e in entries] == [[], [hit["profile_id"]], []]
    assert all(e["model_version"] and e["data_version"] for e in entries)

    mine = osint(*base, "screen", "audit", "--who", "officer-1", "--matched", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(mine.stdout)))
    assert len(rows) == 2
    assert rows[0]["hits"].startswith(hit["profile_id"])
    later = osint(*base, "screen", "audit", "--since", entries[2]["at"], "--format", "jsonl")
    assert [json.loads(line)["at"] for line in later.stdout.splitlines()] == [entries[2]["at"]]
    assert osint(*base, "screen", "audit", "--since", "2999-01-01").stdout.count("\n") <= 1

    bad = osint(*base, "screen", "audit", "--since", "last tuesday")
    assert bad.returncode == 2
    assert "--since 'last tuesday' is not a time" in bad.stderr
