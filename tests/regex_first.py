"""The characters a compiled regular expression can match first, for the tests that check a
hand-written set of first characters (a fast path that skips a regex call) against its pattern."""
from __future__ import annotations

import re._constants as c
import re._parser as parser

SPACE = "\\s"  # stands for the whitespace category


def first_chars(pattern: re.Pattern) -> set[str]:
    """Every character `pattern` can match at its start (SPACE for the whitespace category);
    ValueError for a construct this does not read, or a pattern that can match the empty string."""
    chars, nullable = _first(parser.parse(pattern.pattern, pattern.flags))
    if nullable:
        raise ValueError("the pattern matches the empty string")
    return chars


def _first(seq) -> tuple[set[str], bool]:
    chars: set[str] = set()
    for op, av in seq:
        if op is c.AT:  # an anchor matches no character
            continue
        if op is c.LITERAL:
            return chars | {chr(av)}, False
        if op is c.IN:
            for kind, value in av:
                if kind is c.LITERAL:
                    chars.add(chr(value))
                elif kind is c.CATEGORY and value is c.CATEGORY_SPACE:
                    chars.add(SPACE)
                elif kind is c.RANGE:
                    chars.update(chr(x) for x in range(value[0], value[1] + 1))
                else:
                    raise ValueError(f"unread set item {kind}")
            return chars, False
        if op is c.SUBPATTERN:
            sub, nullable = _first(av[3])
        elif op is c.BRANCH:
            subs = [_first(alt) for alt in av[1]]
            sub, nullable = set().union(*(s for s, _ in subs)), any(n for _, n in subs)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            sub, nullable = _first(av[2])
            nullable = nullable or av[0] == 0
        else:
            raise ValueError(f"unread construct {op}")
        chars |= sub
        if not nullable:
            return chars, False
    return chars, True
