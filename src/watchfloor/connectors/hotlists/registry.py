"""Hotlist parsers by format name, so a state's own layout (CLEW, LEADS, TCIC ...) can be added
beside NCIC and CSV without touching the importer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from watchfloor.connectors.hotlists.csv_list import parse_csv
from watchfloor.connectors.hotlists.ncic import parse_ncic
from watchfloor.connectors.hotlists.records import Parsed

Parser = Callable[[Iterable[str], str | None], Iterator[Parsed]]
"""(lines of text, the list's default reason) -> records and problems, streamed."""

_PARSERS: dict[str, Parser] = {"ncic_fixed": parse_ncic, "csv": parse_csv}


def formats() -> frozenset[str]:
    """The source formats a parser is registered for."""
    return frozenset(_PARSERS)


def register_parser(name: str, parser: Parser) -> None:
    """Add a parser for a source format (a state's extract layout)."""
    if name in _PARSERS:
        raise ValueError(f"a parser for {name!r} is already registered")
    _PARSERS[name] = parser


def parser_for(name: str) -> Parser:
    """The parser of a source format; KeyError when none is registered."""
    try:
        return _PARSERS[name]
    except KeyError:
        raise KeyError(f"no hotlist parser for format {name!r}") from None


def parse(name: str, lines: Iterable[str], default_reason: str | None = None) -> Iterator[Parsed]:
    """Stream the records and problems of lines in a source format."""
    return parser_for(name)(lines, default_reason)
