"""会员与等级 Members & tiers: tiers and ARPU, tier migration, GMV concentration, the three-layer community,
super users with predictions, the at-risk recall list, and the BG/NBD model check."""

import datetime as dt

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.charts import clv as clv_charts
from siyu.charts import members as charts
from siyu.charts.plain import plain_figure
from siyu.engine.lookups import member_ids
from siyu.metrics.page_frames import PREDICT_AUTO_BUYERS, with_predictions
from siyu.ui import cache, filters, page_text, scope_filter, widgets  # noqa: F401 - page_text registers the words
from siyu.ui.auth import has_role, require_role
from siyu.ui.downloads import member_download
from siyu.ui.empty_state import empty_notice
from siyu.ui.export import people_csv
from siyu.ui.i18n import t
from siyu.ui.model_notes import blanks, explain_near_zero, load_status, show_status, why_not
from siyu.ui.page_start import page_start
from siyu.ui.tables import table
from siyu.ui.views.clicks import clicked_category
from siyu.ui.views.model import model_status, parameters_table, without_unknown_predictions

require_role("viewer")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("page_members")

rng, _grain = filters.date_range_filter(first, last, show_grain=False)
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
params = filters.range_params(rng)
stem = f"{rng.start}_{rng.end}"
st.caption(t("mem_range_note"))



def tier_list(tier: str) -> None:
    """The members of a clicked tier: as many as its bar, with names, masked phones and net spend in the range."""
    who = cache.load_metric(settings, state, "tier_members", scope=scope, **params, tier=tier)
    st.caption(t("mem_tier_members", tier=charts.tier_label(tier, lang), n=fmt.number(who.height, lang)))
    contacts = cache.load_contacts(settings, state, member_ids(who), scope=scope)
    listing = who.with_columns(pl.col("member_id").cast(pl.String)).join(
        contacts.select("member_id", "display_name", "phone", "last_order"), on="member_id", how="left").select(
        "member_id", "display_name", "phone", "net", "last_order")
    table(listing, {"member_id": ("col_member_id", "text"), "display_name": ("col_name", "text"),
                    "phone": ("col_phone", "text"), "net": ("col_spend", "money2"),
                    "last_order": ("col_last_order", "date")}, key="tier_members_table", phone_columns=("phone",),
          height=320)
    member_download(listing, file_stem=f"tier_{tier}_{stem}", what=f"tier {tier}", key="tier_members")


# ---- tiers -------------------------------------------------------------------------------------------------
tiers = cache.load_metric(settings, state, "tiers", scope=scope, **params)
tiers_view = tiers.with_columns(
    pl.col("tier").map_elements(lambda v: charts.tier_label(v, lang), return_dtype=pl.String),
    # the metric writes 0 for a ratio over nobody (its CSV contract); on screen that reads as "they spent
    # nothing", so the table says there is no one to divide by
    pl.when(pl.col("buyers") > 0).then(pl.col("arpu")).alias("arpu"),
    pl.when(pl.col("members") > 0).then(pl.col("gmv_per_member")).alias("gmv_per_member"))
if tiers.filter(pl.col("rank").is_not_null()).is_empty():
    st.subheader(t("mem_tiers"))
    empty_notice(scope, "mem_no_tiers", unfiltered_empty=lambda: cache.load_metric(
        settings, state, "tiers", **params).filter(pl.col("rank").is_not_null()).is_empty())
else:
    clicked = widgets.chart_with_csv(t("mem_tiers"), charts.tier_bars(tiers.with_columns(tiers_view["arpu"]), lang=lang), tiers, f"tiers_{stem}",
                                     selectable=True)
    table(tiers_view, {"tier": ("col_tier", "text"), "members": ("col_members", "int"), "share": ("col_share", "pct"),
                       "buyers": ("col_buyers", "int"), "gmv": ("col_gmv", "money"), "gmv_share": ("col_gmv_share", "pct"),
                       "arpu": ("col_arpu", "money2"), "gmv_per_member": ("col_gmv_per_member", "money2")},
          key="tiers_table", blanks={"arpu": t("mem_no_buyers"), "gmv_per_member": t("mem_no_members")})
    tier = clicked_category(clicked, tiers.filter(pl.col("members") > 0)["tier"].to_list())
    if tier is None:
        st.caption(t("mem_tier_click"))
    else:
        tier_list(tier)

# ---- tier migration ----------------------------------------------------------------------------------------
dates = cache.load_snapshot_dates(settings, state, scope=scope)
if len(dates) < 2:
    st.subheader(t("mem_migration"))
    empty_notice(scope, "mem_migration_need_two", n=len(dates), unfiltered_empty=lambda: len(
        cache.load_snapshot_dates(settings, state)) < 2)
