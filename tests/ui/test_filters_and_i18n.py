"""The parts of siyu.ui that need no running app: date parsing and ranges, the string table."""

import datetime as dt
import re

import pytest

from siyu.metrics.periods import DateRange as Range
from siyu.ui.filters import default_range, parse_day, previous_period, range_params
from siyu.ui.i18n import LANGS, STRINGS

D = dt.date


@pytest.mark.parametrize(("raw", "expected"), [
    ("2024-03-05", D(2024, 3, 5)),
    ("2024-02-29", D(2024, 2, 29)),
    ("2023-02-29", None),                          # not a day
    ("2024-3-5", None),                            # not the strict form
    (" 2024-03-05", None),
    ("2024-03-05T00:00", None),
    ("2024-01-01'; DROP TABLE orders;--", None),
    ("0001-01-01", None),                          # would overflow the previous-period arithmetic
    ("9999-12-31", None),
    ("", None),
    (None, None),
    (["2024-03-05"], None),
])
def test_parse_day_is_strict(raw, expected):
    assert parse_day(raw) == expected


def test_default_range_is_the_last_12_months_of_data():
    assert default_range(D(2020, 1, 1), D(2024, 6, 30)) == Range(D(2023, 7, 1), D(2024, 6, 30))
    assert default_range(D(2024, 3, 1), D(2024, 6, 30)) == Range(D(2024, 3, 1), D(2024, 6, 30))  # shorter data
    assert default_range(D(2020, 1, 1), D(2024, 2, 29)) == Range(D(2023, 3, 1), D(2024, 2, 29))  # leap day
    assert default_range(D(2024, 5, 5), D(2024, 5, 5)) == Range(D(2024, 5, 5), D(2024, 5, 5))


def test_previous_period_has_the_same_length_and_ends_the_day_before():
    q1 = Range(D(2024, 1, 1), D(2024, 3, 31))  # 91 days
    assert previous_period(q1) == Range(D(2023, 10, 2), D(2023, 12, 31))  # 91 days
    assert previous_period(Range(D(2024, 3, 5), D(2024, 3, 5))) == Range(D(2024, 3, 4), D(2024, 3, 4))
    assert range_params(q1) == {"start": "2024-01-01", "end": "2024-03-31"}


def test_every_string_exists_in_both_languages_with_the_same_placeholders():
    for key, texts in STRINGS.items():
        assert set(texts) == set(LANGS), key
        holes = {lang: set(re.findall(r"\{(\w+)\}", texts[lang])) for lang in LANGS}
        assert holes["zh"] == holes["en"], key
