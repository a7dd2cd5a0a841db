"""Property tests (hypothesis) of the cell parsers and of whole generated files.

tests/ingest/test_parsers.py lists every form literally and round-trips cents through four spellings;
this adds the properties behind them: every amount written in a FORMATS.md form (currency signs,
thousands separators, 元, RMB, one or two decimals, minus or brackets) parses to the exact cents; a
cell parses the same alone as inside any column (the parsers take a fast path when a whole column
shares one form, so a neighbour must never change a value); arbitrary text never raises and never
becomes a number or date unless it is one; dates written in each documented form come back as the
instant written; phones in every spelling normalise to the same 11 digits and masked ones never link.
Whole files: random mixes of good and broken rows give reports whose counts add up and a database
holding exactly the good rows' cents.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import zoneinfo
from pathlib import Path

import duckdb
import polars as pl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from siyu.config import Settings
from siyu.db.connection import ensure_schema
from siyu.ingest import import_file
from siyu.ingest.parsers import normalise_phones, parse_cents, parse_datetimes

FAST = settings(max_examples=60, deadline=None)

# ---- amounts ------------------------------------------------------------------------------------------

cents_st = st.integers(min_value=0, max_value=99_999_999_999)


def _spell(cents: int, form: int, sign: int) -> tuple[str, int]:
    """An amount written as exports write it, and the cents it means."""
    yuan, fen = divmod(cents, 100)
    body = [f"{yuan}.{fen:02d}", f"{yuan:,}.{fen:02d}", f"{yuan}", f"{yuan:,}", f"{yuan}.{fen // 10}"][form % 5]
    value = [cents, cents, yuan * 100, yuan * 100, yuan * 100 + fen // 10 * 10][form % 5]
    wrapped = [body, f"¥{body}", f"￥ {body}", f"{body}元", f"RMB {body}", f"CNY{body}", f" {body} "][sign % 7]
    if sign % 3 == 1:
        return f"-{wrapped}", -value
    if sign % 3 == 2:
        return f"({wrapped})", -value
    return wrapped, value


@FAST
@given(st.lists(st.tuples(cents_st, st.integers(0, 4), st.integers(0, 20)), min_size=1, max_size=30))
def test_every_documented_amount_spelling_parses_to_the_exact_cents(items: list[tuple[int, int, int]]) -> None:
    spelled = [_spell(c, f, s) for c, f, s in items]
    assert parse_cents(pl.Series([t for t, _ in spelled])).to_list() == [v for _, v in spelled]


@FAST
@given(st.lists(st.one_of(st.text(max_size=12), st.builds(lambda c, f, s: _spell(c, f, s)[0], cents_st,
                                                             st.integers(0, 4), st.integers(0, 20))),
                min_size=1, max_size=20))
def test_an_amount_parses_the_same_alone_as_in_any_column(cells: list[str]) -> None:
    together = parse_cents(pl.Series(cells, dtype=pl.Utf8)).to_list()
    assert together == [parse_cents(pl.Series([c], dtype=pl.Utf8)).item() for c in cells]


@FAST
@given(st.text(alphabet=st.characters(codec="utf-8", categories=("L",), exclude_characters="元"),
               min_size=1, max_size=8), cents_st)
def test_text_with_letters_is_never_an_amount(word: str, cents: int) -> None:
    # Letters other than the currency words (RMB, CNY, USD) make a cell something else: a note, a code.
    if word.upper() in ("RMB", "CNY", "USD"):
        return
    cells = [word, f"{cents}{word}", f"{word}{cents / 100:.2f}", f"{cents}.{cents}.5"]
    assert parse_cents(pl.Series(cells)).to_list() == [None] * 4


@FAST
@given(st.lists(st.text(max_size=30), min_size=1, max_size=20))
def test_parsers_never_raise_on_arbitrary_text(cells: list[str]) -> None:
    s = pl.Series(cells, dtype=pl.Utf8)
    assert parse_cents(s).len() == len(cells)
    assert parse_datetimes(s).len() == len(cells)
    assert normalise_phones(s).height == len(cells)


# ---- dates -------------------------------------------------------------------------------------------

instants = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2099, 12, 31, 23, 59, 59))
DATE_FORMS = [  # (how exports write it, what of the instant survives)
    (lambda d: f"{d:%Y-%m-%d %H:%M:%S}", lambda d: d.replace(microsecond=0)),
    (lambda d: f"{d.year}/{d.month}/{d.day} {d:%H:%M}", lambda d: d.replace(second=0, microsecond=0)),
    (lambda d: f"{d.year}年{d.month}月{d.day}日", lambda d: dt.datetime(d.year, d.month, d.day)),
    (lambda d: f"{d.year}年{d.month}月{d.day}日 {d:%H:%M}", lambda d: d.replace(second=0, microsecond=0)),
    (lambda d: f"{d.year}.{d.month}.{d.day}", lambda d: dt.datetime(d.year, d.month, d.day)),
    (lambda d: f"{d:%Y%m%d}", lambda d: dt.datetime(d.year, d.month, d.day)),
    (lambda d: f"{d:%Y-%m-%dT%H:%M:%S}", lambda d: d.replace(microsecond=0)),
    (lambda d: f"{d:%Y-%m-%d %H:%M:%S}.{d.microsecond:06d}", lambda d: d),
    (lambda d: str((dt.datetime(d.year, d.month, d.day) - dt.datetime(1899, 12, 30)).days),
     lambda d: dt.datetime(d.year, d.month, d.day)),
]


@FAST
@given(st.lists(st.tuples(instants, st.integers(0, len(DATE_FORMS) - 1)), min_size=1, max_size=25))
def test_dates_in_every_documented_form_come_back_as_written(items: list[tuple[dt.datetime, int]]) -> None:
    cells = [DATE_FORMS[k][0](d) for d, k in items]
    expected = [DATE_FORMS[k][1](d) for d, k in items]
    # Excel serials are accepted from 1954-10-03 to 2119-02-05 only (other numbers are not dates).
    assert parse_datetimes(pl.Series(cells)).to_list() == expected
    assert [parse_datetimes(pl.Series([c])).item() for c in cells] == expected


@FAST
@given(instants, st.integers(-12, 14).map(lambda h: h * 60) | st.sampled_from([330, 345, -570]))
def test_an_offset_is_converted_to_the_brand_zone(instant: dt.datetime, minutes: int) -> None:
    instant = instant.replace(microsecond=0)
    sign = "+" if minutes >= 0 else "-"
    cell = f"{instant:%Y-%m-%dT%H:%M:%S}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    utc = (instant - dt.timedelta(minutes=minutes)).replace(tzinfo=dt.UTC)
    # zoneinfo, not a fixed +8: China kept summer time from 1986 to 1991 (hypothesis found May 1991).
    local = utc.astimezone(zoneinfo.ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    assert parse_datetimes(pl.Series([cell]), "Asia/Shanghai").item() == local


@FAST
@given(st.integers(1990, 2099), st.integers(1, 12), st.integers(1, 31))
def test_impossible_calendar_dates_are_null_not_rolled_over(year: int, month: int, day: int) -> None:
    try:
        dt.date(year, month, day)
        return
    except ValueError:
        pass
    cells = [f"{year}-{month:02d}-{day:02d}", f"{year}/{month}/{day} 10:00", f"{year}年{month}月{day}日",
             f"{year}-13-{day:02d}", f"{year}-{month:02d}-32"]
    assert parse_datetimes(pl.Series(cells)).to_list() == [None] * 5


# ---- phones ------------------------------------------------------------------------------------------

mobiles = st.builds(lambda p, rest: f"1{p}{rest:09d}", st.integers(3, 9), st.integers(0, 999_999_999))
PHONE_FORMS = [
    lambda m: m, lambda m: f"+86 {m[:3]}-{m[3:7]}-{m[7:]}", lambda m: f"{m[:3]} {m[3:7]} {m[7:]}",
    lambda m: f"0086 {m}", lambda m: f"86{m}", lambda m: f"(+86){m[:3]}.{m[3:7]}.{m[7:]}", lambda m: f"{m}.0",
    lambda m: f"'{m}", lambda m: f" {m} ", lambda m: f"{m}，13800138000", lambda m: f"+86-{m}",
]


@FAST
@given(st.lists(st.tuples(mobiles, st.integers(0, len(PHONE_FORMS) - 1)), min_size=1, max_size=25))
@example([("13000000000", 5), ("13912340000", 5)])  # found by hypothesis: `(+86)139.1234.0000` lost `.0000`
def test_every_phone_spelling_normalises_to_the_same_eleven_digits(items: list[tuple[str, int]]) -> None:
    frame = normalise_phones(pl.Series([PHONE_FORMS[k](m) for m, k in items]))
    assert frame["phone"].to_list() == [m for m, _ in items]
    assert frame["phone_masked"].to_list() == [None] * len(items)


@FAST
@given(st.lists(mobiles, min_size=1, max_size=20), st.integers(3, 6))
def test_masked_phones_never_link(numbers: list[str], stars: int) -> None:
    masked = [m[:3] + "*" * stars + m[3 + stars:] for m in numbers]
    frame = normalise_phones(pl.Series(masked))
    assert frame["phone"].to_list() == [None] * len(numbers)
    assert frame["phone_masked"].to_list() == masked


@FAST
@given(st.lists(st.integers(0, 10**12).map(str).filter(lambda d: len(d) != 11 or not d.startswith("1")),
                min_size=1, max_size=20))
def test_digit_strings_that_are_not_mainland_mobiles_are_not_phones(digits: list[str]) -> None:
    assert normalise_phones(pl.Series(digits))["phone"].to_list() == [None] * len(digits)


# ---- whole files -------------------------------------------------------------------------------------

BROKEN = [  # (amount, paid_at, member_id): one thing wrong in each
    ("-1.00", "2024-03-05 10:00", "M1"), ("abc", "2024-03-05 10:00", "M1"), ("1.00", "2024-02-30", "M1"),
    ("1.00", "2099-01-01 10:00", "M1"), ("1.00", "2024-03-05 10:00", ""), ("", "2024-03-05 10:00", "M1"),
    ("1000000000000.00", "2024-03-05 10:00", "M1"), ("1.00", "someday", "M1"),
]
good_row = st.tuples(st.just("good"), cents_st.filter(lambda c: c < 10**10), st.integers(0, 9), st.integers(1, 28))
bad_row = st.tuples(st.just("bad"), st.integers(0, len(BROKEN) - 1), st.integers(0, 9), st.integers(1, 28))


def _file(rows: list[tuple]) -> tuple[bytes, int, int]:
    """(csv bytes, good rows, their cents)."""
    lines, good, cents = ["order_id,member_id,paid_at,amount"], 0, 0
    for i, (kind, value, member, day) in enumerate(rows):
        if kind == "good":
            lines.append(f"O{i},M{member},2024-03-{day:02d} 10:00,\"¥{value // 100:,}.{value % 100:02d}\"")
            good, cents = good + 1, cents + value
        else:
            amount, paid_at, mid = BROKEN[value]
            lines.append(f"O{i},{mid},{paid_at},{amount}")
    return ("\n".join(lines) + "\n").encode("utf-8"), good, cents


def _db_totals(db: Path) -> tuple[int, int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*), coalesce(sum(paid_cents), 0), (SELECT count(*) FROM members) "
                           "FROM orders").fetchone()
    finally:
        con.close()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(good_row, bad_row), min_size=1, max_size=40))
def test_generated_files_report_counts_that_add_up_and_load_exactly_the_good_rows(rows: list[tuple]) -> None:
    data, good, cents = _file(rows)
    bad = len(rows) - good
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "g.duckdb"
        ensure_schema(db)
        conf = Settings(db=db, lock_timeout=10.0)
        strict = import_file(db, data, settings=conf, file_name="g.csv")
        assert strict.rows_read == len(rows)
        assert strict.rejected == bad
        assert strict.ok == (bad == 0)
        if bad:
            assert _db_totals(db) == (0, 0, 0)  # refused: nothing written
            assert {e["row"] for e in strict.errors} == {i + 1 for i, r in enumerate(rows) if r[0] == "bad"}
            skip = import_file(db, data, settings=conf, file_name="g.csv", on_error="skip")
            assert (skip.rows_read, skip.rejected, skip.inserted, skip.duplicates) == (len(rows), bad, good, 0)
        members = len({r[2] for r in rows if r[0] == "good"})
        assert _db_totals(db) == (good, cents, members)
