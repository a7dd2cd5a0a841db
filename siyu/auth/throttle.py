"""The login throttle: growing waits per account and per client address, never a lock that stays shut.

Policy (docs/privacy.md states it for people; the numbers are here):

- Per account name (any name typed, existing or not, so the answers never tell which accounts exist):
  the `max_login_failures`-th wrong password (default the 5th) makes the next attempt on that name wait
  1 s, the next one 2 s, then 4 s, … up to ACCOUNT_MAX_WAIT (60 s).
- Per client address (all names together): from its ADDRESS_FREE_FACTOR × `max_login_failures`-th failure
  (the 20th) the address waits 1 s, 2 s, 4 s, … up to `lockout_minutes` (default 15 min). It slows one
  machine trying many names; it never touches other addresses.
- An attempt during a wait is refused *without checking the password and without counting*: hammering
  does not make a wait longer. After the wait, the right password opens (the account is never locked);
  the wait only bounds how fast anyone can guess: with the defaults at most one guess a minute per name.
- A successful login clears its name's count; counts are forgotten FORGET_AFTER (1 h) after the last
  failure; an admin's “解锁 Unlock” clears a name at once.

The state lives in this process's memory (siyu runs one dashboard process): a restart forgets it.
Every method takes `now`, so tests drive it with their own clock.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

ACCOUNT_MAX_WAIT = dt.timedelta(seconds=60)
ADDRESS_FREE_FACTOR = 4
FIRST_WAIT = dt.timedelta(seconds=1)
FORGET_AFTER = dt.timedelta(hours=1)
MAX_KEYS = 50_000  # names are typed by strangers: bound the memory


@dataclass
class _Count:
    failures: int = 0
    last: dt.datetime | None = None
    until: dt.datetime | None = None  # no attempt before this


@dataclass(frozen=True)
class Started:
    """A wait that a failure just started (written to the audit log as `locked`)."""
    kind: str  # account | address
    key: str
    failures: int
    at: dt.datetime
    until: dt.datetime

    def describe(self) -> str:
        seconds = round((self.until - self.at).total_seconds())
        return (f"{self.kind} {self.key}: {self.failures} failures; "
                f"next attempt from {self.until:%Y-%m-%d %H:%M:%S} (wait {seconds} s)")


def growing_wait(failures: int, free: int, cap: dt.timedelta) -> dt.timedelta:
    """0 below `free` failures; from the `free`-th, 1 s, 2 s, 4 s, … up to `cap`."""
    over = failures - free
    if over < 0:
        return dt.timedelta(0)
    return min(FIRST_WAIT * (2 ** min(over, 30)), cap)


class Throttle:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._accounts: dict[str, _Count] = {}
        self._addresses: dict[str, _Count] = {}

    def wait_left(self, name: str, address: str | None, now: dt.datetime) -> dt.timedelta:
        """How long this attempt must still wait (0: check the password). `address` None: not counted by
        address (siyu.auth.client.client_address)."""
        with self._lock:
            counts = [self._get(self._accounts, name, now)]
            if address is not None:
                counts.append(self._get(self._addresses, address, now))
            ends = [c.until for c in counts if c.until is not None and c.until > now]
        return max(ends) - now if ends else dt.timedelta(0)

    def failed(self, name: str, address: str | None, now: dt.datetime, *, free: int,
               address_cap: dt.timedelta) -> list[Started]:
        """Count a wrong password; returns the waits it started."""
        started = []
        with self._lock:
            self._prune(now)
            for kind, table, key, allowed, cap in (
                    ("account", self._accounts, name, free, ACCOUNT_MAX_WAIT),
                    ("address", self._addresses, address, free * ADDRESS_FREE_FACTOR, address_cap)):
                if key is None:
                    continue
                count = table.setdefault(key, _Count())
                count.failures += 1
                count.last = now
                wait = growing_wait(count.failures, allowed, cap)
                if wait:
                    count.until = now + wait
                    started.append(Started(kind, key, count.failures, now, count.until))
        return started

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._accounts.pop(name, None)

    def forget_account(self, name: str) -> None:
        """An admin unlocked the name."""
        self.succeeded(name)

    def account_wait_until(self, name: str, now: dt.datetime) -> dt.datetime | None:
        with self._lock:
            count = self._get(self._accounts, name, now)
        return count.until if count.until is not None and count.until > now else None

    def reset(self) -> None:
        """Forget everything (tests; a restart does the same)."""
        with self._lock:
            self._accounts.clear()
            self._addresses.clear()

    def _get(self, table: dict[str, _Count], key: str, now: dt.datetime) -> _Count:
        count = table.get(key)
        if count is None:
            return _Count()
        if count.last is not None and now - count.last > FORGET_AFTER and (count.until is None or count.until <= now):
            del table[key]
            return _Count()
        return count

    def _prune(self, now: dt.datetime) -> None:
        for table in (self._accounts, self._addresses):
            if len(table) < MAX_KEYS:
                continue
            for key in [k for k, c in table.items() if c.last is None or now - c.last > FORGET_AFTER]:
                del table[key]
            while len(table) >= MAX_KEYS:  # still full: drop the oldest
                del table[min(table, key=lambda k: table[k].last or now)]


THROTTLE = Throttle()  # the dashboard process's one throttle
