"""What the catalog knows of one metric: its name, summary, parameters and runner (siyu.engine.catalog).

A leaf module: the domain modules (cohorts, members, referrals, channels, value) build their `SPECS` tuples
from it and the catalog collects those tuples, so no module imports back into the catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import polars as pl

from siyu.engine.context import ReadContext

Runner = Callable[[ReadContext, Mapping[str, str]], pl.DataFrame]
"""The run's read context (connection, data version, scope) and the parameters as strings."""


@dataclass(frozen=True)
class MetricSpec:
    name: str
    summary: str
    params: dict[str, str]
    run: Runner
    single_row: bool = False
    """JSON output is one object rather than a list of rows."""
    defaults: dict[str, str] = field(default_factory=dict)
