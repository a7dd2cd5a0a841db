#!/usr/bin/env bash
# Run the lint and type checks, then the test suite: bash scripts/test.sh [pytest options]
# Creates .venv, installs requirements-dev.txt (with requirements-spark.txt), installs Debian chromium + CJK
# fonts and a Java 17 runtime when missing
# (the browser test drives the system chromium through Playwright; no browser is downloaded).
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh" requirements-dev.txt
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null; then  # not -q: pipefail
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing chromium and fonts-noto-cjk"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "warning: /usr/bin/chromium or the Noto CJK fonts are missing and this is not root;" \
         "run: sudo apt-get install -y chromium fonts-noto-cjk (the browser test will fail without them)" >&2
  fi
fi
# Spark's parity tests need a Java runtime (pyspark itself comes from requirements-spark.txt).
if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing openjdk-17-jre-headless (for the Spark tests)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  else
    echo "warning: no java; run: sudo apt-get install -y openjdk-17-jre-headless (the Spark tests will fail)" >&2
  fi
fi
# The checks CI enforces besides the tests (pyproject.toml configures both); a violation fails the run.
echo "==> ruff check"
.venv/bin/ruff check . || { echo "ruff found problems (above); fix them or run: .venv/bin/ruff check --fix ." >&2; exit 1; }
echo "==> mypy --strict (siyu/db, engine, ingest, metrics, locales, campaigns, alerts: pyproject.toml)"
.venv/bin/python -m mypy || { echo "mypy found type errors (above)" >&2; exit 1; }
# The tests run on every core (pytest-xdist), a whole test file per worker so each module's fixtures (the
# demo databases, the browser tests' app) are built once; the slow files go first (tests/conftest.py);
# `-n 0` runs them in this one process.
exec .venv/bin/python -m pytest -n auto --dist loadfile --no-loadscope-reorder "$@"
