"""A persistent (immutable, structurally shared) vector.

The exercise state keeps thousands of inject statuses and ever-growing histories. Copying a
tuple or dict of 5,000 entries for every event would make `apply` linear in the session size
and a whole session quadratic; this 32-way trie (Clojure's PersistentVector, with a tail)
copies at most one small node per level instead, so `set` and `append` cost O(log32 n).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")

_BITS = 5
_WIDTH = 1 << _BITS
_MASK = _WIDTH - 1

Node = tuple[Any, ...]


class PVec(Sequence[T], Generic[T]):
    """An immutable sequence with cheap `append` and `set` that return new vectors."""

    __slots__ = ("_count", "_root", "_shift", "_tail")

    _count: int
    _shift: int
    _root: Node
    _tail: Node

    def __new__(cls, items: Iterable[T] = ()) -> PVec[T]:
        return cls._build(tuple(items))

    @classmethod
    def _make(cls, count: int, shift: int, root: Node, tail: Node) -> PVec[T]:
        vec: PVec[T] = object.__new__(cls)
        vec._count = count
        vec._shift = shift
        vec._root = root
        vec._tail = tail
        return vec

    @classmethod
    def _build(cls, items: tuple[T, ...]) -> PVec[T]:
        count = len(items)
        if count == 0:
            return cls._make(0, _BITS, (), ())
        tail_off = ((count - 1) >> _BITS) << _BITS
        nodes: list[Node] = [items[i:i + _WIDTH] for i in range(0, tail_off, _WIDTH)]
        shift = _BITS
        while len(nodes) > _WIDTH:
            nodes = [tuple(nodes[i:i + _WIDTH]) for i in range(0, len(nodes), _WIDTH)]
            shift += _BITS
        return cls._make(count, shift, tuple(nodes), items[tail_off:])

    def _tail_off(self) -> int:
        return 0 if self._count < _WIDTH else ((self._count - 1) >> _BITS) << _BITS

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        count = self._count
        if type(index) is not int or not 0 <= index < count:
            if isinstance(index, slice):
                return tuple(self)[index]
            index = index.__index__()
            if index < 0:
                index += count
            if not 0 <= index < count:
                raise IndexError("PVec index out of range")
        tail_off = 0 if count < _WIDTH else ((count - 1) >> _BITS) << _BITS
        if index >= tail_off:
            return self._tail[index - tail_off]  # type: ignore[no-any-return]
        node = self._root
        level = self._shift
        while level > 0:
            node = node[(index >> level) & _MASK]
            level -= _BITS
        return node[index & _MASK]  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[T]:
        yield from _leaves(self._root, self._shift)
        yield from self._tail

    def append(self, item: T) -> PVec[T]:
        count = self._count
        if count - self._tail_off() < _WIDTH:
            return self._make(count + 1, self._shift, self._root, (*self._tail, item))
        shift = self._shift
        if (count >> _BITS) > (1 << shift):  # the root is full: grow a level
            root: Node = (self._root, _new_path(shift, self._tail))
            shift += _BITS
        else:
            root = _push_tail(count, shift, self._root, self._tail)
        return self._make(count + 1, shift, root, (item,))

    def set(self, index: int, item: T) -> PVec[T]:
        count = self._count
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError("PVec index out of range")
        tail_off = self._tail_off()
        if index >= tail_off:
            tail = list(self._tail)
            tail[index - tail_off] = item
            return self._make(count, self._shift, self._root, tuple(tail))
        return self._make(count, self._shift, _assoc(self._shift, self._root, index, item), self._tail)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if isinstance(other, PVec):
            if self._count != other._count:
                return False
            if self._root is other._root and self._tail == other._tail:
                return True
            return all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"PVec({list(self)!r})"


def _leaves(node: Node, level: int) -> Iterator[Any]:
    if level == _BITS:
        for leaf in node:
            yield from leaf
    else:
        for child in node:
            yield from _leaves(child, level - _BITS)


def _new_path(level: int, node: Node) -> Node:
    while level > 0:
        node = (node,)
        level -= _BITS
    return node


def _push_tail(count: int, level: int, parent: Node, tail: Node) -> Node:
    sub = ((count - 1) >> level) & _MASK
    if level == _BITS:
        insert: Node = tail
    elif sub < len(parent):
        insert = _push_tail(count, level - _BITS, parent[sub], tail)
    else:
        insert = _new_path(level - _BITS, tail)
    if sub < len(parent):
        return (*parent[:sub], insert, *parent[sub + 1:])
    return (*parent, insert)


def _assoc(level: int, node: Node, index: int, item: Any) -> Node:
    """`node` with `item` at `index`, copying one node per level (the rest is shared)."""
    copy = list(node)
    if level == 0:
        copy[index & _MASK] = item
    else:
        sub = (index >> level) & _MASK
        copy[sub] = _assoc(level - _BITS, node[sub], index, item)
    return tuple(copy)


EMPTY: PVec[Any] = PVec()


def pvec(items: Sequence[T] | Iterable[T] = ()) -> PVec[T]:
    """A PVec of `items` (built in one pass, not by repeated appends)."""
    return PVec(items)
