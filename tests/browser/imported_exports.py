"""A small brand built only from exports, for the browser tests that need imported (non-demo) data.

茶语小铺, 2023-07 .. 2024-06, written as the files its tools would give and loaded with
`python -m siyu import` (the README's path), in this order:

- 企业微信 客户列表 (UTF-8 with BOM): 220 customers of three staff, five channels (the `state` column:
  门店, 包裹卡, 短视频, 裂变海报, 公众号), a tag group, phones in several spellings, 17 without a phone;
- 企业微信 流失客户: friends who deleted (短视频 mostly within a week) or were deleted;
- 有赞 客户列表 (xlsx, two dated snapshots: 2024-06-30 and 2023-12-31): tiers 普通会员 < 银卡会员 <
  金卡会员 < 黑金会员 by spend, points and growth values;
- 有赞 订单 (GB18030, CRLF, a 合计 footer): three stores, paid / shipped / partly and fully refunded /
  closed / unpaid orders, `¥1,299.00`-style amounts, and 20 buyers who are not WeCom friends (channel 未知);
- generic members / orders / referrals of the brand's POS (member ids `VIP-10001`…): one more store,
  refunds, and a referral forest three generations deep;
- 渠道成本: one cost per channel and month.

Everything is drawn from one seeded generator, so the same files come out on every run; the browser test
checks durable properties of the pages, not these figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
D = dt.datetime
START, END = D(2023, 7, 1, 9), D(2024, 6, 30, 20)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "杰", "娟", "子涵", "浩然", "雨桐", "梓萱", "一鸣", "思远"]
STAFF = [("李娜", "lina", "私域一组"), ("王强", "wangq", "私域一组"), ("陈静", "chenj", "门店组")]
CHANNELS = [("门店", 0.30, 0.8), ("包裹卡", 0.25, 0.9), ("短视频", 0.20, 0.4), ("裂变海报", 0.15, 0.6), ("公众号", 0.10, 0.5)]
WAYS = ["扫描二维码", "搜索手机号", "名片分享", "群聊"]
TAGS = ["高意向", "复购", "新客", "价格敏感", ""]
STORES = ["旗舰店", "上海静安店", "杭州西湖店"]
POS_STORE = "北京三里屯店"
PRICES = [39, 69, 128, 199, 299, 599, 1299]
TIERS = [("普通会员", 0), ("银卡会员", 300), ("金卡会员", 1000), ("黑金会员", 3000)]


@dataclass
class Person:
    name: str
    phone: str | None
    channel: str | None
    staff: int
    added: dt.datetime
    vip: str | None = None
    orders: list[tuple[dt.datetime, int]] = field(default_factory=list)  # (paid at, yuan)


def _people(rng: random.Random) -> list[Person]:
    names = [s + g for s in SURNAMES for g in GIVEN]
    rng.shuffle(names)
    span = (END - START).total_seconds() - 86400 * 10
    out = []
    for i in range(240):
        friend = i < 220
        channel = rng.choices([c for c, _w, _b in CHANNELS], [w for _c, w, _b in CHANNELS])[0] if friend else None
        phone = None if friend and i % 13 == 5 else f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
        added = START + dt.timedelta(seconds=int(rng.random() * span))
        out.append(Person(names[i], phone, channel, rng.randrange(3), added.replace(microsecond=0)))
    out.sort(key=lambda p: p.added)
    return out


def _buy(rng: random.Random, people: list[Person]) -> None:
    buy_rate = {c: b for c, _w, b in CHANNELS}
    for p in people:
        if p.phone is None or rng.random() > buy_rate.get(p.channel, 1.0):
            continue
        when = p.added + dt.timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600))
        while when < END:
            p.orders.append((when, rng.choice(PRICES)))
            if rng.random() < 0.3:
                break
            when += dt.timedelta(days=rng.randint(15, 90), minutes=rng.randint(-300, 300))


def _phone_cell(phone: str, k: int) -> str:
    return [phone, f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}", f"{phone[:3]} {phone[3:7]} {phone[7:]}"][k % 3]


def _csv(rows: list[list[object]], encoding: str, newline: str = "\n") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows([["" if v is None else v for v in r] for r in rows])
    return buf.getvalue().encode(encoding)


def _xlsx(rows: list[list[object]]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.set_properties({"created": D(2024, 6, 30, 23)})  # else the file embeds the time it was written
    sheet, when = book.add_worksheet("客户列表"), book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, dt.datetime):
                sheet.write_datetime(r, c, v, when)
            elif isinstance(v, int):
                sheet.write_number(r, c, v)
            elif v is not None:
                sheet.write_string(r, c, v)
    book.close()
    return buf.getvalue()


def _tier(spend: int) -> str:
    return [name for name, floor in TIERS if spend >= floor][-1]


def _wecom(rng: random.Random, people: list[Person]) -> tuple[bytes, bytes]:
    head = ["客户名称", "描述", "添加人", "添加人账号", "添加人所属部门", "添加时间", "来源", "手机", "state", "客户标签"]
    rows: list[list[object]] = [head]
    lost: list[list[object]] = [["客户名称", "添加人", "添加人账号", "添加时间", "删除时间", "删除方式"]]
    for k, p in enumerate(x for x in people if x.channel):
        name, account, team = STAFF[p.staff]
        added = p.added.strftime("%Y-%m-%d %H:%M:%S")
        rows.append([p.name, "", name, account, team, added, rng.choice(WAYS),
                     _phone_cell(p.phone, k) if p.phone else "", p.channel, rng.choice(TAGS)])
        leaves = rng.random() < (0.4 if p.channel == "短视频" else 0.06)
        if leaves:
            gone = p.added + dt.timedelta(days=rng.randint(1, 6) if p.channel == "短视频" else rng.randint(20, 200))
            if gone < END:
                by = "客户删除员工" if rng.random() < 0.8 else "员工删除客户"
                lost.append([p.name, name, account, added, gone.strftime("%Y-%m-%d %H:%M:%S"), by])
    return _csv(rows, "utf-8-sig"), _csv(lost, "utf-8")


def _youzan_customers(people: list[Person], day: dt.datetime) -> bytes:
    head = ["客户姓名", "客户手机号", "成为客户时间", "免费等级", "客户积分", "成长值"]
    rows = []
    for p in people:
        spend = sum(yuan for when, yuan in p.orders if when <= day)
        if spend and p.added <= day:
            rows.append([p.name, p.phone, p.added, _tier(spend), spend, spend // 10])
    rows.sort(key=lambda r: (r[4], r[1]))  # ascending spend: tiers first appear in the ladder's order
    return _xlsx([head, *rows])


def _orders(rng: random.Random, people: list[Person]) -> tuple[bytes, bytes]:
    """有赞 orders (GB18030, CRLF, footer) and the POS's generic orders of VIP members."""
    head = ["订单号", "订单状态", "订单创建时间", "买家付款时间", "订单实付金额（元）", "买家手机号", "订单退款状态",
            "订单已退款金额", "归属店铺", "买家昵称"]
    yz: list[list[object]] = [head]
    pos: list[list[object]] = [["order_id", "member_id", "paid_at", "amount", "refund_amount", "status", "store"]]
    n, total = 0, 0
    for p in people:
        for when, yuan in p.orders:
            n += 1
            roll, at = rng.random(), when.strftime("%Y/%m/%d %H:%M")
            if p.vip and rng.random() < 0.4:
                refund = yuan // 3 if roll < 0.06 else (yuan if roll < 0.09 else 0)
                pos.append([f"POS-{n:05d}", p.vip, when.strftime("%Y-%m-%d %H:%M:%S"), f"{yuan}.00", refund or "",
                            "paid", POS_STORE])
                continue
            status, paid, refunded, refund_state = "交易成功", at, "0", ""
            if roll < 0.05:
                status, refunded, refund_state = "交易成功", f"{yuan // 2}.00", "退款成功"
            elif roll < 0.08:
                status, refunded, refund_state = "已关闭", f"{yuan}.00", "退款成功"
            elif roll < 0.10:
                status, paid = "已关闭", ""
            elif roll < 0.12:
                status, paid = "待付款", ""
            elif roll < 0.20:
                status = "已发货"
            amount = f"¥{yuan:,}.00" if n % 2 else f"{yuan}.00"
            total += yuan
            yz.append([f"E2023{n:06d}", status, at, paid, amount, _phone_cell(p.phone or "", n),
                       refund_state, refunded, STORES[n % 3], p.name])
    yz.append(["合计", "", "", "", str(total), "", "", "", "", ""])
    return _csv(yz, "gb18030", "\r\n"), _csv(pos, "utf-8")


