"""What the catalog knows of one metric: its name, summary, parameters, their typed class and its runner
(siyu.engine.catalog).

A leaf module: the domain modules (cohorts, members, referrals, channels, value) build their `SPECS` tuples
from it and the catalog collects those tuples, so no module imports back into the catalog.

Adding a metric (the whole path; docs/architecture.md says the same):

1. the pure function in `siyu/metrics/NAME.py` (frames in, frame out) with its literal test;
2. in the domain module (`siyu/engine/<domain>.py`) a frozen dataclass of its parameters with a `parse`
   classmethod that reads the `--param k=v` strings once, in a fixed order, with the messages of
   siyu.engine.params (Chinese first, then English); a runner `(ctx, p: ThatClass) -> DataFrame` that
   fetches the inputs (siyu.engine.inputs) and calls the pure function;
3. a `MetricSpec(name=..., summary=..., params={name: help}, parse=ThatClass.parse, run=runner)` added
   to the module's `SPECS` tuple (a new domain module: add its `SPECS` to siyu.engine.catalog's list).

A spec without `parse` still works: its runner then receives the parameters as strings (a Mapping), as
every runner did before the typed classes; tests/engine/test_params.py names the metrics that must not
rely on that.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from siyu.engine.context import ReadContext

Runner = Callable[[ReadContext, Any], pl.DataFrame]
"""The run's read context (connection, data version, scope) and the metric's parsed parameters (the
instance `parse` returned; the strings themselves when the spec has no `parse`)."""

Parser = Callable[[Mapping[str, str]], object]
"""The `--param` strings (defaults applied, unknown names already refused) -> the typed parameters."""


@dataclass(frozen=True)
class MetricSpec:
    name: str
    summary: str
    params: dict[str, str]
    """Every accepted parameter name with its help text (the CLI's `metric --help` and the unknown-name
    refusal list them)."""
    run: Runner
    single_row: bool = False
    """JSON output is one object rather than a list of rows."""
    defaults: dict[str, str] = field(default_factory=dict)
    parse: Parser | None = None
    """The metric's typed parameter class's `parse` (a frozen dataclass); None: `run` takes the strings."""

    def parse_params(self, params: Mapping[str, str]) -> object:
        """The typed parameters of this metric from the strings (every refusal happens here, before any
        data is read); the strings as a plain dict when the spec has no parameter class."""
        merged = {**self.defaults, **params}
        return merged if self.parse is None else self.parse(merged)
