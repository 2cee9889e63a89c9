"""One frozen Settings: command-line flag > THREATSCAPE_* environment > threatscape.toml > defaults."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from threatscape.errors import ConfigError

__all__ = ["Settings", "load_settings"]


@dataclass(frozen=True)
class Settings:
    db: str = "threatscape.db"  # a path (SQLite) or an SQLAlchemy URL (sqlite:///, postgresql://)
    allow_private: bool = False  # let URL fetches reach loopback/private addresses
    timeout: float = 20.0  # seconds, connect and read, for fetches
    fetch_deadline: float = 60.0  # seconds for one whole fetch (all redirects, headers and body)
    db_busy_limit: float = 120.0  # seconds a write waits for another process holding the SQLite write lock
    max_bytes: int = 50_000_000  # cap on one fetched or read document
    max_redirects: int = 5
    user_agent: str = "threatscape/0.1 (+https://github.com/threatscape/threatscape; news monitoring)"
    processes: int = field(default_factory=lambda: os.cpu_count() or 1)  # ingest/reextract extract in this many
    batch_size: int = 32  # articles parsed, extracted and stored together (smaller: less redone after a crash)
    rules_only: bool = False  # events from the rules alone, without the learned layer (tiny machines, comparison)
    event_model: str = ""  # folder of an event-model artefact (make train); empty: the packaged one


def _coerce(name: str, value: Any, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            if isinstance(value, bool):
                return value
            return str(value).strip().lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r} has an invalid value {value!r}") from exc
    return str(value)


def load_settings(config: str | Path | None = None, **flags: Any) -> Settings:
    """Build Settings from defaults, ``threatscape.toml`` (or ``config``), the environment and flags.

    Flags whose value is ``None`` are ignored (an option the user did not give).
    """
    base = Settings()
    values: dict[str, Any] = {}
    path = Path(config) if config else Path("threatscape.toml")
    if path.is_file():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read {path}: {exc}") from exc
    elif config:
        raise ConfigError(f"config file {path} does not exist")
    for f in fields(Settings):
        env = os.environ.get(f"THREATSCAPE_{f.name.upper()}")
        if env is not None:
            values[f.name] = env
    values.update({k: v for k, v in flags.items() if v is not None})
    known = {f.name: getattr(base, f.name) for f in fields(Settings)}
    unknown = set(values) - set(known)
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    settings = replace(base, **{k: _coerce(k, v, known[k]) for k, v in values.items()})
    if settings.fetch_deadline <= 0:
        raise ConfigError(f"setting 'fetch_deadline' must be positive, not {settings.fetch_deadline:g}")
    if settings.db_busy_limit <= 0:
        raise ConfigError(f"setting 'db_busy_limit' must be positive, not {settings.db_busy_limit:g}")
    if settings.processes < 1:
        raise ConfigError(f"setting 'processes' must be at least 1, not {settings.processes}")
    if settings.batch_size < 1:
        raise ConfigError(f"setting 'batch_size' must be at least 1, not {settings.batch_size}")
    return settings
