"""Importing exports (issue #3). Until it lands, `python -m siyu import` says so plainly."""

from __future__ import annotations

from pathlib import Path

from siyu.config import Settings
from siyu.errors import IngestError


def import_cli(settings: Settings, files: list[Path], *, profile: str | None, output: str) -> int:
    raise IngestError("导入功能尚未完成（issue #3）/ import is not built yet (issue #3)")
