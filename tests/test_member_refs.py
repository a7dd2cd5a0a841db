"""siyu.member_refs: which identifier names a member in outputs, and how frames get it (literal frames)."""

from __future__ import annotations

import polars as pl

from siyu.member_refs import choose_refs, siyu_ids, with_member_refs
from siyu.output import recover_cell, safe_cell, to_csv


def cands(rows: list[tuple[int, str, str, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"member_id": pl.Int64, "kind": pl.String, "value": pl.String,
                                      "batch_id": pl.Int64}, orient="row")


def test_strongest_kind_wins_then_earliest_batch_then_smallest_value() -> None:
    got = choose_refs(cands([
        # 1: the export's member id beats a shop buyer id and a WeCom id recorded earlier
        (1, "wecom_external_id", "wmAAA", 1), (1, "shop_buyer_id", "yz-9", 2), (1, "external_member_id", "M-7", 3),
        (1, "phone", "13800138000", 1),
        # 2: no member id: the shop buyer id, not the WeCom id
        (2, "wecom_external_id", "wmBBB", 1), (2, "shop_buyer_id", "yz-3", 4),
        # 3: two member ids: the one of the earlier batch, even though its value sorts later
        (3, "external_member_id", "Z-1", 2), (3, "external_member_id", "A-1", 5),
        # 4: two member ids of one batch: the smaller value ("10002" < "9" in code-point order)
        (4, "external_member_id", "9", 1), (4, "external_member_id", "10002", 1),
        # 5: WeCom id beats e-mail; 6: e-mail beats phone
        (5, "email", "a@b.cn", 1), (5, "wecom_external_id", "wmCCC", 2),
        (6, "phone", "13800138000", 1), (6, "email", "x@y.cn", 2),
        # 7: only phones: masked, the full phone before an exported masked one
        (7, "phone_masked", "186****0005", 1), (7, "phone", "13912345678", 2),
        # 8: only a masked phone; 9: only a pepper key (means nothing to a reader) and a nickname kind
        (8, "phone_masked", "186****0005", 1),
        (9, "phone", "h:0123456789abcdef0123456789abcdef", 1), (9, "wecom_name", "小红", 1),
        # 10: a member id that is a mobile number is masked too
        (10, "external_member_id", "13700001111", 1),
    ]))
    assert got.rows() == [(1, "M-7"), (2, "yz-3"), (3, "Z-1"), (4, "10002"), (5, "wmCCC"), (6, "x@y.cn"),
                          (7, "139****5678"), (8, "186****0005"), (10, "137****1111")]
    assert got.schema == pl.Schema({"siyu_id": pl.Int64, "member_id": pl.String})
    assert choose_refs(cands([])).height == 0


def test_the_choice_does_not_depend_on_row_order() -> None:
    rows = [(1, "external_member_id", "b", 1), (1, "external_member_id", "a", 1), (1, "shop_buyer_id", "s", 1),
            (1, "external_member_id", "c", 0)]
    assert choose_refs(cands(rows)).rows() == choose_refs(cands(rows[::-1])).rows() == [(1, "c")]


def test_frames_get_the_reference_and_keep_rows_and_order() -> None:
    refs = pl.DataFrame({"siyu_id": [1, 3], "member_id": ["10002", "=1+2"]})
    frame = pl.DataFrame({"member_id": ["3", "2", "1"], "spend": [1.0, 2.0, 3.0]})
    got = with_member_refs(frame, refs)
    assert got.columns == ["member_id", "siyu_id", "spend"]
    assert got.rows() == [("=1+2", 3, 1.0), ("siyu:2", 2, 2.0), ("10002", 1, 3.0)]  # 2 has no identifier
    assert with_member_refs(got, refs).equals(got)  # once only
    # referral frames: the referrer and root keep siyu ids, with references beside them
    nodes = pl.DataFrame({"member_id": [1, 3], "referrer_id": [None, 1], "root": [1, 1], "depth": [0, 1]})
    assert with_member_refs(nodes, refs).rows(named=True) == [
        {"member_id": "10002", "siyu_id": 1, "referrer_id": None, "referrer_member_id": None, "root": 1,
         "root_member_id": "10002", "depth": 0},
        {"member_id": "=1+2", "siyu_id": 3, "referrer_id": 1, "referrer_member_id": "10002", "root": 1,
         "root_member_id": "10002", "depth": 1}]
    assert siyu_ids(nodes) == [1, 3]
    empty = with_member_refs(pl.DataFrame(schema={"member_id": pl.Int64, "n": pl.Int64}), refs)
    assert empty.schema == pl.Schema({"member_id": pl.String, "siyu_id": pl.Int64, "n": pl.Int64})
    no_members = pl.DataFrame({"tier": ["金卡"], "members": [3]})
    assert with_member_refs(no_members, refs) is no_members


def test_formula_ids_are_escaped_in_csv_and_recoverable() -> None:
    ids = ["=1+2", "+86", "-5", "@x", "\tx", "'quoted", "''", "A-7", "10002"]
    text = to_csv(pl.DataFrame({"member_id": ids}))
    cells = text.splitlines()[1:]
    assert cells[:3] == ["'=1+2", "'+86", "'-5"] and cells[5:] == ["''quoted", "'''", "A-7", "10002"]
    assert [recover_cell(safe_cell(v)) for v in ids] == ids
