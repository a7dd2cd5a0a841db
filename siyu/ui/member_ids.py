"""Member lists on screen and in files name members by their own ids (siyu.member_refs), not siyu's.

    own_ids(frame, settings=None) -> frame

Applied at the edge only — by `tables.table` and `downloads.member_download`/`show_members` on what they
are about to draw or write — so a page keeps joining on siyu's ids and never converts twice. The
references are read on a connection without the global filters: a referrer outside them keeps his own id.
"""

from __future__ import annotations

import polars as pl

from siyu.config import Settings
from siyu.db import reading
from siyu.member_refs import attach, member_level


def own_ids(frame: pl.DataFrame, settings: Settings | None = None) -> pl.DataFrame:
    """`frame` with member_id (and referrer_id, root, referee_id) holding each member's own id in place of
    siyu's; frames that list no members come back as they are, without touching the database."""
    if not member_level(frame):
        return frame
    if settings is None:
        from siyu.ui.cache import page_context

        settings = page_context()[0]
    with reading(settings.db, settings.lock_timeout) as con:
        return attach(con, frame, internal=False)
