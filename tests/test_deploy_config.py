"""The shipped Streamlit settings keep the dashboard private by default (docs/deploy.md)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_listens_on_localhost_with_xsrf_protection_and_an_upload_limit():
    server = CONFIG["server"]
    assert server["address"] == "127.0.0.1"
    assert server["enableXsrfProtection"] is True
    assert server.get("enableCORS", True) is True
    assert 0 < server["maxUploadSize"] <= 1024
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_no_pages_folder_that_streamlit_would_run_without_the_login_gate():
    # Streamlit runs a `pages/` folder beside app.py as a v1 multipage app, bypassing app.py's gate.
    assert not (ROOT / "pages").exists()
    assert not (ROOT / ".streamlit" / "secrets.toml").exists() or "auth" in (
        ROOT / ".streamlit" / "secrets.toml").read_text(encoding="utf-8")
