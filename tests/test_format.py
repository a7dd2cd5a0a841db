"""siyu.format: literal expected strings, as a reader would see them."""

import datetime as dt

import pytest

from siyu import format as fmt


@pytest.mark.parametrize(("value", "lang", "compact", "expected"), [
    (1234.56, "zh", False, "¥1,234.56"),
    (0, "zh", False, "¥0.00"),
    (-12, "zh", False, "-¥12.00"),
    (9999.99, "zh", True, "¥9,999.99"),          # below 1万: written out
    (12345, "zh", True, "¥1.23万"),
    (1234000, "zh", True, "¥123.4万"),
    (99999.5, "zh", True, "¥10.0万"),             # rounds up into the one-decimal form
    (123456789, "zh", True, "¥1.23亿"),
    (999999999, "zh", True, "¥10.00亿"),
    (99999999, "zh", True, "¥1.00亿"),            # never "¥10000.0万"
    (-1234000, "zh", True, "-¥123.4万"),
    (1234.5, "en", False, "¥1,234.50"),
    (1234000, "en", True, "¥1.23M"),
    (45600, "en", True, "¥45.6K"),
    (2.5e9, "en", True, "¥2.50B"),
    (None, "zh", False, "—"),
    (float("nan"), "en", True, "—"),
])
def test_money(value, lang, compact, expected):
    assert fmt.money(value, lang, compact=compact) == expected


@pytest.mark.parametrize(("value", "lang", "compact", "expected"), [
    (1234, "zh", False, "1,234"),
    (0, "zh", False, "0"),
    (12345, "zh", True, "1.23万"),
    (9999, "zh", True, "9,999"),
    (250000000, "zh", True, "2.50亿"),
    (12345, "en", True, "12.3K"),
    (1234567, "en", False, "1,234,567"),
    (3.0, "zh", False, "3"),
    (2.5, "zh", False, "2.50"),
    (None, "en", False, "—"),
])
def test_number(value, lang, compact, expected):
    assert fmt.number(value, lang, compact=compact) == expected


def test_percent_and_changes():
    assert fmt.percent(0.1234) == "12.3%"
    assert fmt.percent(1) == "100.0%"
    assert fmt.percent(0.5, "en", digits=0) == "50%"
    assert fmt.percent(None) == "—"
    assert fmt.change(110, 100) == "+10.0%"
    assert fmt.change(75, 100) == "-25.0%"
    assert fmt.change(5, 0) is None               # nothing to compare with
    assert fmt.change(5, None) is None
    assert fmt.points(0.25, 0.10) == "+15.0个百分点"
    assert fmt.points(0.10, 0.25, "en") == "-15.0 pp"
    assert fmt.points(0.1, None) is None


def test_dates():
    assert fmt.month(dt.date(2024, 3, 5)) == "2024年3月"
    assert fmt.month(dt.date(2024, 12, 1), "en") == "Dec 2024"
    assert fmt.date(dt.date(2024, 3, 5)) == "2024年3月5日"
    assert fmt.date(dt.datetime(2024, 3, 5, 14, 5)) == "2024年3月5日"
    assert fmt.date(dt.date(2024, 3, 5), "en") == "5 Mar 2024"
    assert fmt.date_span(dt.date(2024, 1, 1), dt.date(2024, 6, 30)) == "2024年1月1日 至 2024年6月30日"
    assert fmt.date_span(dt.date(2024, 1, 1), dt.date(2024, 6, 30), "en") == "1 Jan 2024 – 30 Jun 2024"
    assert fmt.month(None) == "—"


def test_unknown_language_falls_back_to_chinese():
    assert fmt.month(dt.date(2024, 3, 5), "fr") == "2024年3月"


def test_format_does_not_import_streamlit():
    import subprocess
    import sys
    code = "import sys, siyu.format; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
