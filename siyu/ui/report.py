"""The page's "export report" button: one self-contained HTML file of the range on screen (siyu/report)."""

from __future__ import annotations

import streamlit as st

from siyu.auth import audit
from siyu.config import Settings
from siyu.db import reading
from siyu.db.scope import Scope
from siyu.engine.population import apply_population
from siyu.metrics.periods import DateRange
from siyu.report import overview_report
from siyu.ui import auth
from siyu.ui.cache import DbState
from siyu.ui.i18n import current_lang, t


def report_button(settings: Settings, state: DbState, rng: DateRange, grain: str, scope: Scope | None = None,
                  compare: str = "previous") -> None:
    """A download button; the report is built only when clicked (and the click is audited). It compares as the
    page does (`compare`: 上一周期 "previous" or 去年同期 "year"). It holds
    aggregate figures only, so every role that can see the page may take it. The global filters in
    force (`scope`) restrict it exactly as they restrict the page, and are named in the audit row."""
    lang, user, role = current_lang(), auth.current_user(), auth.current_role()

    def produce() -> bytes:  # runs on click, outside the script thread: only captured plain values
        with reading(settings.db, settings.lock_timeout) as con:
            if scope is not None:
                apply_population(con, scope)
            report = overview_report(con, start=rng.start, end=rng.end, grain=grain, lang=lang,
                                     generated_by=user, is_demo=state.is_demo,
                                     filters=dict(scope.key()) if scope else None, compare=compare)
        audit.record_event(settings.db, user, "report", role=role, detail=f"{rng.start}..{rng.end} {grain} {lang} {dict(scope.key()) if scope else {}}",
                           timeout=settings.lock_timeout)
        return report.html.encode("utf-8")

    st.download_button(t("report_export"), produce, file_name=f"siyu_report_{rng.start}_{rng.end}_{grain}.html",
                       mime="text/html", key="report_html", help=t("report_help"), on_click="ignore",
                       icon=":material/description:")
