"""The orderings of Go's ``sort`` package that decide list order in kubectl's patches.

kubectl sorts merge-list items and scalars by their ``%v`` text with a "less" function
that answers true for equal texts, and orders patch items with ``sort.SliceStable``
and a "less" that is not a strict order when an item is missing from the reference
list. The result of either depends on the algorithm, so the algorithms are followed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def sort_by_text(items: list[T], text: Callable[[T], str]) -> list[T]:
    """Go's ``sort.Sort`` with ``Less(i, j) = text(i) <= text(j)`` (kubectl's scalar sort).

    Up to 12 items Go runs an insertion sort, which with this "less" reverses items of
    equal text; longer lists take the same order here (Go's pattern-defeating quicksort
    may order equal texts differently there).
    """
    keyed = [(text(item), -position, item) for position, item in enumerate(items)]
    keyed.sort(key=lambda entry: (entry[0], entry[1]))
    return [entry[2] for entry in keyed]


def slice_stable(items: list[T], less: Callable[[T, T], bool]) -> list[T]:
    """Go's ``sort.SliceStable``: insertion sort on blocks of 20, then SymMerge."""
    data = list(items)
    n = len(data)
    block = 20
    a, b = 0, block
    while b <= n:
        _insertion_sort(data, a, b, less)
        a = b
        b += block
    _insertion_sort(data, a, n, less)
    while block < n:
        a, b = 0, 2 * block
        while b <= n:
            _sym_merge(data, a, a + block, b, less)
            a = b
            b += 2 * block
        m = a + block
        if m < n:
            _sym_merge(data, a, m, n, less)
        block *= 2
    return data


def _insertion_sort(data: list[T], a: int, b: int, less: Callable[[T, T], bool]) -> None:
    for i in range(a + 1, b):
        j = i
        while j > a and less(data[j], data[j - 1]):
            data[j], data[j - 1] = data[j - 1], data[j]
            j -= 1


def _sym_merge(data: list[T], a: int, m: int, b: int, less: Callable[[T, T], bool]) -> None:
    if m - a == 1:
        i, j = m, b
        while i < j:
            h = (i + j) >> 1
            if less(data[h], data[a]):
                i = h + 1
            else:
                j = h
        for k in range(a, i - 1):
            data[k], data[k + 1] = data[k + 1], data[k]
        return
    if b - m == 1:
        i, j = a, m
        while i < j:
            h = (i + j) >> 1
            if not less(data[m], data[h]):
                i = h + 1
            else:
                j = h
        for k in range(m, i, -1):
            data[k], data[k - 1] = data[k - 1], data[k]
        return
    mid = (a + b) >> 1
    n = mid + m
    if m > mid:
        start, r = n - b, mid
    else:
        start, r = a, m
    p = n - 1
    while start < r:
        c = (start + r) >> 1
        if not less(data[p - c], data[c]):
            start = c + 1
        else:
            r = c
    end = n - start
    if start < m < end:
        data[start:end] = data[m:end] + data[start:m]
    if a < start < mid:
        _sym_merge(data, a, start, mid, less)
    if mid < end < b:
        _sym_merge(data, mid, end, b, less)
