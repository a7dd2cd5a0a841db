"""`python -m bench`: build the scale data set, run every benchmark next to its baselines, write one table.

    python -m bench all --scale 10m            # data set (if missing) + every section, results in bench/results/
    python -m bench all --scale toy --only import,kpis --runs 1
    python -m bench data --scale 10m           # only build the data set
    python -m bench growth --scales 1m,10m,30m # import, kpis, retention, rfm, BG/NBD at each scale
    python -m bench targets --scale 10m        # results/targets.md: every issue target against the figures
    python -m bench doc                        # copy results/*.md into BENCHMARKS.md's marked regions

Every measurement runs in its own child process (peak RSS = that measurement's own `ru_maxrss`), with
the baseline of the same definition measured in the same session, right next to it:
- import: siyu's `import_file` vs pandas `read_csv` + insert vs DuckDB's own COPY (floor), of the same
  generic CSV and GB18030 有赞 export; siyu's valid orders and net amount must equal the demo database's;
- metrics: `bench/bench_metrics.py` children (siyu cold and warm, the pandas definition, a DuckDB scan);
- kpis: `bench/bench_kpis.py --json`;
- BG/NBD: siyu's fit of the database's rfm summary vs a plain scipy fit vs lifetimes (in the side venv
  bench/.venv-lifetimes, created on first use from bench/requirements-lifetimes.txt);
- pages: `bench/bench_pages.py` (real Chromium), owned by the page-speed work; called, not reimplemented.
Any answer that differs from its baseline fails the run (exit 1) after the results are written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
LIFETIMES_VENV = BENCH / ".venv-lifetimes"
SECTIONS = ("import", "metrics", "kpis", "bgnbd", "pages")
GROWTH_METRICS = ("retention", "rfm")
# GB of peak memory per million orders, measured at 10M (used to skip what cannot fit): see BENCHMARKS.md.
# siyu's import is held to ~1.5 GB whatever the size since #15 (DuckDB reads and writes in the transaction).
MEMORY_PER_M_ORDERS = {"siyu import": 0.15, "pandas read_csv + insert": 0.3, "DuckDB COPY (floor)": 0.1,
                       "metric": 0.2, "kpis": 0.2, "bgnbd": 0.05, "demo": 0.35}

sys.path.insert(0, str(ROOT))


class Mismatch(Exception):
    pass


def log(text: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {text}", file=sys.stderr, flush=True)


def available_gb() -> float:
    with open("/proc/meminfo") as f:
        info = dict(line.split(":", 1) for line in f)
    return int(info["MemAvailable"].split()[0]) / 2**20


def fits(what: str, orders: int) -> str | None:
    """None when the measurement should fit in the memory available now, else why it is skipped."""
    need = MEMORY_PER_M_ORDERS[what] * orders / 1e6 * 1.3 + 0.5
    have = available_gb()
    return None if have >= need else f"skipped: needs ~{need:.1f} GB, {have:.1f} GB available (shared machine)"


def child_json(cmd: list[str], timeout: float = 3600) -> dict:
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd[:4])} … failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ machine

def machine_info() -> dict:
    import duckdb
    import numpy
    import pandas
    import polars
    import scipy
    import streamlit

    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = "unknown"
    git = lambda *a: subprocess.run(["git", *a], capture_output=True, text=True, cwd=ROOT).stdout.strip()  # noqa: E731
    return {
        "cores": os.cpu_count(), "cpu": cpu,
        "ram_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "available_gib_at_start": round(available_gb(), 1), "load_average_at_start": os.getloadavg(),
        "python": sys.version.split()[0], "duckdb": duckdb.__version__, "polars": polars.__version__,
        "pandas": pandas.__version__, "numpy": numpy.__version__, "scipy": scipy.__version__,
        "streamlit": streamlit.__version__, "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def machine_line(m: dict) -> str:
    return (f"{m['cores']} cores ({m['cpu']}), {m['ram_gib']:.0f} GiB RAM ({m['available_gib_at_start']:.0f} GiB "
            f"available at start), load average {m['load_average_at_start'][0]:.1f} at start / "
            f"{m.get('load_average_at_end', [float('nan')])[0]:.1f} at end; Python {m['python']}, duckdb {m['duckdb']}, "
            f"polars {m['polars']}, pandas {m['pandas']}, numpy {m['numpy']}, scipy {m['scipy']}, "
            f"streamlit {m['streamlit']}; commit {m['commit']}{' (uncommitted changes)' if m['dirty'] else ''}; "
            f"{m['started']}")


# ------------------------------------------------------------------ sections

IMPORT_METHODS = {"siyu": "siyu import", "pandas": "pandas read_csv + insert", "copy": "DuckDB COPY (floor)"}


def run_import(data, runs: int, files: tuple[str, ...] = ("generic", "youzan"),
               methods: tuple[str, ...] = tuple(IMPORT_METHODS)) -> list[dict]:
    from bench.bench_import import _measure

    rows = []
    for key in files:
        path, encoding = (data.csv, "utf-8") if key == "generic" else (data.youzan, "gb18030")
        expected = data.manifest["expected"][key]
        row = {"file": key, "path": str(path), "rows": expected["orders"], "mb": path.stat().st_size / 2**20}
        kinds = []
        for kind, label in IMPORT_METHODS.items():
            if kind not in methods:
                continue
            why = fits(label, expected["orders"])
            if why:
                row[kind] = {"skipped": why}
                log(f"import {key} {kind}: {why}")
            else:
                kinds.append(kind)
        results: dict[str, list[dict]] = {kind: [] for kind in kinds}
        for i in range(runs):   # taking turns: siyu, pandas, COPY, siyu, ... (a load change hits all alike)
            for kind in kinds:
                log(f"import {key} ({expected['orders']:,} rows) {kind} run {i + 1}/{runs}")
                results[kind].append(_measure(kind, path, data.dir, encoding))
        for kind, rs in results.items():
            row[kind] = {"seconds": statistics.median(r["seconds"] for r in rs), "all_seconds": [r["seconds"] for r in rs],
                         "peak_mb": max(r["peak_mb"] for r in rs),
                         **{k: v for k, v in rs[-1].items() if k not in ("seconds", "peak_mb")}}
        siyu = row.get("siyu", {})
        if "seconds" in siyu:
            got = {k: siyu[k] for k in ("orders", "valid_orders", "valid_net_cents")}
            row["equal"] = got == {k: expected[k] for k in got}
            if not row["equal"]:
                row["mismatch"] = {"siyu": got, "demo database": expected}
        rows.append(row)
    return rows


def run_metrics(data, runs: int, cases: list[str] | None) -> list[dict]:
    from bench.bench_metrics import CASES
    from bench.common import store_frames

    out = []
    n = data.manifest["expected"]["counts"]["orders"]
    # The frame store as `python -m siyu import`/`demo` leave it, so every case's cold run reads it (a data
    # set built by an older siyu has none; otherwise the first case alone would fetch and write it).
    store_frames(data.db, ROOT, check=False)
    for case in cases or list(CASES):
        why = fits("metric", n)
        if why:
            out.append({"case": case, "skipped": why})
            continue
        log(f"metric {case}")
        try:
            out.append(child_json([sys.executable, str(BENCH / "bench_metrics.py"), "--db", str(data.db),
                                   "--runs", str(runs), "--child", case]))
        except RuntimeError as exc:
            out.append({"case": case, "error": str(exc)[-600:]})
    return out


def run_kpis(data, runs: int) -> dict:
    why = fits("kpis", data.manifest["expected"]["counts"]["orders"])
    if why:
        return {"skipped": why}
    log("kpis")
    return child_json([sys.executable, str(BENCH / "bench_kpis.py"), "--db", str(data.db), "--runs", str(runs),
                       "--json"])


def lifetimes_python() -> tuple[Path | None, str]:
    """The side venv's python, creating it on first use; (None, why) when lifetimes does not install."""
    python = LIFETIMES_VENV / "bin" / "python"
    if not python.exists():
        log(f"creating {LIFETIMES_VENV} for lifetimes (pandas < 3)")
        made = subprocess.run([sys.executable, "-m", "venv", str(LIFETIMES_VENV)], capture_output=True, text=True)
        if made.returncode == 0:
            made = subprocess.run([str(python), "-m", "pip", "install", "-q", "-r",
                                   str(BENCH / "requirements-lifetimes.txt")], capture_output=True, text=True)
        if made.returncode:
            return None, f"lifetimes did not install: {made.stderr.strip().splitlines()[-1:]}"
    check = subprocess.run([str(python), "-c", "import lifetimes"], capture_output=True, text=True)
    if check.returncode:
        return None, f"lifetimes does not import: {check.stderr.strip().splitlines()[-1:]}"
    return python, ""


