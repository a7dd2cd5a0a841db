"""`python -m siyu serve [streamlit options]`: the dashboard, with its code imported before it answers.

`streamlit run app.py` imports pandas, Plotly, Polars, DuckDB and the pages' modules during the first
visitor's first script run (~1 s on a 2-core machine), and loads the data frames there too
(siyu.engine.frame_cache). This launcher imports the modules first, starts loading the frames in a
background thread (from the files kept next to the database: ~0.3 s at 10M orders), then hands over to
`streamlit run siyu_server.py` (app.py as Streamlit's st.App, plus the route that sets the login cookie: see
siyu/ui/session_route.py) in the same process. Options, .streamlit/config.toml and secrets are Streamlit's
own: every argument passes through (`python -m siyu serve --server.port 8502`).

With no account in the database yet, the first admin and its one-time password are created and printed
here, when the server starts, before anyone opens a browser.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "siyu_server.py"  # app.py, served with the login-cookie route

# What the pages import (app_pages/*.py and what they reach); a module missing here is simply imported by
# the first page that needs it, as before.
MODULES = (
    "pandas", "plotly.graph_objects", "polars", "duckdb", "pyarrow",
    "streamlit.elements.plotly_chart", "streamlit.emojis",
    "siyu.engine.catalog", "siyu.metrics.page_frames", "siyu.ingest", "siyu.report",
    "siyu.ui.auth", "siyu.ui.banner", "siyu.ui.cache", "siyu.ui.i18n", "siyu.ui.page_start",
    "siyu.ui.scope_filter", "siyu.ui.filters", "siyu.ui.page_filters", "siyu.ui.tables", "siyu.ui.widgets",
    "siyu.ui.downloads", "siyu.ui.report", "siyu.ui.cost_view", "siyu.ui.session_cookie", "siyu.ui.routes",
    "siyu.charts.overview", "siyu.charts.retention", "siyu.charts.members", "siyu.charts.referrals",
    "siyu.charts.channels", "siyu.charts.channel_costs", "siyu.charts.segments", "siyu.charts.clv",
)


def preload() -> list[str]:
    """Import MODULES; returns those that could not be imported (the page that needs one reports it)."""
    # st.cache_data warns "No runtime found" when a cached function is declared before the server runs;
    # harmless (each cache is created on its first call, inside the runtime), so not shown.
    quiet = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    no_runtime = _Drop("No runtime found")
    quiet.addFilter(no_runtime)
    missing = []
    try:
        for name in MODULES:
            try:
                importlib.import_module(name)
            except ImportError:
                missing.append(name)
    finally:
        quiet.removeFilter(no_runtime)
    return missing


class _Drop(logging.Filter):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def filter(self, record: logging.LogRecord) -> bool:
        return self.text not in record.getMessage()


def _warm_frames() -> None:
    """Load the frames every page starts from, in the background (errors are the pages' to report)."""
    def work() -> None:
        from siyu.config import load_settings
        from siyu.engine import frame_cache
        from siyu.errors import ConfigError

        try:
            settings = load_settings()
        except ConfigError as exc:  # a bad SIYU_* variable: the page shows it to the person, in full
            logging.getLogger(__name__).warning("frames not loaded ahead: %s", exc)
            return
        if Path(settings.db).exists():
            frame_cache.warm(settings.db, settings.lock_timeout)  # logs what it cannot load

    threading.Thread(target=work, name="siyu-serve-warm-up", daemon=True).start()


def _first_admin() -> None:
    """Create the first admin now (and print its one-time password on this console), not at the first visit."""
    try:
        from siyu.config import load_settings
        from siyu.ui.auth import bootstrap

        bootstrap(load_settings())
    except Exception:  # a bad SIYU_* variable or a locked file: the page reports it
        pass


def main(argv: Sequence[str]) -> int:
    preload()
    _first_admin()
    _warm_frames()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *argv]
    return cli.main()
