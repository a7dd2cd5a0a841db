"""What the Retention page needs to open the members behind a heatmap cell, without Streamlit.

A click on the heatmap arrives as Streamlit's selection points (client data: checked strictly here);
`clicked_cell` turns the overlay marker's customdata (siyu.charts.retention.CELLS_TRACE) into a Cell,
`cell_params` into the `cohort_members` parameters of that exact cell under the page's range, so the
list's length is the count the cell shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from siyu.metrics.periods import DateRange
from siyu.ranges import range_params
from siyu.ui.views.loader import Contacts, Loader, with_contacts


@dataclass(frozen=True)
class Cell:
    """One cell of the triangle: the cohort's first day, its channel ("" unless cohort=channel), period k
    and the number of members the heatmap shows for it."""
    cohort: dt.date
    channel: str
    period: int
    count: int


def clicked_cell(points: Iterable[Mapping]) -> Cell | None:
    """The cell of the first point that carries a well-formed overlay customdata, else None."""
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if not isinstance(data, list | tuple) or len(data) != 4:
            continue
        day, channel, period, count = data
        if not (isinstance(day, str) and isinstance(channel, str) and _whole(period) and _whole(count)):
            continue
        try:
            cohort = dt.date.fromisoformat(day)
        except ValueError:
            continue
        if int(period) >= 0 and int(count) >= 0:
            return Cell(cohort, channel, int(period), int(count))
    return None


def _whole(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()


def cell_in(cell: Cell, counts: pl.DataFrame) -> bool:
    """The cell is one the page drew (a click can only name a drawn cell; a forged one is ignored)."""
    hit = counts.filter((pl.col("cohort") == cell.cohort) & (pl.col("period") == cell.period))
    if "channel" in counts.columns:
        hit = hit.filter(pl.col("channel") == cell.channel)
    return hit.height == 1


def cell_params(cell: Cell, *, cohort: str, grain: str, mode: str, rng: DateRange) -> dict[str, str]:
    """The `cohort_members` parameters of `cell` under the page's range (start and end both: the
    triangle only counts members whose cohort day is in the range)."""
    return {"cohort": cohort, "grain": grain, "mode": mode, "cohort_start": cell.cohort.isoformat(),
            "period": str(cell.period), **range_params(rng),
            **({"channel": cell.channel} if cohort == "channel" else {})}


@dataclass(frozen=True)
class Bar:
    """One bar of the buyer lifecycle: the period's first day, the status and the count drawn."""
    period: dt.date
    status: str
    count: int


def clicked_bar(points: Iterable[Mapping], statuses: tuple[str, ...]) -> Bar | None:
    """The lifecycle bar of the first point whose customdata is [ISO day, a known status, count]."""
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if not isinstance(data, list | tuple) or len(data) != 3:
            continue
        day, status, count = data
        if not (isinstance(day, str) and status in statuses and _whole(count) and int(count) >= 0):
            continue
        try:
            return Bar(dt.date.fromisoformat(day), status, int(count))
        except ValueError:
            continue
    return None


def bar_in(bar: Bar, lifecycle: pl.DataFrame) -> bool:
    """The bar is one the page drew."""
    return lifecycle.filter(pl.col("period") == bar.period).height == 1


def bar_params(bar: Bar, *, grain: str, rng: DateRange) -> dict[str, str]:
    """The `lifecycle_members` parameters of `bar` (as of the range's end, as the lifecycle chart)."""
    return {"grain": grain, "status": bar.status, "period_start": bar.period.isoformat(), "end": rng.end.isoformat()}


MEMBERS = {"member_id": ("col_member_id", "text"), "display_name": ("col_name", "text"),
           "phone": ("col_phone", "text"), "orders": ("col_orders_in_period", "int"),
           "net": ("col_net_in_period", "money2"), "last_day": ("col_last_day", "date")}
"""The columns of a cell's or a bar's member list."""


def members_listing(load: Loader, contacts: Contacts, metric: str, params: dict[str, str]) -> pl.DataFrame:
    """The members of a cell (metric cohort_members) or a bar (lifecycle_members) with names and phones."""
    return with_contacts(contacts, load(metric, **params), ("display_name", "phone"), tuple(MEMBERS))


def cell_options(counts: pl.DataFrame, *, cohort: str, grain: str, lang: str) -> pl.DataFrame:
    """The cells the members pickers offer: label, cohort, (channel,) period, value."""
    from siyu.charts.retention import labelled

    return labelled(counts, grain=grain, lang=lang).select(
        "label", "cohort", *(["channel"] if cohort == "channel" else []), "period", "value").unique()


def periods_of(cells: pl.DataFrame, label: str) -> list[int]:
    """The periods a cohort label has cells for, in order."""
    return sorted(cells.filter(pl.col("label") == label)["period"].to_list())


def picked_cell(cells: pl.DataFrame, label: str, period: int) -> Cell:
    """The cell the pickers name."""
    row = cells.filter((pl.col("label") == label) & (pl.col("period") == period)).row(0, named=True)
    return Cell(row["cohort"], row.get("channel") or "", int(period), int(row["value"]))


@dataclass(frozen=True)
class RetentionFrames:
    """Everything the Retention page draws before its pickers, ready to draw.
    triangle: the heatmap's (chosen measure and mode); counts: members per cell for the drill-down's mode;
    members / revenue: both triangles with a `label` column (curves, pickers); labels: cohort labels in order."""
    triangle: pl.DataFrame
    counts: pl.DataFrame
    members: pl.DataFrame
    revenue: pl.DataFrame
    labels: list[str]
    drill_mode: str

    @property
    def money(self) -> bool:
        return "cumulative" in self.triangle.columns


def retention_frames(load: Loader, *, cohort: str, measure: str, mode: str, grain: str, rng: DateRange,
                     lang: str) -> RetentionFrames | None:
    """The page's triangles, each loaded once (reusing one for another when they are the same); None when
    the range has no cohort."""
    from siyu.charts.retention import labelled

    base = {**range_params(rng), "cohort": cohort, "grain": grain}
    money = measure == "revenue"
    triangle = load("retention", **base, measure=measure, mode="on" if money else mode)
    if triangle.is_empty():
        return None
    # A revenue cell's members are those who bought in its period (mode=on); a members cell's, the page's mode.
    drill_mode = "on" if money else mode
    members = triangle if not money else load("retention", **base, measure="members", mode=mode)
    counts = members if drill_mode == mode else load("retention", **base, measure="members", mode="on")
    revenue = triangle if money else load("retention", **base, measure="revenue", mode="on")
    members_l = labelled(members, grain=grain, lang=lang)
    return RetentionFrames(triangle=triangle, counts=counts, members=members_l,
                           revenue=labelled(revenue, grain=grain, lang=lang),
                           labels=list(dict.fromkeys(members_l["label"].to_list())), drill_mode=drill_mode)
