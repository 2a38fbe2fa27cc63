"""Exports that cannot take the server down: streamed, capped in rows, and limited in number at once.

An export (/api/search.csv) is the one request whose cost grows with the archive: every result of a search, read
from the index and the database and written out. Built whole in memory, a few exports sent at once held every
thread of a server, kept readers waiting for minutes and grew the process by their size (README, Reliability, has
the figures). So an export here:

- streams: rows are read a search page (EXPORT_PAGE results) at a time and written out as they are read, so memory
  holds one page whatever the size of the export;
- stops at a row cap: ANONYMOUS_ROW_CAP rows for readers without an account, STAFF_ROW_CAP for staff; an export
  that was cut says so in its last row, with how to get the rest (narrower searches: dates, filters);
- needs one of settings.ARCHIVE_CONCURRENT_EXPORTS slots of its process (default 2); without a free slot the answer
  is at once a 429 with Retry-After, and the other threads stay free for readers. The slot is given back when the
  server closes the response: finished, failed, or the client gone (WSGI servers call close() on the response in
  every case, also before the first row was asked for, which a generator's `finally` alone would miss).
"""

import threading

from django.conf import settings
from django.http import HttpResponse

ANONYMOUS_ROW_CAP = 10_000
STAFF_ROW_CAP = 100_000
EXPORT_PAGE = 500
RETRY_AFTER_SECONDS = 30

_slots_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None


def concurrent_exports() -> int:
    return max(1, int(getattr(settings, "ARCHIVE_CONCURRENT_EXPORTS", 2)))


def _semaphore() -> threading.BoundedSemaphore:
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(concurrent_exports())
        return _slots


def take_slot():
    """A function that gives the slot back (calling it twice is harmless), or None when every slot is taken."""
    semaphore = _semaphore()
    if not semaphore.acquire(blocking=False):
        return None
    given_back = threading.Event()

    def give_back():
        if not given_back.is_set():
            given_back.set()
            semaphore.release()

    return give_back


def too_many_exports() -> HttpResponse:
    limit = concurrent_exports()
    response = HttpResponse(
        f"Too many exports are running on this server at once (at most {limit}). "
        f"Please try again in {RETRY_AFTER_SECONDS} seconds.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def row_cap(request) -> int:
    user = getattr(request, "user", None)
    return STAFF_ROW_CAP if user is not None and user.is_staff else ANONYMOUS_ROW_CAP


class SlotHolder:
    """The chunks of a streamed export; closing it (as the server does, whatever happened) gives its slot back."""

    def __init__(self, chunks, give_back):
        self.chunks = chunks
        self.give_back = give_back

    def __iter__(self):
        try:
            yield from self.chunks
        finally:
            self.close()

    def close(self):
        self.give_back()
        close = getattr(self.chunks, "close", None)
        if close is not None:
            close()
