"""Worker processes: the one pool every job that needs processes uses (issue 19).

- ``pool.py``: ``WorkerPool`` (caller side): one task per worker, results in order or as they
  come, a per-task time limit, a memory cap, the task a worker died on named.
- ``worker.py``: the loop inside a worker process.
- ``lifeline.py``: a worker ends when mediadesk ends, however it ends (prctl on Linux, the
  parent's pipe everywhere).
"""

from mediadesk.workers.pool import (
                                    PoolClosed,
                                    RemoteTraceback,
                                    Task,
                                    TaskTimedOut,
                                    WorkerCrashed,
                                    WorkerPool,
                                    WorkersCannotStart,
)

__all__ = ["PoolClosed", "RemoteTraceback", "Task", "TaskTimedOut", "WorkerCrashed", "WorkerPool",
           "WorkersCannotStart"]
