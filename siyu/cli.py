"""`python -m siyu {demo,import,metric,report,user,lake,campaign,alerts,serve}`: the command-line contract other tools rely on.

Exit codes: 0 success; 1 a SiyuError (bad input, locked database, unknown metric) with a plain
message on stderr; 2 wrong usage (argparse).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from siyu import __version__
from siyu.config import load_settings
from siyu.errors import SiyuError


def _param(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"--param 需要 KEY=VALUE 形式，收到 {text!r}")
    return key.strip(), value.strip()


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期需要 YYYY-MM-DD 形式，收到 {text!r}") from None


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=None,
                        help="DuckDB file (default: $SIYU_DB or data/siyu.duckdb)")


def build_parser() -> argparse.ArgumentParser:
    from siyu.engine.catalog import REGISTRY

    parser = argparse.ArgumentParser(prog="python -m siyu", description="siyu 私域分析 command line")
    parser.add_argument("--version", action="version", version=f"siyu {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="build the deterministic demo brand into a database")
    _db_option(demo)
    demo.add_argument("--members", type=int, default=None, help="number of members (default 20000)")
    demo.add_argument("--seed", type=int, default=None, help="random seed (default 7)")
    demo.add_argument("--order-scale", type=float, default=1.0,
                      help="multiply every buyer's purchase rate (default 1: ~7.5 orders per member)")
    demo.add_argument("--referral-scale", type=float, default=1.0,
                      help="multiply each channel's share of referred joins (default 1: ~0.22 per member)")

    imp = sub.add_parser("import", help="import an export file (WeCom, 有赞, Shopify, generic)")
    _db_option(imp)
    imp.add_argument("files", nargs="+", type=Path, help="CSV or XLSX files")
    imp.add_argument("--profile", default=None, help="force a format profile instead of detecting it")
    imp.add_argument("--on-error", choices=["reject", "skip"], default="reject",
                     help="reject: refuse a file with bad rows (default); skip: import the good rows, record the bad")
    imp.add_argument("--snapshot-date", type=_date, default=None,
                     help="date a member export describes, or the day an order export was taken (default: the "
                          "date in the file name; else today for members, the newest time in the file for orders)")
    imp.add_argument("--encoding", default=None, help="CSV text encoding (default: detect; utf-8 or gb18030)")
    imp.add_argument("--sheet", default=None, help="xlsx sheet name (default: the first sheet)")
    imp.add_argument("--mapping", default=None, help="a column mapping saved on the Import page")
    imp.add_argument("--user", default="cli", help="who imports (recorded with the batch)")
    imp.add_argument("--format", choices=["json", "text"], default="json")

    metric = sub.add_parser("metric", help="compute a metric",
                            description="metrics: " + ", ".join(f"{k} ({v.summary})" for k, v in sorted(REGISTRY.items())))
    metric.add_argument("name", help="metric name: " + ", ".join(sorted(REGISTRY)))
    _db_option(metric)
    metric.add_argument("--param", action="append", type=_param, default=[], metavar="KEY=VALUE")
    metric.add_argument("--format", choices=["json", "csv"], default="json")
    metric.add_argument("--engine", choices=["local", "spark"], default="local",
                        help="local (the database, default) or spark (a lake written by `lake export`)")
    metric.add_argument("--lake", default=None, help="with --engine spark: the lake directory (or hdfs:// / s3a:// URL)")
    metric.add_argument("--master", default=None,
                        help="with --engine spark: Spark master (default: spark-submit's, else local[*])")
    metric.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                        help="with --engine spark: a Spark configuration setting (repeatable)")
    metric.add_argument("--full-phones", action="store_true",
                        help="print phone numbers in full (default: masked, 138****8000); audited under the OS user")

    report = sub.add_parser("report", help="write a self-contained HTML report of the Overview (KPIs and charts)",
                            description="params: start=YYYY-MM-DD end=YYYY-MM-DD (default: the last 12 months of "
                                        "data), grain=month|week|day, lang=zh|en, and the global filters channel=, tier=, store=, staff=")
    _db_option(report)
    report.add_argument("--out", type=Path, default=Path("siyu-report.html"))
    report.add_argument("--param", action="append", type=_param, default=[], metavar="KEY=VALUE")
    report.add_argument("--webhook", default=None, metavar="URL",
                        help="also post the summary to this WeCom group bot (default: $SIYU_WEBHOOK_URL, if set)")
    report.add_argument("--no-webhook", action="store_true", help="do not post, even when SIYU_WEBHOOK_URL is set")
    lake = sub.add_parser("lake", help="the Parquet lake for Spark: lake export --db DB --out DIR",
                          description="Write the tables metrics read as Parquet partitioned by member bucket "
                                      "(docs/scale.md); the old lake is replaced atomically.")
    lake.add_argument("action", choices=["export"])
    _db_option(lake)
    lake.add_argument("--out", type=Path, required=True, help="the lake directory")
    lake.add_argument("--buckets", type=int, default=16, help="member buckets (default 16)")
    sub.add_parser("serve", help="start the dashboard (streamlit run app.py, its code imported first); "
                                 "every further argument goes to Streamlit, e.g. --server.port 8502", add_help=False)
    user = sub.add_parser("user", help="dashboard accounts: list, add, passwd, role, disable, enable, unlock",
                          description="Passwords are read from the terminal (or one line of standard input), "
                                      "never from the command line.")
    _db_option(user)
    user.add_argument("action", choices=["list", "add", "passwd", "role", "disable", "enable", "unlock"])
    user.add_argument("username", nargs="?", default=None)
    user.add_argument("--role", choices=["viewer", "operator", "admin"], default=None,
                      help="for add (default viewer) and role")
    from siyu.campaigns import cli as campaign_cli

    campaign_cli.add_parser(sub, _db_option)
    from siyu.alerts import cli as alerts_cli

    alerts_cli.add_parser(sub, _db_option, _param)
    return parser


def _read_password() -> str:
    import getpass

    if sys.stdin.isatty():
        first = getpass.getpass("新密码 / new password: ")
        if getpass.getpass("再输入一次 / again: ") != first:
            raise SiyuError("两次输入不一致 / the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _cmd_user(args: argparse.Namespace) -> int:
    from siyu.auth import accounts

    settings = load_settings(db=args.db)
    db, by, timeout = settings.db, "cli", settings.lock_timeout
    if args.action == "list":
        from siyu.output import to_json

        print(to_json(accounts.list_accounts(db, timeout)))
        return 0
    if not args.username:
        raise SiyuError(f"user {args.action} 需要用户名 / needs a username")
    if args.action == "add":
        name = accounts.create_account(db, args.username, _read_password(), args.role or "viewer", by=by,
                                       must_change=True, timeout=timeout)
        print(f"created {name} ({args.role or 'viewer'}); the password must be changed at the first login")
    elif args.action == "passwd":
        accounts.set_password(db, args.username, _read_password(), by=by, must_change=True, timeout=timeout)
        print(f"password of {args.username} set (and unlocked); it must be changed at the next login")
    elif args.action == "role":
        if not args.role:
            raise SiyuError("user role 需要 --role / needs --role")
        accounts.set_role(db, args.username, args.role, by=by, timeout=timeout)
    elif args.action in ("disable", "enable"):
        accounts.set_disabled(db, args.username, args.action == "disable", by=by, timeout=timeout)
    else:
        accounts.unlock(db, args.username, by=by, timeout=timeout)
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from siyu.demo import write_demo

    settings = load_settings(db=args.db)
    summary = write_demo(settings.db, members=args.members or settings.demo_members,
                         seed=settings.demo_seed if args.seed is None else args.seed,
                         timeout=settings.lock_timeout, order_scale=args.order_scale,
                         referral_scale=args.referral_scale)
    print(json.dumps(summary, ensure_ascii=False, indent=2, default=str), flush=True)
    _prepare_frames(settings)
    return 0


def _prepare_frames(settings) -> None:
    """After a write: store the frames the dashboard's pages start from next to the database
    (siyu.db.frame_store), so a dashboard started later does not fetch them (~2 s at 10M orders)."""
    from siyu.engine import frame_cache

    frame_cache.warm(settings.db, settings.lock_timeout)


def _cmd_import(args: argparse.Namespace) -> int:
    from siyu.ingest import import_cli

    settings = load_settings(db=args.db)
    # Each import writes its audit row ("<file>: batch N (cli)") in its own transaction.
    code = import_cli(settings, args.files, profile=args.profile, output=args.format, on_error=args.on_error,
                      snapshot_date=args.snapshot_date, encoding=args.encoding, sheet=args.sheet,
                      user=args.user, mapping=args.mapping)
    sys.stdout.flush()
    _prepare_frames(settings)
    return code


def _cmd_metric(args: argparse.Namespace) -> int:
    from siyu.db import reading
    from siyu.engine.catalog import CATALOG, run_metric
    from siyu.engine.population import apply_population, split_params
    from siyu.member_refs import attach
    from siyu.output import to_csv, to_json

    settings = load_settings(db=args.db)
    params = dict(args.param)
    if args.engine == "spark":
        return _metric_on_spark(args, settings, params)
    known = CATALOG.get(args.name)
    # The pages' global filters and a saved segment (`--param segment=NAME`) restrict any metric's population.
    scope, own = split_params(params, known.params if known else {})
    with reading(settings.db, settings.lock_timeout) as con:
        apply_population(con, scope)
        spec, frame = run_metric(con, args.name, own)
        frame = attach(con, frame)  # member_id: the member's own id from the exports; siyu_id beside it
    frame = member_output(settings, frame, f"metric {args.name}", params, args.format, full=args.full_phones)
    sys.stdout.write(to_csv(frame) if args.format == "csv" else to_json(frame, spec.single_row) + "\n")
    return 0


def _metric_on_spark(args: argparse.Namespace, settings, params: dict) -> int:
    """`metric NAME --engine spark --lake DIR`: the same output as the local engine's over the database the
    lake was exported from (siyu.spark)."""
    from siyu.member_refs import with_member_refs
    from siyu.output import to_csv, to_json
    from siyu.spark.job import collect_table, parse_conf, run_metric, session

    if not args.lake:
        raise SiyuError("--engine spark 需要 --lake DIR / --engine spark needs --lake DIR")
    spark = session(args.master, parse_conf(args.conf))
    plan, frame = run_metric(args.name, args.lake, params, spark=spark)
    frame = with_member_refs(frame, collect_table(spark, args.lake, "member_refs"))
    frame = member_output(settings, frame, f"metric {args.name} (spark)", params, args.format, full=args.full_phones)
    sys.stdout.write(to_csv(frame) if args.format == "csv" else to_json(frame, plan.single_row) + "\n")
    return 0


def _cmd_lake(args: argparse.Namespace) -> int:
    from siyu.db import reading
    from siyu.lake.export import export_lake

    settings = load_settings(db=args.db)
    if not Path(settings.db).exists():
        raise SiyuError(f"数据库 {settings.db} 不存在 / no database at {settings.db}")
    with reading(settings.db, settings.lock_timeout) as con:
        manifest = export_lake(con, args.out, buckets=args.buckets)
    print(json.dumps({"out": str(args.out), **manifest}, ensure_ascii=False, indent=2))
    return 0


def member_output(settings, frame, what: str, params: dict, fmt: str, *, full: bool):
    """Member-level output on the command line, like a dashboard download: phone columns masked unless
    `--full-phones`; full phones are written to the audit log first (user = the OS user), so no full list
    leaves without its row."""
    from siyu.auth import audit
    from siyu.privacy import mask_phones

    phones = [c for c in frame.columns if "phone" in c.lower()]
    if not phones:
        return frame
    if not full:
        return mask_phones(frame, phones)
    shown = " ".join(f"{k}={v}" for k, v in sorted(params.items()))
    audit.record_event(settings.db, os_user(), "download", detail=f"{what} {shown}".strip()[:400] + f" ({fmt}, full phones, cli)",
                       rows=frame.height, timeout=settings.lock_timeout)
    return frame


def os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (a bare container)
        import os

        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _cmd_report(args: argparse.Namespace) -> int:
    from siyu.db import query, reading
    from siyu.engine.population import apply_population, split_params
    from siyu.report import overview_report, parse_options
    from siyu.report.webhook import post_markdown

    settings = load_settings(db=args.db)
    params = dict(args.param)
    # Global filters, as on the pages: bound values restricting the members (channel/tier/staff/tag, a saved
    # segment) or orders (store).
    scope, params = split_params(params, {})
    options = parse_options(params)
    if not Path(settings.db).exists():
        raise SiyuError(f"数据库 {settings.db} 不存在 / no database at {settings.db}")
    from siyu.auth.runtime_settings import effective

    settings = effective(settings)  # the webhook URL an admin set on the dashboard (SIYU_WEBHOOK_URL wins)
    with reading(settings.db, settings.lock_timeout) as con:
        is_demo = bool(query(con, "latest_batch").item(0, "demo_batches"))
        data_exists = query(con, "data_bounds").item(0, "first_at") is not None  # before the filters narrow it
        apply_population(con, scope)
        report = overview_report(con, generated_by="python -m siyu report", is_demo=is_demo,
                                 filters=dict(scope.key()) or None, data_exists=data_exists, **options)
    try:
        args.out.write_text(report.html, encoding="utf-8")
    except OSError as exc:
        raise SiyuError(f"无法写入 {args.out}：{exc.strerror} / cannot write {args.out}") from None
    url = None if args.no_webhook else (args.webhook or settings.webhook_url or None)
    if url:
        post_markdown(url, report.summary)
    summary = {"out": str(args.out), "bytes": len(report.html.encode("utf-8")), "posted": bool(url),
               "start": report.range.start.isoformat() if report.range else None,
               "end": report.range.end.isoformat() if report.range else None, "grain": report.grain,
               "kpis": report.kpis}
    print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    return 0


def _cmd_campaign(args: argparse.Namespace) -> int:
    from siyu.campaigns import cli as campaign_cli

    return campaign_cli.run(args)


def _cmd_alerts(args: argparse.Namespace) -> int:
    from siyu.alerts import cli as alerts_cli

    return alerts_cli.run(args)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"]:  # every further argument is Streamlit's: no parsing here
        from siyu.ui.serve import main as serve

        return serve(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"demo": _cmd_demo, "import": _cmd_import, "metric": _cmd_metric, "report": _cmd_report,
                "user": _cmd_user, "lake": _cmd_lake, "campaign": _cmd_campaign, "alerts": _cmd_alerts}
    try:
        return handlers[args.command](args)
    except SiyuError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断，数据库未改动 / interrupted; the database is unchanged", file=sys.stderr)
        return 130
