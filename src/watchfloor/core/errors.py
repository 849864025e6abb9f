"""Domain errors: services raise these; the web layer maps them to HTTP in one place."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldProblem:
    """One rejected field: a JSON pointer (RFC 6901) into the input and the reason."""

    pointer: str
    reason: str


@dataclass
class DomainError(Exception):
    """Base of every error a service may raise on purpose."""

    message: str
    code: str = "error"
    problems: list[FieldProblem] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


class InvalidInput(DomainError):
    """The input is well-formed but violates a rule (schema, code, range)."""

    def __init__(self, message: str, problems: list[FieldProblem] | None = None) -> None:
        super().__init__(message, "invalid_input", problems or [])


class MalformedInput(DomainError):
    """The input could not be parsed at all (broken JSON, XML)."""

    def __init__(self, message: str, problems: list[FieldProblem] | None = None) -> None:
        super().__init__(message, "malformed_input", problems or [])


class PayloadTooLarge(DomainError):
    """The body is over the configured size limit."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "payload_too_large")


class NotFound(DomainError):
    """The object does not exist (or the caller may not know that it does)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "not_found")


class Gone(DomainError):
    """A link or resource that existed is no longer usable (expired, used, withdrawn)."""

    def __init__(self, message: str, code: str = "gone") -> None:
        super().__init__(message, code)


class Conflict(DomainError):
    """The change collides with the current state (e.g. an incident claimed by someone else)."""

    def __init__(self, message: str, code: str = "conflict") -> None:
        super().__init__(message, code)


class NotAuthenticated(DomainError):
    """No valid session, or the session is locked or expired."""

    def __init__(self, message: str, code: str = "not_authenticated") -> None:
        super().__init__(message, code)


class Forbidden(DomainError):
    """Authenticated, but the role or policy does not allow this action."""

    def __init__(self, message: str, code: str = "forbidden") -> None:
        super().__init__(message, code)


class TooManyRequests(DomainError):
    """A rate or lockout limit was reached."""

    def __init__(self, message: str, code: str = "too_many_requests") -> None:
        super().__init__(message, code)


class Unavailable(DomainError):
    """A part of the installation is missing or not ready (e.g. the console is not built)."""

    def __init__(self, message: str, code: str = "unavailable") -> None:
        super().__init__(message, code)
