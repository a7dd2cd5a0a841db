"""导入 Import: upload an export, check the preview, import it (or map its columns first); history and undo.

Glue over siyu.ingest: preview -> (mapping step) -> import_file -> report; list_batches -> undo_batch.
A new batch changes the cache key, so every other page shows the new data on its next run. The steps are
drawn by siyu/ui/import_sections.py, decided by siyu/ui/views/import_data.py; the words are the catalogs' imp_ keys.
"""

import streamlit as st

from siyu.ui import (
    cache,
    import_sections,
    page_text,  # noqa: F401 - registers the column labels
    widgets,
)
from siyu.ui.auth import require_role
from siyu.ui.i18n import t
from siyu.ui.session_cookie import per_login_key
from siyu.ui.views.import_data import MAP

require_role("operator")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state = cache.page_context()
st.title(t("page_import"))
import_sections.flash()

limit = widgets.upload_limit_mb(settings.max_upload_mb)
upload = st.file_uploader(t("imp_upload"), type=["csv", "txt", "xlsx", "xlsm", "xls"], max_upload_size=limit,
                          key=per_login_key("upload"))  # a new login starts with an empty uploader
st.caption(t("upload_limit", mb=limit))
if upload is not None:
    data = upload.getvalue()
    seen, encoding, sheet, mappings, heads = import_sections.read_upload(data, settings)
    choice = import_sections.pick_format(seen, mappings)
    if choice == MAP:
        import_sections.mapping_step(data, seen, settings, encoding=encoding, sheet=sheet, heads=heads)  # stops
    import_sections.import_step(data, upload.name, choice, settings, encoding=encoding, sheet=sheet, heads=heads)

import_sections.history(settings)
