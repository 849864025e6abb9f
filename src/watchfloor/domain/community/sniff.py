"""What an uploaded file really is, from its first bytes (never its name): the video containers
and still images owners' systems export. Anything else (programs, web pages, archives) is
refused."""

from __future__ import annotations

from dataclasses import dataclass

HEAD_BYTES = 1024
"""How many leading bytes `sniff` wants to see."""

ACCEPTED_EXTENSIONS = [
    ".mp4",
    ".m4v",
    ".mov",
    ".mkv",
    ".webm",
    ".avi",
    ".ts",
    ".mts",
    ".m2ts",
    ".mpg",
    ".mpeg",
    ".wmv",
    ".asf",
    ".jpg",
    ".jpeg",
    ".png",
]
NOT_ACCEPTED = (
    "This file is not a video or photo we can accept. Please send the recording as it came "
    "from your camera system (MP4, MOV, MKV, WebM, AVI, MPEG, WMV) or as JPEG or PNG pictures."
)
TS_PACKET = 188
M2TS_PACKET = 192
TS_SYNC = 0x47
ASF_GUID = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
EBML = bytes.fromhex("1a45dfa3")
PNG = b"\x89PNG\r\n\x1a\n"
# ISO base media brands of still-image formats (HEIF, AVIF): not footage.
IMAGE_BRANDS = frozenset({b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis"})
QUICKTIME_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"pnot"})


@dataclass(frozen=True)
class Sniffed:
    """A recognised file: its media type."""

    media_type: str


def sniff(head: bytes) -> Sniffed | None:
    """The media type of a file from its first bytes; None when it is not footage we accept."""
    for check in (_iso_media, _matroska, _riff_avi, _mpeg, _asf, _image):
        found = check(head)
        if found is not None:
            return Sniffed(found)
    return None


def _iso_media(head: bytes) -> str | None:
    box = head[4:8]
    if box == b"ftyp":
        brand = head[8:12]
        if brand in IMAGE_BRANDS or len(brand) < 4:
            return None
        return "video/quicktime" if brand == b"qt  " else "video/mp4"
    if box in QUICKTIME_ATOMS and len(head) >= 8:
        return "video/quicktime"
    return None


def _matroska(head: bytes) -> str | None:
    if not head.startswith(EBML):
        return None
    return "video/webm" if b"webm" in head[:64] else "video/x-matroska"


def _riff_avi(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "video/x-msvideo"
    return None


def _mpeg(head: bytes) -> str | None:
    if head[:4] == b"\x00\x00\x01\xba":
        return "video/mpeg"
    if _synced(head, 0, TS_PACKET) or _synced(head, 4, M2TS_PACKET):
        return "video/mp2t"
    return None


def _synced(head: bytes, first: int, packet: int) -> bool:
    """A transport stream: the sync byte at the start of (up to) three packets in a row."""
    starts = [first + i * packet for i in range(3)]
    seen = [at for at in starts if at < len(head)]
    return len(seen) >= 2 and all(head[at] == TS_SYNC for at in seen)


def _asf(head: bytes) -> str | None:
    return "video/x-ms-asf" if head.startswith(ASF_GUID) else None


def _image(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(PNG):
        return "image/png"
    return None
