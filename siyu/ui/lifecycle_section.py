"""The Retention page's buyer-lifecycle section: the bars, and the members behind a clicked bar."""

from __future__ import annotations

import streamlit as st

from siyu import format as fmt
from siyu.charts import retention as charts
from siyu.metrics.lifecycle_members import STATUSES
from siyu.metrics.periods import DateRange
from siyu.ranges import range_params
from siyu.ui import widgets
from siyu.ui.i18n import t
from siyu.ui.member_list import member_list
from siyu.ui.views import retention as view
from siyu.ui.views.loader import Contacts, Loader


def lifecycle_section(load: Loader, contacts: Contacts, *, rng: DateRange, grain: str, lang: str) -> None:
    """Nothing when the range has no buyer; else the bars (clickable) and the clicked bar's members."""
    life = load("lifecycle", **range_params(rng), grain=grain)
    if life.is_empty():
        return
    bar_points = widgets.chart_with_csv(t("ret_lifecycle"), charts.lifecycle_bars(life, grain=grain, lang=lang), life,
                                        f"lifecycle_{grain}_{rng.start}_{rng.end}", selectable=True)
    st.caption(t("ret_lifecycle_note"))
    bar = view.clicked_bar(bar_points, STATUSES)
    if bar is None or not view.bar_in(bar, life):
        st.caption(t("ret_life_click"))
        return
    who = view.members_listing(load, contacts, "lifecycle_members", view.bar_params(bar, grain=grain, rng=rng))
    st.caption(t("ret_life_members", period=charts.cohort_label(bar.period, grain, lang),
                 status=charts.words(lang)[bar.status], n=fmt.number(who.height, lang)))
    member_list(who, view.MEMBERS, key="life_members", file_stem=f"lifecycle_{grain}_{bar.period}_{bar.status}",
                what=f"lifecycle {bar.status} {bar.period}")
