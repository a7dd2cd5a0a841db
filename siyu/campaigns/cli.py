"""`python -m siyu campaign {plan,list,send-list,compare}`: the campaign commands (siyu.cli registers them).

Output: JSON on stdout (plan, list, compare); a send list is CSV (UTF-8 with BOM, like the dashboard's
downloads) on stdout or in --out. Exit codes as siyu.cli: 0 ok, 1 a SiyuError, 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from siyu.config import load_settings
from siyu.errors import SiyuError


def add_parser(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
               db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    camp = sub.add_parser("campaign", help="recall campaigns with holdout groups: plan, list, send-list, compare",
                          description="plan: split a segment or list into send groups and a holdout (stored); "
                                      "send-list: the send group in an SMS or WeCom 群发 layout; compare: give a "
                                      "campaign planned elsewhere a named or matched comparison group")
    db_option(camp)
    camp.add_argument("action", choices=["plan", "list", "send-list", "compare"])
    camp.add_argument("--name", default=None, help="campaign name")
    camp.add_argument("--from", dest="source", default=None,
                      help="source: an RFM segment (rfm:重要挽留客户 or the bare name), at_risk (at-risk super users), "
                           "file:PATH (a member list: member_id / 手机号 / 外部联系人ID column)")
    camp.add_argument("--holdout", type=float, default=0.1, help="holdout share, 0 < h < 1 (default 0.1)")
    camp.add_argument("--variants", default=None, help="copy variants, e.g. A,B (default: one copy)")
    camp.add_argument("--seed", type=int, default=0, help="random seed of the split (default 0)")
    camp.add_argument("--layout", choices=["sms", "wecom"], default="sms", help="send-list layout (default sms)")
    camp.add_argument("--out", type=Path, default=None, help="send-list: write the CSV here (default: stdout)")
    camp.add_argument("--full-phones", action="store_true",
                      help="send-list: phones in full (default masked); audited under the OS user")
    camp.add_argument("--members", type=Path, default=None, help="compare: a member list naming the comparison group")
    camp.add_argument("--matched", action="store_true",
                      help="compare: let siyu build a matched group (same source, not sent, similar R/F/V)")
    camp.add_argument("--user", default=None, help="who plans (default: the OS user)")


def os_user() -> str:
    """The OS login name (audit rows of the command line are written under it), as siyu.cli does."""
    import getpass
    import os

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (a bare container)
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def phones_out(settings: Any, frame: pl.DataFrame, column: str, what: str, *, full: bool) -> pl.DataFrame:
    """Masked phones, or full ones after their audit row is written (like `metric --full-phones`)."""
    from siyu.auth import audit
    from siyu.privacy import mask_phones

    if not full:
        return mask_phones(frame, [column])
    audit.record_event(settings.db, os_user(), "download", detail=f"{what} (csv, full phones, cli)"[:500],
                       rows=frame.height, timeout=settings.lock_timeout)
    return frame


def run(args: argparse.Namespace) -> int:
    from siyu.output import to_json

    settings = load_settings(db=args.db)
    if args.action == "list":
        from siyu.campaigns import store
        from siyu.db import reading

        store.db_exists(settings.db)
        with reading(settings.db, settings.lock_timeout) as con:
            print(to_json(store.campaigns(con)))
        return 0
    if not args.name:
        raise SiyuError(f"campaign {args.action} 需要 --name / needs --name")
    if args.action == "plan":
        from siyu.campaigns.plan import parse_variants, plan_campaign

        if not args.source:
            raise SiyuError("campaign plan 需要 --from（分群、at_risk 或 file:名单）/ needs --from")
        plan = plan_campaign(settings, name=args.name, source=args.source, holdout=args.holdout,
                             variants=parse_variants(args.variants), seed=args.seed, by=args.user or os_user())
        print(json.dumps(plan.summary(), ensure_ascii=False, indent=2, default=str))
        return 0
    if args.action == "send-list":
        return _send_list(settings, args)
    from siyu.campaigns.matched import compare

    result = compare(settings, args.name, members=args.members, matched=args.matched, seed=args.seed,
                     source=args.source)
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    return 0


def _send_list(settings: Any, args: argparse.Namespace) -> int:
    from siyu.campaigns import store
    from siyu.campaigns.send_lists import PHONE_COLUMNS, send_list
    from siyu.db import reading
    from siyu.output import to_csv

    store.db_exists(settings.db)
    with reading(settings.db, settings.lock_timeout) as con:
        found = send_list(con, args.name, args.layout)
    frame = found.frame
    for column in PHONE_COLUMNS[args.layout]:
        frame = phones_out(settings, frame, column, f"campaign send-list {args.name} layout={args.layout}",
                           full=args.full_phones)
    text = to_csv(frame)
    if args.out:
        try:
            args.out.write_bytes(text.encode("utf-8-sig"))
        except OSError as exc:
            raise SiyuError(f"无法写入 {args.out}：{exc.strerror} / cannot write {args.out}") from None
        print(json.dumps({"out": str(args.out), "rows": frame.height, "left_out": found.left_out,
                          "layout": args.layout}, ensure_ascii=False))
    else:
        sys.stdout.write(text)
    if found.left_out:
        print(f"注意 / note: {found.left_out} 人没有可用的{'完整手机号' if args.layout == 'sms' else '企微好友关系'}，未列入"
              f" / {found.left_out} member(s) left out (no usable {'phone' if args.layout == 'sms' else 'WeCom friendship'})",
              file=sys.stderr)
    return 0
