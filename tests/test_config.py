"""Configuration loading: defaults, overrides, and every error reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from osint.config import Settings, load_config
from osint.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]


def test_shipped_osint_toml_documents_the_defaults() -> None:
    config = load_config(REPO / "config" / "osint.toml", environ={})
    defaults = Settings()
    assert config.settings.model_dump(exclude={"data_dir"}) == defaults.model_dump(
        exclude={"data_dir"}
    )
    assert config.data_dir == (REPO / "data").resolve()
    assert set(config.sources) == {"ofac_sdn", "un_sc"}


def test_environment_sets_config_and_data_dir(tmp_path: Path) -> None:
    env = {"OSINT_CONFIG": str(REPO / "config" / "osint.toml"), "OSINT_DATA_DIR": str(tmp_path)}
    config = load_config(environ=env)
    assert config.data_dir == tmp_path.resolve()
    assert config.config_path == (REPO / "config" / "osint.toml").resolve()


def test_all_problems_are_reported_together_with_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "osint.toml").write_text(
        "[collect]\ndownload_delay = -1\nuser_agnet = 'x'\n[screen]\nthreshold = 2\n"
    )
    (tmp_path / "sources" / "bad.toml").write_text('spider = "nope"\nurls = ["ftp://x"]\n')
    (tmp_path / "sources" / "broken.toml").write_text("spider = \n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "osint.toml", environ={})
    problems = info.value.problems
    text = "\n".join(problems)
    assert "osint.toml: collect.download_delay" in text
    assert "osint.toml: collect.user_agnet: unknown key" in text
    assert "osint.toml: screen.threshold" in text
    assert "bad.toml: spider" in text
    assert "bad.toml: urls" in text
    assert "broken.toml: not valid TOML" in text
    assert len(problems) == 6


def test_missing_config_file_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="OSINT_CONFIG"):
        load_config(tmp_path / "absent.toml", environ={})


def test_unknown_source_lists_the_valid_ones() -> None:
    config = load_config(REPO / "config" / "osint.toml", environ={})
    with pytest.raises(ConfigError, match="valid sources are ofac_sdn, un_sc"):
        config.select_sources(["ofac"])


def test_config_that_is_a_directory_or_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory"):
        load_config(tmp_path, environ={})
    bad = tmp_path / "osint.toml"
    bad.write_bytes(b"data_dir = '\xff'\n")
    with pytest.raises(ConfigError, match=r"osint\.toml"):
        load_config(bad, environ={})


def test_spacy_model_that_is_not_installed_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "osint.toml"
    path.write_text('[extract]\nspacy_model = "en_core_web_trf"\n')
    with pytest.raises(ConfigError, match=r"extract\.spacy_model: 'en_core_web_trf' is not"):
        load_config(path, environ={})
