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
from siyu.ui.i18n import current_lang, t
from siyu.ui.literal import literal
from siyu.ui.session_cookie import per_login_key
from siyu.ui.tables import ERROR_COLUMNS, ERROR_LABELS, record_table

require_role("operator")  # the navigation hides the page from lower roles; this stops a typed URL

W = {
    "upload": ("上传导出文件（CSV 或 XLSX：企业微信、有赞、Shopify 或通用格式）",
               "Upload an export (CSV or XLSX: WeCom, 有赞, Shopify or a generic format)"),
    "encoding": ("文本编码", "Text encoding"), "auto": ("自动识别", "Detect"),
    "sheet": ("工作表", "Sheet"), "read_as": ("读取方式：{enc}，{rows} 行数据", "Read as {enc}, {rows} data rows"),
    "detected": ("识别为：{p}", "Detected: {p}"), "none": ("未识别的格式：请把列对应到 siyu 的字段。",
                                                       "Unrecognised layout: map its columns to siyu's fields."),
    "closest": ("最接近 {p}，缺少：{m}", "Closest: {p}, missing {m}"),
    "profile": ("格式", "Format"), "map": ("手动对应列…", "Map columns…"),
    "skip": ("跳过错误行（只导入正确的行，错误行随批次记录）", "Skip bad rows (import the good ones, record the bad)"),
    "go": ("导入", "Import"), "done": ("已导入批次 {b}", "Imported as batch {b}"),
    "refused": ("文件未导入", "The file was not imported"), "errors_csv": ("下载错误行 CSV", "Download bad rows (CSV)"),
    "errors_xlsx": ("下载错误行 Excel", "Download bad rows (Excel)"),
    "base": ("对应到哪种格式", "Map onto format"), "field": ("{f}{req}", "{f}{req}"),
    "map_preview": ("对应结果预览", "Preview of the mapping"), "map_name": ("保存为映射（名称）", "Save mapping as"),
    "map_save": ("保存映射", "Save mapping"), "map_saved": ("已保存映射 {n}", "Saved mapping {n}"),
    "history": ("导入历史", "Import history"), "undo": ("撤销批次", "Undo batch"), "undo_go": ("撤销", "Undo"),
    "undone": ("已撤销批次 {b}", "Batch {b} undone"), "no_batches": ("还没有导入记录。", "Nothing imported yet."),
    "unused": ("（不使用）", "(not used)"),
    "identical": ("与第 {b} 批完全相同，未写入。", "Identical to batch {b}; nothing was written."),
    "stage_read": ("正在读取文件…", "Reading the file…"), "stage_transform": ("正在检查每一行…", "Checking every row…"),
    "stage_load": ("正在写入数据库…", "Writing to the database…"), "stage_commit": ("正在提交…", "Committing…"),
    "stage_done": ("完成", "Done"), "rate": ("{rows:,} 行，每秒 {rate:,.0f} 行", "{rows:,} rows, {rate:,.0f} rows/s"),
    "undo_confirm": ("确认撤销批次 {b}？它新增的行会被删除，它修改过的行恢复原值；撤销本身记为一个新批次。",
                     "Undo batch {b}? The rows it added are deleted and the rows it changed get their previous "
                     "values back; the undo is recorded as a new batch."),
    "undo_yes": ("确认撤销", "Yes, undo"), "undo_no": ("取消", "Cancel"),
    "stale": ("其中 {n:,} 个订单比库里的状态更旧（来自更早的导出、退款更少或状态更早），已保留库里较新的状态。",
              "{n:,} of the orders are an older state than the one stored (from an older export, a smaller refund "
              "or an earlier status); the newer stored state was kept."),
}
COUNTS = [("rows_read", "读取行数", "Rows read"), ("inserted", "新增", "Inserted"), ("updated", "更新", "Updated"),
          ("duplicates", "重复", "Duplicates"), ("rejected", "错误行", "Rejected"), ("linked", "关联已有会员", "Linked")]
