"""The global filters as one value: range, grain, comparison, channel, tier, store, staff, tag, saved segment.

One `GlobalFilters` per browser session follows the user across every page; the URL mirrors it so a copied
link reopens the same view (the language is kept by siyu/ui/i18n.py the same way). Page choices
(?cohort=…, ?measure=…) are not in here: they belong to their page's URL only.

This module is plain Python (no Streamlit) so it is tested with literal values: `from_params` reads a URL's
query parameters strictly — a YYYY-MM-DD day between 1990 and 2100, an allow-listed grain or comparison, a
scope value of at most MAX_VALUE characters — and names every parameter it dropped. Whether a channel or
tier exists in the data is checked later, against the database's own values (siyu/ui/scope_filter.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from siyu.db.scope import FILTERS, MAX_VALUE
from siyu.ranges import COMPARES

GRAINS = ("month", "week", "day")
# Dates a brand's data can have; anything else (0001-01-01, 9999-12-31) would overflow the date arithmetic.
EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
PARAMS = ("start", "end", "grain", "compare", *FILTERS)  # the URL parameters this state owns
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(raw: object) -> dt.date | None:
    """A strict YYYY-MM-DD date between 1990 and 2100, or None for anything else (including hostile text)."""
    if not isinstance(raw, str) or not _ISO_DAY.fullmatch(raw):
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


@dataclass(frozen=True)
class GlobalFilters:
    """What every page is filtered by. start/end None = the default range (ends on the last order day)."""

    start: dt.date | None = None
    end: dt.date | None = None
    grain: str = "month"
    compare: str = "previous"
    channel: str | None = None
    tier: str | None = None
    store: str | None = None
    staff: str | None = None
    tag: str | None = None
    segment: str | None = None

    def scope_values(self) -> dict[str, str | None]:
        return {kind: getattr(self, kind) for kind in FILTERS}

    def with_scope(self, **values: str | None) -> GlobalFilters:
        unknown = set(values) - set(FILTERS)
        if unknown:
            raise KeyError(sorted(unknown))
        return replace(self, **values)  # type: ignore[arg-type]  # only the str | None scope fields

    def params(self) -> dict[str, str]:
        """The URL parameters of this state: only what is set (defaults stay out of the link)."""
        out: dict[str, str] = {}
        if self.start is not None and self.end is not None:
            out["start"], out["end"] = self.start.isoformat(), self.end.isoformat()
        out["grain"] = self.grain
        if self.compare != "previous":
            out["compare"] = self.compare
        out.update({kind: value for kind, value in self.scope_values().items() if value is not None})
        return out


def from_params(params: Mapping[str, object]) -> tuple[GlobalFilters, list[str]]:
    """The state a URL asks for, and the names of the parameters that were not valid (and were dropped).
    A start after the end drops both (reported as `range`)."""
    bad: list[str] = []
    days: dict[str, dt.date | None] = {}
    for name in ("start", "end"):
        raw = params.get(name)
        days[name] = parse_day(raw)
        if raw is not None and days[name] is None:
            bad.append(name)
    start, end = days["start"], days["end"]
    if start is not None and end is not None and start > end:
        bad.append("range")
        start = end = None
    if start is None or end is None:  # one side alone means nothing: the default range
        start = end = None
    grain = params.get("grain")
    if grain is not None and grain not in GRAINS:
        bad.append("grain")
    compare = params.get("compare")
    if compare is not None and compare not in COMPARES:
        bad.append("compare")
    scope: dict[str, str | None] = {}
    for kind in FILTERS:
        raw = params.get(kind)
        ok = isinstance(raw, str) and 0 < len(raw) <= MAX_VALUE
        scope[kind] = raw if ok else None  # type: ignore[assignment]
        if raw is not None and not ok:
            bad.append(kind)
    return GlobalFilters(start, end, grain if grain in GRAINS else "month",  # type: ignore[arg-type]
                         compare if compare in COMPARES else "previous", **scope), bad  # type: ignore[arg-type]