def run_bgnbd(data, runs: int) -> dict:
    import numpy as np

    why = fits("bgnbd", data.manifest["expected"]["counts"]["orders"])
    if why:
        return {"skipped": why}
    log("BG/NBD: siyu and plain scipy")
    summary_csv = data.dir / "rfm_weeks.csv"
    out = child_json([sys.executable, str(BENCH / "bench_bgnbd.py"), "--db", str(data.db), "--runs", str(runs),
                      "--summary-csv", str(summary_csv)])
    python, why = lifetimes_python()
    if python is None:
        out["lifetimes"] = {"skipped": why}
        return out
    log("BG/NBD: lifetimes (side venv)")
    lt = child_json([str(python), str(BENCH / "lifetimes_fit.py"), str(summary_csv), str(runs)])
    ours, theirs = np.array(out["params"]), np.array(lt["params"])
    lt["max_rel_diff"] = float(np.max(np.abs(ours - theirs) / np.abs(theirs)))
    out["lifetimes"] = lt
    out["equal"] = lt["max_rel_diff"] < 1e-3 and out["max_rel_diff_plain"] < 1e-2
    return out


def run_pages(data, timeout: float, runs: int = 3) -> dict:
    """bench/bench_pages.py on a copy of the scale database (the app may write accounts and audit rows)."""
    import shutil

    db = data.dir / "pages.duckdb"
    shutil.copyfile(data.db, db)
    out_json = data.dir / "pages.json"
    out_json.unlink(missing_ok=True)
    cmd = [sys.executable, str(BENCH / "bench_pages.py"), "--db", str(db)]
    help_text = subprocess.run(cmd[:2] + ["--help"], capture_output=True, text=True, cwd=ROOT).stdout
    if "--json" in help_text:
        cmd += ["--json", str(out_json)]
    if "--runs" in help_text:
        cmd += ["--runs", str(runs)]
    log("pages (real browser)")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"bench_pages.py did not finish in {timeout:.0f} s"}
    finally:
        db.unlink(missing_ok=True)
        shutil.rmtree(f"{db}.frames", ignore_errors=True)
    result: dict = {"markdown": proc.stdout.strip(), "returncode": proc.returncode}
    if proc.returncode:
        result["error"] = proc.stderr[-1500:]
    rows = []
    if out_json.exists():
        result["json"] = json.loads(out_json.read_text())
        rows = [{"page": r["page"], "first_render": r.get("first_render_s"), "filter_change": r.get("filter_change_s")}
                for r in result["json"].get("medians", [])]
    if not rows:   # parse the Markdown table: | page | first render (s) | filter change (s) | ...
        for line in proc.stdout.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 3 and re.fullmatch(r"[\d.]+|nan", cells[1] or "x"):
                rows.append({"page": cells[0], "first_render": float(cells[1]), "filter_change": float(cells[2])})
    result["rows"] = rows
    return result


