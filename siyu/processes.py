"""Whether a process is still running, for files named after the process that made them.

Three kinds of such files exist: an import's private copies and staging folders (siyu.ingest.snapshot), a
frame store's temporary files (siyu.db.frame_store) and a writer's writer-waiting file (siyu.db.connection).
Each is ignored or removed once its process is gone."""

from __future__ import annotations

import os


def alive(pid: int) -> bool:
    """True while process `pid` exists (another user's process counts: signalling it is merely refused)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: another user's live process
        return True
    return True
