"""导入 Import: upload an export, check the preview, import it (or map its columns first); history and undo.

Glue over siyu.ingest: preview -> (mapping step) -> import_file -> report; list_batches -> undo_batch.
A new batch changes the cache key, so every other page shows the new data on its next run.
"""

import time
from pathlib import Path

import streamlit as st

from siyu.errors import IngestError, SiyuError
from siyu.ingest import (
    PROFILES,
    dry_run,
    import_file,
    list_batches,
    mapping_for_header,
    preview,
    save_mapping,
    saved_mappings,
    undo_batch,
)
from siyu.ingest.batches import Progress
from siyu.ingest.profiles import phone_headers
from siyu.privacy import mask_phone_cells, mask_phones_in_table
from siyu.ui import (
    cache,
    page_text,  # noqa: F401 - registers the column labels
)
from siyu.ui.auth import audit_event, current_role, current_user, has_role, require_role
from siyu.ui.downloads import member_download
from siyu.ui.export import people_csv
from siyu.ui.i18n import t
from siyu.ui.literal import literal
from siyu.ui.session_cookie import per_login_key
from siyu.ui.tables import ERROR_COLUMNS, ERROR_LABELS, record_table

require_role("operator")  # the navigation hides the page from lower roles; this stops a typed URL

COUNTS = ("rows_read", "inserted", "updated", "duplicates", "rejected", "linked")  # imp_count_<key>
ENCODINGS = [None, "utf-8", "gb18030", "utf-16"]

FLASH = "_import_flash"
PENDING_UNDO = "_import_pending_undo"


def progress_bar() -> Progress:
    """A progress callback for import_file drawing a bar with the stage and rows per second."""
    bar, started = st.progress(0.0, text=t("imp_stage_read")), time.monotonic()

    def show(stage: str, rows: int, fraction: float) -> None:
        elapsed = time.monotonic() - started
        text = t(f"imp_stage_{stage}") + (" · " + t("imp_rate", rows=rows, rate=rows / elapsed) if rows and elapsed > 0 else "")
        bar.progress(fraction, text=text)

    return show

settings, state = cache.page_context()
st.title(t("page_import"))
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))

upload = st.file_uploader(t("imp_upload"), type=["csv", "txt", "xlsx", "xlsm", "xls"],
                          key=per_login_key("upload"))  # a new login starts with an empty uploader
if upload is not None:
    data = upload.getvalue()
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

    options = [*PROFILES, *(f"mapping:{name}" for name in mappings), "__map__"]
    fits = None if seen.profile else mapping_for_header(seen.header, mappings)
    default = seen.profile or (f"mapping:{fits[0]}" if fits else "__map__")
    if fits:
        st.success(t("imp_detected", p=literal(f"{fits[0]}（{fits[1].profile}）")))
    elif seen.profile:
        st.success(t("imp_detected", p=f"{seen.profile}（{PROFILES[seen.profile].label}）"))
    else:
        st.warning(t("imp_none") + (" " + t("imp_closest", p=literal(seen.closest), m=literal("、".join(seen.missing)))
                                if seen.closest else ""))
    choice = st.selectbox(t("imp_profile"), options, index=options.index(default),
                          format_func=lambda o: t("imp_map") if o == "__map__" else o)
    profile, mapping = (choice, None) if choice in PROFILES else (None, choice.removeprefix("mapping:"))

    if choice == "__map__":
        bases = sorted(PROFILES, key=lambda p: not p.startswith("generic"))  # the generic formats first
        base = st.selectbox(t("imp_base"), bases, format_func=lambda p: f"{p}（{PROFILES[p].label}）")
        heads = [t("imp_unused"), *[h for h in seen.header if h]]
        columns = {}
        for field in PROFILES[base].fields:
            req = (" *" if field in PROFILES[base].required else "") + f"（{PROFILES[base].header_of(field)}）"
            picked = st.selectbox(t("imp_field", f=field, req=req), heads, key=f"map_{base}_{field}")
            if picked != t("imp_unused"):
                columns[field] = picked
        try:
            trial = dry_run(data, profile=base, mapping=columns, encoding=encoding, sheet=sheet, tz=settings.timezone)
            st.subheader(t("imp_map_preview"))
            st.dataframe(mask_phones_in_table(trial.rows, heads), hide_index=True)
            if trial.errors.height:
                record_table(mask_phone_cells(trial.errors, heads), ERROR_LABELS)
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

    skip = st.checkbox(t("imp_skip"))
    if st.button(t("imp_go"), type="primary"):
        report = import_file(settings.db, data, profile=profile, mapping=mapping, on_error="skip" if skip else "reject",
                             user=current_user(), settings=settings, encoding=encoding, sheet=sheet, file_name=upload.name,
                             role=current_role(), progress=progress_bar())
        if not report.ok:  # a committed import's audit row is written in its own transaction, by import_file
            audit_event(settings, "import", detail=f"{upload.name}: refused", rows=0)
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
            member_download(report.errors_frame(), file_stem=f"{Path(upload.name).stem}_errors",
                            what=f"rejected rows of {upload.name}" + (f" (batch {report.batch_id})" if report.ok else " (refused)"),
                            phone_columns=(), key="import_errors", settings=settings, columns=ERROR_COLUMNS,
                            labels={"csv": t("imp_errors_csv"), "xlsx": t("imp_errors_xlsx")})

st.header(t("imp_history"))
batches = list_batches(settings.db, settings)
if batches.height == 0:
    st.info(t("imp_no_batches"))
    st.stop()
record_table(batches, {c: f"col_i_{c}" for c in batches.columns}, hide=("sha256",))
st.download_button("CSV", people_csv(batches, {c: (f"col_i_{c}", "text") for c in batches.columns}),
                   file_name="import_batches.csv", mime="text/csv")
undoable = batches.filter((batches["status"] == "committed") & ~batches["profile"].is_in(["demo", "undo", "demo_cleared"]))
if undoable.height and has_role("admin"):  # undoing an import is for admins
    pick = st.selectbox(t("imp_undo"), undoable["batch_id"].to_list(),
                        format_func=lambda b: f"{b} · {undoable.filter(undoable['batch_id'] == b)['file_name'][0]}")
    if st.button(t("imp_undo_go")):  # asks first: an undo deletes rows
        st.session_state[PENDING_UNDO] = pick
    if st.session_state.get(PENDING_UNDO) == pick:
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
