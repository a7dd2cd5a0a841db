#!/usr/bin/env bash
# Start the dashboard (on demo data when the database is empty): bash scripts/run.sh [streamlit options]
# Creates .venv and installs requirements.txt on first use. Database: $SIYU_DB or data/siyu.duckdb.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh" requirements.txt
echo "==> http://127.0.0.1:${SIYU_PORT:-8501}  (Ctrl+C to stop)"
exec .venv/bin/python -m siyu serve --server.port "${SIYU_PORT:-8501}" "$@"
