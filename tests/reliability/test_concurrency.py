"""Concurrency: 20 dashboard sessions keep reading pages of one Streamlit server while
`python -m siyu import` writes the same DuckDB file from another process.

Each session is a real Streamlit session over the server's websocket (`/_stcore/stream`, the
protocol the browser speaks: BackMsg rerun requests in, ForwardMsg deltas out), logged in through
the login form, on one of the six analysis pages; no browser is needed to read what a page shows, so
20 of them fit in a few seconds. (AppTest cannot do this: its script runner shares one Runtime
singleton, and concurrent AppTests in threads fail with "Runtime hasn't been created!".)

What this proves: while the import runs (and holds DuckDB's write lock), every page run of every
session finishes without an exception element or an error message (the lock is waited for, not
reported), and what each run shows (every metric card, every chart's figure, every text) is exactly
the page as it was before the import or exactly as a fresh session sees it after, never a mixture;
after the import every session shows the new data.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from tests.browser.conftest import _free_port
from tests.browser.helpers import wait_until_healthy
from tests.pages.small_db import build_fixture

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "reliability-sessions"
PAGES = ["overview", "retention", "members", "referrals", "channels", "segments"]
SESSIONS = 20
EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
# The server's argon2 at test cost (the production parameters spend ~0.2 s per login on purpose).
CHEAP_ARGON2 = textwrap.dedent("""
    import sys
    from argon2 import PasswordHasher
    import siyu.auth.accounts as accounts
    accounts.HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    from streamlit.web.cli import main
    sys.argv = ["streamlit", "run", "app.py", *sys.argv[1:]]
    sys.exit(main())
""")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    from argon2 import PasswordHasher

    from siyu.auth import accounts

    tmp = tmp_path_factory.mktemp("sessions")
    db = build_fixture(tmp / "shared.duckdb")
    original = accounts.HASHER
    accounts.HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    try:
        accounts.create_account(db, "anna", PASSWORD, "admin", by="tests")
    finally:
        accounts.HASHER = original
    port = _free_port()
    env = {**os.environ, "SIYU_DB": str(db), "SIYU_AUTODEMO": "0", "SIYU_LANG": "zh", "SIYU_LOCK_TIMEOUT": "60"}
    log = open(tmp / "streamlit.log", "w+")
    proc = subprocess.Popen([sys.executable, "-c", CHEAP_ARGON2, "--server.port", str(port), "--server.headless",
                             "true", "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    wait_until_healthy(proc, f"http://127.0.0.1:{port}", log)
    yield f"127.0.0.1:{port}", db
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.seek(0)
    assert "Traceback" not in log.read(), "the server logged an exception"
    log.close()


class Session:
    """One dashboard session over the websocket, as a browser tab would drive it."""

    def __init__(self, host: str, page: str) -> None:
        self.host, self.page = host, page
        self.page_hash = ""
        self.pages: dict[str, str] = {}
        self.runs: list[tuple[float, float, list[tuple]]] = []

    async def __aenter__(self) -> Session:
        # ping_timeout: the client's keepalive gives up on a server that has not answered a ping in this time
        # (websockets' default, 20 s, failed the test on a machine with a load average of 12 on 2 cores while 20
        # sessions and an import ran); it is what fails the test if the server hangs.
        self.ws = await websockets.connect(f"ws://{self.host}/_stcore/stream", subprotocols=["streamlit"],
                                           max_size=None, ping_timeout=180)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()

    async def run(self, widgets: list[WidgetState] | None = None) -> list[tuple]:
        """One rerun; returns what the page showed when the run finished."""
        msg = BackMsg()
        msg.rerun_script.page_script_hash = self.page_hash
        msg.rerun_script.widget_states.widgets.extend(widgets or [])
        started = time.monotonic()
        await self.ws.send(msg.SerializeToString())
        elements: dict[tuple[int, ...], object] = {}
        while True:
            fm = ForwardMsg.FromString(await self.ws.recv())
            kind = fm.WhichOneof("type")
            if kind == "new_session":  # a (re)run begins: the page is drawn from scratch
                elements = {}
            elif kind == "navigation":
                self.pages = {p.url_pathname or "overview": p.page_script_hash for p in fm.navigation.app_pages}
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                elements[tuple(fm.metadata.delta_path)] = fm.delta.new_element
            elif kind == "ref_hash":
                raise AssertionError("the server referred to a cached message this client never announced")
            elif kind == "script_finished" and fm.script_finished != EARLY_FOR_RERUN:
                shown = _shown(elements)
                self.runs.append((started, time.monotonic(), shown))
                return shown

    async def log_in(self) -> None:
        form = await self._raw_run()
        inputs = [e.text_input.id for e in form if e.WhichOneof("type") == "text_input"]
        submit = [e.button.id for e in form if e.WhichOneof("type") == "button" and e.button.is_form_submitter]
        assert len(inputs) == 2 and len(submit) == 1, "no login form"
        states = [WidgetState(id=inputs[0], string_value="anna"), WidgetState(id=inputs[1], string_value=PASSWORD),
                  WidgetState(id=submit[0], trigger_value=True)]
        await self.run(states)
        self.page_hash = self.pages[self.page]
        self.runs.clear()

    async def _raw_run(self) -> list:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        await self.ws.send(msg.SerializeToString())
        elements: dict[tuple[int, ...], object] = {}
        while True:
            fm = ForwardMsg.FromString(await self.ws.recv())
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                elements = {}
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                elements[tuple(fm.metadata.delta_path)] = fm.delta.new_element
            elif kind == "script_finished" and fm.script_finished != EARLY_FOR_RERUN:
                return [elements[k] for k in sorted(elements)]


def _rounded(value: object) -> object:
    """Floats to 10 significant digits: a parallel sum differs run to run in the last bit, which no one sees."""
    if isinstance(value, float):
        return float(f"{value:.10g}")
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:  # plotly's base64 typed arrays
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            return _rounded(array.astype(float).tolist() if array.dtype.kind == "f" else array.tolist())
        return {k: _rounded(v) for k, v in value.items()}
    return value


def _figure_digest(spec: str) -> str:
    return hashlib.sha256(json.dumps(_rounded(json.loads(spec)), sort_keys=True).encode()).hexdigest()


def _shown(elements: dict[tuple[int, ...], object]) -> list[tuple]:
    """What a person sees: every card, figure, text, alert and exception, in page order."""
    out = []
    for path in sorted(elements):
        el = elements[path]
        kind = el.WhichOneof("type")
        if kind == "metric":
            out.append(("metric", el.metric.label, el.metric.body, el.metric.delta))
        elif kind == "plotly_chart":
            out.append(("chart", _figure_digest(el.plotly_chart.spec)))
        elif kind == "markdown":
            out.append(("text", el.markdown.body))
        elif kind == "alert":
            out.append(("alert", el.alert.format, el.alert.body))
        elif kind == "exception":
            out.append(("exception", el.exception.type, el.exception.message))
        elif kind in ("arrow_data_frame", "arrow_table"):
            out.append(("table", hashlib.sha256(getattr(el, kind).data).hexdigest()))
        elif kind == "heading":
            out.append(("heading", el.heading.body))
    return out


def _diff(a: list[tuple], b: list[tuple]) -> list[tuple]:
    return [(i, x, y) for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y] + (
        [("length", len(a), len(b))] if len(a) != len(b) else [])


def _problems(shown: list[tuple]) -> list[tuple]:
    return [e for e in shown if e[0] == "exception" or (e[0] == "alert" and e[1] == 1)]  # 1 = ERROR


async def _snapshot(host: str) -> dict[str, list[tuple]]:
    """Each page as a fresh session sees it now."""
    async def one(page: str) -> list[tuple]:
        async with Session(host, page) as s:
            await s.log_in()
            return await s.run()

    shown = await asyncio.gather(*[one(p) for p in PAGES])
    return dict(zip(PAGES, shown, strict=True))


def _orders(path: Path, n: int) -> Path:
    """New buyers' orders inside the fixture's months, so every page's numbers move."""
    pl.DataFrame({
        "order_id": [f"N{i}" for i in range(n)],
        "member_id": [f"NEW{i % (n // 4)}" for i in range(n)],
        "paid_at": [f"2024-0{1 + i % 3}-{1 + i % 28:02d} {i % 24:02d}:00:00" for i in range(n)],
        "amount": [f"{10 + i % 500}.{i % 100:02d}" for i in range(n)],
        "status": ["paid"] * n,
    }).write_csv(path)
    return path


