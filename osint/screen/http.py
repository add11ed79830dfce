"""The screening HTTP API (FastAPI), shaped after OpenSanctions yente's `/match` where it fits.

* `POST /match` (also `/match/{dataset}`): `{"queries": {"<client id>": {"schema": "Person",
  "properties": {"name": [...], "birthDate": [...], ...}}}}`, answered with
  `{"responses": {"<client id>": {"status": 200, "results": [...], "total": {...}}}}`; each
  result has `id`, `caption`, `schema`, `score`, `match`, `features` (as yente) and our
  `explanations`, `role`, `risk_flags` and `fingerprint` (for exclusions).
* `POST /screen/cargo`: `{"lines": [{"id": ..., "shipper_name": ..., ...}]}` (the contract's
  cargo fields), answered per line with results and `indicators`.
* `POST /exclusions` (record "this query is not that profile"), `GET /exclusions` (the active
  ones), `DELETE /exclusions/{exclusion_id}` (withdraw one: the author is the
  `X-Osint-User` header or the `author` query parameter; `reason` optional), `GET /healthz`,
  `GET /version`.

Who is screening comes from the `X-Osint-User` header (else `http:<client address>`) and goes
into the audit log with every call.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import uvicorn
from fastapi import Body, FastAPI, Header, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field

import osint
from osint.errors import ItemError, OsintError
from osint.screen.exclusions import Exclusion, NotFound
from osint.screen.inputs import cargo_from_mapping, traveler_from_mapping
from osint.screen.queries import CargoLine, Traveler
from osint.screen.results import Hit, Result
from osint.screen.screener import Screener

PERSON_SCHEMAS = {"Person"}
PARTY_SCHEMAS = {"LegalEntity", "Organization", "Company"}
VESSEL_SCHEMAS = {"Vessel"}
SCHEMA_OF_KIND = {"person": "Person", "organization": "Organization", "vessel": "Vessel"}
ROLES = ("shipper", "consignee", "notify")


UserHeader = Annotated[str | None, Header(alias="X-Osint-User")]
Threshold = Annotated[float | None, Query(gt=0, lt=1)]


class EntityQuery(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(alias="schema")
    properties: dict[str, list[str]] = Field(default_factory=dict)
    role: str | None = None  # our extension: shipper, consignee or notify for a party


class MatchRequest(BaseModel):
    queries: dict[str, EntityQuery]


class CargoRequest(BaseModel):
    lines: list[dict[str, Any]]


class ExclusionRequest(BaseModel):
    fingerprint: str
    profile_id: str
    author: str
    reason: str = ""


def _first(props: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        for value in props.get(name, []):
            if value and value.strip():
                return value.strip()
    return None


def query_from_entity(client_id: str, q: EntityQuery) -> Traveler | CargoLine:
    """A yente-style entity query as a traveler (Person) or a cargo party (others)."""
    props = q.properties
    where = f"query {client_id!r}"
    row: dict[str, Any]
    if q.schema_ in PERSON_SCHEMAS:
        row = {
            "id": client_id,
            "name": _first(props, "name"),
            "given_name": _first(props, "firstName"),
            "family_name": _first(props, "lastName"),
            "dob": _first(props, "birthDate"),
            "nationality": _first(props, "nationality", "country"),
            "passport_number": _first(props, "passportNumber", "idNumber"),
            "phone": _first(props, "phone"),
            "email": _first(props, "email"),
            "address": _first(props, "address"),
        }
        return traveler_from_mapping({k: v for k, v in row.items() if v}, where)
    if q.schema_ in PARTY_SCHEMAS | VESSEL_SCHEMAS:
        role = q.role or "shipper"
        if role not in ROLES:
            raise ItemError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
        row = {
            "id": client_id,
            f"{role}_name": _first(props, "name"),
            "phones": props.get("phone", []),
            "emails": props.get("email", []),
        }
        if role != "notify":
            row[f"{role}_address"] = _first(props, "address")
            row[f"{role}_country"] = _first(props, "country", "jurisdiction")
        if q.schema_ in VESSEL_SCHEMAS:
            row = {
                "id": client_id,
                "vessel_name": _first(props, "name"),
                "vessel_imo": _first(props, "imoNumber"),
            }
        return cargo_from_mapping({k: v for k, v in row.items() if v}, where)
    valid = sorted(PERSON_SCHEMAS | PARTY_SCHEMAS | VESSEL_SCHEMAS)
    raise ItemError(f"{where}: schema {q.schema_!r} is not one of {', '.join(valid)}")


def _result_json(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.profile_id,
        "caption": hit.name,
        "schema": SCHEMA_OF_KIND.get(hit.kind, hit.kind),
        "score": hit.score,
        "match": hit.match,
        "features": {e.feature: e.contribution for e in hit.explanations},
        "explanations": [
            {
                "feature": e.feature,
                "explanation": e.description,
                "query_value": e.query_value,
                "profile_value": e.profile_value,
                "contribution": e.contribution,
            }
            for e in hit.explanations
        ],
        "role": hit.role,
        "risk_flags": hit.risk_flags,
        "fingerprint": hit.fingerprint,
    }


def _response(result: Result) -> dict[str, Any]:
    hits = [h for h in result.hits if h.role != "vessel" or result.kind == "cargo"]
    out: dict[str, Any] = {
        "status": 200,
        "results": [_result_json(h) for h in hits],
        "total": {"value": len(hits), "relation": "eq"},
        "excluded": result.excluded,
        "fingerprints": result.fingerprints,
    }
    if result.indicators:
        out["indicators"] = [
            {"code": i.code, "description": i.description, "evidence": i.evidence}
            for i in result.indicators
        ]
    return out


def _who(request: Request, header: str | None) -> str:
    if header:
        return header
    host = request.client.host if request.client else "unknown"
    return f"http:{host}"


def create_app(screener: Screener) -> FastAPI:
    """The app over one Screener (which follows publications by itself)."""
    app = FastAPI(title="osint screening", version=osint.__version__)

    def run(
        queries: list[tuple[str, Traveler | CargoLine | ItemError]],
        threshold: float | None,
        who: str,
    ) -> dict[str, Any]:
        responses: dict[str, Any] = {}
        good = [(cid, q) for cid, q in queries if not isinstance(q, ItemError)]
        for cid, q in queries:
            if isinstance(q, ItemError):
                responses[cid] = {"status": 400, "error": str(q), "results": []}
        try:
            results = list(screener.screen_many([q for _, q in good], threshold, who))
        except OsintError as exc:
            raise HTTPException(status_code=503, detail=str(exc)) from exc
        for (cid, _), result in zip(good, results, strict=True):
            responses[cid] = _response(result)
        return {
            "responses": responses,
            "matcher": {"name": "osint", "algorithm": results[0].algorithm if results else None},
            "threshold": threshold if threshold is not None else screener.threshold,
            "limit": screener.limit,
        }

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        try:
            version = screener.version()
        except OsintError as exc:
            raise HTTPException(status_code=503, detail=str(exc)) from exc
        return {"status": "ok", "data_version": version["data_version"]}

    @app.get("/version")
    def version() -> dict[str, Any]:
        try:
            return {"osint": osint.__version__, **screener.version()}
        except OsintError as exc:
            raise HTTPException(status_code=503, detail=str(exc)) from exc

    def match(
        request: Request,
        body: Annotated[MatchRequest, Body()],
        threshold: Threshold = None,
        user: UserHeader = None,
    ) -> dict[str, Any]:
        queries: list[tuple[str, Traveler | CargoLine | ItemError]] = []
        for cid, q in body.queries.items():
            try:
                queries.append((cid, query_from_entity(cid, q)))
            except ItemError as exc:
                queries.append((cid, exc))
        return run(queries, threshold, _who(request, user))

    app.post("/match")(match)
    app.post("/match/{dataset}")(match)

    @app.post("/screen/cargo")
    def screen_cargo(
        request: Request,
        body: Annotated[CargoRequest, Body()],
        threshold: Threshold = None,
        user: UserHeader = None,
    ) -> dict[str, Any]:
        queries: list[tuple[str, Traveler | CargoLine | ItemError]] = []
        for n, line in enumerate(body.lines, start=1):
            cid = str(line.get("id") or f"line {n}")
            try:
                queries.append((cid, cargo_from_mapping(line, f"line {n}")))
            except ItemError as exc:
                queries.append((cid, exc))
        return run(queries, threshold, _who(request, user))

    @app.post("/exclusions", status_code=201)
    def add_exclusion(body: Annotated[ExclusionRequest, Body()]) -> dict[str, Any]:
        try:
            ex = screener.exclude(body.fingerprint, body.profile_id, body.author, body.reason)
        except OsintError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc
        return {
            "exclusion_id": ex.exclusion_id,
            "fingerprint": ex.fingerprint,
            "profile_id": ex.profile_id,
        }

    @app.get("/exclusions")
    def list_exclusions() -> dict[str, Any]:
        active = screener.exclusions.active()
        return {"exclusions": [_exclusion_json(e) for e in active], "total": len(active)}

    @app.delete("/exclusions/{exclusion_id}")
    def withdraw_exclusion(
        exclusion_id: str,
        author: Annotated[str | None, Query()] = None,
        reason: Annotated[str, Query()] = "",
        user: UserHeader = None,
    ) -> dict[str, Any]:
        who = user or author
        if not who:
            raise HTTPException(
                status_code=400,
                detail="withdrawing an exclusion needs an author: the X-Osint-User header "
                "or ?author=NAME",
            )
        try:
            ex = screener.withdraw_exclusion(exclusion_id, who, reason)
        except NotFound as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from exc
        except OsintError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc
        return {"withdrawn": True, **_exclusion_json(ex)}

    return app


def _exclusion_json(ex: Exclusion) -> dict[str, Any]:
    return {
        "exclusion_id": ex.exclusion_id,
        "fingerprint": ex.fingerprint,
        "profile_id": ex.profile_id,
        "author": ex.author,
        "reason": ex.reason,
        "at": ex.created_at,
    }


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port whose accepted connections have TCP_NODELAY.

    Without NODELAY a response written in two parts (headers, then body) waits for the
    client's delayed ACK: 40 ms per request on a kept-alive connection (measured here).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OsintError(
            f"cannot listen on {host}:{port} ({exc.strerror}): choose another --port"
        ) from exc
    return sock


def serve(app: FastAPI, host: str, port: int) -> None:
    """Run the app until interrupted (what `osint serve` does)."""
    sock = listening_socket(host, port)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


@contextmanager
def running(app: FastAPI, host: str = "127.0.0.1", timeout: float = 30.0) -> Iterator[str]:
    """Serve `app` with uvicorn on a free port of `host` in a thread; yields the base URL.

    For tests and benchmarks: the server stops when the block ends.
    """
    sock = listening_socket(host, 0)
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise OsintError(f"the screening server did not start on {host}:{port}")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
