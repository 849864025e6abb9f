"""Several reads in one worker-thread hop, some of them side by side on their own connections.

A read that must answer in milliseconds (the incident context packet) is several small indexed
queries; one after another their round trips and the store's work add up, and each hop back to
the event loop costs as much as a query. A read plan runs in one worker thread: it reads what
the rest depends on first, then starts the independent reads beside each other. Reads started
beside run on a pool of their own and never wait on anything, so a plan cannot starve them.
The reads a plan makes now share its one session: each session's checkout, BEGIN and COMMIT
cost about as much as a small indexed query."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


class Reads(Protocol):
    """What a read plan is handed: reads now, on this thread, or beside it."""

    def now(self, work: Callable[[Session], T]) -> T:
        """Run a read-only unit of work here and return its result."""
        ...

    def beside(self, work: Callable[[Session], T]) -> Future[T]:
        """Start a read-only unit of work on its own connection; its result comes later."""
        ...

    def apart(self, work: Callable[[Session], T]) -> T:
        """Run a read-only unit of work here, on a connection of its own (so this thread can
        have reads in flight on two connections at once)."""
        ...


class Runner(Protocol):
    """Runs one read-only unit of work on a pooled connection (Database's worker-side read)."""

    def __call__(self, work: Callable[[Session], T]) -> T:
        """The unit of work's result."""
        ...


class InlineReads:
    """Reads one after another on one session (an in-memory store has one connection only)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def now(self, work: Callable[[Session], T]) -> T:
        """Run a read-only unit of work on the session."""
        return work(self._session)

    def apart(self, work: Callable[[Session], T]) -> T:
        """Run a read-only unit of work on the session (the store's one connection)."""
        return work(self._session)

    def beside(self, work: Callable[[Session], T]) -> Future[T]:
        """Run a read-only unit of work on the session now; its future is already done."""
        done: Future[T] = Future()
        try:
            done.set_result(work(self._session))
        except Exception as exc:  # the caller sees it from result(), as from a pooled read
            done.set_exception(exc)
        return done


class PooledReads(InlineReads):
    """Reads now on the plan's own session; each read beside on a pooled connection of its own."""

    def __init__(self, session: Session, run: Runner, pool: Executor) -> None:
        super().__init__(session)
        self._run = run
        self._pool = pool

    def apart(self, work: Callable[[Session], T]) -> T:
        """Run a read-only unit of work here, on a pooled connection of its own."""
        return self._run(work)

    def beside(self, work: Callable[[Session], T]) -> Future[T]:
        """Start a read-only unit of work on its own connection; its result comes later."""
        return self._pool.submit(self._run, work)
