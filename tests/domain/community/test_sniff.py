"""Uploaded files are known by their first bytes: real clips from FFmpeg's muxers and still images
pass with their media type; programs, web pages, archives and look-alikes do not."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.domain.community.requests_support import encoded, mp4_header
from watchfloor.domain.community.sniff import HEAD_BYTES, sniff


@pytest.mark.parametrize(
    ("container", "codec", "media_type"),
    [
        ("mp4", "mpeg4", "video/mp4"),
        ("mov", "mpeg4", "video/quicktime"),
        ("matroska", "mpeg4", "video/x-matroska"),
        ("webm", "libvpx", "video/webm"),
        ("avi", "mpeg4", "video/x-msvideo"),
        ("mpegts", "mpeg2video", "video/mp2t"),
        ("mpeg", "mpeg1video", "video/mpeg"),
        ("asf", "wmv2", "video/x-ms-asf"),
    ],
)
def test_real_clips_are_recognised_by_their_container(
    container: str, codec: str, media_type: str
) -> None:
    clip = encoded(container, codec)
    found = sniff(clip[:HEAD_BYTES])
    assert found is not None
    assert found.media_type == media_type


@pytest.mark.parametrize(("fmt", "media_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png")])
def test_still_images_are_recognised(fmt: str, media_type: str) -> None:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format=fmt)
    found = sniff(out.getvalue()[:HEAD_BYTES])
    assert found is not None
    assert found.media_type == media_type


@pytest.mark.parametrize(
    "head",
    [
        b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200),  # a Windows program
        b"\x7fELF\x02\x01\x01" + bytes(200),  # a Linux program
        b"<!DOCTYPE html><html><script>alert(1)</script>",
        b"PK\x03\x04\x14\x00\x00\x00" + bytes(200),  # a zip archive
        b"%PDF-1.7\n",
        b"#!/bin/sh\nrm -rf /\n",
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",  # a HEIF still, not footage
        b"RIFF\x24\x00\x00\x00WAVEfmt ",  # RIFF, but sound
        b"\x47" + bytes(187) + b"\x00" + bytes(187),  # one sync byte is not a transport stream
        b"",
    ],
)
def test_other_files_are_refused(head: bytes) -> None:
    assert sniff(head) is None


def test_the_name_plays_no_part_only_the_bytes() -> None:
    assert sniff(mp4_header()) is not None
    assert sniff(b"not a video at all, whatever its name says") is None
