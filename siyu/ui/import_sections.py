"""Drawing the Import page's steps: the preview of an upload, the column-mapping step, the import and its
report, and the history with undo (siyu/ui/views/import_data.py decides; siyu.ingest does the work)."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from siyu.config import Settings
from siyu.errors import IngestError, SiyuError
from siyu.ingest import PROFILES, dry_run, import_file, list_batches, preview, save_mapping, saved_mappings, undo_batch
from siyu.ingest.batches import Progress
from siyu.ingest.history import Preview
from siyu.ingest.profiles import phone_headers
from siyu.privacy import mask_phone_cells, mask_phones_in_table
from siyu.ui.auth import audit_event, current_role, current_user, has_role
from siyu.ui.downloads import member_download
from siyu.ui.export import people_csv
from siyu.ui.i18n import current_lang, t
from siyu.ui.import_text import COUNTS, ENCODINGS
from siyu.ui.literal import literal
from siyu.ui.tables import ERROR_COLUMNS, ERROR_LABELS, record_table
from siyu.ui.views import import_data as view

FLASH = "_import_flash"
PENDING_UNDO = "_import_pending_undo"


def flash() -> None:
    """The message a step left before its rerun (a saved mapping, an undo)."""
    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH))


def progress_bar() -> Progress:
    """A progress callback for import_file drawing a bar with the stage and rows per second."""
    bar, started = st.progress(0.0, text=t("imp_stage_read")), time.monotonic()

    def show(stage: str, rows: int, fraction: float) -> None:
        elapsed = time.monotonic() - started
        text = t(f"imp_stage_{stage}") + (" · " + t("imp_rate", rows=rows, rate=rows / elapsed) if rows and elapsed > 0 else "")
        bar.progress(fraction, text=text)

    return show


def read_upload(data: bytes, settings: Settings) -> tuple[Preview, str | None, str | None, dict, list[str]]:
    """The encoding and sheet pickers and the masked preview; (preview, encoding, sheet, saved mappings,
    phone headers). An unreadable file: its error, and the page run stops."""
    left, right = st.columns(2)
    encoding = left.selectbox(t("imp_encoding"), ENCODINGS, format_func=lambda e: e or t("imp_auto"))
    sheet = None
    try:
        first = preview(data, encoding=encoding)
        if first.sheets:
            sheet = right.selectbox(t("imp_sheet"), first.sheets)
        seen = preview(data, encoding=encoding, sheet=sheet) if sheet and sheet != first.sheet else first
    except IngestError as exc:
        st.error(literal(exc))
        st.stop()
    st.caption(t("imp_read_as", enc=seen.encoding or "xlsx", rows=seen.rows))
    for note in seen.notes:
        st.caption(literal(note))
    mappings = saved_mappings(settings.db, settings)
    heads = phone_headers([m.columns for m in mappings.values()])  # phones are masked on screen, as everywhere
    st.dataframe(mask_phones_in_table(seen.sample, heads), hide_index=True)
    return seen, encoding, sheet, mappings, heads


def pick_format(seen: Preview, mappings: dict) -> str:
    """What the file was recognised as (or why not), and the format picker; returns the option picked."""
    offer = view.format_choice(seen.profile, seen.header, mappings)
    if offer.fit:
        st.success(t("imp_detected", p=literal(f"{offer.fit[0]}（{offer.fit[1].profile}）")))
    elif seen.profile:
        st.success(t("imp_detected", p=view.format_label(seen.profile, current_lang())))
    else:
        st.warning(t("imp_none") + (" " + t("imp_closest", p=literal(seen.closest), m=literal("、".join(seen.missing)))
                                if seen.closest else ""))
    return st.selectbox(t("imp_profile"), offer.options, index=offer.options.index(offer.default),
                        format_func=lambda o: t("imp_map") if o == view.MAP else view.format_label(o, current_lang()))


def mapping_step(data: bytes, seen: Preview, settings: Settings, *, encoding: str | None, sheet: str | None,
                 heads: list[str]) -> None:
    """Map the file's columns onto a format, preview the result, save the mapping; the page run stops here."""
    base = st.selectbox(t("imp_base"), view.mapping_bases(), format_func=lambda p: view.format_label(p, current_lang()))
    headers = [t("imp_unused"), *[h for h in seen.header if h]]
    columns = {}
    for field in PROFILES[base].fields:
        picked = st.selectbox(t("imp_field", f=field, req=view.field_suffix(base, field)), headers, key=f"map_{base}_{field}")
        if picked != t("imp_unused"):
            columns[field] = picked
    try:
        trial = dry_run(data, profile=base, mapping=columns, encoding=encoding, sheet=sheet, tz=settings.timezone)
        st.subheader(t("imp_map_preview"))
        st.dataframe(mask_phones_in_table(trial.rows, headers), hide_index=True)
        if trial.errors.height:
            record_table(mask_phone_cells(trial.errors, headers), ERROR_LABELS)
    except IngestError as exc:
        st.info(literal(exc))
    name = st.text_input(t("imp_map_name"))
    if st.button(t("imp_map_save"), disabled=not name.strip()):
        try:
            save_mapping(settings.db, name, base, columns, user=current_user(), settings=settings)
            st.session_state[FLASH] = t("imp_map_saved", n=literal(name))  # shown after the rerun
            st.rerun()
        except SiyuError as exc:
            st.error(literal(exc))
    st.stop()