else:
    st.subheader(t("mem_migration"))
    c_from, c_to, _ = st.columns([1, 1, 2])
    to_date = c_to.selectbox(t("mem_to"), dates, index=0, format_func=lambda d: fmt.date(d, lang), key="mig_to")
    from_date = c_from.selectbox(t("mem_from"), dates, index=1, format_func=lambda d: fmt.date(d, lang), key="mig_from")
    if from_date > to_date:
        st.info(t("mem_from_after_to"))
        from_date, to_date = to_date, from_date
    migration = cache.load_metric(settings, state, "tier_migration", scope=scope, **{"from": from_date.isoformat(), "to": to_date.isoformat()})
    moved = {d: int(migration.filter(pl.col("direction") == d)["members"].sum()) for d in ("up", "down", "same", "exit")}
    st.plotly_chart(plain_figure(charts.tier_sankey(migration, fmt.date(from_date, lang), fmt.date(to_date, lang), lang=lang)),
                    config=widgets.PLOTLY_CONFIG, key="chart_migration")
    st.caption(t("mem_migration_caption", **{k: fmt.number(v, lang) for k, v in moved.items()}))
    st.download_button(t("download_csv"), people_csv(migration),
                       file_name=f"siyu_tier_migration_{from_date}_{to_date}.csv", mime="text/csv",
                       key="csv_migration", on_click="ignore")

# ---- concentration -----------------------------------------------------------------------------------------
conc = cache.load_metric(settings, state, "concentration", scope=scope, **params)
tops = conc.filter(pl.col("kind") == "top")
if tops.is_empty() or not tops["buyers"].sum():
    st.subheader(t("mem_concentration"))
    empty_notice(scope, "mem_no_orders", unfiltered_empty=lambda: cache.load_metric(
        settings, state, "concentration", **params).filter(pl.col("kind") == "top")["buyers"].sum() == 0)
    st.stop()
share = dict(zip(tops["buyer_share"].round(2).to_list(), tops["gmv_share"].to_list(), strict=False))
widgets.chart_with_csv(t("mem_concentration"), charts.lorenz_curve(conc, lang=lang), conc, f"concentration_{stem}")
st.caption(t("mem_gini", gini=f"{conc['gini'][0]:.2f}", top1=fmt.percent(share.get(0.01), lang),
             top20=fmt.percent(share.get(0.2), lang)))
table(tops, {"buyer_share": ("col_buyer_share", "pct"), "buyers": ("col_buyers", "int"), "gmv": ("col_gmv", "money"),
             "gmv_share": ("col_gmv_share", "pct")}, key="concentration_table")

# ---- three layers and super users --------------------------------------------------------------------------
# The layers (3 rows) and the super layer's rows, not every buyer's row: both come from one computation.
layers = cache.load_metric(settings, state, "super_users", scope=scope, **params, view="layers")
widgets.chart_with_csv(t("mem_pyramid"), charts.pyramid(layers, lang=lang), layers, f"layers_{stem}")
st.caption(t("mem_pyramid_note"))

# The BG/NBD fits (predictions, the recall list, the model check) take seconds per fit on a brand with
# hundreds of thousands of buyers; there they run when asked for, and once per data and scope (cached).
buyers = int(tiers["buyers"].sum() or 0)
st.divider()
predict = st.toggle(t("mem_predict"), value=buyers <= PREDICT_AUTO_BUYERS, key="mem_predict",
                    help=t("mem_predict_help", n=fmt.number(PREDICT_AUTO_BUYERS, lang)))
predictions = (cache.load_metric(settings, state, "clv_members", scope=scope) if predict
               else pl.DataFrame(schema={"member_id": pl.String}))
st.subheader(t("mem_super_list"))
status, used_fit = load_status(settings, state, scope) if predict else (None, {})
if status is not None:
    show_status(status, used_fit)
n_super = int(layers.filter(pl.col("layer") == "super")["members"].sum())  # the best n_super rows are the layer
top = cache.load_metric(settings, state, "super_users", scope=scope, **params, top=str(max(n_super, 1))).filter(
    pl.col("layer") == "super")
contacts = cache.load_contacts(settings, state, member_ids(top), scope=scope)
super_list = with_predictions(top, predictions).with_columns(pl.col("member_id").cast(pl.String)).join(
    contacts.select("member_id", "display_name", "phone"), on="member_id", how="left")
