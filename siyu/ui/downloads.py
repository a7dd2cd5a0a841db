"""Member-level downloads: the one function every page uses for files with phone numbers or member lists.

    member_download(frame, *, file_stem, what, phone_columns=("phone",), formats=("csv", "xlsx"),
                    masked=False, key=None, settings=None, labels=None) -> None

- Viewers (and anyone below operator) get no button at all, only a caption saying why; siyu.auth.exports
  checks the role again when the file is generated (the only place that turns member rows into a file),
  with the role read from the database at the click (auth.role_now).
- Operators and admins get full phone numbers (`masked=True` masks them, e.g. for a file meant to travel).
- `labels` ({"csv": ..., "xlsx": ...}) renames the buttons for files that are not member lists as such
  (an import's rejected rows); `columns` ({column: (catalog key, kind)}) names columns siyu.ui.export
  does not know, or means differently there.
- The file is generated only when the button is clicked (Streamlit's deferred download), and each click
  writes an audit row: who, when, `what` and the file, how many rows.
- CSV goes through siyu.output.to_csv (UTF-8 with BOM), XLSX through siyu.output.to_xlsx: text that a
  spreadsheet would run as a formula is prefixed with a quote, phones stay text. Columns are named in the
  reader's language and values rounded (siyu.ui.export); XLSX cells carry number formats.

On screen, show member lists with `show_members(frame, phone_columns)`: phones masked for every role.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from siyu.auth import allows, audit
from siyu.auth.exports import FORMATS, MIN_ROLE, member_file
from siyu.config import Settings
from siyu.privacy import mask_phones
from siyu.ui import auth
from siyu.ui.export import csv_ready, label_of, people_frame
from siyu.ui.i18n import t
from siyu.ui.member_ids import own_ids


def member_download(frame: pl.DataFrame, *, file_stem: str, what: str, phone_columns: tuple[str, ...] = ("phone",),
                    formats: tuple[str, ...] = ("csv", "xlsx"), masked: bool = False, key: str | None = None,
                    settings: Settings | None = None, labels: dict[str, str] | None = None,
                    columns: dict[str, tuple[str, str]] | None = None) -> None:
    """Download buttons for a member-level frame, for operators and admins only (see the module docstring)."""
    session = auth.current()
    if session is None or not allows(session.role, MIN_ROLE):
        st.caption(t("download_needs_operator"))
        return
    from siyu.ui.cache import current_settings

    settings = settings or current_settings()
    frame = own_ids(frame, settings)  # the members' own ids, not siyu's
    # Labelled columns and rounded values, prepared here (the click runs outside the script thread, where
    # the reader's language is not known); phones are found again under their new name.
    people = {"csv": (csv_ready(frame, columns), None), "xlsx": people_frame(frame, columns)}
    phones = tuple(label_of(c, columns) for c in phone_columns)
    for fmt in formats:
        name = f"siyu_{file_stem}.{fmt}"

        def produce(fmt: str = fmt, name: str = name) -> bytes:
            # Runs on click, outside the script thread (no session state there): the role is read again
            # from the database (the account may have been disabled or demoted since the button was
            # drawn) and member_file checks it, then the click is audited.
            role = auth.role_now(settings, session)
            shown, kinds = people[fmt]
            data = member_file(shown, role=role, fmt=fmt, phone_columns=phones, masked=masked, formats=kinds)
            audit.record_event(settings.db, session.username, "download", role=role,
                               detail=f"{what}: {name}" + (" (masked)" if masked else ""), rows=frame.height,
                               timeout=settings.lock_timeout)
            return data

        st.download_button((labels or {}).get(fmt) or t(f"download_member_{fmt}"), produce, file_name=name, mime=FORMATS[fmt],
                           key=f"member_{key or file_stem}_{fmt}", on_click="ignore")


def show_members(frame: pl.DataFrame, phone_columns: tuple[str, ...] = ("phone",), **kwargs) -> None:
    """A member list on screen: phones masked (138****8000) whatever the role."""
    st.dataframe(mask_phones(own_ids(frame), phone_columns), hide_index=True, **kwargs)
