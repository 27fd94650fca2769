"""Counter settings: pydantic-settings over a TOML file, with platformdirs for the defaults.

Precedence (highest first): command-line options, ``REPAIRDESK_*`` environment variables,
the settings file (``REPAIRDESK_CONFIG`` or ``<user config dir>/settings.toml``), defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from repairdesk.tickets.codes import Accessory, LiquidIndicator, Mark

APP_NAME = "repairdesk"


def config_file() -> Path:
    explicit = os.environ.get("REPAIRDESK_CONFIG")
    if explicit:
        return Path(explicit)
    return Path(user_config_dir(APP_NAME)) / "settings.toml"


def default_data_dir() -> Path:
    return Path(user_data_dir(APP_NAME))


def default_hq_key_path() -> Path:
    """HQ's private key for packs and statements (kept apart from the database, which
    may be shared)."""
    return default_data_dir() / "hq-signing-key"


class Settings(BaseSettings):
    """What a counter may configure. Later areas add their own fields here."""

    model_config = SettingsConfigDict(env_prefix="REPAIRDESK_", extra="ignore")

    db: Path | None = None
    lang: str | None = None
    phone_region: str = "CN"
    # Keys remapped by binding id, e.g. {"save-ticket" = "ctrl+s"} (the TUI applies them).
    keymap: dict[str, str] = {}
    # Daily automatic backups of the store kept in <data dir>/backups (oldest pruned first).
    backup_keep: int = 14
    # Minutes without a key press before the app asks for the PIN again (0: never). Only
    # when the counter has users set up.
    idle_minutes: int = 10
    # Printing (checked in repairdesk/printing/): the default printer, e.g. "tcp://10.0.0.9:9100",
    # "serial:/dev/ttyUSB0?baudrate=9600", "file:/dev/usb/lp0", "cups:A5"; none: text to stdout.
    printer: str | None = None
    print_format: str | None = None  # text | escpos | pdf; None: by the printer's kind
    print_width: int = 80  # thermal paper, mm: 80 | 58
    print_terms: str | None = None  # the counter's own terms on the intake slip, one per line
    unclaimed_days: int = 90  # how long unclaimed phones are kept (stated in the terms)
    # What a new intake starts with at this counter (codes of the intake document), e.g.
    # intake_accessories = ["battery", "back_cover", "sim_tray"], intake_marks = ["scratches"],
    # intake_liquid = "clean". F5 (a new intake) comes back to these, never to the last one.
    intake_accessories: list[Accessory] = []
    intake_marks: list[Mark] = []
    intake_liquid: LiquidIndicator = "unknown"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=config_file()),
        )

    def store_path(self) -> Path:
        return self.db or default_data_dir() / "store.sqlite3"


def demo_store_path() -> Path:
    return default_data_dir() / "demo.sqlite3"


def load_settings(**overrides: object) -> Settings:
    # Any: pydantic validates and converts each value (a str for a Path).
    given: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**given)