table(super_list, {"rank": ("col_rank", "int"), "display_name": ("col_name", "text"), "phone": ("col_phone", "text"),
                   "score": ("col_score", "float"), "purchase_days": ("col_purchase_days", "int"),
                   "spend": ("col_spend", "money"), "spend_vs_median": ("col_spend_vs_median", "float"),
                   "referrals": ("col_referrals", "int"), "referee_gmv": ("col_referee_gmv", "money"),
                   "early_buys": ("col_early_buys", "int"), "p_alive": ("col_p_alive", "pct"),
                   "expected_purchases_90d": ("col_expected_90d", "float"), "clv": ("col_clv", "money")},
      key="super_table", phone_columns=("phone",), height=360, blanks=blanks(status) if status else None)
if status is not None and status.fitted:
    explain_near_zero(super_list)
if status is not None:
    super_list = without_unknown_predictions(super_list, status)
member_download(super_list.drop("phone"), file_stem=f"super_users_{stem}", what="super users", phone_columns=(),
                key="super_users")

if not predict:
    st.info(t("mem_predict_off"))
else:
    # ---- at-risk super users (recall batch) -------------------------------------------------------------------
    st.subheader(t("mem_at_risk"))
    at_risk = cache.load_metric(settings, state, "at_risk_super_users", scope=scope)
    if status is not None and not status.fitted:  # the list needs P(alive): "nobody" would be a false all-clear
        st.info(t("mem_at_risk_needs_model", why=why_not(status)))
    elif at_risk.is_empty():
        st.info(t("mem_at_risk_none"))
    else:
        st.caption(t("mem_at_risk_note", n=fmt.number(at_risk.height, lang)))
        table(at_risk, {"display_name": ("col_name", "text"), "phone": ("col_phone", "text"),
                        "net_spend": ("col_spend", "money"), "p_alive": ("col_p_alive", "pct"),
                        "p_alive_before": ("col_p_alive_before", "pct"), "expected_purchases_90d": ("col_expected_90d", "float"),
                        "clv": ("col_clv", "money"), "last_purchase": ("col_last_order", "date"),
                        "days_since_last": ("col_days_since", "int")}, key="at_risk_table", height=360)
        if has_role("operator"):  # full phones are fetched only for someone who may download them
            full = cache.load_contacts(settings, state, member_ids(at_risk), scope=scope)
            recall = at_risk.drop("display_name", "phone").join(full, on="member_id", how="left").select(
                "member_id", "display_name", "phone", "last_order", "net_spend", "p_alive", "p_alive_before",
                "expected_purchases_90d", "clv", "days_since_last")
        else:
            recall = at_risk
        member_download(recall, file_stem=f"recall_at_risk_{last}", what="at-risk super users (recall)", key="at_risk")

    # ---- model check -------------------------------------------------------------------------------------------
    st.subheader(t("mem_model"))
    calibration_end = last - dt.timedelta(days=180)
    fit: dict = {}
    if (calibration_end - first).days < 180:
        st.info(t("mem_model_short"))
    else:
        fit = cache.load_metric(settings, state, "clv", scope=scope, calibration_end=calibration_end.isoformat(),
                                holdout_end=last.isoformat()).row(0, named=True)
        bgnbd, holdout = fit["bgnbd"], fit["holdout"]
        if not bgnbd["converged"]:  # the check's own fit, on less data than the one the predictions use
            st.warning(t("mem_model_check_failed", cal=fmt.date(calibration_end, lang),
                         why=why_not(model_status(fit))))
        elif holdout:
            st.caption(t("mem_model_note", cal=fmt.date(calibration_end, lang), end=fmt.date(last, lang)))
            buckets = pl.DataFrame(holdout["buckets"])
            widgets.chart_with_csv(t("mem_holdout_chart"), clv_charts.holdout_chart(buckets, lang=lang).update_layout(title=None),
                                   buckets,
                                   f"clv_holdout_{calibration_end}_{last}")
            error = (holdout["predicted_total"] - holdout["actual_total"]) / holdout["actual_total"] if holdout["actual_total"] else None
            st.caption(t("mem_model_totals", actual=fmt.number(round(holdout["actual_total"]), lang),
                         predicted=fmt.number(round(holdout["predicted_total"]), lang),
                         error=fmt.change(holdout["predicted_total"], holdout["actual_total"], lang) if error is not None else "—"))
    with st.expander(t("mem_params")):
        check = fit or None
        table(parameters_table(used_fit, check, lang),
              {"parameter": ("col_param", "text"), "used": ("col_fit_used", "text"),
               "holdout": ("col_fit_holdout", "text")}, key="model_params_table")
        st.caption(t("mem_params_note", used=fmt.date(used_fit.get("calibration_end"), lang),
                     cal=fmt.date(calibration_end, lang) if check else "—"))
scope_filter.share_link()
