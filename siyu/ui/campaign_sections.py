"""The 召回 page's forms (Streamlit): plan a campaign and download its send lists (operators and admins), and the
alerts: rules, firings, the rule form and this page's weekly digest. Kept out of the page file so it stays glue."""

from __future__ import annotations

import polars as pl
import streamlit as st

from siyu.alerts import store as alert_store
from siyu.alerts.rules import OPS, rule_from
from siyu.campaigns import store
from siyu.campaigns.member_list import members_in_table
from siyu.campaigns.plan import balance, draw_plan, local_now, parse_variants, save_plan
from siyu.campaigns.send_lists import LAYOUTS, PHONE_COLUMNS, send_list
from siyu.config import Settings
from siyu.db import reading
from siyu.db.scope import Scope
from siyu.engine.context import read_context
from siyu.errors import SiyuError
from siyu.ui import auth
from siyu.ui.downloads import member_download
from siyu.ui.i18n import current_lang, t
from siyu.ui.literal import literal
from siyu.ui.tables import table
from siyu.ui.views import campaigns as view
from siyu.ui.widgets import share_slider, upload_limit_mb

PAGES = [p[1] for p in auth.PAGES]


def plan_section(settings: Settings, sources: list[str]) -> None:
    st.subheader(t("cmp_plan"))
    if not auth.has_role("operator"):
        st.caption(t("cmp_operator_only"))
        return
    st.caption(t("cmp_plan_note"))
    with st.form("cmp_plan_form"):
        c1, c2 = st.columns(2)
        name = c1.text_input(t("cmp_name"), max_chars=store.MAX_NAME, key="cmp_name")
        labels = {s: view.source_label(s, current_lang()) for s in sources}  # words fixed in this run's language
        source = c2.selectbox(t("cmp_source"), sources, format_func=labels.__getitem__, key="cmp_source")
        limit = upload_limit_mb(settings.max_upload_mb)
        upload = st.file_uploader(t("cmp_upload"), type=["csv", "xlsx", "txt"], max_upload_size=limit,
                                  key="cmp_upload")
        st.caption(t("cmp_upload_limit", mb=limit))  # not the import page's words: this file is no import
        c3, c4, c5 = st.columns(3)
        holdout = share_slider(t("cmp_holdout"), 5, 50, 10, 5, key="cmp_holdout", where=c3)
        variants = c4.text_input(t("cmp_variants"), max_chars=100, key="cmp_variants")
        seed = c5.number_input(t("cmp_seed"), min_value=0, max_value=2**31 - 1, value=0, step=1, key="cmp_seed")
        c6, c7 = st.columns(2)
        preview, save = c6.form_submit_button(t("cmp_preview")), c7.form_submit_button(t("cmp_save"))
    if not (preview or save):
        return
    try:
        with reading(settings.db, settings.lock_timeout) as con:
            ids = None
            if source == "file":
                if upload is None:
                    raise SiyuError(t("cmp_upload"))
                from siyu.ingest.readers import read_table

                ids = members_in_table(con, read_table(upload.getvalue()), settings.pepper or None).ids
            plan = draw_plan(read_context(con), name=name, source=f"file:{upload.name}" if ids is not None else source,
                             holdout=holdout, variants=parse_variants(variants), seed=int(seed),
                             planned_at=local_now(settings), ids=ids)
        st.caption(t("cmp_balance"))
        shown = balance(plan.split, plan.features).with_columns(
            pl.col("arm").replace_strict({"send": t("cmp_arm_send"), "holdout": t("cmp_arm_holdout")}))
        table(shown, view.BALANCE_COLUMNS, key="cmp_balance_table")
        if save:
            save_plan(settings, plan, auth.current_user())
            st.success(t("cmp_saved", name=literal(plan.campaign), n=plan.split.height))
    except SiyuError as exc:
        st.error(literal(exc))


def send_list_section(settings: Settings, planned: list[str]) -> None:
    if not planned or not auth.has_role("operator"):
        return
    st.subheader(t("cmp_send_lists"))
    name = st.selectbox(t("cmp_list_pick"), planned, key="cmp_list_pick")
    for layout in LAYOUTS:
        with reading(settings.db, settings.lock_timeout) as con:
            found = send_list(con, name, layout)
        if found.left_out:
            st.caption(t("cmp_list_left_out", n=found.left_out, what=t(f"cmp_what_{layout}")))
        member_download(found.frame, file_stem=f"send_list_{layout}_{planned.index(name)}",
                        what=f"campaign send-list {name} {layout}", phone_columns=PHONE_COLUMNS[layout],
                        formats=("csv",), key=f"cmp_send_{layout}", labels={"csv": t(f"cmp_download_{layout}")})


