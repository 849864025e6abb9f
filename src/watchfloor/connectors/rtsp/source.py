"""Opening an RTSP stream with PyAV (FFmpeg's demuxer) under time limits, and naming why it
failed in words an operator can act on. Stream addresses carry credentials: only `redact` ever
turns one into text for a log, an error or an audit record."""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

import av
from av.container import InputContainer


class StreamFailure(StrEnum):
    """Why a stream could not be opened or stopped."""

    UNREACHABLE = "unreachable"
    UNAUTHORIZED = "unauthorized"
    NOT_FOUND = "not_found"
    NO_VIDEO = "no_video"
    GARBAGE = "garbage"
    TIMEOUT = "timeout"
    ENDED = "ended"


class StreamError(Exception):
    """A stream that could not be opened or read, with the failure kind."""

    def __init__(self, failure: StreamFailure, detail: str) -> None:
        super().__init__(f"{failure.value}: {detail}")
        self.failure = failure
        self.detail = detail


def redact(url: str) -> str:
    """The address without its user name and password (safe for logs and screens)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def open_input(url: str, *, timeout_s: float = 5.0) -> InputContainer:
    """Open an RTSP (or file) source for demuxing, over TCP, failing within about timeout_s."""
    micros = str(int(timeout_s * 1_000_000))
    options = {"rtsp_transport": "tcp", "timeout": micros, "analyzeduration": "1000000"}
    if not url.startswith("rtsp"):
        options = {}
    try:
        container = av.open(url, mode="r", options=options, timeout=(timeout_s, timeout_s))
    except av.error.HTTPUnauthorizedError as error:  # RTSP 401 comes through as HTTP 401
        raise StreamError(StreamFailure.UNAUTHORIZED, redact(url)) from error
    except av.error.HTTPNotFoundError as error:
        raise StreamError(StreamFailure.NOT_FOUND, redact(url)) from error
    except (av.error.ConnectionRefusedError, av.error.OSError) as error:
        raise StreamError(StreamFailure.UNREACHABLE, f"{redact(url)}: {error.strerror}") from error
    except av.error.ExitError as error:
        raise StreamError(StreamFailure.TIMEOUT, redact(url)) from error
    except av.error.FFmpegError as error:
        raise StreamError(StreamFailure.GARBAGE, f"{redact(url)}: {_reason(error)}") from error
    if not container.streams.video:
        container.close()
        raise StreamError(StreamFailure.NO_VIDEO, redact(url))
    return container


def _reason(error: av.error.FFmpegError) -> str:
    # FFmpeg's message may quote the address it was given; keep only the reason.
    return str(error.strerror or type(error).__name__)
