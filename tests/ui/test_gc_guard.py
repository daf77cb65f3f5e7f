"""Garbage cycles are collected by the UI thread's timer, never by a worker thread."""

import gc
import weakref


def test_automatic_collection_is_off_and_the_timer_collects_cycles(qapp, qtbot):
    from ui import gc_guard

    collector = gc_guard.install(qapp)
    assert not gc.isenabled()
    assert collector.timer.isActive()

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    assert gone() is not None  # a cycle: reference counting alone cannot free it
    saved = collector.threshold
    collector.threshold = (-1, -1, -1)  # every generation due
    try:
        qtbot.waitUntil(lambda: gone() is None, timeout=5_000)
    finally:
        collector.threshold = saved