ENCODINGS = [None, "utf-8", "gb18030", "utf-16"]


def w(key: str, **values: object) -> str:
    text = W[key][0 if current_lang() == "zh" else 1]
    return text.format(**values) if values else text


FLASH = "_import_flash"
PENDING_UNDO = "_import_pending_undo"


def progress_bar() -> Progress:
    """A progress callback for import_file drawing a bar with the stage and rows per second."""
    bar, started = st.progress(0.0, text=w("stage_read")), time.monotonic()

    def show(stage: str, rows: int, fraction: float) -> None:
        elapsed = time.monotonic() - started
        text = w(f"stage_{stage}") + (" · " + w("rate", rows=rows, rate=rows / elapsed) if rows and elapsed > 0 else "")
        bar.progress(fraction, text=text)

    return show

settings, state = cache.page_context()
st.title(t("page_import"))
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))

upload = st.file_uploader(w("upload"), type=["csv", "txt", "xlsx", "xlsm", "xls"],
                          key=per_login_key("upload"))  # a new login starts with an empty uploader
if upload is not None:
    data = upload.getvalue()
    left, right = st.columns(2)
    encoding = left.selectbox(w("encoding"), ENCODINGS, format_func=lambda e: e or w("auto"))
    sheet = None
    try:
        first = preview(data, encoding=encoding)
        if first.sheets:
            sheet = right.selectbox(w("sheet"), first.sheets)
        seen = preview(data, encoding=encoding, sheet=sheet) if sheet and sheet != first.sheet else first
    except IngestError as exc:
        st.error(literal(exc))
        st.stop()
    st.caption(w("read_as", enc=seen.encoding or "xlsx", rows=seen.rows))
    for note in seen.notes:
        st.caption(literal(note))
    mappings = saved_mappings(settings.db, settings)
    heads = phone_headers([m.columns for m in mappings.values()])  # phones are masked on screen, as everywhere
    st.dataframe(mask_phones_in_table(seen.sample, heads), hide_index=True)

    options = [*PROFILES, *(f"mapping:{name}" for name in mappings), "__map__"]
    fits = None if seen.profile else mapping_for_header(seen.header, mappings)
    default = seen.profile or (f"mapping:{fits[0]}" if fits else "__map__")
    if fits:
        st.success(w("detected", p=literal(f"{fits[0]}（{fits[1].profile}）")))
    elif seen.profile:
        st.success(w("detected", p=f"{seen.profile}（{PROFILES[seen.profile].label}）"))
    else:
        st.warning(w("none") + (" " + w("closest", p=literal(seen.closest), m=literal("、".join(seen.missing)))
                                if seen.closest else ""))
    choice = st.selectbox(w("profile"), options, index=options.index(default),
                          format_func=lambda o: w("map") if o == "__map__" else o)
    profile, mapping = (choice, None) if choice in PROFILES else (None, choice.removeprefix("mapping:"))

    if choice == "__map__":
        bases = sorted(PROFILES, key=lambda p: not p.startswith("generic"))  # the generic formats first
        base = st.selectbox(w("base"), bases, format_func=lambda p: f"{p}（{PROFILES[p].label}）")
        heads = [w("unused"), *[h for h in seen.header if h]]
        columns = {}
        for field in PROFILES[base].fields:
            req = (" *" if field in PROFILES[base].required else "") + f"（{PROFILES[base].header_of(field)}）"
            picked = st.selectbox(w("field", f=field, req=req), heads, key=f"map_{base}_{field}")
            if picked != w("unused"):
                columns[field] = picked
        try:
            trial = dry_run(data, profile=base, mapping=columns, encoding=encoding, sheet=sheet, tz=settings.timezone)
            st.subheader(w("map_preview"))
            st.dataframe(mask_phones_in_table(trial.rows, heads), hide_index=True)
            if trial.errors.height:
                record_table(mask_phone_cells(trial.errors, heads), ERROR_LABELS)
        except IngestError as exc:
            st.info(literal(exc))
        name = st.text_input(w("map_name"))
        if st.button(w("map_save"), disabled=not name.strip()):
            try:
                save_mapping(settings.db, name, base, columns, user=current_user(), settings=settings)
                st.session_state[FLASH] = w("map_saved", n=literal(name))  # shown after the rerun
                st.rerun()
            except SiyuError as exc:
                st.error(literal(exc))
        st.stop()

    skip = st.checkbox(w("skip"))
    if st.button(w("go"), type="primary"):
        report = import_file(settings.db, data, profile=profile, mapping=mapping, on_error="skip" if skip else "reject",
                             user=current_user(), settings=settings, encoding=encoding, sheet=sheet, file_name=upload.name,
                             role=current_role(), progress=progress_bar())
        if not report.ok:  # a committed import's audit row is written in its own transaction, by import_file
            audit_event(settings, "import", detail=f"{upload.name}: refused", rows=0)
        if report.identical_to is not None:
            st.info(w("identical", b=report.identical_to))
        elif report.ok:
            st.success(w("done", b=report.batch_id))
        else:
            st.error(f"{w('refused')}：{literal(report.refused)}")
        for col, (key, zh, en) in zip(st.columns(len(COUNTS)), COUNTS, strict=True):
            col.metric(zh if current_lang() == "zh" else en, f"{getattr(report, key):,}")
        if report.stale:
            st.info(w("stale", n=report.stale))
        if report.error_frame.height:
            # Rejected cells hold whatever the file had, phones included: masked on screen for every role;
            # the files go through the member-level download (role check, audit row, formula-safe).
            record_table(mask_phone_cells(report.errors_frame(), heads), ERROR_LABELS)
            member_download(report.errors_frame(), file_stem=f"{Path(upload.name).stem}_errors",
                            what=f"rejected rows of {upload.name}" + (f" (batch {report.batch_id})" if report.ok else " (refused)"),
                            phone_columns=(), key="import_errors", settings=settings, columns=ERROR_COLUMNS,
                            labels={"csv": w("errors_csv"), "xlsx": w("errors_xlsx")})

