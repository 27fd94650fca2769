"""A counter with its signing key, and a folder standing in for the USB stick."""

from __future__ import annotations

from pathlib import Path

import pytest

from repairdesk.desk import Desk


@pytest.fixture
def keyed(desk: Desk) -> Desk:
    desk.sync.ensure_signing_key()
    return desk


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    path = tmp_path / "stick"
    path.mkdir()
    return path