def import_step(data: bytes, name: str, choice: str, settings: Settings, *, encoding: str | None, sheet: str | None,
                heads: list[str]) -> None:
    """The skip-bad-rows box and the import button; after a click, the report, its counts and rejected rows."""
    profile, mapping = view.chosen(choice)
    skip = st.checkbox(t("imp_skip"))
    if not st.button(t("imp_go"), type="primary"):
        return
    report = import_file(settings.db, data, profile=profile, mapping=mapping, on_error="skip" if skip else "reject",
                         user=current_user(), settings=settings, encoding=encoding, sheet=sheet, file_name=name,
                         role=current_role(), progress=progress_bar())
    if not report.ok:  # a committed import's audit row is written in its own transaction, by import_file
        audit_event(settings, "import", detail=f"{name}: refused", rows=0)
    if report.identical_to is not None:
        st.info(t("imp_identical", b=report.identical_to))
    elif report.ok:
        st.success(t("imp_done", b=report.batch_id))
    else:
        st.error(f"{t('imp_refused')}：{literal(report.refused)}")
    for col, key in zip(st.columns(len(COUNTS)), COUNTS, strict=True):
        col.metric(t(f"imp_count_{key}"), f"{getattr(report, key):,}")
    if report.stale:
        st.info(t("imp_stale", n=report.stale))
    if report.error_frame.height:
        # Rejected cells hold whatever the file had, phones included: masked on screen for every role;
        # the files go through the member-level download (role check, audit row, formula-safe).
        record_table(mask_phone_cells(report.errors_frame(), heads), ERROR_LABELS)
        member_download(report.errors_frame(), file_stem=f"{Path(name).stem}_errors",
                        what=f"rejected rows of {name}" + (f" (batch {report.batch_id})" if report.ok else " (refused)"),
                        phone_columns=(), key="import_errors", settings=settings, columns=ERROR_COLUMNS,
                        labels={"csv": t("imp_errors_csv"), "xlsx": t("imp_errors_xlsx")})


def history(settings: Settings) -> None:
    """The import history and its CSV; for admins, undo with a confirmation (an undo deletes rows)."""
    st.header(t("imp_history"))
    batches = list_batches(settings.db, settings)
    if batches.height == 0:
        st.info(t("imp_no_batches"))
        st.stop()
    record_table(view.batches_shown(batches, current_lang()), {c: f"col_i_{c}" for c in batches.columns},
                 hide=("sha256",))
    st.download_button(t("download_csv"), people_csv(batches, {c: (f"col_i_{c}", "text") for c in batches.columns}),
                       file_name="import_batches.csv", mime="text/csv")
    options = view.undo_options(batches)
    if not options or not has_role("admin"):  # undoing an import is for admins
        return
    pick = st.selectbox(t("imp_undo"), list(options), format_func=options.__getitem__)
    if st.button(t("imp_undo_go")):  # asks first: an undo deletes rows
        st.session_state[PENDING_UNDO] = pick
    if st.session_state.get(PENDING_UNDO) != pick:
        return
    st.warning(t("imp_undo_confirm", b=int(pick)))
    yes, no = st.columns(2)
    if yes.button(t("imp_undo_yes"), type="primary"):
        st.session_state.pop(PENDING_UNDO, None)
        try:  # the audit row commits with the undo (undo_batch writes it)
            undo_batch(settings.db, pick, user=current_user(), settings=settings, role=current_role())
            st.session_state[FLASH] = t("imp_undone", b=pick)
            st.rerun()
        except IngestError as exc:
            st.error(literal(exc))
    if no.button(t("imp_undo_no")):
        st.session_state.pop(PENDING_UNDO, None)
        st.rerun()
