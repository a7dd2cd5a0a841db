"""Typed access to a profile's columns, collecting one row error per bad cell (vectorised)."""

from __future__ import annotations

import polars as pl

from siyu.ingest import parsers
from siyu.ingest.readers import RawTable

ERROR_SCHEMA = {"row": pl.Int64, "column": pl.Utf8, "value": pl.Utf8, "message": pl.Utf8}

MSG_REQUIRED = "必填项为空 / required value is empty"
MSG_DATE = "无法识别的日期时间，请用 2024-03-05 14:05:00 这类写法 / unrecognised date-time"
MSG_AMOUNT = "无法识别的金额，请用 1299.00 这类写法 / unrecognised amount"
MSG_NEGATIVE = "金额不能为负数 / amount must not be negative"
MSG_NUMBER = "无法识别的整数 / unrecognised whole number"


class Cells:
    """The columns of one table as mapped to a profile's fields, with row errors collected as we parse."""

    def __init__(self, table: RawTable, columns: dict[str, int], tz: str) -> None:
        self.table = table
        self.columns = columns
        self.tz = tz
        self.n = table.frame.height
        self.rows = table.frame["_row"]
        self._errors: list[pl.DataFrame] = []
        self._text: dict[str, pl.Series] = {}

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
        return self._text[field]

    def error(self, field: str, mask: pl.Series, message: str | pl.Series) -> None:
        mask = mask.fill_null(False)
        if not mask.any():
            return
        frame = pl.DataFrame({
            "row": self.rows, "value": self.text(field), "mask": mask,
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
        return parsed.alias(field)

    def cents(self, field: str, *, required: bool = False, check: pl.Series | None = None,
              negative_ok: bool = False) -> pl.Series:
        raw = self.text(field)
        parsed = parsers.parse_cents(raw)
        self._check(field, raw, parsed, required, check, MSG_AMOUNT)
        if not negative_ok:
            active = check if check is not None else pl.repeat(True, self.n, eager=True)
            self.error(field, (parsed < 0) & active, MSG_NEGATIVE)
        return parsed.alias(field)

    def integer(self, field: str) -> pl.Series:
        raw = self.text(field)
        parsed = parsers.parse_ints(raw)
        self.error(field, raw.is_not_null() & parsed.is_null() & ~raw.is_in(["-", "无", "—"]), MSG_NUMBER)
        return parsed.alias(field)

    def errors(self) -> pl.DataFrame:
        if not self._errors:
            return pl.DataFrame(schema=ERROR_SCHEMA)
        return pl.concat(self._errors).cast(ERROR_SCHEMA).sort("row", maintain_order=True)  # type: ignore[arg-type]