def _rules_frame(settings: Settings) -> pl.DataFrame:
    rules = alert_store.stored_rules(settings.db, timeout=settings.lock_timeout)
    return pl.DataFrame([{"name": r.name, "metric": r.metric, "value": r.value,
                          "where": "；".join(f"{k}={v}" for k, v in r.where.items()), "op": r.op,
                          "threshold": (f"{r.threshold * 100:g}%" if r.percent else f"{r.threshold:g}")} for r in rules],
                        schema={"name": pl.String, "metric": pl.String, "value": pl.String, "where": pl.String,
                                "op": pl.String, "threshold": pl.String})


def alerts_section(settings: Settings, scope: Scope, metrics: list[str], lift: pl.DataFrame) -> None:
    st.subheader(t("alr_title"))
    st.caption(t("alr_intro"))
    rules = _rules_frame(settings)
    if rules.height:
        table(rules, {"name": ("alr_col_name", "text"), "metric": ("alr_col_metric", "text"),
                      "value": ("alr_col_value", "text"), "where": ("alr_col_where", "text"),
                      "op": ("alr_col_op", "text"), "threshold": ("alr_col_threshold", "text")}, key="alr_rules_table")
    else:
        st.caption(t("alr_no_rules"))
    st.markdown(f"**{t('alr_firings')}**")
    fired = alert_store.firings(settings.db, timeout=settings.lock_timeout).head(200)
    if fired.height:
        table(fired, {"fired_at": ("alr_col_fired_at", "text"), "name": ("alr_col_name", "text"),
                      "value": ("alr_col_figure", "float"), "threshold": ("alr_col_threshold", "float"),
                      "posted": ("alr_col_posted", "text"), "error": ("alr_col_error", "text")}, key="alr_firings_table")
    else:
        st.caption(t("alr_no_firings"))
    if auth.has_role("operator"):
        _rule_form(settings, metrics, rules["name"].to_list())
    _digest(settings, scope, lift)


def _rule_form(settings: Settings, metrics: list[str], names: list[str]) -> None:
    with st.expander(t("alr_add")), st.form("alr_rule_form"):
        c1, c2, c3 = st.columns(3)
        data = {"name": c1.text_input(t("alr_name"), max_chars=80), "metric": c2.selectbox(t("alr_metric"), metrics),
                "value": c3.text_input(t("alr_value"), max_chars=60)}
        c4, c5, c6, c7 = st.columns(4)
        where_col, where_val = c4.text_input(t("alr_where_col"), max_chars=60), c5.text_input(t("alr_where_val"), max_chars=100)
        data["op"], data["threshold"] = c6.selectbox(t("alr_op"), OPS), c7.text_input(t("alr_threshold"), max_chars=30)
        data["page"] = st.selectbox(t("alr_page"), PAGES)
        if where_col:
            data["where"] = {where_col: where_val}
        if st.form_submit_button(t("alr_save")):
            try:
                alert_store.save_rule(settings.db, rule_from(data, set(metrics)), by=auth.current_user(),
                                      timeout=settings.lock_timeout)
                st.success(t("alr_saved"))
            except SiyuError as exc:
                st.error(literal(exc))
    if names:
        c1, c2 = st.columns([3, 1])
        gone = c1.selectbox(t("alr_delete"), names, key="alr_delete_pick")
        if c2.button(t("alr_delete"), key="alr_delete_button"):
            alert_store.delete_rule(settings.db, gone, timeout=settings.lock_timeout)
            st.success(t("alr_deleted"))


def _digest(settings: Settings, scope: Scope, lift: pl.DataFrame) -> None:
    from siyu.alerts.digest import digest_text
    from siyu.auth.runtime_settings import effective

    with st.expander(t("alr_digest")):
        text = digest_text(settings, "campaigns", dict(scope.key()), now=local_now(settings), lang=settings.lang,
                           lift=lift)  # the page's own (cached) result, not computed again
        st.code(text, language=None)  # shown as the group bot will get it; st.code never reads Markdown
        if auth.has_role("operator") and st.button(t("alr_post"), key="alr_post_digest"):
            url = effective(settings).webhook_url
            if not url:
                st.warning(t("alr_no_webhook"))
                return
            try:
                from siyu.report.webhook import post_markdown

                post_markdown(url, text)
                st.success(t("alr_posted"))
            except SiyuError as exc:
                st.error(literal(exc))
