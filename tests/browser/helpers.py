"""Helpers of the browser tests: the accounts, logging in through the form, requests that left this machine."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from urllib.parse import urlparse

import pytest

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
PASSWORD = "browser-test-password"
ACCOUNTS = {"anna": "admin", "victor": "viewer"}


def login(page, user: str = "anna", password: str = PASSWORD) -> None:
    """Fill the login form (whatever the language) and wait for it to go away."""
    inputs = page.get_by_test_id("stTextInput").locator("input")
    inputs.first.wait_for(timeout=30_000)
    inputs.nth(0).fill(user)
    inputs.nth(1).fill(password)
    page.get_by_test_id("stFormSubmitButton").locator("button").click()
    page.get_by_test_id("stSidebarNav").wait_for(timeout=30_000)  # only logged-in sessions get a navigation


def login_if_asked(page, user: str = "anna", password: str = PASSWORD) -> None:
    """After a fresh page load: the login cookie keeps the session (issue #13), so log in only when the
    login form is what came up."""
    page.locator("[data-testid=stSidebarNav], [data-testid=stForm]").first.wait_for(timeout=30_000)
    if page.get_by_test_id("stSidebarNav").count() == 0:
        login(page, user, password)


def outside(urls: list[str]) -> list[str]:
    out = []
    for url in urls:
        parts = urlparse(url)
        if parts.scheme in {"data", "blob", "about"}:
            continue
        if parts.hostname not in LOCAL_HOSTS:
            out.append(url)
    return out


def wait_until_healthy(server: subprocess.Popen, url: str, log) -> None:
    """Until the Streamlit server at `url` answers its health check; the test fails with the server's log
    if it exits or takes over a minute."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            log.seek(0)
            pytest.fail(f"streamlit did not start at {url}:\n{log.read()[-3000:]}")
        time.sleep(0.3)  # polling the health endpoint: there is nothing to wait on
