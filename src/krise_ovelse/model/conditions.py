"""The condition language of `when:` — a small, safe expression language (never `eval`).

    key_person_load >= 75 and not daily_status
    chose(d04, a) or missed(d04)
    day >= 30 and phase(langvarig) and released(i09)

Grammar (keywords are lower case):

    expr    := and_ ("or" and_)*
    and_    := not_ ("and" not_)*
    not_    := "not" not_ | compare
    compare := value (("<" | "<=" | ">" | ">=" | "==" | "!=") value)?
    value   := NUMBER | "true" | "false" | NAME | NAME "(" NAME ("," NAME)* ")" | "(" expr ")"

A bare NAME is an indicator (a number), `day` (scenario days since D+0, a number) or a flag set
by an option (true or false). Functions: chose(decision, option), decided(decision),
missed(decision), released(inject), phase(phase), flag(name).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Protocol

import attrs

from krise_ovelse.model.errors import FieldFormatError

FUNCTIONS: Mapping[str, int] = {
    "chose": 2,
    "decided": 1,
    "missed": 1,
    "released": 1,
    "phase": 1,
    "flag": 1,
}
COMPARATORS = ("<=", ">=", "==", "!=", "<", ">")
KEYWORDS = frozenset({"and", "or", "not", "true", "false"})
HINT = "see the condition language in docs/scenario-format.md"

#: How deeply parentheses and `not` may nest; deeper is refused (E-COND-DEPTH), so parsing and
#: evaluating never exhaust the stack.
MAX_DEPTH = 32
#: Digits in a number: more is a typing mistake (and 400 of them would make an infinite float).
MAX_DIGITS = 15

# Digits are 0-9 only (`\d` would take any script's digits); names are ASCII.
_TOKEN = re.compile(
    r"(?P<space>\s+)|(?P<number>-?[0-9]+(?:\.[0-9]+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*)"
    r"|(?P<op><=|>=|==|!=|<|>)|(?P<punct>[(),])"
)


class ConditionError(FieldFormatError):
    code = "E-COND"


class ConditionDepthError(ConditionError):
    """Parentheses or `not` nested deeper than MAX_DEPTH."""

    code = "E-COND-DEPTH"


@attrs.frozen
class Token:
    kind: str
    text: str
    offset: int


@attrs.frozen
class Number:
    value: float
    offset: int


@attrs.frozen
class Bool:
    value: bool
    offset: int


@attrs.frozen
class Name:
    """An indicator, `day` or a flag; which one is settled against the scenario."""

    name: str
    offset: int


@attrs.frozen
class Call:
    function: str
    args: tuple[Name, ...]
    offset: int


@attrs.frozen
class Compare:
    op: str
    left: Expr
    right: Expr
    offset: int


@attrs.frozen
class Not:
    operand: Expr
    offset: int


@attrs.frozen
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Expr, ...]
    offset: int


Expr = Number | Bool | Name | Call | Compare | Not | BoolOp


@attrs.frozen
class Condition:
    """A parsed condition with its source text."""

    source: str
    expr: Expr

    def __str__(self) -> str:
        return self.source


def tokenize(source: str) -> list[Token]:
    """The tokens of `source`, in one pass (linear in its length: no slicing per token)."""
    tokens: list[Token] = []
    pos, end = 0, len(source)
    match_at = _TOKEN.match
    while pos < end:
        match = match_at(source, pos)
        if match is None:
            raise ConditionError(f"unexpected character {source[pos]!r}", pos, HINT)
        kind = match.lastgroup or ""
        if kind != "space":
            text = match.group(kind)
            if kind == "number" and len(text.lstrip("-").split(".")[0]) > MAX_DIGITS:
                raise ConditionError(f"the number {text[:20]}… is too long", pos,
                                     f"at most {MAX_DIGITS} digits before the decimal point")
            tokens.append(Token(kind, text, pos))
        pos = match.end()
    tokens.append(Token("end", "", end))
    return tokens


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.index = 0
        self.depth = 0

    def deeper(self, offset: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionDepthError(f"the condition nests more than {MAX_DEPTH} levels deep", offset,
                                      "split it: fewer parentheses or `not`s inside each other")

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.token
        self.index += 1
        return token

    def is_word(self, word: str) -> bool:
        return self.token.kind == "name" and self.token.text == word

    def expect(self, text: str) -> Token:
        if self.token.text != text:
            raise self.error(f"expected {text!r}")
        return self.advance()

    def error(self, message: str) -> ConditionError:
        found = "the end" if self.token.kind == "end" else repr(self.token.text)
        return ConditionError(f"{message}, found {found}", self.token.offset, HINT)

    def parse(self) -> Expr:
        if self.token.kind == "end":
            raise ConditionError("empty condition", 0, HINT)
        expr = self.or_()
        if self.token.kind != "end":
            raise self.error("expected 'and', 'or' or the end of the condition")
        return expr

    def or_(self) -> Expr:
        return self._chain("or", self.and_)

    def and_(self) -> Expr:
        return self._chain("and", self.not_)

    def _chain(self, word: str, operand: Callable[[], Expr]) -> Expr:
        start = self.token.offset
        operands = [operand()]
        while self.is_word(word):
            self.advance()
            operands.append(operand())
        return operands[0] if len(operands) == 1 else BoolOp(word, tuple(operands), start)

    def not_(self) -> Expr:
        if self.is_word("not"):
            start = self.advance().offset
            self.deeper(start)
            operand = self.not_()
            self.depth -= 1
            return Not(operand, start)
        return self.compare()

    def compare(self) -> Expr:
        left = self.value()
        if self.token.kind == "op":
            op = self.advance()
            right = self.value()
            return Compare(op.text, left, right, op.offset)
        return left

    def value(self) -> Expr:
        token = self.token
        if token.kind == "number":
            self.advance()
            return Number(float(token.text), token.offset)
        if token.kind == "punct" and token.text == "(":
            self.advance()
            self.deeper(token.offset)
            expr = self.or_()
            self.expect(")")
            self.depth -= 1
            return expr
        if token.kind == "name":
            if token.text in ("true", "false"):
                self.advance()
                return Bool(token.text == "true", token.offset)
            if token.text in KEYWORDS:
                raise self.error("expected a value")
            self.advance()
            if self.token.text == "(":
                return self.call(token)
            return Name(token.text, token.offset)
        raise self.error("expected a number, a name or '('")

    def call(self, name: Token) -> Call:
        arity = FUNCTIONS.get(name.text)
        if arity is None:
            known = ", ".join(sorted(FUNCTIONS))
            raise ConditionError(f"unknown function {name.text!r}", name.offset, f"functions are {known}")
        self.expect("(")
        args: list[Name] = []
        while True:
            if self.token.kind != "name" or self.token.text in KEYWORDS:
                raise self.error("expected an id")
            arg = self.advance()
            args.append(Name(arg.text, arg.offset))
            if self.token.text != ",":
                break
            self.advance()
        close = self.token
        self.expect(")")
        if len(args) != arity:
            raise ConditionError(
                f"{name.text}() takes {arity} argument{'s' if arity > 1 else ''}, got {len(args)}",
                close.offset,
                HINT,
            )
        return Call(name.text, tuple(args), name.offset)


def parse_condition(source: str) -> Condition:
    """Parse `source`; raise ConditionError with the offset of the problem."""
    return Condition(source, _Parser(source).parse())


def walk(expr: Expr) -> Iterator[Expr]:
    yield expr
    if isinstance(expr, Compare):
        yield from walk(expr.left)
        yield from walk(expr.right)
    elif isinstance(expr, Not):
        yield from walk(expr.operand)
    elif isinstance(expr, BoolOp):
        for operand in expr.operands:
            yield from walk(operand)


class ConditionContext(Protocol):
    """What a condition can read from an exercise's state."""

    def indicator_value(self, indicator: str) -> float | None: ...
    def has_flag(self, flag: str) -> bool: ...
    def chosen_option(self, decision: str) -> str | None: ...
    def was_missed(self, decision: str) -> bool: ...
    def was_released(self, inject: str) -> bool: ...
    def current_phase(self) -> str: ...
    def scenario_day(self) -> float: ...


