"""The Overview's KPI cards, shared by the dashboard (siyu/ui/widgets.py) and the HTML report (siyu/report):
which kpis column each card shows, how its value and its change on the previous period are written."""

from __future__ import annotations

from dataclasses import dataclass

from siyu import format as fmt


@dataclass(frozen=True)
class Card:
    column: str
    label: str  # i18n key; `{label}_help` is its tooltip
    kind: str  # count | money | rate
    inverse: bool = False  # a rise is bad news (deleted friends)


OVERVIEW_CARDS = (
    Card("members", "kpi_members", "count"),
    Card("valid_members", "kpi_valid", "count"),
    Card("buyers", "kpi_buyers", "count"),
    Card("orders", "kpi_orders", "count"),
    Card("gmv", "kpi_gmv", "money"),
    Card("arpu", "kpi_arpu", "money"),
    Card("repurchase_rate", "kpi_repurchase", "rate"),
    Card("friends_deleted", "kpi_deleted", "count", inverse=True),
)


def card_value(card: Card, value: float, lang: str) -> str:
    if card.kind == "money":
        return fmt.money(value, lang, compact=card.column == "gmv")
    if card.kind == "rate":
        return fmt.percent(value, lang)
    return fmt.number(value, lang)


def card_delta(card: Card, value: float, previous: float | None, lang: str) -> str | None:
    if previous is None:
        return None
    if card.kind == "rate":
        return fmt.points(value, previous, lang)
    return fmt.change(value, previous, lang)
