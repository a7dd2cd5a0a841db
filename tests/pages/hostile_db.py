"""A database whose names are markup (issue 16): channels, tiers, stores, staff and member names made of
Markdown images and links, HTML, LaTeX, bare URLs and Streamlit directives, imported through the real
pipeline (generic_members, generic_orders). Shared by tests/pages/test_literal_text.py and the browser test.

Every outside address is in 203.0.113.0/24 (TEST-NET-3) or evil.example: nothing there answers, and the
browser test aborts any request that leaves 127.0.0.1 anyway.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from siyu.config import load_settings
from siyu.ingest import import_file

IMAGE = "![b](http://203.0.113.5/beacon.png?who=viewer)"
LINK = "[c](http://evil.example/link)"
HTML = '<img src="http://203.0.113.5/html.png"><a href="http://evil.example/a">a</a>'
LATEX = r"$\href{http://evil.example/latex}{x}$ $x^2$"
BARE = "www.evil.example http://evil.example/bare"
DIRECTIVE = ":red[红] :material/warning: <b>粗</b>"

CHANNELS = (IMAGE, LINK, HTML)
TIERS = (LATEX, IMAGE)
STORES = (LINK, HTML)
STAFF = (IMAGE, BARE)
NAMES = (IMAGE, LINK, HTML, LATEX, BARE, DIRECTIVE)
ALL = (IMAGE, LINK, HTML, LATEX, BARE, DIRECTIVE)

# 12 members joined Jan..Jun 2024; each buys in its join month and some again later, so every page
# (retention cohorts by channel, tiers, referrals-free channels, segments) has something to draw.
MEMBERS = [
    {"member_id": f"H{i:02d}", "joined_at": f"2024-{1 + i // 2:02d}-{10 + i:02d} 10:00:00",
     "phone": f"1380013{i:04d}", "name": NAMES[i % len(NAMES)], "channel": CHANNELS[i % len(CHANNELS)],
     "staff": STAFF[i % len(STAFF)], "tier": TIERS[i % len(TIERS)]}
    for i in range(12)
]
ORDERS = [
    {"order_id": f"HO{i:02d}{k}", "member_id": m["member_id"],
     "paid_at": f"2024-{1 + i // 2 + 2 * k:02d}-{10 + i:02d} 12:00:00", "amount": f"{100 + 10 * i + 5 * k}",
     "store": STORES[(i + k) % len(STORES)]}
    for i, m in enumerate(MEMBERS) for k in range(1 + i % 3)
]


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def build_hostile(path: Path) -> Path:
    settings = load_settings(env={}, db=path)
    for profile, rows in (("generic_members", MEMBERS), ("generic_orders", ORDERS)):
        report = import_file(path, _csv(rows), profile=profile, settings=settings, file_name=f"{profile}.csv",
                             user="tests")
        assert report.ok, report.refused
    return path