st.header(w("history"))
batches = list_batches(settings.db, settings)
if batches.height == 0:
    st.info(w("no_batches"))
    st.stop()
record_table(batches, {c: f"col_i_{c}" for c in batches.columns}, hide=("sha256",))
st.download_button("CSV", people_csv(batches, {c: (f"col_i_{c}", "text") for c in batches.columns}),
                   file_name="import_batches.csv", mime="text/csv")
undoable = batches.filter((batches["status"] == "committed") & ~batches["profile"].is_in(["demo", "undo", "demo_cleared"]))
if undoable.height and has_role("admin"):  # undoing an import is for admins
    pick = st.selectbox(w("undo"), undoable["batch_id"].to_list(),
                        format_func=lambda b: f"{b} · {undoable.filter(undoable['batch_id'] == b)['file_name'][0]}")
    if st.button(w("undo_go")):  # asks first: an undo deletes rows
        st.session_state[PENDING_UNDO] = pick
    if st.session_state.get(PENDING_UNDO) == pick:
        st.warning(w("undo_confirm", b=int(pick)))
        yes, no = st.columns(2)
        if yes.button(w("undo_yes"), type="primary"):
            st.session_state.pop(PENDING_UNDO, None)
            try:  # the audit row commits with the undo (undo_batch writes it)
                undo_batch(settings.db, pick, user=current_user(), settings=settings, role=current_role())
                st.session_state[FLASH] = w("undone", b=pick)
                st.rerun()
            except IngestError as exc:
                st.error(literal(exc))
        if no.button(w("undo_no")):
            st.session_state.pop(PENDING_UNDO, None)
            st.rerun()
