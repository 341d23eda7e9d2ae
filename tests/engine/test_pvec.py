"""The persistent vector behind the exercise state: appends, sets and reads past one and two
levels of the trie read like a list; vectors compare, hash and print by their items."""

from __future__ import annotations

import pytest

from krise_ovelse.engine.pvec import PVec, pvec


@pytest.mark.parametrize("size", [0, 1, 31, 32, 33, 64, 65, 1024, 1056, 1057, 1100, 33 * 1024 + 40])
def test_a_pvec_built_by_appends_reads_like_a_list(size: int) -> None:
    vec: PVec[int] = PVec()
    items: list[int] = []
    for n in range(size):
        vec = vec.append(n)
        items.append(n)
        if n < 1100 and n % 97 == 0:  # every level boundary on the way, read back in full
            assert list(vec) == items and len(vec) == len(items)
    assert list(vec) == items and [vec[i] for i in range(size)] == items
    assert vec == pvec(items) and pvec(items) == vec and list(pvec(items)) == items
    for index in sorted({0, 31, 32, 33, 1023, 1024, 1055, 1056, size // 2, size - 1}):
        if 0 <= index < size:
            changed = vec.set(index, -1)
            expected = [*items[:index], -1, *items[index + 1:]]
            assert list(changed) == expected and changed[index] == -1 and changed[-1] == expected[-1]
            assert list(vec) == items  # the original is unchanged
    if size:
        assert vec[-1] == items[-1] and vec[1:3] == tuple(items[1:3])
        with pytest.raises(IndexError):
            vec[size]
        with pytest.raises(IndexError):
            vec.set(size, 0)


def test_equal_vectors_built_differently_hash_alike() -> None:
    built = PVec[int]()
    for n in range(40):
        built = built.append(n)
    assert built == pvec(range(40)) and hash(built) == hash(pvec(range(40)))
    assert len({built, pvec(range(40)), pvec(range(39))}) == 2


def test_a_vector_prints_its_items() -> None:
    assert repr(pvec([1, "a"])) == "PVec([1, 'a'])" and repr(PVec()) == "PVec([])"


def test_reads_and_sets_past_the_end_are_index_errors_and_negative_indexes_count_from_the_end() -> None:
    vec = pvec(range(40))
    with pytest.raises(IndexError, match=r"^PVec index out of range$"):
        vec[40]
    assert vec[-40] == 0 and vec.set(-1, 99)[39] == 99 and vec.set(-40, 99)[0] == 99
    with pytest.raises(IndexError):
        vec.set(-41, 0)


def test_vectors_of_other_lengths_or_items_differ() -> None:
    vec = pvec(range(40))
    assert vec == vec and vec != pvec(range(41)) and pvec(range(41)) != vec
    assert vec != vec.set(39, -1) and vec != pvec(range(1, 41))
