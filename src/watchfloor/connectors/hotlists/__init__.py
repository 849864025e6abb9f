"""Hotlist extracts in: pure parsers (NCIC fixed-width, CSV) that stream typed records and
per-line problems, and a registry of parsers by format name."""

from watchfloor.connectors.hotlists.records import HotlistRecord, LineProblem, Parsed
from watchfloor.connectors.hotlists.registry import formats, parse, parser_for, register_parser

__all__ = [
    "HotlistRecord",
    "LineProblem",
    "Parsed",
    "formats",
    "parse",
    "parser_for",
    "register_parser",
]
