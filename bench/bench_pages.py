"""Page timings in a real browser: first render and a filter change of every dashboard page.

Usage: python bench/bench_pages.py --db /tmp/bench-pages.duckdb [--port 8597] [--pages overview,retention,...]

Starts the app the way README does (python -m streamlit run app.py, on --db, demo login), opens each page
in Debian's chromium (Playwright, 1440×900), and times
 - first render: from navigation until the script run is over (no running indicator for 0.5 s) on a fresh
   server process, so every cache is cold;
 - filter change: choosing the largest channel in the global filters, until the rerun is over (a cold
   metric cache for that scope: the worst case of a filter change).
Prints one Markdown table row per page.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["overview", "retention", "members", "referrals", "channels", "segments"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settle(page, timeout: float = 600.0) -> None:
    """Until the running indicator has been gone for 0.5 s."""
    deadline, quiet_since = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        running = page.locator("[data-testid=stStatusWidget]").count() > 0
        now = time.monotonic()
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= 0.5:
            return
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
    page.wait_for_timeout(100)
    settle(page)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args()
    port = args.port or free_port()
    env = {**os.environ, "SIYU_DB": str(args.db), "SIYU_AUTODEMO": "0"}
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                               "--server.headless", "true", "--server.address", "127.0.0.1"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
            print("| page | first render (s) | filter change (s) | exceptions |")
            print("|---|---|---|---|")
            for name in args.pages.split(","):
                started = time.perf_counter()
                page.goto(f"{url}/{'' if name == 'overview' else name}")
                page.locator("h1").first.wait_for(timeout=600_000)
                settle(page)
                first = time.perf_counter() - started
                try:
                    change = filter_change(page)
                except Exception as exc:  # noqa: BLE001 - report the page, keep measuring the others
                    page.screenshot(path=f"/tmp/bench_pages_{name}.png")
                    print(f"<!-- {name}: filter change failed: {type(exc).__name__} -->", flush=True)
                    change = float("nan")
                errors = page.get_by_test_id("stException").count()
                print(f"| {name} | {first:.2f} | {change:.2f} | {errors} |", flush=True)
                page.goto(f"{url}/{'' if name == 'overview' else name}")  # leave the filter behind: the next page starts unscoped
                settle(page)
                page.evaluate("() => 0")
            browser.close()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