def _vips_and_referrals(rng: random.Random, people: list[Person]) -> bytes:
    vips = [p for p in people if p.phone and (p.channel == "裂变海报" or rng.random() < 0.2)]
    for k, p in enumerate(vips):
        p.vip = f"VIP-{10001 + k}"
    referrals: list[list[object]] = [["referrer_id", "referee_id", "referred_at", "campaign"]]
    for k, p in enumerate(vips):
        earlier = vips[:k]
        if p.channel == "裂变海报" and earlier:
            referrer = rng.choice(earlier[-8:])  # recent sharers: chains grow a few generations deep
            referrals.append([referrer.vip, p.vip, p.added.strftime("%Y-%m-%d %H:%M:%S"),
                              "老带新·春季" if p.added.month in (3, 4, 5) else "老带新"])
    return _csv(referrals, "utf-8")


def _pos_members(people: list[Person], day: dt.datetime) -> bytes:
    """The POS's member list, dated like the 有赞 snapshot and agreeing with its tiers (a POS export with no
    tier would blank the tier of that day's snapshot)."""
    rows: list[list[object]] = [["member_id", "joined_at", "phone", "name", "tier", "points"]]
    for p in people:
        if p.vip:
            spend = sum(yuan for when, yuan in p.orders if when <= day)
            rows.append([p.vip, p.added.strftime("%Y-%m-%d %H:%M:%S"), p.phone, p.name, _tier(spend), spend])
    return _csv(rows, "utf-8")


