"""Page timings in a real browser: first render and a filter change of every dashboard page.

Usage: python bench/bench_pages.py --db PATH [--runs 3] [--pages overview,retention,...] [--json OUT]
                                   [--shared-server] [--port 8597]

Starts the app the way README does (python -m siyu serve, on --db, demo login) and opens the page in
Debian's chromium (Playwright, 1440×900) as soon as the server answers its health check (the time from
launch to that answer is recorded too: `server_ready_s`). Times
 - first render: from navigation until the script run is over (the running indicator gone and still gone
   0.5 s later; the time is taken when it went away). By default every page gets a fresh server process,
   so every cache is cold: the page pays for loading the order frame itself (issue #5: "each page's first
   render after start"). --shared-server opens the pages one after another on one server instead;
 - filter change: choosing the largest channel in the global filters, until the rerun is over (its scope
   caption drawn, then the running indicator gone; a scope not seen before: a cold metric cache for it,
   the worst case of a filter change).
The frames the pages start from are stored next to the database (siyu.db.frame_store) before the first
server starts, as `python -m siyu import` and `demo` leave them; --cold-store deletes them before every
server start instead, so each first render also fetches them from DuckDB (the first page view after the
store was lost, or after an import from an older siyu).
Each page is measured --runs times; prints a Markdown table of the medians (and every run), and with
--json OUT writes the runs, the medians, the machine and the commit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import store_frames  # noqa: E402

PAGES = ["overview", "retention", "members", "referrals", "channels", "segments"]
QUIET = 0.5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settle(page, since: float, timeout: float = 600.0) -> float:
    """Wait until the running indicator has been gone for QUIET s; returns when it went away (perf_counter),
    never earlier than `since`."""
    deadline, quiet_since = time.perf_counter() + timeout, None
    while time.perf_counter() < deadline:
        running = page.locator("[data-testid=stStatusWidget]").count() > 0
        now = time.perf_counter()
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = max(now, since)
        elif now - quiet_since >= QUIET:
            return quiet_since
        page.wait_for_timeout(50)
    raise TimeoutError("page did not settle")


def filter_change(page) -> float:
    """Pick the largest channel in the global filters; seconds until the rerun is over."""
    page.get_by_test_id("stExpander").filter(has_text="更多筛选").first.locator("summary").click(timeout=120_000)
    page.wait_for_timeout(500)
    page.get_by_test_id("stSelectbox").filter(has_text="渠道").first.click()
    option = page.locator("[role=option]").nth(1)  # the largest channel ("全部" is first)
    option.wait_for(timeout=30_000)
    started = time.perf_counter()
    option.click()
    # The rerun has surely started once it has drawn the scope caption (right under the filters): only then
    # can "no running indicator" mean "done" (a loaded server may take a while to pick the rerun up).
    page.get_by_text("当前范围：").first.wait_for(timeout=600_000)
    return settle(page, started) - started


@contextmanager
def server(db: Path, port: int):
    """A fresh `python -m siyu serve` on `db`, yielded (url, seconds from launch to health) once
    /_stcore/health answers."""
    env = {**os.environ, "SIYU_DB": str(db), "SIYU_AUTODEMO": "0"}
    launched = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "siyu", "serve", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not answer its health check within a minute")
        yield url, time.perf_counter() - launched
    finally:
        proc.terminate()
        proc.wait(20)


def prepare_store(db: Path, cold: bool) -> None:
    """Store the frames next to `db` as an import would (in a child process: this one stays small), or
    with `cold` delete them."""
    if cold:
        shutil.rmtree(f"{db}.frames", ignore_errors=True)
        return
    store_frames(db, ROOT)


def measure(browser, url: str, name: str) -> dict:
    """First render and filter change of one page on the server at `url`."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(f"{url}/{'' if name == 'overview' else name}")
        page.locator("h1").first.wait_for(timeout=600_000)
        first = settle(page, started) - started
        try:
            change = filter_change(page)
        except Exception as exc:  # report the page, keep measuring the others
            page.screenshot(path=f"/tmp/bench_pages_{name}.png")
            print(f"<!-- {name}: filter change failed: {type(exc).__name__} -->", flush=True)
            change = float("nan")
        errors = page.get_by_test_id("stException").count()
        return {"page": name, "first_render_s": round(first, 3), "filter_change_s": round(change, 3),
                "exceptions": errors, "load_average_1min": round(os.getloadavg()[0], 2)}
    finally:
        context.close()


def median(values: list[float]) -> float:
    clean = [v for v in values if v == v]
    return statistics.median(clean) if clean else float("nan")


def machine() -> dict:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "commit": commit,
            "load_average_at_start": list(os.getloadavg())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None, help="also write the runs and medians here")
    parser.add_argument("--cold-store", action="store_true",
                        help="delete the stored frames before every server start (they are fetched from DuckDB)")
    parser.add_argument("--shared-server", action="store_true",
                        help="one server for all pages of a run (only the first page starts cold)")
    args = parser.parse_args()
    pages = args.pages.split(",")
    info = machine()
    from playwright.sync_api import sync_playwright

    runs: list[dict] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        prepare_store(args.db, args.cold_store)
        for run in range(args.runs):
            if args.shared_server:
                if args.cold_store:
                    prepare_store(args.db, True)
                with server(args.db, args.port or free_port()) as (url, ready):
                    runs += [{**measure(browser, url, name), "run": run, "server_ready_s": round(ready, 2)}
                             for name in pages]
            else:
                for name in pages:
                    if args.cold_store:
                        prepare_store(args.db, True)
                    with server(args.db, args.port or free_port()) as (url, ready):
                        runs.append({**measure(browser, url, name), "run": run, "server_ready_s": round(ready, 2)})
                    print(f"<!-- run {run + 1}: {runs[-1]} -->", file=sys.stderr, flush=True)
        browser.close()

    rows = []
    print("| page | first render (s) | filter change (s) | exceptions | runs: first / change |")
    print("|---|---|---|---|---|")
    for name in pages:
        mine = [r for r in runs if r["page"] == name]
        row = {"page": name, "first_render_s": round(median([r["first_render_s"] for r in mine]), 2),
               "filter_change_s": round(median([r["filter_change_s"] for r in mine]), 2),
               "exceptions": max(r["exceptions"] for r in mine), "runs": len(mine)}
        rows.append(row)
        each = ", ".join(f"{r['first_render_s']:.2f} / {r['filter_change_s']:.2f}" for r in mine)
        print(f"| {name} | {row['first_render_s']:.2f} | {row['filter_change_s']:.2f} | {row['exceptions']} | {each} |",
              flush=True)
    if args.json:
        args.json.write_text(json.dumps({"db": str(args.db), "fresh_server_per_page": not args.shared_server,
                                         "frame_store": "deleted before every start" if args.cold_store else "prepared",
                                         "machine": info, "medians": rows, "runs": runs}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
