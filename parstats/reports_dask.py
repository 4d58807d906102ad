"""The report batch on Dask: ``parstats reports --scheduler local|ADDRESS`` (issue 16).

The same engine as ``parstats scan``: a ``dask.distributed.LocalCluster`` of N
single-threaded worker processes (``--scheduler local -j N``) or a running
cluster (``--scheduler tcp://host:8786``). The batch's guarantees are those of
the default runner (``docs/RELIABILITY.md``):

- each Dask worker process keeps one Jupyter kernel warm across its reports
  and runs one report at a time; a task executes and renders a report
  (notebook bytes, HTML page, record) and returns it, and the batch's process
  writes it (:func:`parstats.reports.write_rendered`: the record last), so a
  batch that has stopped writes nothing more;
- a report whose task raised or whose worker died is a failed record, not
  written, and the other reports go on;
- the cache, the batch lock and the rebuilt ``index.html`` and
  ``results.parquet`` are :func:`parstats.reports.run_reports`'s, around this;
- Ctrl-C or SIGTERM cancels the queued reports and kills the workers' kernels;
  a local cluster is closed (its workers end; a kernel whose worker is gone
  ends by itself, polling its parent). :class:`KernelPlugin` ends a worker's
  kernel when the worker closes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from distributed import WorkerPlugin

from parstats import reports
from parstats.errors import InputError
from parstats.reports import InputSnapshot, RenderedReport, ReportJob, ReportRecord

LOCAL_SCHEDULER = "local"
PLUGIN_NAME = "parstats-report-kernel"
# Dask's own logging at ERROR and above only: its INFO lines would bury the progress bar.
_LOG_LEVEL = 40
_LOCK = threading.Lock()  # one report at a time per worker process: one kernel per process
_STOPPING = threading.Event()  # set when the batch killed this worker's kernel
_STOPPED: set[str] = set()  # batches stopped: their tasks still queued on _LOCK do not run


class _QuietWhenStopped(logging.Filter):
    """Drop Jupyter's "kernel died" messages about a kernel the batch killed on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record unless the batch is stopping this worker's kernel."""
        return not _STOPPING.is_set()


def _quiet_jupyter_logs() -> None:
    for name in ("traitlets", "papermill", "nbclient"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _QuietWhenStopped) for f in logger.filters):
            logger.addFilter(_QuietWhenStopped())


def run_task(job: ReportJob, inputs: InputSnapshot, home: str, batch: str = "") -> RenderedReport:
    """Run one report on a Dask worker and return its files, unwritten.

    Parameters
    ----------
    job, inputs
        The report and the batch's input snapshot (its ``location`` pins the
        processed data the kernel reads).
    home
        The batch's project folder (``PARSTATS_HOME``), which the worker must
        see at the same path.
    batch
        The batch's id: a task of a batch that has stopped does not run.

    Raises
    ------
    RuntimeError
        If the batch has stopped (the batch no longer waits for the result).
    """
    with _LOCK:
        if batch and batch in _STOPPED:
            raise RuntimeError(f"batch {batch} has stopped")
        _quiet_jupyter_logs()
        _STOPPING.clear()
        previous = os.environ.get("PARSTATS_HOME")
        os.environ["PARSTATS_HOME"] = home
        try:
            key = reports.cache_key(job, inputs)
            km = reports._warm_kernel(inputs.location or None)
            try:
                executed = reports.execute_report(job, inputs, key, km=km)
                return reports.render_report(job, executed, key)
            finally:
                if reports._kernel_alive(km):
                    reports._kernel_execute(km, reports.RESET_CODE)
        finally:
            if previous is None:
                os.environ.pop("PARSTATS_HOME", None)
            else:
                os.environ["PARSTATS_HOME"] = previous


def kill_kernel(batch: str = "") -> None:
    """End this worker process's report kernel at once and remove its files; no waiting.

    Parameters
    ----------
    batch
        A batch that has stopped: its tasks not yet started will not run.
    """
    if batch:
        _STOPPED.add(batch)
    km = reports._KERNEL
    if km is not None and reports._KERNEL_OWNER == os.getpid():
        _STOPPING.set()
        reports._KERNEL = None
        process = reports._kernel_process(km)
        if process is not None and process.returncode is None:
            with contextlib.suppress(OSError):
                os.kill(process.pid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                process.wait(5.0)
        reports._remove_connection_file(km)
    reports._remove_kernel_dir()


class KernelPlugin(WorkerPlugin):
    """A Dask worker plugin: the worker's report kernel ends when the worker closes."""

    name = PLUGIN_NAME

    def teardown(self, worker: Any) -> None:
        """End the worker's kernel and remove its connection file."""
        kill_kernel()


