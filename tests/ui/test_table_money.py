"""Money in tables: one style per column, written out in full (siyu.ui.tables.cell_format), in both languages.
The 渠道 cost table once showed ¥9,340.01 above ¥1.16万 in the same column."""

from __future__ import annotations

import pytest

from siyu.ui.tables import cell_format


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", ["money", "money2"])
def test_a_money_column_is_written_in_full_whatever_its_size(kind, lang):
    show = cell_format(kind, lang, scaled=False)
    assert [show(v) for v in (93.0, 9_340.01, 11_600.0, 123_456_789.5)] == [
        "¥93.00", "¥9,340.01", "¥11,600.00", "¥123,456,789.50"]
