"""Drawing the Members & tiers page's sections (siyu/ui/views/members.py computes what they show)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.charts import clv as clv_charts
from siyu.charts import members as charts
from siyu.charts.plain import plain_figure
from siyu.db.scope import Scope
from siyu.ui import widgets
from siyu.ui.auth import has_role
from siyu.ui.downloads import member_download
from siyu.ui.empty_state import empty_notice
from siyu.ui.export import people_csv
from siyu.ui.i18n import t
from siyu.ui.member_list import member_list
from siyu.ui.model_notes import why_not
from siyu.ui.tables import table
from siyu.ui.views import members as view
from siyu.ui.views.clicks import clicked_category
from siyu.ui.views.loader import Contacts, Loader
from siyu.ui.views.model import ModelStatus, model_status, parameters_table


def tier_section(load: Loader, contacts: Contacts, scope: Scope | None, unfiltered: Loader, *, params: dict[str, str],
                 stem: str, lang: str) -> view.TierFrames:
    """The tier bars (a click lists the tier's members) and table, or why there are none."""
    tiers = view.tier_frames(load, params=params, lang=lang)
    if tiers.empty:
        st.subheader(t("mem_tiers"))
        empty_notice(scope, "mem_no_tiers", unfiltered_empty=lambda: view.tier_frames(
            unfiltered, params=params, lang=lang).empty)
        return tiers
    clicked = widgets.chart_with_csv(t("mem_tiers"), charts.tier_bars(tiers.chart, lang=lang), tiers.tiers,
                                     f"tiers_{stem}", selectable=True)
    table(tiers.shown, view.TIERS, key="tiers_table",
          blanks={"arpu": t("mem_no_buyers"), "gmv_per_member": t("mem_no_members")})
    tier = clicked_category(clicked, tiers.clickable)
    if tier is None:
        st.caption(t("mem_tier_click"))
        return tiers
    who = view.tier_members(load, contacts, params=params, tier=tier)
    st.caption(t("mem_tier_members", tier=charts.tier_label(tier, lang), n=fmt.number(who.height, lang)))
    member_list(who, view.TIER_MEMBERS, key="tier_members", file_stem=f"tier_{tier}_{stem}", what=f"tier {tier}",
                draw_empty=True)
    return tiers


def migration_section(load: Loader, scope: Scope | None, unfiltered: Loader, *, lang: str) -> None:
    """The Sankey between two member-export snapshots (the latest two by default), or why there is none."""
    dates = load("snapshot_dates")["snapshot_date"].to_list()
    st.subheader(t("mem_migration"))
    if len(dates) < 2:
        empty_notice(scope, "mem_migration_need_two", n=len(dates),
                     unfiltered_empty=lambda: unfiltered("snapshot_dates").height < 2)
        return
    c_from, c_to, _ = st.columns([1, 1, 2])
    to_date = c_to.selectbox(t("mem_to"), dates, index=0, format_func=lambda d: fmt.date(d, lang), key="mig_to")
    from_date = c_from.selectbox(t("mem_from"), dates, index=1, format_func=lambda d: fmt.date(d, lang), key="mig_from")
    if from_date > to_date:
        st.info(t("mem_from_after_to"))
    moved, counts, from_date, to_date = view.migration(load, start=from_date, end=to_date)
    st.plotly_chart(plain_figure(charts.tier_sankey(moved, fmt.date(from_date, lang), fmt.date(to_date, lang),
                                                    lang=lang)), config=widgets.PLOTLY_CONFIG, key="chart_migration")
    st.caption(t("mem_migration_caption", **{k: fmt.number(v, lang) for k, v in counts.items()}))
    st.download_button(t("download_csv"), people_csv(moved), file_name=f"siyu_tier_migration_{from_date}_{to_date}.csv",
                       mime="text/csv", key="csv_migration", on_click="ignore")


def concentration_section(load: Loader, scope: Scope | None, unfiltered: Loader, *, params: dict[str, str],
                          stem: str, lang: str) -> bool:
    """The Lorenz curve, Gini and top shares; False (after saying why) when nobody bought in the range."""
    conc = view.concentration(load, params=params)
    if conc is None:
        st.subheader(t("mem_concentration"))
        empty_notice(scope, "mem_no_orders", unfiltered_empty=lambda: view.concentration(
            unfiltered, params=params) is None)
        return False
    widgets.chart_with_csv(t("mem_concentration"), charts.lorenz_curve(conc.conc, lang=lang), conc.conc,
                           f"concentration_{stem}")
    st.caption(t("mem_gini", gini=f"{conc.gini:.2f}", top1=fmt.percent(conc.top_share.get(0.01), lang),
                 top20=fmt.percent(conc.top_share.get(0.2), lang)))
    table(conc.tops, view.CONCENTRATION, key="concentration_table")
    return True


def at_risk_section(load: Loader, contacts: Contacts, status: ModelStatus | None, *, last: dt.date, lang: str) -> None:
    """The at-risk super users (a recall batch), or why the list cannot be made."""
    st.subheader(t("mem_at_risk"))
    at_risk = load("at_risk_super_users")
    if status is not None and not status.fitted:  # the list needs P(alive): "nobody" would be a false all-clear
        st.info(t("mem_at_risk_needs_model", why=why_not(status)))
    elif at_risk.is_empty():
        st.info(t("mem_at_risk_none"))
    else:
        st.caption(t("mem_at_risk_note", n=fmt.number(at_risk.height, lang)))
        table(at_risk, view.AT_RISK, key="at_risk_table", height=360)
        # full phones are fetched only for someone who may download them
        recall = view.recall_list(contacts, at_risk) if has_role("operator") else at_risk
        member_download(recall, file_stem=f"recall_at_risk_{last}", what="at-risk super users (recall)", key="at_risk")


def model_check_section(load: Loader, used_fit: dict, *, first: dt.date, last: dt.date, lang: str) -> None:
    """The BG/NBD check on the held-out last days, and the parameters used vs the check's."""
    st.subheader(t("mem_model"))
    cal = view.calibration_end(first, last)
    fit: dict = {}
    if cal is None:
        st.info(t("mem_model_short"))
    else:
        fit = load("clv", calibration_end=cal.isoformat(), holdout_end=last.isoformat()).row(0, named=True)
        check = view.holdout(fit)
        if not fit["bgnbd"]["converged"]:  # the check's own fit, on less data than the one the predictions use
            st.warning(t("mem_model_check_failed", cal=fmt.date(cal, lang), why=why_not(model_status(fit))))
        elif check is not None:
            st.caption(t("mem_model_note", cal=fmt.date(cal, lang), end=fmt.date(last, lang)))
            widgets.chart_with_csv(t("mem_holdout_chart"), clv_charts.holdout_chart(check.buckets, lang=lang)
                                   .update_layout(title=None), check.buckets, f"clv_holdout_{cal}_{last}")
            st.caption(t("mem_model_totals", actual=fmt.number(round(check.actual), lang),
                         predicted=fmt.number(round(check.predicted), lang),
                         error=fmt.change(check.predicted, check.actual, lang) if check.actual else "—"))
    with st.expander(t("mem_params")):
        table(parameters_table(used_fit, fit or None, lang), view.PARAMETERS, key="model_params_table")
        st.caption(t("mem_params_note", used=fmt.date(used_fit.get("calibration_end"), lang),
                     cal=fmt.date(cal, lang) if fit else "—"))


def no_predictions() -> pl.DataFrame:
    """The predictions frame when they were not asked for."""
    return pl.DataFrame(schema={"member_id": pl.String})


