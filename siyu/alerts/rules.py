"""Alert rules: what to read from which metric, and when it fires (docs/alerts.md).

A rule reads one number from a metric run with `params`: the column `value` of the one row whose columns equal
`where` (a single-row metric needs no `where`), or `value = "rows"` for the number of rows (at-risk super users
> 100). It fires when
- `op` is `>`, `>=`, `<`, `<=`: the number compared with `threshold`, strictly as written (a rate of exactly 30%
  does not fire `> 30%`);
- `op` is `falls_pct` / `rises_pct`: the number fell / rose by at least `threshold` (a fraction; `5%` = 0.05)
  since `compare_days` days earlier (default 7: week on week), the metric run again with `end` moved back.
Thresholds may be written `30%` (= 0.30). Rules come from the 召回 page (table alert_rules) or a TOML / JSON
file (`[[rule]]` tables, or a JSON list).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from siyu.errors import SiyuError

OPS = (">", ">=", "<", "<=", "falls_pct", "rises_pct")
OP_WORDS = {">": ("高于", "above"), ">=": ("达到或高于", "at or above"), "<": ("低于", "below"),
            "<=": ("达到或低于", "at or below"), "falls_pct": ("环比下降至少", "falls by at least"),
            "rises_pct": ("环比上升至少", "rises by at least")}
MAX_NAME = 80


@dataclass(frozen=True)
class Rule:
    name: str
    metric: str
    value: str
    op: str
    threshold: float
    params: dict[str, str] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)
    compare_days: int = 7
    percent: bool = False
    """Show the figure and threshold as percentages (the threshold was written with %, or a *_pct op)."""
    link: str | None = None
    page: str = "overview"
    """The dashboard page the message links to (its URL path) when `link` is not given."""
    enabled: bool = True

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _threshold(raw: object, name: str) -> tuple[float, bool]:
    if isinstance(raw, bool):
        raise SiyuError(f"规则 {name!r} 的 threshold 需要数字 / threshold must be a number")
    if isinstance(raw, int | float):
        return float(raw), False
    text = str(raw).strip().replace("％", "%")
    try:
        return (float(text[:-1]) / 100, True) if text.endswith("%") else (float(text), False)
    except ValueError:
        raise SiyuError(f"规则 {name!r} 的 threshold={raw!r} 不是数字（可写 30% 或 0.3）/ threshold must be a number") from None


def rule_from(data: dict[str, Any], known_metrics: set[str] | None = None) -> Rule:
    """A Rule from a mapping (a file's table, the page's form), checked; SiyuError says what is wrong."""
    name = str(data.get("name") or "").strip()
    if not name or len(name) > MAX_NAME or any(ord(ch) < 32 for ch in name):
        raise SiyuError(f"每条规则需要 name（1–{MAX_NAME} 个可见字符）/ every rule needs a name")
    unknown = set(data) - {f for f in Rule.__dataclass_fields__} - {"threshold"}
    if unknown:
        raise SiyuError(f"规则 {name!r} 有不认识的字段 {sorted(unknown)} / unknown field(s)")
    metric, value, op = (str(data.get(k) or "").strip() for k in ("metric", "value", "op"))
    if not metric or not value:
        raise SiyuError(f"规则 {name!r} 需要 metric 和 value / a rule needs metric and value")
    if known_metrics is not None and metric not in known_metrics:
        raise SiyuError(f"规则 {name!r}：没有名为 {metric!r} 的指标 / unknown metric {metric!r}")
    if op not in OPS:
        raise SiyuError(f"规则 {name!r}：op 只能是 {' '.join(OPS)}，收到 {op!r} / unknown op")
    if "threshold" not in data:
        raise SiyuError(f"规则 {name!r} 需要 threshold / a rule needs a threshold")
    threshold, as_percent = _threshold(data["threshold"], name)
    try:
        compare_days = int(data.get("compare_days", 7))
    except (TypeError, ValueError):
        raise SiyuError(f"规则 {name!r}：compare_days 需要整数 / compare_days must be a whole number") from None
    if compare_days < 1:
        raise SiyuError(f"规则 {name!r}：compare_days 至少为 1 / compare_days must be at least 1")
    params, where = data.get("params") or {}, data.get("where") or {}
    if not isinstance(params, dict) or not isinstance(where, dict):
        raise SiyuError(f"规则 {name!r}：params 和 where 需要是键值表 / params and where must be tables")
    return Rule(name=name, metric=metric, value=value, op=op, threshold=threshold,
                params={str(k): str(v) for k, v in params.items()}, where={str(k): str(v) for k, v in where.items()},
                compare_days=compare_days, percent=bool(data.get("percent", as_percent or op.endswith("_pct"))),
                link=(str(data["link"]) if data.get("link") else None), page=str(data.get("page") or "overview"),
                enabled=bool(data.get("enabled", True)))


def load_rules(path: Path, known_metrics: set[str] | None = None) -> list[Rule]:
    """Rules of a TOML (`[[rule]]` tables) or JSON (a list of objects) file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SiyuError(f"无法读取规则文件 {path}：{exc.strerror} / cannot read the rules file") from None
    try:
        if Path(path).suffix.lower() == ".json":
            items = json.loads(text)
        else:
            items = tomllib.loads(text).get("rule", [])
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SiyuError(f"规则文件 {path} 格式有误：{exc} / the rules file does not parse") from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise SiyuError(f"规则文件 {path} 需要 [[rule]] 表（TOML）或对象列表（JSON）/ expected a list of rules")
    rules = [rule_from(i, known_metrics) for i in items]
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise SiyuError(f"规则文件 {path} 里有重名的规则 / rule names must be unique")
    return rules
