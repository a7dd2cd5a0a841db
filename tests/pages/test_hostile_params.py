"""Hostile URL values on every page, logged in: nothing changes, nothing leaks, the page still opens.

(The login gate's own version, for anonymous visitors, is in test_auth_gate.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from siyu.db import reading

APP = str(Path(__file__).resolve().parents[2] / "app.py")
# overview, retention and channels have their own hostile-value tests (test_overview, test_retention_page,
# test_channels_page, test_global_filters)
PAGES = ["app_pages/members.py", "app_pages/membership.py", "app_pages/referrals.py",
         "app_pages/segments.py", "app_pages/import_data.py", "app_pages/admin.py"]
HOSTILE = "<script>window.x=1</script>' OR 1=1; DROP TABLE orders;--" + "x" * 3000
GLOBAL = {"start", "end", "grain", "lang", "channel", "tier", "store", "staff"}
READS = {"app_pages/retention.py": {"cohort", "measure", "mode"}, "app_pages/channels.py": {"by"},
         "app_pages/segments.py": {"standard"}}
PARAMS = ("start", "end", "grain", "lang", "channel", "tier", "store", "staff", "by", "cohort", "measure", "mode",
          "standard", "user", "role", "session")


def counts(db: Path) -> tuple:
    with reading(db) as con:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("orders", "members", "accounts", "audit_log", "app_settings"))


@pytest.mark.parametrize("page", PAGES)
def test_hostile_values_in_every_parameter_change_nothing(fixture_db, page):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({name: HOSTILE for name in PARAMS})
    at.run()
    before = counts(fixture_db)
    if page != "app_pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception and not at.error
    assert at.title[0].value  # the page itself opened, with defaults
    assert counts(fixture_db) == before
    shown = [e.value for e in [*at.markdown, *at.caption, *at.info, *at.success, *at.title, *at.header, *at.subheader]]
    assert not any("<script>" in str(text) or "DROP TABLE" in str(text) for text in shown)
    # dropped from the URL, or replaced by an allowed value (no parameter keeps the hostile text)
    # every parameter the page reads is dropped or replaced by an allowed value; the others (another page's,
    # or made up) are left alone and read by nobody
    kept = {k for k, v in at.query_params.items() if HOSTILE in str(v)}
    assert not kept & (GLOBAL | READS.get(page, set()))
