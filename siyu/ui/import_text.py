"""The Import page's own words (zh, en), moved here unchanged from app_pages/import_data.py so the page only
draws. Read through `w(key, **values)`."""

from __future__ import annotations

from siyu.ui.i18n import current_lang

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