def failure_message(exc: BaseException) -> str:
    """Say why a report's task failed (a worker that died is named as such)."""
    if type(exc).__name__ == "KilledWorker":
        return ("the worker process died (killed, or out of memory); the report was not "
                "written and runs again next time")
    return f"{type(exc).__name__}: {exc}"


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Block SIGINT in this thread meanwhile (a Ctrl-C then arrives when it is unblocked).

    Ctrl-C reaches the whole process group: the batch decides, as with the
    process pool. Dask's event-loop thread, started meanwhile, inherits the
    block, and so do the worker processes it spawns (a blocked signal stays
    blocked across ``exec``), also those it restarts; they leave when the batch
    closes the cluster.
    """
    if not hasattr(signal, "pthread_sigmask") or (
        threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    from multiprocessing import resource_tracker

    # Started first: starting it later would unblock SIGINT in the spawning thread.
    resource_tracker.ensure_running()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def connect(scheduler: str, workers: int) -> tuple[Any, Any]:
    """Return ``(client, cluster)``: a new local cluster's (``"local"``) or a running one's.

    Raises
    ------
    InputError
        If the address is not ``local`` nor a reachable Dask scheduler.
    """
    import dask
    from distributed import Client, LocalCluster

    if scheduler == LOCAL_SCHEDULER:
        with dask.config.set({"distributed.worker.profile.enabled": False}), _sigint_blocked():
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0", memory_limit=0,
                                   silence_logs=_LOG_LEVEL)
            return Client(cluster), cluster
    if "://" not in scheduler:
        raise InputError("--scheduler takes `local` or a Dask scheduler address such as "
                         "tcp://host:8786", value=scheduler)
    try:
        return Client(scheduler, timeout="20s"), None
    except OSError as exc:
        raise InputError(f"cannot reach the Dask scheduler: {exc}", value=scheduler) from exc


def run_dask(
    jobs: Sequence[ReportJob],
    inputs: InputSnapshot,
    scheduler: str,
    workers: int,
    progress: bool,
    on_done: Callable[[ReportRecord], None] | None,
) -> list[ReportRecord]:
    """Run ``jobs`` on Dask and write each report as it arrives; return the records.

    Parameters
    ----------
    jobs, inputs
        The reports to run and the batch's input snapshot.
    scheduler
        ``"local"`` (a ``LocalCluster`` of ``workers`` processes, closed at the
        end) or the address of a running scheduler.
    workers
        The local cluster's worker processes (unused with an address).
    progress, on_done
        As for :func:`parstats.reports.run_reports`.
    """
    from distributed import as_completed
    from tqdm import tqdm

    from parstats.paths import project_root

    client, cluster = connect(scheduler, workers)
    batch = f"{os.getpid()}-{os.urandom(4).hex()}"
    ran: list[ReportRecord] = []
    futures: dict[Any, ReportJob] = {}
    try:
        client.register_plugin(KernelPlugin(), name=PLUGIN_NAME)
        home = str(project_root())
        for job in jobs:
            future = client.submit(run_task, job, inputs, home, batch, pure=False,
                                   key=f"parstats-report-{job.slug}-{job.year}-{batch}")
            futures[future] = job
        with tqdm(total=len(jobs), unit="report", disable=not progress, file=sys.stderr) as bar:
            for future in as_completed(futures):
                job = futures.pop(future)
                try:
                    rendered = future.result()
                except Exception as exc:  # noqa: BLE001 - one report must not stop the batch
                    record = ReportRecord(
                        job.province, job.province_code, job.slug, job.year, "failed",
                        reports.cache_key(job, inputs), error=failure_message(exc),
                    )
                else:
                    record = reports.write_rendered(job, rendered)
                future.release()
                ran.append(record)
                bar.update()
                if on_done is not None:
                    on_done(record)
    except BaseException:
        # Stopped: nothing more is run or written; the running reports' kernels end now.
        with contextlib.suppress(Exception):
            client.cancel(list(futures), force=True)
        with contextlib.suppress(Exception):
            client.run(kill_kernel, batch, on_error="ignore")
        raise
    else:
        # The kernels read this batch's generation of the data: they end with it.
        with contextlib.suppress(Exception):
            client.run(kill_kernel, on_error="ignore")
    finally:
        if cluster is None:  # a running cluster's workers stay; the plugin goes
            with contextlib.suppress(Exception):
                client.unregister_worker_plugin(PLUGIN_NAME)
        with contextlib.suppress(Exception):
            client.close()
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close()
    return ran
