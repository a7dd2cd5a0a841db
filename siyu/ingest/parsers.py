"""Pure, vectorised parsers for the cell forms exports use: dates, amounts, phones, emails.

Every parser takes a Utf8 Series (the file's text, never pre-typed) and returns a typed Series of the
same length. A value that is present but cannot be parsed comes back null; callers compare with the
input's nulls to find row errors, so nothing here raises on bad data.
"""

from __future__ import annotations

import polars as pl

# Excel's day 0 for serial dates (1900 system, including its phantom 1900-02-29).
_EXCEL_EPOCH = pl.datetime(1899, 12, 30)
# Serial numbers we accept as dates: 1954-10-03 .. 2119-02-05. Anything else is not a date.
_SERIAL_MIN, _SERIAL_MAX = 20_000, 80_000

_DT_RE = (
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"            # date
    r"(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:\.(\d{1,9}))?)?"  # optional time
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$"        # optional offset
)
_FAST_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


def clean_text(s: pl.Series) -> pl.Series:
    """Trim a text column; empty strings become null."""
    s = s.cast(pl.Utf8)
    if s.null_count() == s.len():
        return s
    # Copy a column only when it needs it: big machine-written files rarely carry padding or empty strings.
    if s.str.contains(r"^\s|\s$").any():
        s = s.str.strip_chars()
    if (s.str.len_bytes() == 0).any():
        s = pl.select(pl.when(s == "").then(None).otherwise(s)).to_series().alias(s.name)
    return s


def parse_datetimes(s: pl.Series, tz: str = "Asia/Shanghai") -> pl.Series:
    """Text -> naive Datetime(us) in the brand's time zone `tz`.

    Accepts `2024/3/5 14:05`, `2024-03-05 14:05:00`, `2024年3月5日`, `2024.3.5`, ISO 8601 with `T`,
    fractions and an offset (`+08:00`, `+0800`, `Z`), Shopify's `2024-03-05 14:05:00 +0800`,
    `20240305`, and Excel serial numbers (`45356`, `45356.5854`). Values with an offset are converted
    to `tz`; values without one are taken as already brand-local.
    """
    name = s.name
    s = clean_text(s)
    if s.null_count() == s.len():
        return pl.Series(name, [None] * s.len(), dtype=pl.Datetime("us"))
    # Fast path: one strict format parses every value (machine-written files, big generic exports).
    for fmt in _FAST_FORMATS:
        fast = s.str.to_datetime(fmt, strict=False, time_unit="us")
        if fast.null_count() == s.null_count():
            return fast.alias(name)
        if fast.null_count() < s.len():
            break  # mixed forms: fall through to the general path
    return _parse_general(s, tz).alias(name)


def _parse_general(s: pl.Series, tz: str) -> pl.Series:
    norm = (
        s.str.replace(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})", "$1-$2-$3")
        .str.replace_all(r"[年月/]", "-")
        .str.replace_all(r"日", " ")
        .str.replace_all(r"时|点", ":")
        .str.replace_all(r"分", ":")
        .str.replace_all(r"秒", "")
        .str.strip_chars(" -:")
    )
    # 20240305 / 20240305 140500
    norm = norm.str.replace(r"^(\d{4})(\d{2})(\d{2})(?:\s+(\d{2})(\d{2})(\d{2}))?$", "$1-$2-$3 $4:$5:$6").str.strip_chars(" :")
    parts = pl.DataFrame({"v": norm}).select(pl.col("v").str.extract_groups(_DT_RE)).unnest("v")
    parts.columns = ["y", "mo", "d", "h", "mi", "sec", "frac", "off"]
    frame = parts.with_columns(
        text=pl.concat_str(
            pl.col("y"), pl.lit("-"), pl.col("mo").str.zfill(2), pl.lit("-"), pl.col("d").str.zfill(2), pl.lit(" "),
            pl.col("h").fill_null("0").str.zfill(2), pl.lit(":"), pl.col("mi").fill_null("0").str.zfill(2), pl.lit(":"),
            pl.col("sec").fill_null("0").str.zfill(2),
        ),
        micros=(pl.col("frac").fill_null("0") + "000000").str.slice(0, 6).cast(pl.Int64),
        off_min=pl.when(pl.col("off").is_in(["Z", "UTC", "GMT"])).then(0).otherwise(
            pl.col("off").str.replace(":", "").str.slice(0, 1).replace_strict({"+": 1, "-": -1}, default=None, return_dtype=pl.Int64)
            * (pl.col("off").str.replace(":", "").str.slice(1, 2).cast(pl.Int64, strict=False) * 60
               + pl.col("off").str.replace(":", "").str.slice(3, 2).cast(pl.Int64, strict=False))
        ),
    ).with_columns(
        local=pl.col("text").str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us")
        + pl.duration(microseconds=pl.col("micros")),
    )
    serial = s.str.replace(r"\.0+$", "").cast(pl.Float64, strict=False)
    serial = serial.set((serial < _SERIAL_MIN) | (serial > _SERIAL_MAX), None)
    frame = frame.with_columns(serial=serial)
    converted = (
        (pl.col("local") - pl.duration(minutes=pl.col("off_min")))
        .dt.replace_time_zone("UTC").dt.convert_time_zone(tz).dt.replace_time_zone(None)
    )
    out = frame.select(
        pl.when(pl.col("local").is_not_null() & pl.col("off_min").is_not_null()).then(converted)
        .when(pl.col("local").is_not_null()).then(pl.col("local"))
        .otherwise(_EXCEL_EPOCH + pl.duration(microseconds=(pl.col("serial") * 86_400_000_000).round(0).cast(pl.Int64)))
        .cast(pl.Datetime("us"))
    ).to_series()
    return out


