"""Cursor on Target and the TAK protocol: parsing, building and stream framing."""
