"""The HTTP API over a real socket: uvicorn on a free loopback port, requests with urllib."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from osint.screen.http import create_app, running
from tests.screen.conftest import MakeScreener


def _call(url: str, body: Any = None, user: str | None = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if user:
        headers["X-Osint-User"] = user
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture
def server(make_screener: MakeScreener) -> Iterator[tuple[str, Any]]:
    screener = make_screener(interface="http")
    with running(create_app(screener)) as url:
        yield url, screener


def test_health_and_version(server: tuple[str, Any]) -> None:
    url, screener = server
    status, health = _call(f"{url}/healthz")
    assert status == 200
    assert health["status"] == "ok"
    status, version = _call(f"{url}/version")
    assert status == 200
    assert version["data_version"] == screener.version()["data_version"]
    assert version["model_version"].startswith("osint.records")


def test_match_in_the_yente_shape(server: tuple[str, Any]) -> None:
    url, screener = server
    body = {
        "queries": {
            "p1": {
                "schema": "Person",
                "properties": {"name": ["Bilal Mohsen Wehbe"], "birthDate": ["1967-01-07"]},
            },
            "c1": {
                "schema": "Company",
                "properties": {"name": ["Etco International Co., Ltd."]},
                "role": "consignee",
            },
            "clean": {"schema": "Person", "properties": {"name": ["Maria Jose Fernandez Ortega"]}},
            "bad": {"schema": "Airplane", "properties": {"name": ["x"]}},
        }
    }
    status, out = _call(f"{url}/match/default?threshold=0.7", body, user="border-system-3")
    assert status == 200
    responses = out["responses"]
    top = responses["p1"]["results"][0]
    assert top["caption"] == "Bilal Mohsen WEHBE"
    assert top["match"] is True
    assert 0 < top["score"] <= 1
    assert top["features"]["dob"] > 0
    assert {e["feature"] for e in top["explanations"]} >= {"name", "dob"}
    assert all(e["explanation"] for e in top["explanations"])
    assert responses["c1"]["results"][0]["role"] == "consignee"
    assert not any(r["match"] for r in responses["clean"]["results"])
    assert responses["bad"]["status"] == 400
    assert "Airplane" in responses["bad"]["error"]
    audit = list(screener.audit.entries())
    assert {e["who"] for e in audit} == {"border-system-3"}
    assert {e["interface"] for e in audit} == {"http"}
    assert {e["threshold"] for e in audit} == {0.7}


def test_cargo_lines_and_exclusions_over_http(server: tuple[str, Any]) -> None:
    url, _ = server
    line = {
        "id": "bl-9",
        "notify_name": "Bilal Mohsen Wehbe",
        "hs_code": "2933.39",
        "goods_description": "4-piperidone",
    }
    status, out = _call(f"{url}/screen/cargo", {"lines": [line, {"id": "empty"}]})
    assert status == 200
    res = out["responses"]["bl-9"]
    assert res["results"][0]["role"] == "notify"
    assert {i["code"] for i in res["indicators"]} == {"precursor_hs_code", "precursor_named"}
    assert out["responses"]["empty"]["status"] == 400
    hit = res["results"][0]
    status, _ = _call(
        f"{url}/exclusions",
        {"fingerprint": hit["fingerprint"], "profile_id": hit["id"], "author": "analyst"},
    )
    assert status == 201
    _, again = _call(f"{url}/screen/cargo", {"lines": [line]})
    assert again["responses"]["bl-9"]["excluded"] == [hit["id"]]
    assert all(r["id"] != hit["id"] for r in again["responses"]["bl-9"]["results"])
