"""Typed access to a profile's columns, collecting one row error per bad cell (vectorised)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import polars as pl

from siyu.ingest import parsers
from siyu.ingest.readers import RawTable

ERROR_SCHEMA = pl.Schema({"row": pl.Int64, "column": pl.Utf8, "value": pl.Utf8, "message": pl.Utf8})

MSG_REQUIRED = "必填项为空 / required value is empty"
MSG_DATE = "无法识别的日期时间，请用 2024-03-05 14:05:00 这类写法 / unrecognised date-time"
MSG_AMOUNT = ("无法识别的金额：只接受 1299.00、1,299.00、¥1,299.00、1,299.00元 这类写法（千位逗号每三位一个，最多两位小数）"
              " / unrecognised amount: write it like 1299.00, 1,299.00, ¥1,299.00 or 1,299.00元 (a thousands comma every"
              " three digits, at most two decimals)")
MSG_NEGATIVE = "金额不能为负数 / amount must not be negative"
MSG_NUMBER = "无法识别的整数 / unrecognised whole number"
MSG_FUTURE = "日期在未来（晚于今天），请检查年份和日期写法 / the date lies in the future: check the year and the date form"
# One order of ¥1,000,000,000 or more is a typo (extra digits, 1E+15 from Excel); sums of such cents would
# also leave Int64 behind after ~90 million of them.
MAX_CENTS = 100_000_000_000
MSG_ABSURD = ("金额超过 10 亿元（或超过 15 位数字），几乎肯定是错的：请检查是否多打了几位数、漏了小数点"
              " / amount over ¥1,000,000,000 (or longer than 15 digits): almost certainly a typo; check for extra"
              " digits or a missing decimal point")
# A cell this long is almost always a broken file: an unbalanced quote swallows the following lines.
MAX_CELL_CHARS = 10_000
MAX_SHOWN_CHARS = 200
MSG_TOO_LONG = (f"单元格超过 {MAX_CELL_CHARS} 个字符（常见原因：引号不成对，后面的行被并进了这一格）"
                f" / cell longer than {MAX_CELL_CHARS:,} characters (often an unbalanced quote)")
COLUMN_WHOLE_ROW = "（整行）/ (whole row)"
MSG_FIELDS = ("这一行有 {} 个字段，表头有 {} 个：值里可能有没加引号的逗号，或这一行被截断了；请给含逗号的值加上引号，或重新导出"
              " / the row has {} fields but the header has {}: a value holds an unquoted comma, or the row was cut off;"
              " quote values that contain commas, or export the file again")
MSG_EARLY = ("日期早于 {year} 年，几乎肯定是年份写错了（或是占位的 1900-01-01）；请检查年份。确有更早的数据时调低 SIYU_EARLIEST_YEAR"
             " / the date is before {year}: almost certainly a wrong year (or a 1900-01-01 placeholder); check the year,"
             " or lower SIYU_EARLIEST_YEAR for genuinely older data")
# C0/C1 control characters other than tab and line breaks (ESC starts the ANSI sequences that recolour or
# rewrite a terminal), and the bidirectional overrides that make text display in another order than stored.
CONTROL = r"[\x01-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\x{202A}-\x{202E}\x{2066}-\x{2069}]"
MSG_CONTROL = ("单元格含有不可见的控制字符（例如终端转义序列的 ESC），这一行未导入；请删除这些字符后重试"
               " / cell holds invisible control characters (such as the ESC of a terminal escape sequence): the row is"
               " refused; remove them and import again")
MSG_NUL = "单元格含有 NUL 控制字符（文件可能已损坏或编码不对）/ cell holds a NUL byte (a broken file or the wrong encoding)"


class Cells:
    """The columns of one table as mapped to a profile's fields, with row errors collected as we parse."""

    def __init__(self, table: RawTable, columns: dict[str, int], tz: str, earliest_year: int = 2000) -> None:
        self.table = table
        self.columns = columns
        self.tz = tz
        self.earliest = dt.datetime(earliest_year, 1, 1)
        self.n = table.frame.height
        self.rows = table.frame["_row"]
        self._errors: list[pl.DataFrame] = []
        self._text: dict[str, pl.Series] = {}
        self._ragged_rows()

    def _ragged_rows(self) -> None:
        """A row with more or fewer fields than the header: an unquoted comma split a value, or the row was
        cut off. Which value belongs to which column cannot be known, so the whole row is an error."""
        ragged = self.table.ragged.join(self.table.frame.select("_row"), left_on="row", right_on="_row", how="semi")
        if not ragged.height:
            return
        cells = self.table.frame.join(ragged, left_on="_row", right_on="row", how="semi")
        want = self.table.header_fields
        self._errors.append(ragged.with_columns(
            pl.lit(COLUMN_WHOLE_ROW).alias("column"),
            cells.select(pl.concat_str(pl.exclude("_row"), separator=self.table.delimiter, ignore_nulls=True)
                         .str.slice(0, MAX_SHOWN_CHARS)).to_series().alias("value"),
            pl.format(MSG_FIELDS, pl.col("fields"), pl.lit(want), pl.col("fields"), pl.lit(want)).alias("message"),
        ).select("row", "column", "value", "message"))

    def has(self, field: str) -> bool:
        return field in self.columns

    def header(self, field: str) -> str:
        return self.table.header[self.columns[field]] if field in self.columns else field

    def text(self, field: str) -> pl.Series:
        if field not in self._text:
            if field not in self.columns:
                self._text[field] = pl.repeat(None, self.n, dtype=pl.Utf8, eager=True).alias(field)
            else:
                self._text[field] = parsers.clean_text(self.table.frame[f"c{self.columns[field]}"]).alias(field)
                self._check_text(field)
        return self._text[field]

    def _check_text(self, field: str) -> None:
        text = self._text[field]
        if (text.str.len_bytes() > MAX_CELL_CHARS).any():  # bytes >= characters: a cheap first look
            self.error(field, text.str.len_chars() > MAX_CELL_CHARS, MSG_TOO_LONG)
        self.error(field, text.str.contains("\x00", literal=True), MSG_NUL)
        self.error(field, text.str.contains(CONTROL), MSG_CONTROL)

    def check_column(self, index: int) -> None:
        """The text checks for a column no field maps to but the profile still stores (WeCom tag groups)."""
        name = f"column {index}"
        self.columns = {**self.columns, name: index}
        self.text(name)

    def error(self, field: str, mask: pl.Series, message: str | pl.Series) -> None:
        mask = mask.fill_null(False)
        if not mask.any():
            return
        frame = pl.DataFrame({
            # The value as the operator will see it in the report, cut short: a broken cell can be megabytes.
            # Control characters are shown as U+FFFD: the report is printed to terminals and spreadsheets.
            "row": self.rows, "value": self.text(field).str.slice(0, MAX_SHOWN_CHARS).str.replace_all(CONTROL, "\ufffd"),
            "mask": mask,
            "message": message if isinstance(message, pl.Series) else pl.repeat(message, self.n, eager=True),
        }).filter(pl.col("mask")).select("row", pl.lit(self.header(field)).alias("column"), "value", "message")
        self._errors.append(frame)

    def _check(self, field: str, raw: pl.Series, parsed: pl.Series, required: bool, check: pl.Series | None,
               message: str) -> None:
        active = check if check is not None else pl.repeat(True, self.n, eager=True)
        if required:
            self.error(field, raw.is_null() & active, MSG_REQUIRED)
        self.error(field, raw.is_not_null() & parsed.is_null() & active, message)

    def required(self, field: str, check: pl.Series | None = None) -> pl.Series:
        raw = self.text(field)
        self._check(field, raw, raw, True, check, MSG_REQUIRED)
        return raw

    def datetime(self, field: str, *, required: bool = False, check: pl.Series | None = None) -> pl.Series:
        raw = self.text(field)
        parsed = parsers.parse_datetimes(raw, self.tz)
        self._check(field, raw, parsed, required, check, MSG_DATE)
        # A day of slack: an export written just after midnight in another zone is not "in the future".
        tomorrow = dt.datetime.now(zoneinfo.ZoneInfo(self.tz)).replace(tzinfo=None) + dt.timedelta(days=1)
        self.error(field, parsed > tomorrow, MSG_FUTURE)
        self.too_early(field, parsed)
        return parsed.alias(field)

    def too_early(self, field: str, parsed: pl.Series) -> None:
        """Dates (or date-times) before 1 January of Settings.earliest_year are row errors."""
        limit = self.earliest.date() if parsed.dtype == pl.Date else self.earliest
        self.error(field, parsed < limit, MSG_EARLY.format(year=self.earliest.year))

    def cents(self, field: str, *, required: bool = False, check: pl.Series | None = None,
              negative_ok: bool = False) -> pl.Series:
        raw = self.text(field)
        amounts = parsers.parse_amounts(raw)
        parsed, too_long = amounts["cents"], amounts["too_long"]
        # A well-formed amount too long for Int64 is reported as absurd, not as unrecognised.
        self._check(field, raw, pl.select(pl.when(too_long).then(0).otherwise(parsed)).to_series(), required, check,
                    MSG_AMOUNT)
        if not negative_ok:
            active = check if check is not None else pl.repeat(True, self.n, eager=True)
            self.error(field, (parsed < 0) & active, MSG_NEGATIVE)
        self.error(field, (parsed.abs() >= MAX_CENTS) | too_long, MSG_ABSURD)
        return parsed.alias(field)

    def integer(self, field: str) -> pl.Series:
        raw = self.text(field)
        parsed = parsers.parse_ints(raw)
        self.error(field, raw.is_not_null() & parsed.is_null() & ~raw.is_in(["-", "无", "—"]), MSG_NUMBER)
        return parsed.alias(field)

    def errors(self) -> pl.DataFrame:
        if not self._errors:
            return pl.DataFrame(schema=ERROR_SCHEMA)
        return pl.concat(self._errors).cast(ERROR_SCHEMA).sort("row", maintain_order=True)
