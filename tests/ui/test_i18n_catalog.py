"""siyu.ui.i18n over the catalogs: t() in the session's language, STRINGS as a read view, and the
transitional STRINGS.update of word tables not yet moved into the catalogs."""

from __future__ import annotations

import streamlit as st

from siyu.ui import i18n
from siyu.ui.i18n import STRINGS, t


def test_t_reads_the_catalog_in_the_session_language() -> None:
    st.session_state.pop("lang", None)
    assert t("kpi_gmv") == "GMV（净额）"
    st.session_state["lang"] = "en"
    try:
        assert t("kpi_gmv") == "GMV (net)"
        assert t("range_caption", span="a", prev="b") == (
            "a, compared with the previous period of the same length (b)")
    finally:
        st.session_state.pop("lang", None)


def test_strings_is_a_read_view_of_the_catalogs() -> None:
    assert STRINGS["kpi_gmv"] == {"zh": "GMV（净额）", "en": "GMV (net)"}
    assert "kpi_gmv" in STRINGS and "no_such_key" not in STRINGS
    assert len(STRINGS) == len(list(STRINGS)) > 500


def test_a_pending_word_table_still_reaches_t(monkeypatch) -> None:
    monkeypatch.setattr(i18n, "_PENDING", {})
    STRINGS.update({"grp_title": {"zh": "社群", "en": "Groups"}, "kpi_gmv": {"zh": "别的", "en": "Other"}})
    assert t("grp_title") == "社群" and "grp_title" in STRINGS
    STRINGS["grp_other"] = {"zh": "其他", "en": "Other"}
    assert STRINGS["grp_other"]["en"] == "Other"
    assert t("kpi_gmv") == "GMV（净额）"  # a catalog key keeps the catalog's words