def evaluate(expr: Expr, ctx: ConditionContext) -> bool | float:
    """Evaluate `expr`; a name that is no indicator is a flag; `day` is the scenario day."""
    if isinstance(expr, Number | Bool):
        return expr.value
    if isinstance(expr, Name):
        if expr.name == "day":
            return ctx.scenario_day()
        value = ctx.indicator_value(expr.name)
        return ctx.has_flag(expr.name) if value is None else value
    if isinstance(expr, Call):
        args = [arg.name for arg in expr.args]
        if expr.function == "chose":
            return ctx.chosen_option(args[0]) == args[1]
        if expr.function == "decided":
            return ctx.chosen_option(args[0]) is not None
        if expr.function == "missed":
            return ctx.was_missed(args[0])
        if expr.function == "released":
            return ctx.was_released(args[0])
        if expr.function == "phase":
            return ctx.current_phase() == args[0]
        return ctx.has_flag(args[0])
    if isinstance(expr, Not):
        return not evaluate(expr.operand, ctx)
    if isinstance(expr, BoolOp):
        if expr.op == "and":
            return all(evaluate(operand, ctx) for operand in expr.operands)
        return any(evaluate(operand, ctx) for operand in expr.operands)
    left, right = float(evaluate(expr.left, ctx)), float(evaluate(expr.right, ctx))
    return _COMPARE[expr.op](left, right)


_COMPARE: Mapping[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def holds(condition: Condition, ctx: ConditionContext) -> bool:
    return bool(evaluate(condition.expr, ctx))
