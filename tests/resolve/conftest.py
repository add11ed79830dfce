"""Fixture strategy for resolution: the labelled company set, imported for real.

`company_dir` imports tests/data/resolve/companies.csv (without its `entity` label column)
through `osint import`'s library function into a fresh work store, trains and resolves it
once per session; `companies` gives each test a private copy (config + stores) to change.
Truth labels stay in the CSV; `labels` maps source_key -> entity for assertions.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from osint.config import Config, load_config
from osint.pipeline import resolve_stage, train_stage
from osint.resolve.imports import import_file
from osint.store import open_work_store

DATA = Path(__file__).parents[1] / "data" / "resolve"
SOURCE = "analyst"


def write_resolve_config(root: Path) -> Config:
    config_dir = root / "config"
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "osint.toml").write_text(
        'data_dir = "../data"\n[resolve]\nmodel = "resolve/records.model.json"\n',
        encoding="utf-8",
    )
    return load_config(config_dir / "osint.toml")


def unlabelled_csv(target: Path) -> Path:
    """The company set without its truth column, as an analyst's file would be."""
    with (DATA / "companies.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, [c for c in rows[0] if c != "entity"])
        writer.writeheader()
        for row in rows:
            row.pop("entity")
            writer.writerow(row)
    return target


@pytest.fixture(scope="session")
def labels() -> dict[str, str]:
    with (DATA / "companies.csv").open(encoding="utf-8", newline="") as fh:
        return {r["source_key"]: r["entity"] for r in csv.DictReader(fh)}


@pytest.fixture(scope="session")
def company_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("companies")
    config = write_resolve_config(root)
    con = open_work_store(config.work_store)
    try:
        result = import_file(con, unlabelled_csv(root / "companies.csv"), SOURCE)
        assert result.problems == []
    finally:
        con.close()
    train_stage(config)
    resolve_stage(config)
    return root


@pytest.fixture
def companies(company_dir: Path, tmp_path: Path) -> Config:
    target = tmp_path / "companies"
    shutil.copytree(company_dir, target)
    return load_config(target / "config" / "osint.toml")


def profiles_by_key(config: Config) -> dict[str, str]:
    """source_key -> profile_id after the last resolve."""
    con = open_work_store(config.work_store, read_only=True)
    try:
        rows = con.sql(
            "SELECT source_key, profile_id FROM records JOIN profile_members USING (record_id)"
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def record_ids(config: Config) -> dict[str, str]:
    """source_key -> record_id."""
    con = open_work_store(config.work_store, read_only=True)
    try:
        return dict(con.sql("SELECT source_key, record_id FROM records").fetchall())
    finally:
        con.close()