# ------------------------------------------------------------------ report

def fmt_s(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x * 1000:.0f} ms" if x < 0.1 else f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a and b else "—"


def same(flag: bool | None) -> str:
    return {True: "yes", False: "**NO**"}.get(flag, "—")


def render(result: dict) -> str:
    m, data = result["machine"], result["data"]
    c = data["expected"]["counts"]
    lines = [f"### Scale `{result['scale']}`: {c['members']:,} members, {c['orders']:,} orders "
             f"({c['valid_orders']:,} valid), {c['referrals']:,} referral edges", "",
             f"`python -m bench all --scale {result['scale']}` — medians of {result['runs']} runs, every "
             "measurement in its own process; peak = that process's peak RSS (MiB).", "",
             f"Machine: {machine_line(m)}.", ""]
    loads = result.get("load", {})
    if loads:
        lines += ["Load average (1 min) at the start → end of each section, from the other work on the machine: "
                  + "; ".join(f"{k} {a:.1f} → {b:.1f}" for k, (a, b) in loads.items()) + ".", ""]
    if "import" in result:
        lines += ["**Import** (rows/s in brackets; pandas / siyu > 1 means siyu is faster; siyu / floor is how "
                  "many times DuckDB's bare COPY siyu takes)", "",
                  "| file | rows | size | siyu import | pandas read_csv + insert | DuckDB COPY (floor) | "
                  "pandas / siyu | siyu / floor | peak siyu / pandas / floor | same answer |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for r in result["import"]:
            cells = []
            for kind in ("siyu", "pandas", "copy"):
                x = r.get(kind, {})
                cells.append(x["skipped"] if "skipped" in x else "not run" if "seconds" not in x else
                             f"{fmt_s(x['seconds'])} ({r['rows'] / x['seconds']:,.0f}/s)")
            sec = {k: r.get(k, {}).get("seconds") for k in ("siyu", "pandas", "copy")}
            peaks = " / ".join(f"{r[k]['peak_mb']:,.0f}" if "peak_mb" in r.get(k, {}) else "—"
                               for k in ("siyu", "pandas", "copy"))
            name = "generic_orders CSV" if r["file"] == "generic" else "有赞 orders, GB18030"
            lines.append(f"| {name} | {r['rows']:,} | {r['mb']:,.0f} MiB | {' | '.join(cells)} | "
                         f"{ratio(sec['pandas'], sec['siyu'])} | {ratio(sec['siyu'], sec['copy'])} | {peaks} | "
                         f"{same(r.get('equal'))} |")
        lines.append("")
    if "metrics" in result:
        lines += ["**Metrics** (warm = the narrow order frame already cached in the process, as in the "
                  "dashboard; cold = a fresh process: the frames read from the store next to the database "
                  "(siyu.db.frame_store, as an import leaves it) + metric; rfm_segments and super_users keep "
                  "their result per data state, so their warm run is that memo; pandas on a fetched frame, its "
                  "fetch in brackets; end-to-end = (pandas + its fetch) / siyu cold)", "",
                  "| metric | siyu warm | siyu cold | pandas (fetch) | pandas / siyu warm | end-to-end | "
                  "DuckDB floor | siyu warm / floor | peak | rows | same answer |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in result["metrics"]:
            if "skipped" in r or "error" in r:
                lines.append(f"| {r['case']} | {r.get('skipped') or 'error: ' + r['error'][-120:].replace('|', '/')}"
                             " | | | | | | | | | |")
                continue
            pandas = (f"{fmt_s(r['pandas'])}" + (f" (+{fmt_s(r['pandas_fetch'])})" if "pandas_fetch" in r else "")
                      if "pandas" in r else "—")
            e2e = ratio(r["pandas"] + r.get("pandas_fetch", 0), r["cold"]) if "pandas" in r else "—"
            lines.append(f"| {r['case']} | {fmt_s(r['warm'])} | {fmt_s(r['cold'])} | {pandas} | "
                         f"{ratio(r.get('pandas'), r['warm'])} | {e2e} | {fmt_s(r.get('floor'))} | "
                         f"{ratio(r['warm'], r.get('floor'))} | "
                         f"{r['rss_mb']:,.0f} | {r['rows']:,} | {same(r.get('equal'))} |")
        lines.append("")
    if "kpis" in result:
        k = result["kpis"]
        lines += ["**KPIs** (`metric kpis`, whole range; medians of the runs after a first call in the same process, which reads the cached order frame: warm. The peak is the bench process\'s, which also holds the pandas baseline\'s fetch)", "",
                  "| task | siyu | pandas | DuckDB floor | pandas / siyu | siyu / floor | peak | same answer |",
                  "|---|---|---|---|---|---|---|---|"]
        lines.append(f"| kpis | {k['skipped']} | | | | | | |" if "skipped" in k else
                     f"| kpis | {fmt_s(k['siyu'])} | {fmt_s(k['pandas'])} | {fmt_s(k['floor'])} | "
                     f"{ratio(k['pandas'], k['siyu'])} | {ratio(k['siyu'], k['floor'])} | {k['peak_mb']:,.0f} | "
                     f"{same(k['equal'])} |")
        lines.append("")
    if "bgnbd" in result:
        b = result["bgnbd"]
        lines += ["**BG/NBD fit** on the database's own rfm summary (weeks, as `metric clv` fits it)", ""]
        if "skipped" in b:
            lines += [b["skipped"], ""]
        else:
            lt = b.get("lifetimes", {})
            lt_cell = lt.get("skipped") or f"{fmt_s(lt['seconds'])} (lifetimes {lt['version']}, pandas {lt['pandas']})"
            lines += ["| buyers | distinct (x, t_x, T) | rfm summary | siyu fit | plain scipy | lifetimes | "
                      "lifetimes / siyu | scipy / siyu | max rel. diff of (r, α, a, b) vs lifetimes / scipy | peak | same answer |",
                      "|---|---|---|---|---|---|---|---|---|---|---|",
                      f"| {b['buyers']:,} | {b['distinct']:,} | {fmt_s(b['summary_seconds'])} | {fmt_s(b['siyu'])} | "
                      f"{fmt_s(b['plain'])} | {lt_cell} | {ratio(lt.get('seconds'), b['siyu'])} | "
                      f"{ratio(b['plain'], b['siyu'])} | {lt.get('max_rel_diff', float('nan')):.1e} / "
                      f"{b['max_rel_diff_plain']:.1e} | {b['peak_mb']:,.0f} | {same(b.get('equal'))} |", "",
                      "siyu (r, α, a, b) = (" + ", ".join(f"{p:.4g}" for p in b["params"]) + ")"
                      + ("; lifetimes (" + ", ".join(f"{p:.4g}" for p in lt["params"]) + ")" if "params" in lt else ""),
                      ""]
    if "pages" in result:
        p = result["pages"]
        lines += ["**Pages** in Chromium (`bench/bench_pages.py`; see its section for the method)", ""]
        if p.get("markdown"):
            lines += [p["markdown"], ""]
        if p.get("error"):
            lines += [f"pages: {p['error'].strip().splitlines()[-1] if p['error'].strip() else 'failed'}", ""]
    if result.get("mismatches"):
        lines += ["**Mismatches**: " + "; ".join(result["mismatches"]), ""]
    return "\n".join(lines)


def mismatches(result: dict) -> list[str]:
    bad = []
    for r in result.get("import", []):
        if r.get("equal") is False:
            bad.append(f"import {r['file']}: {r['mismatch']}")
    for r in result.get("metrics", []):
        if r.get("equal") is False:
            bad.append(f"metric {r['case']}: siyu and pandas differ")
        if "error" in r:
            bad.append(f"metric {r['case']} failed")
    if result.get("kpis", {}).get("equal") is False:
        bad.append(f"kpis: {result['kpis']['mismatches']}")
    if result.get("bgnbd", {}).get("equal") is False:
        bad.append("BG/NBD: siyu's parameters differ from lifetimes'/scipy's")
    return bad


# ------------------------------------------------------------------ commands

def run_all(scale: str, runs: int, only: tuple[str, ...], metrics: list[str] | None, root: Path,
            out_dir: Path, pages_timeout: float, name: str | None = None,
            files: tuple[str, ...] = ("generic", "youzan"),
            methods: tuple[str, ...] = tuple(IMPORT_METHODS)) -> tuple[dict, Path]:
    from bench import dataset

    machine = machine_info()
    data = dataset.ensure(scale, root, log=log)
    result: dict = {"scale": scale, "runs": runs, "machine": machine, "data": data.manifest}
    sections = {"import": lambda: run_import(data, runs, files, methods),
                "metrics": lambda: run_metrics(data, runs, metrics),
                "kpis": lambda: run_kpis(data, runs),
                "bgnbd": lambda: run_bgnbd(data, runs),
                "pages": lambda: run_pages(data, pages_timeout, runs)}
    for section in only:
        started, load = time.perf_counter(), os.getloadavg()[0]
        result[section] = sections[section]()
        result.setdefault("section_seconds", {})[section] = round(time.perf_counter() - started, 1)
        result.setdefault("load", {})[section] = [load, os.getloadavg()[0]]
    machine["load_average_at_end"] = os.getloadavg()
    result["mismatches"] = mismatches(result)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{name}-{scale}" if name else scale
    (out_dir / f"{stem}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n")
    (out_dir / f"{stem}.md").write_text(render(result) + "\n")
    return result, out_dir / f"{stem}.md"


def render_growth(results: list[dict]) -> str:
    """Time and peak memory per task at each scale, and the growth factor of each step next to the growth of
    the orders (1.0× per 1× orders = linear)."""
    results = sorted(results, key=lambda r: r["data"]["expected"]["counts"]["orders"])
    orders = [r["data"]["expected"]["counts"]["orders"] for r in results]
    steps = list(zip(range(len(results) - 1), range(1, len(results)), strict=True))
    head = ["| task | " + " | ".join(f"{n / 1e6:.1f}M orders" for n in orders) + " | "
            + " | ".join(f"{orders[i] / 1e6:.0f}M → {orders[j] / 1e6:.0f}M: time / memory (orders ×{orders[j] / orders[i]:.1f})"
                         for i, j in steps) + " |",
            "|---" * (len(results) + len(steps) + 1) + "|"]

    def row(label: str, get) -> str:
        vals = []
        for r in results:
            try:
                vals.append(get(r))
            except (KeyError, TypeError, IndexError, StopIteration):
                vals.append(None)
        cells = [("—" if not v else fmt_s(v[0]) if v[1] is None else f"{fmt_s(v[0])}, {v[1]:,.0f} MiB") for v in vals]
        growth = [("—" if not (vals[i] and vals[j]) else f"×{vals[j][0] / vals[i][0]:.1f}" if vals[i][1] is None
                   else f"×{vals[j][0] / vals[i][0]:.1f} / ×{vals[j][1] / vals[i][1]:.1f}") for i, j in steps]
        return f"| {label} | " + " | ".join(cells + growth) + " |"

    def imp(kind: str):
        return lambda r: (next(x for x in r["import"] if x["file"] == "generic")[kind]["seconds"],
                          next(x for x in r["import"] if x["file"] == "generic")[kind]["peak_mb"])

    def met(case: str, key: str):
        return lambda r: (next(x for x in r["metrics"] if x["case"] == case)[key],
                          None if key == "pandas" else next(x for x in r["metrics"] if x["case"] == case)["rss_mb"])

    lines = head + [row("import, siyu", imp("siyu")), row("import, pandas", imp("pandas")),
                    row("import, DuckDB COPY (floor)", imp("copy"))]
    for case in GROWTH_METRICS:
        lines += [row(f"{case}, siyu warm", met(case, "warm")), row(f"{case}, siyu cold", met(case, "cold")),
                  row(f"{case}, pandas", met(case, "pandas"))]
    lines += [row("kpis, siyu (memory: one process holding siyu's and pandas' inputs)",
                  lambda r: (r["kpis"]["siyu"], r["kpis"]["peak_mb"])),
              row("kpis, pandas", lambda r: (r["kpis"]["pandas"], None)),
              row("BG/NBD fit, siyu", lambda r: (r["bgnbd"]["siyu"], r["bgnbd"]["peak_mb"])),
              row("BG/NBD fit, lifetimes", lambda r: (r["bgnbd"]["lifetimes"]["seconds"],
                                                      r["bgnbd"]["lifetimes"]["peak_mb"]))]
    skipped = [f"`{r['scale']}` siyu import: {x['siyu']['skipped']}" for r in results for x in r.get("import", [])
               if "skipped" in x.get("siyu", {})]
    notes = ["", "Buyers fitted: " + ", ".join(f"{r['bgnbd']['buyers']:,}" for r in results if "buyers" in r.get("bgnbd", {}))
             + "." + (" " + "; ".join(skipped) + "." if skipped else ""),
             "", "Runs: " + "; ".join(f"`{r['scale']}` {machine_line(r['machine'])}" for r in results) + "."]
    return "\n".join(lines + notes)


def _met(ok: bool | None) -> str:
    return {True: "met", False: "**missed**"}.get(ok, "—")


def render_targets(full: dict, growth: list[dict]) -> str:
    """Every speed/memory target of issues #3, #4, #5 and #8 against the figures of one full run."""
    rows: list[tuple[str, str, str, str]] = []
    imp = {r["file"]: r for r in full.get("import", [])}
    for key, label in (("generic", "#3: import a 10M-row generic_orders CSV"),
                       ("youzan", "#3: import a 1M-row GB18030 有赞 export")):
        r = imp.get(key)
        if r and "seconds" in r.get("siyu", {}):
            s, p, c = r["siyu"], r.get("pandas", {}), r.get("copy", {})
            rows.append((label, "rows/s and peak memory next to DuckDB COPY (floor) and pandas, same run",
                         f"{r['rows']:,} rows: siyu {fmt_s(s['seconds'])} ({r['rows'] / s['seconds']:,.0f} rows/s, "
                         f"{s['peak_mb']:,.0f} MiB); pandas {fmt_s(p.get('seconds'))} ({p.get('peak_mb', 0):,.0f} MiB); "
                         f"COPY {fmt_s(c.get('seconds'))} ({c.get('peak_mb', 0):,.0f} MiB); answers equal: "
                         f"{same(r.get('equal'))}", "reported (no time target)"))
    met = {m["case"]: m for m in full.get("metrics", []) if "warm" in m}
    if "retention" in met:
        m = met["retention"]
        rows.append(("#4: retention", "≤ 1 s warm", fmt_s(m["warm"]) + f" warm ({fmt_s(m['cold'])} cold)",
                     _met(m["warm"] <= 1.0)))
        rows.append(("#4: retention", "≥ 5× faster than pandas", f"{m['pandas'] / m['warm']:.1f}× warm; "
                     f"{(m['pandas'] + m.get('pandas_fetch', 0)) / m['cold']:.1f}× end to end (cold, fetch included)",
                     _met(m["pandas"] / m["warm"] >= 5)))
    if "rfm" in met:
        m = met["rfm"]
        rows.append(("#4: rfm", "≤ 2 s", fmt_s(m["warm"]) + f" warm, {fmt_s(m['cold'])} cold",
                     _met(m["warm"] <= 2.0) + ("" if m["cold"] <= 2.0 else " warm; cold **over**")))
        rows.append(("#4: rfm", "≥ 3× faster than pandas", f"{m['pandas'] / m['warm']:.1f}× warm; "
                     f"{(m['pandas'] + m.get('pandas_fetch', 0)) / m['cold']:.1f}× end to end",
                     _met(m["pandas"] / m["warm"] >= 3)))
    for case, what in (("forest_300k", "synthetic 300,000-edge forest"), ("referrals", "the data set's own edges")):
        if case in met:
            m = met[case]
            edges = "" if case == "forest_300k" else f" ({full['data']['expected']['counts']['referrals']:,} edges)"
            rows.append(("#4: referral forest on 300k edges", "≤ 0.5 s", f"{fmt_s(m['warm'])} warm, "
                         f"{fmt_s(m['cold'])} cold: {what}{edges}", _met(m["cold"] <= 0.5)))
    if met:
        worst = max(met.values(), key=lambda m: m["rss_mb"])
        rows.append(("#4: any metric", "peak memory ≤ 1.5 GB", f"largest: {worst['case']} {worst['rss_mb']:,.0f} MiB "
                     f"({worst['rss_mb'] * 2**20 / 1e9:.2f} GB)", _met(worst["rss_mb"] * 2**20 <= 1.5e9)))
    pages = full.get("pages", {})
    page_rows = pages.get("rows") or []
    if page_rows:
        for r in page_rows:
            fr, fc = r.get("first_render"), r.get("filter_change")
            rows.append((f"#5: page {r['page']}", "first render ≤ 5 s; filter change ≤ 1.5 s",
                         f"{fr:.2f} s; {fc:.2f} s" if fr is not None and fc is not None else "see the pages section",
                         f"{_met(fr <= 5 if fr is not None else None)}; {_met(fc <= 1.5 if fc == fc and fc is not None else None)}"))
    else:
        rows.append(("#5: every page", "first render ≤ 5 s; filter change ≤ 1.5 s (10M orders, real browser)",
                     "see “Pages in a real browser” (page-speed work)", "—"))
    bad = full.get("mismatches", [])
    rows.append(("#8: answers", "siyu's answers equal the baselines'",
                 "every compared figure equal" if not bad else "; ".join(bad), _met(not bad)))
    rows.append(("#8: method", "median of ≥ 3 runs, peak memory, machine", f"median of {full['runs']}, per-process "
                 "peak RSS, machine line above", _met(full["runs"] >= 3)))
    b = full.get("bgnbd", {})
    if "lifetimes" in b and "seconds" in b["lifetimes"]:
        lt = b["lifetimes"]
        rows.append(("#8: BG/NBD vs lifetimes", "lifetimes where it installs, same data",
                     f"{b['buyers']:,} buyers: siyu {fmt_s(b['siyu'])}, lifetimes {fmt_s(lt['seconds'])} "
                     f"({lt['seconds'] / b['siyu']:.1f}×), parameters within {lt['max_rel_diff']:.0e}",
                     _met(b.get("equal"))))
    sizes = sorted(r["data"]["expected"]["counts"]["orders"] for r in growth)
    rows.append(("#8: growth", "1M, 10M and (memory allowing) 30M orders",
                 ", ".join(f"{n / 1e6:.1f}M" for n in sizes) or "not run", _met(len(sizes) >= 2 or None)))
    lines = ["| issue / what | target | measured | |", "|---|---|---|---|"]
    lines += [f"| {a} | {b_} | {c} | {d} |" for a, b_, c, d in rows]
    return "\n".join(lines)


def update_doc(doc: Path, out_dir: Path) -> list[str]:
    """Replace each `<!-- bench:NAME -->` … `<!-- /bench:NAME -->` region of `doc` with results/NAME.md."""
    text, done = doc.read_text(), []
    for match in re.finditer(r"<!-- bench:([\w-]+) -->", text):
        name = match.group(1)
        source = out_dir / f"{name}.md"
        if source.exists():
            done.append(name)
    for name in done:
        body = (out_dir / f"{name}.md").read_text().strip()
        text = re.sub(rf"(<!-- bench:{name} -->).*?(<!-- /bench:{name} -->)",
                      lambda m, body=body: m.group(1) + "\n" + body + "\n" + m.group(2), text, flags=re.S)
    doc.write_text(text)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    doc = sub.add_parser("doc", help="copy results/NAME.md into BENCHMARKS.md's <!-- bench:NAME --> regions")
    doc.add_argument("--out", type=Path, default=RESULTS)
    doc.add_argument("--file", type=Path, default=ROOT / "BENCHMARKS.md")
    targets = sub.add_parser("targets", help="the Targets table from results/<scale>.json and growth-*.json")
    targets.add_argument("--scale", default="10m")
    targets.add_argument("--out", type=Path, default=RESULTS)
    for name in ("all", "data", "growth"):
        p = sub.add_parser(name)
        if name == "growth":
            p.add_argument("--scales", default="1m,10m,30m")
        else:
            p.add_argument("--scale", default="10m", choices=["toy", "100k", "1m", "10m", "30m"])
        p.add_argument("--root", type=Path, default=Path("/tmp/siyu_scale"), help="where data sets live")
        p.add_argument("--runs", type=int, default=3)
        p.add_argument("--out", type=Path, default=RESULTS)
        p.add_argument("--only", default=",".join(SECTIONS) if name == "all" else "import,metrics,kpis,bgnbd")
        p.add_argument("--metrics", default=None, help="comma-separated bench_metrics cases (default: all)")
        p.add_argument("--files", default="generic,youzan" if name == "all" else "generic",
                       help="import section: which files (generic = orders.csv, youzan = the GB18030 有赞 export)")
        p.add_argument("--import-methods", default=",".join(IMPORT_METHODS),
                       help="import section: siyu, pandas, copy (default all; fewer only for quick checks)")
        p.add_argument("--pages-timeout", type=float, default=1800)
        if name == "growth":
            p.add_argument("--reuse", action="store_true",
                           help="take a scale's figures from an earlier growth-<scale>.json (else <scale>.json) when there is one")
    args = parser.parse_args(argv)
    if args.command == "doc":
        print("updated:", ", ".join(update_doc(args.file, args.out)) or "nothing")
        return 0
    if args.command == "targets":
        full = json.loads((args.out / f"{args.scale}.json").read_text())
        growth = [json.loads(p.read_text()) for p in sorted(args.out.glob("growth-*.json"))]
        growth_scales = {g["scale"] for g in growth}
        if full["scale"] not in growth_scales and "import" in full:
            growth.append(full)
        text = render_targets(full, growth)
        (args.out / "targets.md").write_text(text + "\n")
        print(text)
        return 0
    if args.command == "data":
        from bench import dataset

        print(json.dumps(dataset.ensure(args.scale, args.root, log=log).manifest, indent=2))
        return 0
    only = tuple(s for s in args.only.split(",") if s)
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}; choose from {', '.join(SECTIONS)}")
    if args.command == "all":
        result, md = run_all(args.scale, args.runs, only, args.metrics.split(",") if args.metrics else None,
                             args.root, args.out, args.pages_timeout, files=tuple(args.files.split(",")),
                             methods=tuple(args.import_methods.split(",")))
        print(md.read_text())
    else:
        results = []
        for scale in args.scales.split(","):
            earlier = [p for p in (args.out / f"growth-{scale}.json", args.out / f"{scale}.json") if p.exists()]
            if args.reuse and earlier:
                results.append(json.loads(earlier[0].read_text()))
                continue
            result, _ = run_all(scale, args.runs, only, list(GROWTH_METRICS), args.root, args.out,
                                args.pages_timeout, name="growth", files=tuple(args.files.split(",")),
                                methods=tuple(args.import_methods.split(",")))
            results.append(result)
        text = render_growth(results)
        (args.out / "growth.md").write_text(text + "\n")
        print(text)
    if any(r for r in ([result] if args.command == "all" else results) if r["mismatches"]):
        for r in [result] if args.command == "all" else results:
            for line in r["mismatches"]:
                print(f"MISMATCH ({r['scale']}): {line}", file=sys.stderr)
        return 1
    return 0
