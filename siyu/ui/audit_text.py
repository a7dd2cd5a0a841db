"""The audit log's actions in words (catalog keys audit_action_<code>), for the admin page; the stored codes,
the CLI and the audit CSV keep the codes (siyu.auth.audit.ACTIONS)."""

from __future__ import annotations

import polars as pl

from siyu.auth.audit import ACTIONS
from siyu.ui.i18n import t


def action_name(action: str | None) -> str:
    """The action in the reader's language; an unknown code (a newer version's row) as it is stored."""
    if action not in ACTIONS:
        return action or "—"
    return t(f"audit_action_{action}")


def named_actions(log: pl.DataFrame) -> pl.DataFrame:
    """The log with its action column in words (for the screen only)."""
    if "action" not in log.columns:
        return log
    words = {code: action_name(code) for code in ACTIONS}
    return log.with_columns(pl.col("action").replace_strict(words, default=pl.col("action"), return_dtype=pl.String))
