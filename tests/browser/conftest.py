"""Shared by the browser tests: one app start (on the hand-built database of tests/pages/small_db.py, with
an admin and a viewer account) and one chromium for the whole session, a login helper, and the check
that no request left this machine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.helpers import ACCOUNTS, PASSWORD, wait_until_healthy
from tests.pages.small_db import build_fixture

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db: Path, log_dir: Path, *, env: dict[str, str] | None = None, args: tuple[str, ...] = (),
              port: int | None = None):
    """Start the dashboard as README does (`python -m siyu serve`) on `db`; returns (process, url, log file). Fails the test if it does not
    answer its health check within 60 s."""
    port = port or _free_port()
    full_env = {**os.environ, "SIYU_DB": str(db), "SIYU_AUTODEMO": "0", "SIYU_LANG": "zh", **(env or {})}
    log = open(log_dir / "streamlit.log", "w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "siyu", "serve", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", *args],
        cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_until_healthy(server, url, log)
    return server, url, log



def stop_app(server: subprocess.Popen, log) -> None:
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    db = build_fixture(tmp_path_factory.mktemp("browser") / "small.duckdb")
    from siyu.auth import accounts

    for name, role in ACCOUNTS.items():
        accounts.create_account(db, name, PASSWORD, role, by="tests")
    server, url, log = start_app(db, tmp_path_factory.mktemp("log"))
    yield url
    stop_app(server, log)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/test.sh` (installs chromium and fonts-noto-cjk as root) "
                    "or `apt-get install -y chromium fonts-noto-cjk`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2300}, locale="zh-CN", accept_downloads=True)
    tab = context.new_page()
    tab.requests = []  # every URL the page asked for
    tab.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    context.close()