def test_twenty_sessions_see_the_old_or_the_new_data_while_an_import_runs(server, tmp_path: Path) -> None:
    host, db = server
    orders = _orders(tmp_path / "orders.csv", 40_000)

    async def scenario() -> tuple[dict, dict, list[Session], tuple[float, float, int, str]]:
        sessions = [Session(host, PAGES[i % len(PAGES)]) for i in range(SESSIONS)]
        for s in sessions:
            await s.__aenter__()
        try:
            await asyncio.gather(*[s.log_in() for s in sessions])
            # Before the import: every session of a page shows the same thing.
            before: dict[str, list[tuple]] = {}
            for s, shown in zip(sessions, await asyncio.gather(*[s.run() for s in sessions]), strict=True):
                assert before.setdefault(s.page, shown) == shown, s.page
            started = time.monotonic()
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "siyu", "import", "--db", str(db), str(orders), cwd=ROOT,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            done = asyncio.ensure_future(proc.communicate())

            async def keep_reading(s: Session) -> None:
                while not done.done():
                    await s.run()
                await s.run()  # once more after the import

            await asyncio.gather(*[keep_reading(s) for s in sessions])
            _, err = await done
            imported = (started, time.monotonic(), proc.returncode, err.decode())
        finally:
            for s in sessions:
                await s.__aexit__()
        return before, await _snapshot(host), sessions, imported

    # A loop of its own in a thread: Playwright's sync API (the browser tests) keeps one running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        before, after, sessions, (started, ended, code, err) = pool.submit(asyncio.run, scenario()).result()
    assert code == 0, err
    for page in PAGES:
        assert not _problems(before[page]) and not _problems(after[page]), page
        assert any(e[0] == "heading" for e in before[page]), f"{page} did not draw"
    changed = [p for p in PAGES if before[p] != after[p]]
    assert {"overview", "retention", "channels", "segments"} <= set(changed), changed
    during = 0
    for s in sessions:
        assert s.runs, s.page
        for run_start, run_end, shown in s.runs:
            assert not _problems(shown), (s.page, _problems(shown))
            assert shown in (before[s.page], after[s.page]), (
                f"{s.page} showed a mixture of old and new data: not as before {_diff(shown, before[s.page])}, "
                f"not as after {_diff(shown, after[s.page])}")
            during += run_start < ended and run_end > started
        assert s.runs[-1][2] == after[s.page], f"{s.page} still shows the old data after the import"
    assert during >= SESSIONS  # every session read while the import ran
