"""Helpers of the browser tests: the accounts, logging in through the form, requests that left this machine."""

from __future__ import annotations

from urllib.parse import urlparse

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


def outside(urls: list[str]) -> list[str]:
    out = []
    for url in urls:
        parts = urlparse(url)
        if parts.scheme in {"data", "blob", "about"}:
            continue
        if parts.hostname not in LOCAL_HOSTS:
            out.append(url)
    return out


