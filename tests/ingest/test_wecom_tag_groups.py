"""WeCom tag groups (issue #17): each tag column of a customer export is a tag group (its header), kept in
member_tags.tag_group; GB18030 CSV and xlsx alike; a re-import adds nothing; the same tag text in two groups
is two tags; undo removes them."""

from __future__ import annotations

import pytest

from siyu.ingest import undo_batch

H = ["客户名称", "描述", "添加人", "添加人账号", "添加人所属部门", "添加时间", "来源", "手机", "企业", "邮箱", "地址", "职务", "电话",
     " 孩子年龄 ", "茶饮偏好", "其他"]


def row(name, phone, ages, tastes, other=""):
    return [name, "", "李娜", "lina", "门店部", "2024-01-01 10:00", "扫描二维码", phone, "", "", "", "", "", ages, tastes, other]


EXPORT = [H,
          row("张伟", "13800138000", "7岁，8岁", "乌龙"),            # twins: two tags of one group
          row("小红", "13800138001", "7岁", "花茶;乌龙", "7岁"),      # the same text in another group
          row("阿May", "13800138002", "", "")]                       # no tags at all
EXPECTED = [("小红", "其他", "7岁"), ("小红", "孩子年龄", "7岁"), ("小红", "茶饮偏好", "乌龙"), ("小红", "茶饮偏好", "花茶"),
            ("张伟", "孩子年龄", "7岁"), ("张伟", "孩子年龄", "8岁"), ("张伟", "茶饮偏好", "乌龙")]
QUERY = ("SELECT m.display_name, t.tag_group, t.tag FROM member_tags t JOIN members m USING (member_id) "
         "ORDER BY 1, 2, 3")


@pytest.mark.parametrize("kind", ["gb18030", "xlsx"])
def test_tag_columns_become_tag_groups(imp, csvb, xlsxb, sql, db, settings, kind) -> None:
    content = csvb(EXPORT, "gb18030", "\r\n") if kind == "gb18030" else xlsxb(EXPORT)
    name = "客户列表.csv" if kind == "gb18030" else "客户列表.xlsx"
    r = imp(content, name)
    assert r.ok and r.profile == "wecom_customers", (r.refused, r.errors)
    assert sql(QUERY) == EXPECTED
    again = imp(content, name)
    assert again.inserted == 0
    assert sql(QUERY) == EXPECTED  # nothing duplicated
    undo_batch(db, r.batch_id, settings=settings)
    assert sql("SELECT count(*) FROM member_tags") == [(0,)]
