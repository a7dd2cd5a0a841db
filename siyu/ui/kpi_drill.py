"""Open the members behind an Overview card: one pill per countable card (label and number as the card
shows them); a click lists exactly that many members, and operators can download them."""

from __future__ import annotations

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.config import Settings
from siyu.db.scope import Scope
from siyu.engine.lookups import member_ids
from siyu.metrics.periods import DateRange
from siyu.ranges import range_params
from siyu.ui import cache
from siyu.ui.downloads import member_download
from siyu.ui.i18n import current_lang, t
from siyu.ui.tables import table

# card -> (label key, column of the kpis row it must equal)
PILLS = {"members": ("kpi_members", "members"), "valid_members": ("kpi_valid", "valid_members"),
         "buyers": ("kpi_buyers", "buyers"), "repeat_buyers": ("kpi_drill_repeat_buyers", None),
         "new_members": ("kpi_drill_new_members", "new_members")}


def kpi_drill(settings: Settings, state: cache.DbState, scope: Scope | None, rng: DateRange, now: dict) -> None:
    lang = current_lang()
    counts = {card: now[column] if column else round(now["repurchase_rate"] * now["buyers"])
              for card, (_label, column) in PILLS.items()}
    card = st.pills(t("kpi_drill"), list(PILLS), key="kpi_drill",
                    format_func=lambda c: f"{t(PILLS[c][0])} · {fmt.number(counts[c], lang)}")
    if card is None:
        return
    who = cache.load_metric(settings, state, "kpi_members", scope=scope, **range_params(rng), card=card)
    st.caption(t("kpi_drill_count", card=t(PILLS[card][0]), n=fmt.number(who.height, lang),
                 span=fmt.date_span(rng.start, rng.end, lang)))
    if not who.height:
        return
    contacts = cache.load_contacts(settings, state, member_ids(who), scope=scope)
    listing = who.with_columns(pl.col("member_id").cast(pl.String)).join(
        contacts.select("member_id", "display_name", "phone"), on="member_id", how="left").select(
        "member_id", "display_name", "phone", "joined", "orders", "net", "last_order")
    table(listing, {"member_id": ("col_member_id", "text"), "display_name": ("col_name", "text"),
                    "phone": ("col_phone", "text"), "joined": ("col_joined", "date"),
                    "orders": ("col_x_orders", "int"), "net": ("col_spend", "money2"),
                    "last_order": ("col_last_order", "date")}, key="kpi_members_table", phone_columns=("phone",),
          height=320)
    member_download(listing, file_stem=f"kpi_{card}_{rng.start}_{rng.end}", what=f"overview card {card}",
                    key="kpi_members")
