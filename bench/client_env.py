"""Where the bench's load clients, run as their own processes, find the secrets they send.

The feed token and the console's session cookie go in the environment the parent sets, never on
the command line: there they would show in the process list and in a failed run's traceback, and
a token that starts with '-' would be read as an option."""

from __future__ import annotations

BEARER_VAR = "WATCHFLOOR_BENCH_TOKEN"
COOKIE_VAR = "WATCHFLOOR_BENCH_COOKIE"
