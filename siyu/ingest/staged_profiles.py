"""The profiles siyu.ingest.staged converts in SQL, and what each conversion needs (#15).

A staged profile has a statement siyu/db/queries/<sql>.sql (run after ingest_stage_read.sql) whose last
statement gives, for every data row, row_no, blank, plain and the canonical order columns the profile fills;
`fields` are the profile's fields it may read (a file mapping any other field is not staged); `convert` is the
Polars profile that converts every row the statement does not vouch for (`plain` false), so those rows'
values and row errors are the profile's own; `params` are the values the statement binds besides the ones
every conversion gets ($max_chars, $max_cents, $earliest, $tomorrow).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from siyu.ingest.canonical import Canonical
from siyu.ingest.cells import Cells
from siyu.ingest.profile_orders import (
    GENERIC_STATUS,
    YOUZAN_CLOSED,
    YOUZAN_UNPAID,
    generic_orders,
    youzan_orders,
)
from siyu.ingest.profiles import PROFILES


@dataclass(frozen=True)
class StagedProfile:
    sql: str
    fields: tuple[str, ...]
    convert: Callable[[Cells], Canonical]
    params: Mapping[str, Any] = field(default_factory=dict)
    id_prefix: str = ""          # what the profile puts before the order id cell's text in order_id


STAGED: dict[str, StagedProfile] = {
    "generic_orders": StagedProfile(
        "ingest_stage_generic_orders", ("order_id", "member_id", "paid_at", "amount", "refund_amount", "status", "store"),
        generic_orders, {"statuses": list(GENERIC_STATUS), "status_to": list(GENERIC_STATUS.values())}),
    # Every field of the profile: 订单类型, 订单退款状态 and 全部商品名称 are mapped but not read by it.
    "youzan_orders": StagedProfile(
        "ingest_stage_youzan_orders", tuple(PROFILES["youzan_orders"].fields), youzan_orders,
        {"unpaid": YOUZAN_UNPAID, "closed": YOUZAN_CLOSED}, id_prefix="youzan:"),
}
