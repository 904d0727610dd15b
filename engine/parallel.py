"""Work on the second core: a function computed in a forked child process, and tasks
shared between processes. A service with no finance in it; ``engine.analyses.mc_run``
uses it to run A5's pieces side by side.

``Background(fn, *args)`` starts ``fn(*args)`` in a forked child (POSIX, no threads
running, ``ALM_MC_FORK`` not 0) and ``.result()`` returns it; where it cannot fork
(Windows, a thread running, an error), ``.result()`` computes it in this process, so the
result never depends on it.
"""

from __future__ import annotations

#: Set ALM_MC_FORK=0 to compute everything in the same process (results are identical).
FORK_ENV = "ALM_MC_FORK"


class Background:
    """``fn(*args)`` computed in a forked child process (the second core), else inline.

    The child inherits the loaded modules (no import cost), computes, pickles the result
    into a pipe and exits. Only on POSIX with ``os.fork`` and no running threads; any
    failure falls back to computing in this process, so the result never depends on it.
    """

    def __init__(self, fn, *args):
        import os
        import threading

        self._fn, self._args, self._pid, self._read = fn, args, None, None
        use = (
            hasattr(os, "fork")
            and os.environ.get(FORK_ENV, "1") != "0"
            and threading.active_count() == 1
        )
        if not use:
            return
        try:
            read, write = os.pipe()
            pid = os.fork()
        except OSError:
            return
        if pid == 0:  # child: compute, send, exit without running the parent's cleanup
            code = 0
            try:
                import pickle

                os.close(read)
                data = pickle.dumps(fn(*args), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(data)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self):
        import os
        import pickle

        if self._pid is not None:
            pid, self._pid = self._pid, None
            try:
                with os.fdopen(self._read, "rb") as pipe:
                    data = pipe.read()
                _, status = os.waitpid(pid, 0)
                if status == 0 and data:
                    return pickle.loads(data)
            except (OSError, pickle.UnpicklingError, EOFError):
                pass
        return self._fn(*self._args)

    def cancel(self) -> None:
        """The result is not wanted: stop the child (if any) and reap it. Idempotent."""
        import os
        import signal

        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        try:
            os.close(self._read)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:
            pass
