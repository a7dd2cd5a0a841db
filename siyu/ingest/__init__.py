"""Importing exports (issue #3): WeCom, 有赞, Shopify and generic files, idempotent and all-or-nothing.

The Import page and the CLI are thin glue over these functions:
`preview(file)`, `detect_profile(header)`, `import_file(db_path, file, ...) -> ImportReport`,
`list_batches(db_path)`, `undo_batch(db_path, batch_id)`, `save_mapping(db_path, name, profile, columns)`.
Modules: readers (bytes -> text table), parsers (pure cell parsers), profiles (header aliases,
detection), cells (typed columns + row errors), canonical / profile_orders / profile_members /
transforms (profile -> canonical rows), identity (member resolution), load (staging + anti-join
upserts), merge (how an export's row of a stored order combines with it, in any order), sqlrun
(ingest_*.sql runner), pipeline (one file, one transaction), batches (identical re-imports, the audit
row, progress), history (batches, undo, mappings, preview), report (ImportReport), command (the CLI).
"""

from siyu.ingest.command import import_cli
from siyu.ingest.history import DryRun, Preview, batch_rejects, dry_run, list_batches, preview, save_mapping, undo_batch
from siyu.ingest.pipeline import Mapping, import_file, mapping_for_header, saved_mappings
from siyu.ingest.profiles import PROFILES, detect_profile
from siyu.ingest.report import ImportReport

__all__ = ["PROFILES", "DryRun", "ImportReport", "Mapping", "Preview", "batch_rejects", "detect_profile", "dry_run", "import_cli",
           "import_file", "list_batches", "mapping_for_header", "preview", "save_mapping", "saved_mappings", "undo_batch"]
