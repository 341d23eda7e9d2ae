"""Safe YAML reading that keeps positions and refuses what PyYAML lets through.

PyYAML's safe loader never constructs arbitrary objects, but it silently keeps the last of two
duplicate keys and happily expands an alias bomb. We compose the node tree once (libyaml when
available), walk it to check keys, tags, depth and alias expansion, then construct plain data.
The node tree stays with the data so any later problem can be pointed at a line and column.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import yaml

from krise_ovelse.model.problems import Problem

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40
MAX_EXPANDED_NODES = 1_000_000

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SAFE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge", "binary")
)

PathStep = str | int
Path_ = tuple[PathStep, ...]


@attrs.frozen
class Document:
    """Plain data from a YAML file and the node tree it came from."""

    file: str
    data: Any
    root: yaml.Node
    text: str = ""  # the source, to place a problem inside a block scalar

    def node(self, path: Sequence[PathStep]) -> yaml.Node:
        """The deepest node that exists along `path`."""
        return node_at(self.root, path)

    def problem(self, path: Sequence[PathStep], code: str, message: str, hint: str = "", *,
                key: bool = False, offset: int | None = None, severity: Any = None) -> Problem:
        """A problem positioned at the value (or, with `key`, at the key) found at `path`."""
        node = key_node_at(self.root, path) if key else node_at(self.root, path)
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if offset is not None and isinstance(node, yaml.ScalarNode):
            line, col = _position_inside(node, offset, self.text)
        extra = {} if severity is None else {"severity": severity}
        return Problem(self.file, line, col, code, message, hint, **extra)


def type_name(value: Any) -> str:
    """What a YAML value is, as an author says it ("a mapping", "text", "true/false", …): the one
    wording of E-TYPE messages, for scenarios and playthroughs alike."""
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)


def _position_inside(node: yaml.ScalarNode, offset: int, text: str) -> tuple[int, int]:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if node.style in ('"', "'"):
        col += 1
    elif node.style in ("|", ">"):
        return _position_in_block(node, offset, text)
    return line, col + offset


def _position_in_block(node: yaml.ScalarNode, offset: int, text: str) -> tuple[int, int]:
    """Where character `offset` of a block scalar's value is in the file: its text starts on the
    line after `|` or `>`, indented, and each line break of the value is one character (a newline
    of `|`, a space of `>`). Best effort for blank lines inside the block."""
    mark = node.start_mark
    start = text.find("\n", mark.index) + 1
    if not node.value.strip() or not start:
        return mark.line + 1, mark.column + 1  # nothing inside: point at the `|` or `>`
    line = mark.line + 2
    rest, indent_of_block = offset, None
    while True:
        stop = text.find("\n", start)
        stop = len(text) if stop < 0 else stop
        raw = text[start:stop]
        if indent_of_block is None and raw.strip():
            indent_of_block = len(raw) - len(raw.lstrip(" "))
        indent = min(indent_of_block or 0, len(raw))
        width = len(raw) - indent
        if rest <= width or stop + 1 >= node.end_mark.index:  # the value's last line
            return line, indent + min(rest, width) + 1
        rest -= width + 1
        start, line = stop + 1, line + 1


def node_at(root: yaml.Node, path: Sequence[PathStep]) -> yaml.Node:
    node = root
    for step in path:
        child = _child(node, step)
        if child is None:
            break
        node = child
    return node


def key_node_at(root: yaml.Node, path: Sequence[PathStep]) -> yaml.Node:
    """The key node of the last step of `path` (for unknown or misplaced keys)."""
    parent = node_at(root, path[:-1])
    if path and isinstance(parent, yaml.MappingNode):
        for key, _value in parent.value:
            if key.value == path[-1]:
                return key  # type: ignore[no-any-return]
    return parent


def _child(node: yaml.Node, step: PathStep) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == step:
                return value  # type: ignore[no-any-return]
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step]  # type: ignore[no-any-return]
    return None


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file; problems (code E-READ…) for anything that stops us.

    `fileio.read_limited` reads regular files only and never more than MAX_BYTES: a FIFO or
    `/dev/zero` is refused (E-READ-SPECIAL) instead of hanging or filling memory."""
    from krise_ovelse.fileio import ReadError, read_limited

    try:
        raw = read_limited(path, MAX_BYTES, what="file")
    except ReadError as exc:
        hint = {"E-READ-DIR": "give the path of a .yaml file",
                "E-READ-SIZE": "split the scenario or shorten texts"}.get(exc.code, exc.hint)
        return None, [Problem(str(path), 0, 0, exc.code, exc.message, hint)]
    return decode_text(raw, str(path))


