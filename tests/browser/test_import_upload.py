"""The Import page in a real browser: upload a GB18030 有赞 export with a bad row, see it refused with the
bad row downloadable, import the good rows with "skip", then undo the batch (the shared database is left
as it was, apart from the history)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.helpers import login, outside

pytestmark = pytest.mark.browser

ROWS = ("订单号,订单状态,买家付款时间,订单实付金额（元）,买家手机号\r\n"
        "B1,交易成功,2019/3/5 14:06,\"¥1,299.00\",+86 138-0013-8000\r\n"
        "B2,交易成功,2019/3/6 10:00,abc,13800138000\r\n"
        "合计,,,1299,\r\n")


def test_upload_refuse_skip_and_undo(app_url, page, tmp_path: Path) -> None:
    export = tmp_path / "有赞订单_20190311.csv"
    export.write_bytes(ROWS.encode("gb18030"))
    page.goto(f"{app_url}/import")
    login(page)
    page.locator("input[type=file]").wait_for(state="attached", timeout=30_000)
    page.set_input_files("input[type=file]", str(export))
    page.get_by_text("识别为：有赞 订单（youzan_orders）").wait_for(timeout=30_000)  # the format's name first
    assert page.get_by_text("读取方式：gb18030，2 行数据").count() == 1

    page.get_by_role("button", name="导入", exact=True).click()
    page.get_by_text("文件未导入").first.wait_for(timeout=30_000)
    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").filter(has_text="下载错误行 CSV").locator("button").click()
    body = Path(download.value.path()).read_bytes().decode("utf-8-sig").splitlines()
    assert body[0] == "行号,列,单元格内容,问题与改法" and body[1].startswith("2,订单实付金额（元）,abc,")

    page.get_by_test_id("stCheckbox").filter(has_text="跳过错误行").click()
    page.get_by_role("button", name="导入", exact=True).click()
    page.get_by_text("已导入批次").wait_for(timeout=30_000)
    inserted = page.get_by_test_id("stMetric").filter(has_text="新增")
    assert inserted.inner_text().splitlines()[-1].strip() == "1"

    page.get_by_role("button", name="撤销", exact=True).click()
    page.get_by_role("button", name="确认撤销", exact=True).click()  # undo asks first (issue #13)
    page.get_by_text("已撤销批次").wait_for(timeout=30_000)
    assert outside(page.requests) == []


def _pick(page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()


def test_unknown_layout_is_mapped_saved_and_recognised_next_time(app_url, page, tmp_path: Path) -> None:
    export = tmp_path / "erp.csv"
    export.write_text("单号,会员,时间,实收\nX1,ERP-1,2019-05-01 10:00,12\n", encoding="utf-8")
    page.goto(f"{app_url}/import")
    login(page)
    page.locator("input[type=file]").wait_for(state="attached", timeout=30_000)
    page.set_input_files("input[type=file]", str(export))
    page.get_by_text("未识别的格式").wait_for(timeout=30_000)
    for field, column in [("order_id *", "单号"), ("member_id *", "会员"), ("paid_at *", "时间"), ("amount *", "实收")]:
        _pick(page, field, column)
        page.wait_for_timeout(300)
    page.get_by_text("对应结果预览").wait_for(timeout=30_000)
    page.get_by_test_id("stTextInput").filter(has_text="保存为映射").locator("input").fill("ERP")
    page.get_by_test_id("stTextInput").filter(has_text="保存为映射").locator("input").press("Enter")
    page.get_by_role("button", name="保存映射").click()
    page.get_by_text("已保存映射 ERP").wait_for(timeout=30_000)
    page.get_by_text("识别为：ERP（generic_orders）").wait_for(timeout=30_000)
    page.get_by_role("button", name="导入", exact=True).click()
    page.get_by_text("已导入批次").wait_for(timeout=30_000)
    page.get_by_role("button", name="撤销", exact=True).click()
    page.get_by_role("button", name="确认撤销", exact=True).click()  # undo asks first (issue #13)
    page.get_by_text("已撤销批次").wait_for(timeout=30_000)
    assert outside(page.requests) == []
