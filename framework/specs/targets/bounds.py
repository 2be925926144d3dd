"""Moved bounds: what an incremental load recomputes when a global aggregate that declares
`bounds` (model.Bounds) changed. Gold's span of encounter months bounds `month_start_date`: a
delivery that adds a month makes that month's rows appear for every member, and leaves the other
months as they were, so the load recomputes the months between the old and the new bounds (plus
the scopes its other changes touch) instead of every scope."""

from __future__ import annotations

from dataclasses import dataclass

from framework.specs.targets.model import Bounds
from framework.text import sql_value


@dataclass(frozen=True)
class MovedBounds:
    """An output column's bounds as the target last saw them and as they are now."""

    column: str
    old: tuple[object, object]  # (lower, upper); None where there was none
    new: tuple[object, object]

    @classmethod
    def of(cls, bounds: Bounds, old: dict[str, object], new: dict[str, object]) -> MovedBounds:
        """From the aggregate's measures before and after (measure name -> value)."""
        return cls(bounds.column, (old.get(bounds.lower), old.get(bounds.upper)),
                   (new.get(bounds.lower), new.get(bounds.upper)))

    def between(self, value: str) -> str:
        """SQL: the `value` lies within exactly one of the two ranges, so its row appears, goes,
        or stays out; a value within both names a row the move does not change."""
        def within(lower: object, upper: object) -> str:
            return f"coalesce(({value}) BETWEEN {sql_value(lower)} AND {sql_value(upper)}, FALSE)"
        return f"({within(*self.new)} <> {within(*self.old)})"

    def describe(self) -> str:
        def text(bounds: tuple[object, object]) -> str:
            return "none" if None in bounds else f"{bounds[0]}..{bounds[1]}"
        return f"{self.column} {text(self.old)} -> {text(self.new)}"