def decode_text(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """The text of a file's bytes (UTF-8, an optional BOM); E-READ-UTF8 at the first bad byte."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem(name, line, col, "E-READ-UTF8",
                              f"the byte 0x{raw[exc.start]:02x} is not UTF-8",
                              "save the file as UTF-8")]


def parse(text: str, file: str) -> tuple[Document | None, list[Problem]]:
    """Compose, check and construct YAML text; never raises on bad input."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return None, [Problem(file, 0, 0, "E-READ-SIZE", f"more than the limit of {MAX_BYTES:,} bytes", "")]
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return None, [_empty(file)]
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            return None, [_syntax_problem(file, exc, text)]
        except yaml.YAMLError as exc:
            return None, [Problem(file, 1, 1, "E-YAML-SYNTAX", str(exc).splitlines()[0], "")]
        if root is None:
            return None, [_empty(file)]  # only document markers: `---`, `...`
        problems = list(check_nodes(root, file))
        if problems:
            return None, problems
        try:
            data = loader.construct_document(root)
        except yaml.MarkedYAMLError as exc:
            return None, [_syntax_problem(file, exc, text)]
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            return None, [Problem(file, 1, 1, "E-YAML-VALUE", str(exc).splitlines()[0], "")]
    finally:
        loader.dispose()
    return Document(file, data, root, text), []


def _empty(file: str) -> Problem:
    return Problem(file, 1, 1, "E-YAML-EMPTY", "the file is empty", "start from the example in docs/scenario-format.md")


def _syntax_problem(file: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    col = mark.column + 1 if mark else 1
    message = " ".join(part for part in (exc.context, exc.problem) if part) or "YAML syntax error"
    hint = "indent with spaces, YAML does not allow tabs" if "\t" in _line(text, line) else (
        "check indentation, colons and quotes on this line or the one before")
    if "nesting depth" in message:
        return Problem(file, line, col, "E-YAML-DEPTH", "nesting is too deep", f"at most {MAX_DEPTH} levels")
    return Problem(file, line, col, "E-YAML-SYNTAX", message, hint)


def _line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def check_nodes(root: yaml.Node, file: str) -> Iterator[Problem]:
    """Duplicate keys, unsafe tags, depth and alias expansion — one problem each."""
    visits = 0
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        visits += 1
        if visits > MAX_EXPANDED_NODES:
            yield _at(file, root, "E-YAML-ALIAS", "aliases expand to too many values (an alias bomb?)",
                      f"at most {MAX_EXPANDED_NODES:,} values after expanding aliases")
            return
        if depth > MAX_DEPTH:
            yield _at(file, node, "E-YAML-DEPTH", "nesting is too deep", f"at most {MAX_DEPTH} levels")
            return
        if node.tag not in SAFE_TAGS:
            yield _at(file, node, "E-YAML-TAG", f"the tag {node.tag!r} is not allowed",
                      "scenario files hold plain data only; remove the tag")
            continue
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, yaml.Node] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != _MERGE:
                    if key.value in seen:
                        first = seen[key.value].start_mark
                        yield _at(file, key, "E-YAML-DUPKEY", f"duplicate key {key.value!r}",
                                  f"first defined at line {first.line + 1}, column {first.column + 1}")
                    else:
                        seen[key.value] = key
                elif not isinstance(key, yaml.ScalarNode):
                    yield _at(file, key, "E-YAML-KEY", "a key must be a plain value", "")
                stack.append((value, depth + 1))
            yield from _merge_clashes(file, node, seen)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
        elif node.tag == _TIMESTAMP and isinstance(node, yaml.ScalarNode):
            yield from _bad_timestamp(file, node)


_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _merge_clashes(file: str, node: yaml.MappingNode, own: dict[Any, yaml.Node]) -> Iterator[Problem]:
    """Keys a merge key (`<<: *base`) brings in that the mapping also has, or that two merged
    mappings both have: YAML silently keeps one, so a duplicate would hide. One problem each."""
    merged: dict[Any, yaml.Node] = {}
    for key, value in node.value:
        if not (isinstance(key, yaml.ScalarNode) and key.tag == _MERGE):
            continue
        sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                continue  # PyYAML reports a merge of a non-mapping itself
            for sub_key, _sub in source.value:
                if not isinstance(sub_key, yaml.ScalarNode) or sub_key.tag == _MERGE:
                    continue
                clash = own.get(sub_key.value) or merged.get(sub_key.value)
                if clash is not None:
                    yield _at(file, clash, "E-YAML-DUPKEY",
                              f"duplicate key {sub_key.value!r}: the `<<` on line {key.start_mark.line + 1} "
                              f"also brings it in from line {sub_key.start_mark.line + 1}",
                              "YAML would silently keep only one of them; remove one")
                else:
                    merged[sub_key.value] = sub_key


def _bad_timestamp(file: str, node: yaml.ScalarNode) -> Iterator[Problem]:
    """A date YAML recognises by its form but which is no real date (2023-02-30, year 0)."""
    try:
        yaml.constructor.SafeConstructor().construct_yaml_timestamp(node)
    except (ValueError, OverflowError) as exc:
        yield _at(file, node, "E-YAML-VALUE", f"{node.value!r} is not a real date: {exc}",
                  "write a calendar date as YYYY-MM-DD, e.g. 2020-03-12")


def _at(file: str, node: yaml.Node, code: str, message: str, hint: str) -> Problem:
    return Problem(file, node.start_mark.line + 1, node.start_mark.column + 1, code, message, hint)


def load_file(path: Path) -> tuple[Document | None, list[Problem]]:
    text, problems = read_text(path)
    if text is None:
        return None, problems
    return parse(text, str(path))
