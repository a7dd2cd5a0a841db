"""Storing the value of one point (the brand's 积分抵现 rate), which prices the points liability."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from siyu.auth import audit
from siyu.db import execute, writing
from siyu.engine.points import parse_point_value


def save_point_value(db: Path, raw: str, *, user: str, role: str | None, timeout: float,
                     now: dt.datetime | None = None) -> Decimal:
    """Validate `raw` (yuan per point, e.g. '0.01'), store it and audit the change, in one transaction.
    Raises MetricError (Chinese first) for a value that cannot be a point's worth."""
    value = parse_point_value(raw)
    at = now or dt.datetime.now()
    with writing(Path(db), timeout) as con:
        execute(con, "points_value_set", {"value": str(value), "at": at, "by": user})
        audit.write(con, user, "settings", role=role, detail=f"yuan_per_point = {value}", at=at)
    return value
