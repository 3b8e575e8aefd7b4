"""Parsing JSON from a stranger in bounded time and memory.

``json.loads`` turns a few kilobytes into any amount of work: ``[[[[...`` nests until the parser
recurses out of stack, and ``[0,0,0,...]`` or ``[{},{},...]`` makes tens of bytes of objects per
byte of text. :func:`load_bounded_json` measures the text before parsing it: its size, how deep
its brackets nest and how many values it holds, all with C-speed string operations, and refuses
text over any limit with a reason a person can read.
"""

from __future__ import annotations

import json
import re
from typing import Any

# A JSON string, so that brackets and commas inside strings are not counted. An unterminated
# string runs to the end of the text, so no position is scanned twice (linear time on any input).
_STRING = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_EMPTY_PAIR = re.compile(r"\[\]|\{\}")


class JsonRefused(ValueError):
    """The text is not JSON that may be parsed within the limits (the message says why)."""


def _depth_over(brackets: str, limit: int) -> bool:
    """True when the brackets (only ``[]{}`` characters, as many closing as opening) nest deeper
    than ``limit``; each pass removes the innermost pairs, so ``limit`` passes empty any text
    that is not deeper."""
    for _ in range(limit):
        if not brackets:
            return False
        shorter = _EMPTY_PAIR.sub("", brackets)
        if len(shorter) == len(brackets):
            return False          # brackets that do not pair: json.loads names the error
        brackets = shorter
    return bool(brackets)


def load_bounded_json(data: bytes, *, what: str, max_bytes: int, max_depth: int,
                      max_values: int, max_containers: int) -> Any:
    """The parsed value of ``data`` (UTF-8 JSON); :class:`JsonRefused` when it is over a limit or
    is not JSON. ``max_values`` bounds the scalars and containers together, ``max_containers``
    the objects and arrays (each costs far more memory than its two bytes of text)."""
    if len(data) > max_bytes:
        raise JsonRefused(f"{what} is {len(data):,} bytes, more than the {max_bytes:,} allowed")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JsonRefused(f"{what} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    skeleton = _STRING.sub('""', text)
    containers = skeleton.count("[") + skeleton.count("{")
    if containers > max_containers:
        raise JsonRefused(f"{what} holds {containers:,} objects and lists, more than the "
                          f"{max_containers:,} it may hold")
    if skeleton.count("]") + skeleton.count("}") != containers:
        raise JsonRefused(f"{what} is not valid JSON (its brackets do not pair up)")
    values = containers + skeleton.count(",") + 1
    if values > max_values:
        raise JsonRefused(f"{what} holds about {values:,} values, more than the {max_values:,} it "
                          "may hold")
    if _depth_over(_NOT_BRACKET.sub("", skeleton), max_depth):
        raise JsonRefused(f"{what} nests deeper than {max_depth} levels")
    del skeleton
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise JsonRefused(f"{what} is not valid JSON ({exc})") from None
