"""Which functions a spec expression may call: Spark's built-ins, minus those that reach outside
the query.

A spec is configuration: an expression computes a value from its row and reference data, and
nothing else. So the names an expression calls are checked against an allowlist (Spark's own
function registry, committed in `spark_builtins`, kept in step by a test in the Spark tier),
not against a short denylist: a UDF, a catalog function or a function added by a later Spark
is refused until someone decides it belongs. Names are read from the tokens of the text as
written (what Spark will resolve), not from a parse tree that may have renamed them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot.errors import TokenError
from sqlglot.tokens import Token, TokenType

from framework.specs.spark_builtins import BUILTINS
from framework.text import did_you_mean

#: Built-ins that reach outside the query: the JVM (reflection), files, the environment or the
#: session's user, or that break on serverless compute (input_file_*: use _metadata).
OUTSIDE = {
    "java_method": "calls any Java method on the cluster",
    "reflect": "calls any Java method on the cluster",
    "try_reflect": "calls any Java method on the cluster",
    "from_protobuf": "reads a descriptor file",
    "to_protobuf": "reads a descriptor file",
    "from_avro": "decodes with a schema from outside the spec",
    "to_avro": "encodes with a schema from outside the spec",
    "schema_of_avro": "reads a schema from outside the spec",
    "input_file_name": "reads the file system (use the bronze column source_file)",
    "input_file_block_start": "reads the file system",
    "input_file_block_length": "reads the file system",
    "current_user": "reads the environment",
    "user": "reads the environment",
    "session_user": "reads the environment",
    "current_catalog": "reads the environment",
    "current_database": "reads the environment",
    "current_schema": "reads the environment",
    "version": "reads the environment",
}
#: those Spark also runs without parentheses (`current_user`): refused as bare words too (a spec's
#: columns are always qualified by their alias, so a bare word is never a column)
NILADIC = {"current_user", "user", "session_user", "current_catalog", "current_database", "current_schema"}
#: calls Spark's SQL grammar parses itself (not in the registry)
GRAMMAR = {"try_cast", "timestampadd", "timestampdiff"}
ALLOWED = frozenset((BUILTINS | GRAMMAR) - set(OUTSIDE))
_NAMES = (TokenType.VAR, TokenType.IDENTIFIER)


@dataclass(frozen=True)
class Refusal:
    function: str
    reason: str
    hint: str | None = None

    def __str__(self) -> str:
        return f"function {self.function!r} is not allowed: {self.reason}"


def called_functions(text: str) -> list[tuple[str, bool]]:
    """(name as written, qualified?) for every call `name(` in an expression.

    Keyword tokens followed by `(` (IN, EXISTS, OVER, FILTER, and functions the SQL grammar
    knows as keywords, such as LEFT or ARRAY) are grammar or built-ins, never a user's name;
    those that reach outside (CURRENT_USER) are kept, with or without parentheses.
    """
    try:
        tokens: list[Token] = sqlglot.Dialect.get_or_raise("spark").tokenize(text)
    except TokenError:
        return []  # the parse reports it
    calls = []
    for index, token in enumerate(tokens):
        qualified = index > 0 and tokens[index - 1].token_type == TokenType.DOT
        called = index + 1 < len(tokens) and tokens[index + 1].token_type == TokenType.L_PAREN
        lowered = token.text.lower()
        if (called and (token.token_type in _NAMES or lowered in OUTSIDE)) or (
                lowered in NILADIC and not qualified and token.token_type not in (TokenType.STRING, TokenType.IDENTIFIER)):
            calls.append((token.text, qualified))
    return calls


def refused_functions(text: str) -> list[Refusal]:
    """The calls in an expression that are not allowed, each once, in order of appearance."""
    refusals: dict[str, Refusal] = {}
    for name, qualified in called_functions(text):
        lowered = name.lower()
        if lowered in refusals:
            continue
        if qualified:
            refusals[lowered] = Refusal(name, "a qualified name calls a catalog function (a UDF), not a built-in",
                                        f"call the built-in by its plain name, e.g. {lowered}(...)"
                                        if lowered in ALLOWED else None)
        elif lowered in OUTSIDE:
            refusals[lowered] = Refusal(name, f"it {OUTSIDE[lowered]}; spec expressions compute values from "
                                        "their row and reference data only")
        elif lowered not in ALLOWED:
            refusals[lowered] = Refusal(name, "not a Spark built-in function (UDFs and catalog functions "
                                        "cannot be called from specs)", did_you_mean(lowered, ALLOWED))
    return list(refusals.values())