# The amount forms exports write (FORMATS.md): an optional currency sign or word before (¥ ￥ $ RMB CNY USD)
# or after (元), a minus or parentheses for a negative, thousands separators only every three digits, and at
# most two decimals (more are accepted only as trailing zeros). Anything else (`1,2,3`, `1.234,56`,
# `1.005`) is not read as some other number: it comes back null and becomes a row error.
_AMOUNT_HEAD = r"^([+-]?)\s*(?:¥|￥|\$|RMB|CNY|USD)?\s*"
_AMOUNT_TAIL = r"\s*(?:元|RMB|CNY|USD)?\s*$"
_AMOUNT_RE = r"^([+-]?)(\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.(\d{1,2})0*)?$"
# 15 digits of yuan are 17 of cents, well inside Int64; longer well-formed amounts are flagged, not wrapped.
MAX_AMOUNT_DIGITS = 15


def parse_amounts(s: pl.Series) -> pl.DataFrame:
    """Text -> frame (cents: Int64, too_long: Boolean). `too_long` marks a well-formed amount with more than
    MAX_AMOUNT_DIGITS digits before the point (its cents are null: it would overflow Int64)."""
    name = s.name
    s = clean_text(s)
    # Fast path: machine-written plain decimals (`1299`, `12.5`, `0.00`) convert exactly through Decimal.
    if s.null_count() == s.len() or s.str.contains(r"^\d{1,15}(\.\d{1,2})?$").fill_null(True).all():
        cents = (s.cast(pl.Decimal(38, 2), strict=False) * 100).cast(pl.Int64).alias(name)
        return pl.DataFrame({"cents": cents, "too_long": pl.repeat(False, s.len(), eager=True)})
    plain = (s.str.replace(r"^\((.*)\)$", "-$1").str.replace(_AMOUNT_HEAD, "$1").str.replace(_AMOUNT_TAIL, ""))
    parts = pl.DataFrame({"v": plain}).select(pl.col("v").str.extract_groups(_AMOUNT_RE)).unnest("v")
    parts.columns = ["sign", "int", "frac"]
    digits = pl.col("int").str.replace_all(r"[,，]", "")
    return parts.select(
        pl.when(digits.str.len_chars() <= MAX_AMOUNT_DIGITS).then(
            (digits.cast(pl.Int64, strict=False) * 100 + (pl.col("frac").fill_null("") + "00").str.slice(0, 2).cast(pl.Int64))
            * pl.when(pl.col("sign") == "-").then(-1).otherwise(1)
        ).alias("cents"),
        (digits.str.len_chars() > MAX_AMOUNT_DIGITS).fill_null(False).alias("too_long"),
    )


def parse_cents(s: pl.Series) -> pl.Series:
    """Text -> Int64 cents. Accepts `¥1,299.00`, `1299`, `1,299.00元`, `RMB 12.5`, `-3.00`, `(3.00)`.

    Negative values come back negative; the caller decides whether a negative is an error (it is for
    amounts). Anything not in those forms is null (see _AMOUNT_RE)."""
    return parse_amounts(s)["cents"].alias(s.name)


