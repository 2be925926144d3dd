"""Build a TargetSpec from a YAML document that already passed its JSON Schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from framework.specs.targets.expressions import hash_sql
from framework.specs.targets.model import (
    DEFAULT_LOAD_TIMESTAMP,
    Aggregate,
    At,
    Bounds,
    Column,
    Derive,
    Driver,
    Expr,
    Join,
    Step,
    TargetSpec,
)


def _expr(value: Any, at: At) -> Expr:
    return Expr(str(value), at)


def _exprs(values: Any, at: At) -> tuple[Expr, ...]:
    return tuple(_expr(v, (*at, i)) for i, v in enumerate(values or ()))


def _optional_exprs(doc: dict[str, Any], name: str, at: At) -> tuple[Expr, ...] | None:
    return _exprs(doc[name], (*at, name)) if name in doc else None


def _step(doc: dict[str, Any], at: At) -> Step:
    kind, body = next(iter(doc.items()))
    at = (*at, kind)
    if kind == "derive":
        return Derive(body["name"], _expr(body["expr"], (*at, "expr")), at)
    if kind == "join":
        on = tuple((str(col), _expr(value, (*at, "match", str(col)))) for col, value in body["match"].items())
        return Join(body["as"], body["source"], on, _exprs(body.get("pick"), (*at, "pick")), at)
    on_pairs = tuple((Expr(str(src), (*at, "match", str(src))), _expr(value, (*at, "match", str(src))))
                     for src, value in (body.get("match") or {}).items())
    measures = tuple((str(name), _expr(value, (*at, "measures", str(name))))
                     for name, value in body["measures"].items())
    return Aggregate(
        alias=body["as"], source=body["source"], on=on_pairs, measures=measures,
        when=_expr(body["when"], (*at, "when")) if "when" in body else None,
        where=_expr(body["where"], (*at, "where")) if "where" in body else None,
        key=_optional_exprs(body, "key", at), at=at,
        bounds=Bounds(str(body["bounds"]["column"]), str(body["bounds"]["lower"]), str(body["bounds"]["upper"]),
                      (*at, "bounds")) if "bounds" in body else None,
    )


def _column(doc: dict[str, Any], at: At) -> Column:
    if "hash" in doc:
        parts = _exprs(doc["hash"], (*at, "hash"))
        expr = Expr(hash_sql([p.text for p in parts]), (*at, "hash"))
    else:
        parts = ()
        expr = _expr(doc["expr"], (*at, "expr"))
    return Column(name=doc["name"], expr=expr, type=doc.get("type"), hash=parts,
                  description=doc.get("description", ""), at=at)


def parse_target(doc: dict[str, Any], file: Path) -> TargetSpec:
    driver_doc = doc["driver"]
    driver = Driver(driver_doc["source"], driver_doc["as"], _optional_exprs(driver_doc, "key", ("driver",)))
    return TargetSpec(
        kind=doc["kind"],
        table=doc["table"],
        file=file,
        driver=driver,
        key=tuple(doc["key"]),
        columns=tuple(_column(c, ("columns", i)) for i, c in enumerate(doc["columns"])),
        steps=tuple(_step(s, ("steps", i)) for i, s in enumerate(doc.get("steps") or ())),
        where=_expr(doc["where"], ("where",)) if "where" in doc else None,
        scope=tuple(doc.get("scope") or ()),
        order=_exprs(doc.get("order"), ("order",)),
        load_timestamp=doc.get("load_timestamp", DEFAULT_LOAD_TIMESTAMP),
        description=doc.get("description", ""),
        tags=tuple(doc.get("tags", ())),
    )
