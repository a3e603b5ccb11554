# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Memos kept on the cursor for one block of batch work (a confirmation
wave): ``cr.cache`` lives as long as the transaction and no caller can send
it, unlike a context key. A memo is a speed-up only: code that finds none
does the work itself."""

from contextlib import contextmanager


@contextmanager
def cursor_memo(env, key, value=None):
    """Within this block, ``env.cr.cache[key]`` holds ``value`` (a new dict
    by default), yielded; an enclosing block with the same key keeps its own
    memo, which outlives this one."""
    cache = env.cr.cache
    outer = key in cache
    memo = cache.setdefault(key, {} if value is None else value)
    try:
        yield memo
    finally:
        if not outer:
            cache.pop(key, None)
