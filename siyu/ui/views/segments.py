"""What the Segments page draws, without Streamlit: the RFM segments of a standard, their sizes and value,
and one segment's recall list with predicted value."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from siyu import format as fmt
from siyu.charts.segments import segment_name
from siyu.metrics.page_frames import segment_summary, with_predictions
from siyu.ui.views.loader import Loader
from siyu.ui.views.model import ModelStatus, without_unknown_predictions

STANDARDS = ("cn", "classic")
CUT_INPUTS = (("r_cut", 1.0), ("f_cut", 1.0), ("m_cut", 100.0))  # the 8-way split's cut-offs and their steps
SUMMARY = {"segment": ("col_segment", "text"), "members": ("col_members", "int"), "share": ("col_share", "pct"),
           "monetary": ("col_monetary", "money"), "monetary_share": ("col_monetary_share", "pct"),
           "avg_monetary": ("col_avg_monetary", "money2"), "avg_frequency": ("col_avg_frequency", "float"),
           "avg_recency_days": ("col_avg_recency", "float")}
SUMMARY_WIDTHS = {"segment": 230, "members": 75, "share": 90, "monetary": 105, "monetary_share": 95,
                  "avg_monetary": 95, "avg_frequency": 105, "avg_recency_days": 110}
"""The summary within the page's width in both languages (English segment names and headers are long)."""
MEMBERS = {"display_name": ("col_name", "text"), "phone": ("col_phone", "text"),
           "last_order": ("col_last_order", "date"), "recency_days": ("col_recency_days", "int"),
           "frequency": ("col_frequency", "int"), "monetary": ("col_monetary", "money2"),
           "p_alive": ("col_p_alive", "pct"), "clv": ("col_clv", "money")}
DOWNLOAD = ("member_id", "display_name", "phone", "last_order", "recency_days", "frequency", "monetary", "p_alive",
            "expected_purchases_90d", "clv", "segment")


@dataclass(frozen=True)
class SegmentFrames:
    """rfm: one row per buyer; summary: one row per segment (codes), summary_view: the same named in the
    reader's language; present: the segments with members (the picker's options); cuts_used: the 8-way
    split's cut-offs as the caption shows them (r, f, m), None for the classic grid; stem: file/key stem."""
    rfm: pl.DataFrame
    summary: pl.DataFrame
    summary_view: pl.DataFrame
    present: list[str]
    cuts_used: dict[str, str] | None
    stem: str


def cut_params(values: dict[str, float | None]) -> dict[str, str]:
    """The cut-offs the operator typed ({r_cut: 30.0, ...}; None: the default) as metric parameters."""
    return {name: repr(float(value)) for name, value in values.items() if value is not None}


def segment_frames(load: Loader, *, standard: str, cuts: dict[str, str], lang: str) -> SegmentFrames | None:
    """The page's frames; None when nobody has bought."""
    rfm = load("rfm_segments", **cuts)
    if rfm.is_empty():
        return None
    summary = segment_summary(rfm, "cn_segment" if standard == "cn" else "segment")
    cut = rfm.row(0, named=True)
    used = {"r": f"{cut['r_cut']:.0f}", "f": f"{cut['f_cut']:.1f}", "m": fmt.money(cut["m_cut"], lang)}
    return SegmentFrames(
        rfm=rfm, summary=summary,
        summary_view=summary.with_columns(summary["segment"].map_elements(lambda s: segment_name(s, lang),
                                                                          return_dtype=pl.String)),
        present=summary.filter(summary["members"] > 0)["segment"].to_list(),
        cuts_used=used if standard == "cn" else None,
        stem=f"{standard}_{'_'.join(f'{k}{v}' for k, v in sorted(cuts.items()))}")


def segment_listing(load: Loader, *, standard: str, segment: str, cuts: dict[str, str], predict: bool) -> pl.DataFrame:
    """The segment's members, with the BG/NBD predictions when `predict` (else without them)."""
    listing = load("segment_members", standard=standard, segment=segment, **cuts)
    predictions = load("clv_members") if predict else pl.DataFrame(schema={"member_id": pl.String})
    return with_predictions(listing, predictions)


def download_frame(listing: pl.DataFrame, status: ModelStatus | None) -> pl.DataFrame:
    """The recall list's file: its DOWNLOAD columns, without the P(alive) a failed fit cannot give."""
    frame = without_unknown_predictions(listing, status) if status else listing
    return frame.select(c for c in DOWNLOAD if c in frame.columns)
