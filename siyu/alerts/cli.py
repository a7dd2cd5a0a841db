"""`python -m siyu alerts {run,list,add,remove,firings,digest}` (siyu.cli registers them; docs/alerts.md).

run: check the stored rules (and those of --rules FILE, which win on a name clash), post each firing to the
group bot ($SIYU_WEBHOOK_URL, the admin's setting, or --webhook) and store it; JSON, one object per rule.
Exit 0 when every rule could be checked and every firing was posted; 1 otherwise (the reasons on stderr), so
a cron job's mail says when an alert did not reach the team.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from siyu.config import Settings, load_settings
from siyu.errors import SiyuError


def add_parser(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
               db_option: Callable[[argparse.ArgumentParser], None],
               param: Callable[[str], tuple[str, str]]) -> None:
    alerts = sub.add_parser("alerts", help="alert rules on metrics: run (cron), list, add, remove, firings, digest",
                            description="run: check the rules and post firings to the WeCom group bot; digest: post a "
                                        "page's weekly digest with its filters (--param channel=... tier= store= staff=)")
    db_option(alerts)
    alerts.add_argument("action", choices=["run", "list", "add", "remove", "firings", "digest"])
    alerts.add_argument("--rules", type=Path, default=None, help="a TOML ([[rule]] tables) or JSON rules file")
    alerts.add_argument("--name", default=None, help="remove: the rule's name")
    alerts.add_argument("--webhook", default=None, metavar="URL", help="group bot (default: $SIYU_WEBHOOK_URL)")
    alerts.add_argument("--no-webhook", action="store_true", help="check and store, post nothing")
    alerts.add_argument("--page", default="overview", help="digest: overview | campaigns (default overview)")
    alerts.add_argument("--param", action="append", type=param, default=[], metavar="KEY=VALUE",
                        help="digest: the page's filters (channel, tier, store, staff)")
    alerts.add_argument("--days", type=int, default=30, help="firings: how many days back (default 30)")


def _settings(args: argparse.Namespace) -> Settings:
    from siyu.auth.runtime_settings import effective

    settings = load_settings(db=args.db)
    if not Path(settings.db).exists():
        raise SiyuError(f"数据库 {settings.db} 不存在 / no database at {settings.db}")
    return effective(settings)  # the webhook URL an admin set on the dashboard (SIYU_WEBHOOK_URL wins)


def _rules(settings: Settings, path: Path | None) -> list:  # type: ignore[type-arg]
    from siyu.alerts import store
    from siyu.alerts.rules import load_rules
    from siyu.engine.catalog import CATALOG

    rules = {r.name: r for r in store.stored_rules(settings.db, timeout=settings.lock_timeout)}
    if path is not None:
        rules.update({r.name: r for r in load_rules(path, set(CATALOG))})
    return list(rules.values())


def run(args: argparse.Namespace) -> int:
    from siyu.alerts import store
    from siyu.campaigns.cli import os_user
    from siyu.campaigns.plan import local_now
    from siyu.output import to_json

    settings = _settings(args)
    url = None if args.no_webhook else (args.webhook or settings.webhook_url or None)
    if args.action == "list":
        print(json.dumps([r.as_dict() for r in _rules(settings, args.rules)], ensure_ascii=False, indent=2))
        return 0
    if args.action == "add":
        from siyu.alerts.rules import load_rules
        from siyu.engine.catalog import CATALOG

        if args.rules is None:
            raise SiyuError("alerts add 需要 --rules 文件 / needs --rules FILE")
        added = load_rules(args.rules, set(CATALOG))
        for rule in added:
            store.save_rule(settings.db, rule, by=os_user(), timeout=settings.lock_timeout)
        print(json.dumps({"saved": [r.name for r in added]}, ensure_ascii=False))
        return 0
    if args.action == "remove":
        if not args.name:
            raise SiyuError("alerts remove 需要 --name / needs --name")
        store.delete_rule(settings.db, args.name, timeout=settings.lock_timeout)
        return 0
    now = local_now(settings)
    if args.action == "firings":
        import datetime as dt

        print(to_json(store.firings(settings.db, now - dt.timedelta(days=args.days), timeout=settings.lock_timeout)))
        return 0
    if args.action == "digest":
        from siyu.alerts.digest import digest_text
        from siyu.report.webhook import post_markdown

        text = digest_text(settings, args.page, dict(args.param), now=now, lang=settings.lang)
        if url:
            post_markdown(url, text)
        print(json.dumps({"page": args.page, "posted": bool(url), "text": text}, ensure_ascii=False, indent=2))
        return 0
    from siyu.alerts.run import run_alerts

    outcomes = run_alerts(settings, _rules(settings, args.rules), url=url, now=now)
    print(json.dumps([o.as_dict() for o in outcomes], ensure_ascii=False, indent=2, default=str))
    problems = [o for o in outcomes if o.check.error or (o.check.fired and not o.posted and url)]
    for o in problems:
        print(f"错误 / error: {o.check.rule.name}: {o.check.error or o.error}", file=sys.stderr)
    return 1 if problems else 0
