"""Named crash points: where the crash-safety tests kill a run (issue #8, SPEC §5, §7).

``crash_point("results:temp-written")`` kills this process on the spot — as a power
cut, Task Manager or the OOM killer would, with no cleanup and no ``finally`` — when the
environment variable ``ALM_CRASH_AT`` names that point. Unset (every real run), it does
nothing. The points:

``results:temp-created``  the temporary results file exists, still empty
``results:temp-written``  the new workbook is complete in the temporary file, not renamed
``results:replaced``      the new workbook has replaced the old one
``summary:temp-written``  the summary JSON is complete in its temporary file
                          (also ``summary:temp-created``, ``summary:replaced``)
``history:begun``         the history transaction is open (schema migrated)
``history:old-deleted``   the old snapshot is deleted inside the transaction
``history:inserted``      the new snapshot is inserted, not committed
"""

from __future__ import annotations

import os
import signal

ENV = "ALM_CRASH_AT"
POINTS = (
    "results:temp-created",
    "results:temp-written",
    "results:replaced",
    "summary:temp-written",
    "history:begun",
    "history:old-deleted",
    "history:inserted",
)


def crash_point(name: str) -> None:
    """Kill this process now if ``ALM_CRASH_AT`` is ``name`` (a test hook; else nothing)."""
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
