"""FollowTheMoney entities from the profile store (`osint export ftm`), for Aleph and
OpenSanctions tools.

One entity per profile (Person, Company or Organization, Vessel; the profile id is the
entity id), one CryptoWallet per wallet with its holders, and one interval entity per link
between two profiles: Employment for `employee_of`, Ownership for ownership relations, and
UnknownLink (with the relation as `role`) for the rest, shared values included (once per
pair). Every value goes through followthemoney's own cleaning, so values its types reject
(a malformed phone, say) are left out rather than written invalid. Identifier schemes that
FtM has no property for (`telegram:`) are kept in `notes`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import duckdb
from followthemoney import model
from followthemoney.proxy import EntityProxy

from osint.normalize import normalize_name, strip_legal_form

#: Identifier scheme -> FtM property, first one the schema has wins.
ID_PROPERTIES: dict[str, tuple[str, ...]] = {
    "passport": ("passportNumber",),
    "tax_id": ("taxNumber",),
    "vat": ("vatCode", "taxNumber"),
    "uscc": ("uscCode", "registrationNumber"),
    "company_no": ("registrationNumber",),
    "chamber_of_commerce": ("registrationNumber",),
    "charity_no": ("registrationNumber",),
    "trade_license": ("licenseNumber", "registrationNumber"),
    "license": ("licenseNumber", "registrationNumber"),
    "cbls": ("registrationNumber",),
    "lei": ("leiCode",),
    "duns": ("dunsCode",),
    "okpo": ("okpoCode",),
    "bik": ("bikCode",),
    "swift_bic": ("swiftBic",),
    "isin": ("isinCode",),
    "imo": ("imoNumber",),
    "imo_company": ("imoNumber",),
    "mmsi": ("mmsi",),
    "call_sign": ("callSign",),
}
#: Schemes that say a legal person is a company.
COMPANY_SCHEMES = {"uscc", "company_no", "chamber_of_commerce", "lei", "vat", "okpo", "isin"}
TOPICS = {
    "sanctions_list": "sanction",
    "offers_precursor": "crime.traffick.drug",
    "enforcement_release": "crime",
}
OWNERSHIP = {"owned_by": ("asset", "owner"), "owner_of": ("owner", "asset")}


def _schema_name(kind: str, name: str, schemes: set[str]) -> str:
    if kind == "person":
        return "Person"
    if kind == "vessel":
        return "Vessel"
    norm = normalize_name(name)
    if schemes & COMPANY_SCHEMES or (norm and strip_legal_form(norm) != norm):
        return "Company"
    return "Organization"


def _add(entity: EntityProxy, prop: str, values: Any) -> None:
    if prop in entity.schema.properties:
        for value in values if isinstance(values, list) else [values]:
            if value is not None and value != "":
                entity.add(prop, str(value), quiet=True)


def _profile_entity(row: dict[str, Any]) -> EntityProxy:
    identifiers = [tuple(i.split(":", 1)) for i in row["identifiers"] or [] if ":" in i]
    schemes = {scheme for scheme, _ in identifiers}
    entity = model.make_entity(_schema_name(row["kind"], row["name"], schemes))
    entity.id = row["profile_id"]
    _add(entity, "name", row["name"])
    _add(entity, "alias", row["aliases"] or [])
    _add(entity, "country", row["countries"] or [])
    _add(entity, "nationality", row["nationality"] or [])
    _add(entity, "birthDate", row["dobs"] or [])
    _add(entity, "address", row["addresses"] or [])
    _add(entity, "phone", row["phones"] or [])
    _add(entity, "email", row["emails"] or [])
    _add(entity, "website", row["domains"] or [])
    _add(entity, "program", row["programs"] or [])
    _add(entity, "sourceUrl", row["doc_urls"] or [])
    _add(entity, "topics", [TOPICS[f] for f in row["risk_flags"] or [] if f in TOPICS])
    _add(entity, "createdAt", str(row["first_seen"])[:19].replace(" ", "T"))
    _add(entity, "modifiedAt", str(row["last_seen"])[:19].replace(" ", "T"))
    for scheme, value in identifiers:
        props = [p for p in ID_PROPERTIES.get(scheme, ()) if p in entity.schema.properties]
        fallback = [p for p in ("idNumber", "registrationNumber") if p in entity.schema.properties]
        target = (props or (fallback if scheme not in ("telegram",) else []) or ["notes"])[0]
        _add(entity, target, value if target != "notes" else f"{scheme}:{value}")
    return entity


def _link_id(*parts: str) -> str:
    return "osint-link-" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:24]  # noqa: S324


def _link_entity(link: dict[str, Any]) -> EntityProxy | None:
    source, target, relation = link["profile_id"], link["target_profile_id"], link["relation"]
    if relation.startswith("shared_") and source > target:
        return None  # the computed links go both ways: one entity per pair
    if relation == "employee_of":
        entity = model.make_entity("Employment")
        entity.add("employee", source)
        entity.add("employer", target)
    elif relation in OWNERSHIP:
        first, second = OWNERSHIP[relation]
        entity = model.make_entity("Ownership")
        entity.add(first, source)
        entity.add(second, target)
    else:
        entity = model.make_entity("UnknownLink")
        entity.add("subject", source)
        entity.add("object", target)
    entity.id = _link_id(source, relation, target)
    entity.add("role", relation)
    _add(entity, "description", link["evidence"])
    _add(entity, "recordId", link["record_id"])
    return entity


def ftm_entities(con: duckdb.DuckDBPyConnection) -> Iterator[dict[str, Any]]:
    """Every profile, wallet and profile-to-profile link as FtM entity dicts."""
    rel = con.sql(
        "SELECT p.*, (SELECT list(DISTINCT r.doc_url ORDER BY r.doc_url) FROM profile_records r "
        "WHERE r.profile_id = p.profile_id AND r.doc_url IS NOT NULL) AS doc_urls "
        "FROM profiles p ORDER BY profile_id"
    )
    columns = rel.columns
    holders: dict[str, list[str]] = {}
    for values in rel.fetchall():
        row = dict(zip(columns, values, strict=True))
        yield _profile_entity(row).to_dict()
        for wallet in row["wallets"] or []:
            holders.setdefault(wallet, []).append(row["profile_id"])
    for wallet, owners in sorted(holders.items()):
        chain, _, address = wallet.partition(":")
        entity = model.make_entity("CryptoWallet")
        entity.id = "osint-wallet-" + hashlib.sha1(wallet.encode()).hexdigest()[:24]  # noqa: S324
        entity.add("publicKey", address or wallet)
        entity.add("currency", chain)
        entity.add("holder", owners)
        yield entity.to_dict()
    links = con.sql(
        "SELECT DISTINCT profile_id, relation, target_profile_id, first(evidence) AS evidence, "
        "first(record_id) AS record_id FROM profile_links WHERE target_profile_id IS NOT NULL "
        "AND target_profile_id <> profile_id GROUP BY ALL ORDER BY ALL"
    )
    link_cols = links.columns
    for values in links.fetchall():
        link = _link_entity(dict(zip(link_cols, values, strict=True)))
        if link is not None:
            yield link.to_dict()