def parse_ints(s: pl.Series) -> pl.Series:
    """Text -> Int64 for counts such as points: `1,200`, `1200.0`. Unparseable -> null."""
    cents = parse_cents(s)
    return pl.select(pl.when(cents % 100 == 0).then(cents // 100).otherwise(None)).to_series().alias(s.name)


def normalise_phones(s: pl.Series) -> pl.DataFrame:
    """Text -> frame (phone, phone_masked): the first usable number in a cell.

    `phone` is an 11-digit mainland mobile (starting with 1) after removing +86/0086/86 prefixes,
    spaces, dashes, dots and brackets, or `+<digits>` for a number with another country code.
    `phone_masked` holds a masked number (`138****8000`) as written (minus separators): it is kept for
    display and never used to link records. A cell may hold several numbers separated by , ; / 、 |
    or a line break; the first usable one is `phone`, a second different one `phone2` (WeCom's 手机 is
    sometimes two numbers of one person).
    """
    cell = clean_text(s).str.replace_all(r"[，;；/、|\n\r]", ",")
    candidates = pl.DataFrame({"v": cell}).with_row_index("i").with_columns(pl.col("v").str.split(",")).explode("v")
    # `13800138000.0` is a number Excel stored as a float; only a bare number loses its `.0`, so a phone
    # written with dots (`138.0013.0000`) keeps its last group.
    digits = (pl.col("v").str.strip_chars().str.replace(r"^('?\+?\d+)\.0+$", "$1")
              .str.replace_all(r"[\s\-\.()（）]", ""))
    candidates = candidates.with_columns(raw=digits.str.replace(r"^'", "")).with_columns(
        plus=pl.col("raw").str.starts_with("+") | pl.col("raw").str.starts_with("00"),
        body=pl.col("raw").str.replace(r"^(\+|00)", ""),
    ).with_columns(
        foreign=pl.col("plus") & ~pl.col("body").str.starts_with("86"),
        body=pl.when(pl.col("body").str.contains(r"^86[\d*]{11}$") | (pl.col("plus") & pl.col("body").str.starts_with("86")))
        .then(pl.col("body").str.slice(2)).otherwise(pl.col("body")),
    ).with_columns(
        phone=pl.when(pl.col("foreign") & pl.col("body").str.contains(r"^[1-9]\d{6,14}$")).then("+" + pl.col("body"))
        .when(~pl.col("foreign") & pl.col("body").str.contains(r"^1\d{10}$")).then(pl.col("body")),
        masked=pl.when(pl.col("body").str.contains(r"^[\d*]+$") & pl.col("body").str.contains(r"\*")
                       & pl.col("body").str.contains(r"\d")).then(pl.col("body")),
    )
    if candidates.height == s.len():  # one number per cell (the usual case): nothing to pick between
        picked = candidates.with_columns(pl.lit(None, dtype=pl.Utf8).alias("phone2"))
    else:
        picked = candidates.group_by("i", maintain_order=True).agg(
            pl.col("phone").drop_nulls().first(), pl.col("masked").drop_nulls().first(),
            pl.col("phone").drop_nulls().unique(maintain_order=True).slice(1, 1).first().alias("phone2"),
        ).sort("i")
    return pl.DataFrame({
        "phone": picked["phone"],
        "phone_masked": pl.select(pl.when(picked["phone"].is_null()).then(picked["masked"])).to_series(),
        "phone2": picked["phone2"],
    })


def normalise_emails(s: pl.Series) -> pl.Series:
    """Lower-cased, trimmed email; text without an @ is not an email (null)."""
    s = clean_text(s).str.to_lowercase()
    return pl.select(pl.when(s.str.contains(r"^[^@\s]+@[^@\s]+$")).then(s)).to_series().alias(s.name)


def split_tags(s: pl.Series) -> pl.Series:
    """A tags cell -> list of tags, split on , ， ; ； | 、 and line breaks, trimmed, empties dropped."""
    return (
        clean_text(s).str.split_by_regex(r"[,，;；|、\n]") if hasattr(pl.Series.str, "split_by_regex")
        else clean_text(s).str.replace_all(r"[，;；|、\n]", ",").str.split(",")
    ).list.eval(pl.element().str.strip_chars().filter(pl.element().str.len_chars() > 0))


def looks_like_formula(s: pl.Series) -> pl.Series:
    """True where a spreadsheet would run the text as a formula (= + - @ first)."""
    return clean_text(s).str.contains(r"^[=+\-@]").fill_null(False)