def _costs(rng: random.Random) -> bytes:
    rows: list[list[object]] = [["渠道", "月份", "投放费用（元）", "备注"]]
    for month in range(12):
        y, m = 2023 + (6 + month) // 12, (6 + month) % 12 + 1
        for channel, weight, _b in CHANNELS:
            rows.append([channel, f"{y}-{m:02d}", f"{round(weight * rng.uniform(2000, 6000), 2):,.2f}",
                         "线下物料" if channel == "门店" else ""])
    return _csv(rows, "utf-8-sig")


def write_exports(folder: Path, seed: int = 2024) -> list[Path]:
    """The brand's export files in `folder`, in the order they are to be imported."""
    rng = random.Random(seed)
    people = _people(rng)
    _buy(rng, people)
    referrals = _vips_and_referrals(rng, people)
    wecom, lost = _wecom(rng, people)
    youzan, pos = _orders(rng, people)
    files = {
        "企业微信客户列表_20240630.csv": wecom, "企业微信流失客户_20240630.csv": lost,
        "有赞客户_20240630.xlsx": _youzan_customers(people, D(2024, 6, 30, 23)),
        "有赞客户_20231231.xlsx": _youzan_customers(people, D(2023, 12, 31, 23)),
        "有赞订单_20240630.csv": youzan, "POS会员_20240630.csv": _pos_members(people, D(2024, 6, 30, 23)), "POS订单_20240630.csv": pos,
        "POS推荐关系.csv": referrals, "渠道成本_2023H2-2024H1.csv": _costs(rng),
    }
    paths = []
    for name, body in files.items():
        (folder / name).write_bytes(body)
        paths.append(folder / name)
    return paths


def import_exports(db: Path, folder: Path) -> list[dict]:
    """Write the exports and import them with `python -m siyu import`; fails loudly if any row is refused."""
    paths = write_exports(folder)
    env = {**os.environ, "SIYU_DB": str(db), "SIYU_AUTODEMO": "0"}
    run = subprocess.run([sys.executable, "-m", "siyu", "import", "--db", str(db), "--user", "tests", *map(str, paths)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    reports = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    bad = [r for r in reports if r.get("refused") or r.get("rejected") or r.get("errors")]
    assert run.returncode == 0 and len(reports) == len(paths) and not bad, (run.returncode, bad, run.stderr[-2000:])
    return reports
