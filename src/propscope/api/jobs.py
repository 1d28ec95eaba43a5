"""Import jobs run one at a time in a background thread of the server; unfinished ones (queued,
or interrupted by a stop or a crash) are resumed when the server starts."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from ..store import Store
from ..store.importer import Analysis, run_job

log = logging.getLogger(__name__)


class JobRunner:
    def __init__(self, store: Store, analysis: Callable[[], Analysis]):
        self.store = store
        self.analysis = analysis
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        for job_id in self.store.unfinished_jobs():
            self._queue.put(job_id)
        self._thread = threading.Thread(target=self._work, name="propscope-imports", daemon=True)
        self._thread.start()

    def submit(self, job_id: int) -> None:
        self._queue.put(job_id)

    def stop(self, timeout: float = 10.0) -> None:
        """Pause the running job after its current article (it resumes on the next start)."""
        self._stop.set()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout)

    def _work(self) -> None:
        while not self._stop.is_set():
            job_id = self._queue.get()
            if job_id is None:
                return
            try:
                run_job(self.store, job_id, self.analysis(), stop=self._stop)
            except Exception:  # the job row says what failed; the thread keeps serving
                log.exception("import job %s stopped", job_id)
