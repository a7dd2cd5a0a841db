"""What the Import page decides, without Streamlit: which format to offer for a previewed file, the column
mapping step's choices, and which batches may be undone (the rule itself is siyu.ingest.history.undoable)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from siyu import locales
from siyu.ingest import PROFILES, mapping_for_header
from siyu.ingest.history import undoable  # the one rule of what may be undone
from siyu.ingest.pipeline import Mapping

MAP = "__map__"  # the format option that opens the column-mapping step


@dataclass(frozen=True)
class FormatChoice:
    """options: every built-in format, then "mapping:NAME" per saved mapping, then MAP; default: the detected
    format, else a saved mapping whose columns the header has, else MAP; fit: (mapping name, its mapping)
    when a saved mapping fits an unrecognised file."""
    options: list[str]
    default: str
    fit: tuple[str, Mapping] | None


def format_choice(profile: str | None, header: list[str], mappings: dict[str, Mapping]) -> FormatChoice:
    fit = None if profile else mapping_for_header(header, mappings)
    default = profile or (f"mapping:{fit[0]}" if fit else MAP)
    return FormatChoice([*PROFILES, *(f"mapping:{name}" for name in mappings), MAP], default, fit)


def chosen(choice: str) -> tuple[str | None, str | None]:
    """(profile, saved mapping name) of a FormatChoice option (not MAP)."""
    return (choice, None) if choice in PROFILES else (None, choice.removeprefix("mapping:"))


def mapping_bases() -> list[str]:
    """The formats a file's columns can be mapped onto, the generic ones first."""
    return sorted(PROFILES, key=lambda p: not p.startswith("generic"))


def field_suffix(base: str, field: str) -> str:
    """' *（会员ID）' after a field's name: a star when required, and the format's own header for it."""
    spec = PROFILES[base]
    return (" *" if field in spec.required else "") + f"（{spec.header_of(field)}）"


def undo_options(batches: pl.DataFrame) -> dict[int, str]:
    """{batch id: "id · file name"} of the batches an undo may be asked for, newest first (as listed)."""
    rows = undoable(batches).select("batch_id", "file_name").rows()
    return {int(b): f"{b} · {name}" for b, name in rows}


STATUSES = ("committed", "undone")  # import_batches.status (migration 001's CHECK)


def format_label(option: str, lang: str) -> str:
    """A format picker option as read: 有赞 订单（youzan_orders） / Youzan orders (youzan_orders), the id kept
    for operators who know it from the CLI's --profile; a saved mapping ("mapping:ERP") as it is."""
    if option not in PROFILES:
        return option
    return locales.text("imp_format_option", lang, name=locales.text(f"imp_format_{option}", lang), id=option)


BATCH_KINDS = ("undo", "demo", "demo_cleared")  # import_batches.profile values that are no format (siyu.ingest.history)


def batches_shown(batches: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The history as the page shows it: the status in words (已导入 / 已撤销) and the format by its name in
    `lang` (有赞 订单 / Youzan orders), not the stored codes. A format this version does not know (a
    database written by a newer siyu) keeps its code."""
    words = {s: locales.text(f"imp_status_{s}", lang) for s in STATUSES}
    formats = {p: locales.text(f"imp_format_{p}", lang) for p in (*PROFILES, *BATCH_KINDS)}
    return batches.with_columns(
        *([pl.col("status").replace(words)] if "status" in batches.columns else []),
        *([pl.col("profile").replace(formats)] if "profile" in batches.columns else []))
