"""Per-province, per-year reports: strict parameters, a cached parallel runner, an index.

A report is the template ``notebooks/templates/province_report.ipynb`` run by
papermill for one province (*tỉnh*) and one year. The pipeline for one report
is a chain of small steps, in the manner of papermill's own ``execute_notebook``:

1. :func:`plan_report` resolves the province through the registry and checks
   the parameters against the template's ``parameters`` cell
   (:func:`check_parameters`: an unknown or misspelt name is an error);
   nothing is written before this passes.
2. :func:`snapshot_inputs` hashes what a report depends on (template,
   processed data, package version and report code) once per batch, from one
   generation of ``data/processed`` that the batch's kernels then read;
   :func:`cache_key` combines that with the parameters.
3. :func:`is_fresh` compares the key with the report's record, and the
   notebook and HTML with the hashes the record holds, and skips it.
4. :func:`execute_report` runs the notebook (in a warm kernel when the batch
   provides one), records parameters and input hashes in its metadata and
   removes volatile timings; :func:`export_html` renders a standalone HTML
   page without code.
5. :func:`write_report` writes the notebook, the HTML and, last, a JSON
   record with their hashes, each atomically; :func:`write_results` and
   :func:`write_index` rebuild ``reports/results.parquet`` and
   ``reports/index.html`` from every record, and the index records a digest
   of the records it was made from (:func:`summaries_current`).

:func:`run_reports` runs many reports with ``workers`` processes, each keeping
one kernel warm (imports done once) and resetting its namespace between
reports. A failing report does not stop the others. One batch runs at a time
(``reports/.lock``). Ctrl-C or SIGTERM cancels the queued reports, stops the
workers and their kernels, and rebuilds the summaries from the reports on
disk; workers and kernels end by themselves if the batch's process is killed.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parstats import __version__
from parstats.errors import InputError, ParstatsError
from parstats.io import (
    fault_point,
    sha256_bytes,
    sha256_file,
    write_bytes,
    write_frame,
    write_json,
    write_text,
)
from parstats.paths import PACKAGE_DIR, notebooks_dir, reports_dir
from parstats.report_data import HEADLINE_DTYPES, HEADLINE_MIME

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.provinces import Province

TEMPLATE_NAME = "province_report.ipynb"
INDEX_FILE = "index.html"
RESULTS_FILE = "results.parquet"
KERNEL_NAME = "python3"
LOCK_FILE = ".lock"
KERNEL_DIR_PREFIX = "parstats-kernels-"
RUN_DIR_PREFIX = "parstats-report-"
WORKER_STOP_SECONDS = 10.0
YEAR_RANGE = range(1990, 2101)
CELL_TIMEOUT_SECONDS = 600

# Run once in every worker's kernel so that reports start with imports done.
WARM_UP_CODE = (
    "import io\n"
    "import numpy, pandas, pyarrow\n"
    "import parstats.report_data, parstats.plots\n"
    "get_ipython().run_line_magic('matplotlib', 'inline')\n"
    "parstats.plots.new_figure().savefig(io.BytesIO(), format='png')\n"
    "parstats.report_data.warm()\n"
)
# Between two reports in one kernel: a new session (fresh namespace, execution
# count back to 1); imported modules stay loaded.
RESET_CODE = "get_ipython().reset(new_session=True, aggressive=False)"

_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}


# --------------------------------------------------------------------------- template parameters


@dataclass(frozen=True)
class TemplateParameter:
    """One parameter declared in a template's ``parameters`` cell.

    Attributes
    ----------
    name
        The variable name.
    type_name
        Its annotation: ``str``, ``int``, ``float`` or ``bool``.
    default
        The literal default value.
    help
        The help comment on the same line.
    """

    name: str
    type_name: str
    default: Any
    help: str


def template_path() -> Path:
    """Return the report template, ``notebooks/templates/province_report.ipynb``."""
    return notebooks_dir() / "templates" / TEMPLATE_NAME


def _parameters_source(nb: Mapping[str, Any]) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell["source"]
            return "".join(source) if isinstance(source, list) else source
    raise InputError("the template has no cell tagged 'parameters'")


def parse_parameters(source: str) -> tuple[TemplateParameter, ...]:
    """Parse a ``parameters`` cell: only ``name: type = literal  # help`` lines.

    Parameters
    ----------
    source
        The cell's source.

    Raises
    ------
    InputError
        If a statement is not an annotated literal of a simple type, or has no
        help comment (the house rule: nothing derived in the parameters cell).
    """
    import ast

    lines = source.splitlines()
    out: list[TemplateParameter] = []
    for node in ast.parse(source).body:
        where = f"parameters cell, line {node.lineno}"
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            raise InputError(f"{where}: only 'name: type = literal  # help' is allowed")
        type_name = ast.unparse(node.annotation)
        if type_name not in _TYPES or node.value is None:
            raise InputError(f"{where}: type must be one of {sorted(_TYPES)}", value=type_name)
        try:
            default = ast.literal_eval(node.value)
        except ValueError:
            raise InputError(f"{where}: the default must be a literal, not derived") from None
        _, _, comment = lines[node.lineno - 1].partition("#")
        if not comment.strip():
            raise InputError(f"{where}: {node.target.id} needs a help comment")
        out.append(TemplateParameter(node.target.id, type_name, default, comment.strip()))
    return tuple(out)


def template_parameters(nb: Mapping[str, Any]) -> tuple[TemplateParameter, ...]:
    """Return the parameters declared by a template notebook (its JSON or ``nbformat`` node)."""
    return parse_parameters(_parameters_source(nb))


def read_template_parameters() -> tuple[TemplateParameter, ...]:
    """Return the parameters of the report template (read as JSON: fast, no nbformat)."""
    return template_parameters(json.loads(template_path().read_text(encoding="utf-8")))


def check_parameters(
    given: Mapping[str, Any], declared: Sequence[TemplateParameter]
) -> dict[str, Any]:
    """Return ``given`` if every name is declared with a value of its type.

    Papermill only warns about unknown parameters; a report refuses them.

    Raises
    ------
    InputError
        For an unknown (misspelt) name, with the closest declared name, or a
        value of the wrong type.
    """
    by_name = {p.name: p for p in declared}
    for name, value in given.items():
        if name not in by_name:
            close = difflib.get_close_matches(name, list(by_name), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(
                f"unknown report parameter {name!r}{hint} (declared: {', '.join(by_name)})",
                value=name,
            )
        expected = _TYPES[by_name[name].type_name]
        if type(value) is not expected and not (expected is float and type(value) is int):
            raise InputError(
                f"report parameter {name!r} must be {expected.__name__}, "
                f"got {type(value).__name__}",
                value=value,
            )
    return dict(given)


# --------------------------------------------------------------------------- planning a report


@dataclass(frozen=True)
class ReportJob:
    """One report to run: a province from the registry and a year.

    Attributes
    ----------
    province
        Canonical province name (*tên tỉnh*, with diacritics).
    province_code
        GSO code before 2025.
    slug
        ASCII slug from the registry; the report's folder name.
    year
        The report year.
    language
        The language of the report's text: ``"both"`` (English and Vietnamese), ``"en"``
        or ``"vi"``.
    """

    province: str
    province_code: str
    slug: str
    year: int
    language: str = "both"

    @property
    def parameters(self) -> dict[str, Any]:
        """The parameters injected into the template."""
        return {"province": self.province, "year": self.year, "language": self.language}

    @property
    def key(self) -> str:
        """``<slug>/<year>``, the report's name relative to ``reports/``."""
        return f"{self.slug}/{self.year}"

    def notebook_path(self) -> Path:
        """Return ``reports/<slug>/<year>.ipynb``."""
        return _inside_reports(reports_dir() / self.slug / f"{self.year}.ipynb")

    def html_path(self) -> Path:
        """Return ``reports/<slug>/<year>.html``."""
        return self.notebook_path().with_suffix(".html")

    def record_path(self) -> Path:
        """Return ``reports/<slug>/<year>.json``, the report's record (cache key, headline)."""
        return self.notebook_path().with_suffix(".json")


def _inside_reports(path: Path) -> Path:
    root = reports_dir().resolve()
    resolved = path.resolve()
    if root not in resolved.parents:
        raise InputError(f"report path {resolved} is outside {root}", value=str(path))
    return path


def check_year(year: Any) -> int:
    """Return ``year`` if it is an ``int`` in :data:`YEAR_RANGE`.

    Raises
    ------
    InputError
        Otherwise.
    """
    if type(year) is not int or year not in YEAR_RANGE:
        raise InputError(
            f"year must be an integer from {YEAR_RANGE.start} to {YEAR_RANGE.stop - 1}",
            value=year,
        )
    return year


def job_for(province: Province, year: int, language: str = "both") -> ReportJob:
    """Return the job of a registry province, a checked year and a checked language."""
    from parstats.display import check_language

    return ReportJob(province.name_vi, province.code, province.slug, check_year(year),
                     check_language(language))


def plan_report(province: str, year: Any, language: str = "both", **extra: Any) -> ReportJob:
    """Return the job for a province name as typed and a year, refusing anything else.

    Parameters
    ----------
    province
        Any spelling the province registry resolves (``"Dak Lak"``, ``"66"``).
    year
        The report year (``int``).
    language
        ``"both"`` (default), ``"en"`` or ``"vi"``.
    **extra
        Further template parameters; any is refused unless the template declares it.

    Raises
    ------
    UnknownProvinceError
        If ``province`` is not a province (``"../../etc"`` included).
    InputError
        For a bad year or an undeclared parameter.
    """
    from parstats.provinces import resolve

    check_parameters(
        {"province": province, "year": year, "language": language, **extra},
        read_template_parameters(),
    )
    if extra:
        raise InputError(f"parameters {sorted(extra)} cannot be set per report", value=extra)
    return job_for(resolve(province), year, language)


# --------------------------------------------------------------------------- inputs and cache


@dataclass(frozen=True)
class InputSnapshot:
    """Hashes of what every report depends on, taken once per batch.

    Attributes
    ----------
    template_sha256
        The template notebook's bytes.
    processed
        ``(file name, sha256)`` of every file under ``data/processed``.
    package
        ``parstats <version>`` and a digest of the modules that draw a report
        (:data:`REPORT_MODULES`).
    location
        The generation folder the hashes were taken from; the batch's kernels
        read from it (not part of the key: equal files, equal key).
    """

    template_sha256: str
    processed: tuple[tuple[str, str], ...]
    package: str
    location: str = field(default="", compare=False)

    def as_dict(self) -> dict[str, Any]:
        """Return the snapshot as JSON-ready metadata."""
        return {
            "template_sha256": self.template_sha256,
            "processed": dict(self.processed),
            "package": self.package,
        }


# The modules that shape a report beyond the processed data (which is hashed).
REPORT_MODULES: tuple[str, ...] = (
    "report_data.py", "plots.py", "reports.py", "display.py", "narrative.py", "sections.py",
    "citation.py", "data/report_labels.csv",
)


def _package_digest() -> str:
    digest = hashlib.sha256()
    for name in REPORT_MODULES:
        digest.update(name.encode())
        digest.update((PACKAGE_DIR / name).read_bytes())
    return f"parstats {__version__} report code:{digest.hexdigest()[:16]}"


def snapshot_inputs() -> InputSnapshot:
    """Hash the template, the processed data and the package version and report code.

    The processed data is one generation (:func:`parstats.processed.resolve`),
    each file checked against its ``datapackage.json``; hidden files and
    folders (leftovers) are not inputs.

    Raises
    ------
    DamagedDataError
        If a processed file is damaged; the message says to run ``parstats build``.
    """
    from parstats import processed

    generation = processed.read(lambda gen: (gen, gen.listing()))
    gen, listing = generation
    location = str(gen.path) if gen.path.is_dir() else ""
    return InputSnapshot(sha256_file(template_path()), listing, _package_digest(), location)


def cache_key(job: ReportJob, inputs: InputSnapshot) -> str:
    """Return the SHA-256 of the parameters and the inputs: equal keys, equal report."""
    payload = {"parameters": job.parameters, "inputs": inputs.as_dict()}
    return sha256_bytes(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode())


@dataclass(frozen=True)
class ReportRecord:
    """What a run of one report left behind (``reports/<slug>/<year>.json``).

    Attributes
    ----------
    province, province_code, slug, year
        As in :class:`ReportJob`.
    status
        ``"ok"`` or ``"failed"``.
    cache_key
        The inputs' key (:func:`cache_key`).
    headline
        The headline figures the notebook recorded (``None`` if it failed).
    error
        The error's last line when it failed.
    files
        SHA-256 of the notebook and HTML written (``{"ipynb": ..., "html": ...}``):
        the cache takes a report as done only if its files still hold these bytes.
    language
        The language the report was written in.
    """

    province: str
    province_code: str
    slug: str
    year: int
    status: str
    cache_key: str
    headline: dict[str, Any] | None = None
    error: str | None = None
    files: dict[str, str] | None = None
    language: str = "both"

    @property
    def job(self) -> ReportJob:
        """The job this record belongs to."""
        return ReportJob(self.province, self.province_code, self.slug, self.year, self.language)


def read_record(path: Path) -> ReportRecord | None:
    """Return the record stored at ``path``, or ``None`` if absent or unreadable."""
    try:
        return ReportRecord(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def is_fresh(job: ReportJob, key: str) -> bool:
    """Return whether ``job`` already has a successful report made from the same inputs.

    The record must carry the same key, and the notebook and HTML must still
    hold the bytes the record's hashes describe (an emptied, truncated or
    replaced file makes the report run again).
    """
    record = read_record(job.record_path())
    if record is None or record.status != "ok" or record.cache_key != key or not record.files:
        return False
    for suffix, path in (("ipynb", job.notebook_path()), ("html", job.html_path())):
        try:
            if sha256_file(path) != record.files.get(suffix):
                return False
        except OSError:
            return False
    return True


# --------------------------------------------------------------------------- executing one report


@dataclass(frozen=True)
class ExecutedReport:
    """A report notebook after execution.

    Attributes
    ----------
    notebook
        The executed ``nbformat`` node (with metadata, without timings).
    headline
        The headline figures the notebook displayed (``HEADLINE_MIME``), if any.
    error
        The error's summary if a cell failed, else ``None``.
    """

    notebook: Any
    headline: dict[str, Any] | None
    error: str | None


def prepare_notebook(job: ReportJob, inputs: InputSnapshot, key: str) -> Any:
    """Load the template and record the parameters and input hashes in its metadata."""
    import nbformat

    nb = nbformat.read(template_path(), as_version=4)
    check_parameters(job.parameters, template_parameters(nb))
    nb.metadata["parstats"] = {
        "parameters": job.parameters,
        "province_code": job.province_code,
        "slug": job.slug,
        "inputs": inputs.as_dict(),
        "cache_key": key,
        "version": __version__,
    }
    return nb


def find_headline(nb: Any) -> dict[str, Any] | None:
    """Return the last output of type :data:`HEADLINE_MIME` in ``nb``, if any."""
    found = None
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if HEADLINE_MIME in data:
                found = dict(data[HEADLINE_MIME])
    return found


_VOLATILE_NB = ("start_time", "end_time", "duration", "input_path", "output_path", "exception")
_VOLATILE_CELL = ("start_time", "end_time", "duration", "exception")


def scrub_volatile(nb: Any) -> Any:
    """Remove execution timings and temporary paths so that equal inputs give equal files.

    Cell ids (random when papermill upgrades the template to nbformat 4.5, or
    injects the parameters cell) become the cell's position.
    """
    meta = nb.metadata.get("papermill", {})
    for name in _VOLATILE_NB:
        meta.pop(name, None)
    for number, cell in enumerate(nb.cells, 1):
        if "id" in cell:
            cell["id"] = f"cell-{number}"
        cell.metadata.pop("execution", None)
        for name in _VOLATILE_CELL:
            cell.metadata.get("papermill", {}).pop(name, None)
    return nb


def execute_report(
    job: ReportJob, inputs: InputSnapshot, key: str, km: Any = None
) -> ExecutedReport:
    """Run the template for ``job`` through papermill.

    Parameters
    ----------
    job, inputs, key
        What to run and what it depends on.
    km
        A started kernel manager to reuse (a batch worker's warm kernel); a
        new kernel is started and stopped when ``None``.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    nb = prepare_notebook(job, inputs, key)
    with tempfile.TemporaryDirectory(prefix=f"{RUN_DIR_PREFIX}{os.getpid()}-") as tmp:
        out = Path(tmp) / "report.ipynb"
        error = None
        try:
            papermill.execute_notebook(
                nb,
                str(out),
                parameters=job.parameters,
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                request_save_on_cell_execute=False,
                execution_timeout=CELL_TIMEOUT_SECONDS,
                record_timing=False,
                km=km,
            )
        except PapermillExecutionError as exc:
            error = f"{exc.ename}: {exc.evalue}"
        executed = nbformat.read(out, as_version=4)
    executed = scrub_volatile(executed)
    return ExecutedReport(executed, find_headline(executed), error)


# A Jinja template on top of JupyterLab's: no script fetched from a CDN, so the
# page opens offline (figures are embedded as data: URIs by nbconvert).
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def export_html(nb: Any, title: str) -> str:
    """Render ``nb`` as one standalone HTML page without code cells or prompts."""
    import jinja2
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        extra_loaders=[jinja2.DictLoader({"parstats_report.html.j2": _OFFLINE_TEMPLATE})],
        template_file="parstats_report.html.j2",
    )
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb)
    return body


@dataclass(frozen=True)
class RenderedReport:
    """A report's files, ready to write: what a Dask worker sends back to the batch.

    Attributes
    ----------
    record
        The record, with the SHA-256 of the two files.
    notebook
        The executed notebook (``.ipynb`` bytes).
    page
        The standalone HTML page, or ``None`` if a cell failed.
    """

    record: ReportRecord
    notebook: bytes
    page: bytes | None


def write_report(job: ReportJob, executed: ExecutedReport, key: str) -> ReportRecord:
    """Write the notebook, its HTML (when it ran) and its record; return the record."""
    return write_rendered(job, render_report(job, executed, key))


def render_report(job: ReportJob, executed: ExecutedReport, key: str) -> RenderedReport:
    """Return the notebook's bytes, its HTML page (when it ran) and its record, unwritten."""
    import nbformat

    notebook = (nbformat.writes(executed.notebook) + "\n").encode("utf-8")
    files = {"ipynb": sha256_bytes(notebook)}
    page = None
    if executed.error is None:
        title = f"{job.province} {job.year} — PAR report (báo cáo cải cách hành chính)"
        page = export_html(executed.notebook, title).encode("utf-8")
        files["html"] = sha256_bytes(page)
    record = ReportRecord(
        province=job.province,
        province_code=job.province_code,
        slug=job.slug,
        year=job.year,
        status="failed" if executed.error else "ok",
        cache_key=key,
        headline=executed.headline,
        error=executed.error,
        files=files,
        language=job.language,
    )
    return RenderedReport(record, notebook, page)


def write_rendered(job: ReportJob, rendered: RenderedReport) -> ReportRecord:
    """Write a rendered report's notebook, HTML page and, last, its record; return the record."""
    record, page = rendered.record, rendered.page
    # The record goes last: a run stopped before it leaves no report the cache takes as done.
    write_bytes(job.notebook_path(), rendered.notebook)
    if page is not None:
        write_bytes(job.html_path(), page)
    else:
        job.html_path().unlink(missing_ok=True)
    write_json(job.record_path(), asdict(record))
    return record


def run_one(job: ReportJob, inputs: InputSnapshot, km: Any = None) -> ReportRecord:
    """Execute and write one report; an execution error is recorded, not raised."""
    key = cache_key(job, inputs)
    return write_report(job, execute_report(job, inputs, key, km=km), key)


# --------------------------------------------------------------------------- batch workers


_KERNEL: Any = None
_KERNEL_OWNER = 0  # pid of the process that started _KERNEL (a forked worker must not reuse it)
_KERNEL_PIN: str | None = None
_KERNEL_DIR: tuple[int, Path] | None = None


def _kernel_execute(km: Any, code: str) -> None:
    from jupyter_core.utils import run_sync

    kc = km.client()
    kc.start_channels()
    try:
        run_sync(kc.wait_for_ready)(timeout=60)
        reply = run_sync(kc.execute_interactive)(
            code, silent=True, store_history=False, timeout=CELL_TIMEOUT_SECONDS
        )
    finally:
        kc.stop_channels()
    if reply["content"]["status"] != "ok":
        raise ParstatsError(f"kernel warm-up failed: {reply['content'].get('evalue')}")


def _kernel_dir() -> Path:
    """Return this process's folder for kernel connection files (removed with the kernel)."""
    global _KERNEL_DIR
    if _KERNEL_DIR is None or _KERNEL_DIR[0] != os.getpid():
        folder = Path(tempfile.mkdtemp(prefix=f"{KERNEL_DIR_PREFIX}{os.getpid()}-"))
        _KERNEL_DIR = (os.getpid(), folder)
    return _KERNEL_DIR[1]


def _warm_kernel(pin: str | None = None) -> Any:
    """Return this process's kernel, started and warmed up on first use (or after a crash).

    Parameters
    ----------
    pin
        The generation folder of ``data/processed`` the kernel reads
        (``$PARSTATS_PROCESSED``); a kernel with another pin is replaced.
    """
    global _KERNEL, _KERNEL_OWNER, _KERNEL_PIN
    import subprocess
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    from parstats.processed import PIN_ENV

    if _KERNEL is not None and _KERNEL_OWNER != os.getpid():
        _KERNEL = None  # the parent's kernel, inherited by fork: not ours to use or stop
    if _KERNEL is not None and _KERNEL_PIN == pin and _kernel_alive(_KERNEL):
        return _KERNEL
    _stop_kernel()
    env = {k: v for k, v in os.environ.items() if k != PIN_ENV}
    if pin:
        env[PIN_ENV] = pin
    connection = _kernel_dir() / f"kernel-{uuid.uuid4().hex[:12]}.json"
    km = AsyncKernelManager(kernel_name=KERNEL_NAME, connection_file=str(connection))
    # Known before it starts: a worker stopped meanwhile must kill it too.
    _KERNEL, _KERNEL_OWNER, _KERNEL_PIN = km, os.getpid(), pin
    try:
        # Started in its own folder: the caller's folder may hold another ``parstats``
        # (a second checkout), which the kernel would import first.
        run_sync(km.start_kernel)(stderr=subprocess.DEVNULL, env=env, cwd=str(_kernel_dir()))
    except BaseException:
        _KERNEL = None
        _kill_kernel(km)
        raise
    _kernel_execute(km, WARM_UP_CODE)
    return km


def _kernel_process(km: Any) -> Any:
    """Return the kernel's ``subprocess.Popen`` (jupyter_client's local provisioner), if any."""
    return getattr(getattr(km, "provisioner", None), "process", None)


def _kill_kernel(km: Any) -> None:
    """End a kernel's process at once (SIGTERM, then SIGKILL) and remove its connection file.

    Signals go through the ``Popen`` object, which never signals a process it
    has already reaped (so never another process that reused the pid).
    """
    import subprocess

    process = _kernel_process(km)
    if process is not None:
        with contextlib.suppress(OSError):
            process.terminate()
            try:
                process.wait(1.0)
            except subprocess.TimeoutExpired:
                process.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(1.0)
    _remove_connection_file(km)


def _remove_connection_file(km: Any) -> None:
    with contextlib.suppress(OSError, TypeError):
        os.unlink(km.connection_file)


def _remove_kernel_dir() -> None:
    import shutil

    global _KERNEL_DIR
    if _KERNEL_DIR is not None and _KERNEL_DIR[0] == os.getpid():
        shutil.rmtree(_KERNEL_DIR[1], ignore_errors=True)
        _KERNEL_DIR = None


def _stop_kernel() -> None:
    """Shut this process's kernel down (killed if it does not answer) and remove its files."""
    from jupyter_core.utils import run_sync

    global _KERNEL
    km, _KERNEL = _KERNEL, None
    if km is not None and _KERNEL_OWNER == os.getpid():
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except BaseException:  # noqa: BLE001 - interrupted or broken: kill it instead
            _kill_kernel(km)
        else:
            _remove_connection_file(km)
    _remove_kernel_dir()


def _worker_terminate(signum: int, frame: Any) -> None:
    """End the worker's kernel, then the worker, at once (asked to stop, or orphaned).

    A signal handler: it takes no lock (the interrupted code may hold one) and
    does not wait; the kernel, an unreaped child until the worker exits, gets
    SIGKILL by its pid, which cannot have been reused meanwhile.
    """
    km = _KERNEL
    if km is not None and _KERNEL_OWNER == os.getpid():
        process = _kernel_process(km)
        if process is not None and process.returncode is None:
            with contextlib.suppress(OSError):
                os.kill(process.pid, signal.SIGKILL)
        _remove_connection_file(km)
    _remove_kernel_dir()
    os._exit(128 + signum)


def _worker_init(pin: str | None = None, parent_pid: int | None = None) -> None:
    from multiprocessing.util import Finalize

    from parstats.processes import die_with_parent

    # Ctrl-C reaches the whole process group: the parent decides, and stops
    # the workers with SIGTERM, which ends their kernel first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_terminate)
    if parent_pid is not None:
        die_with_parent(parent_pid)
    # A forked worker leaves through os._exit (no atexit); its finalizers do run.
    Finalize(None, _stop_kernel, exitpriority=10)
    try:
        _warm_kernel(pin)
    except Exception:  # noqa: BLE001 - a failed initializer would break the whole pool
        _stop_kernel()  # the first report starts a kernel again, and fails alone if it cannot


def _worker_run(job: ReportJob, inputs: InputSnapshot) -> ReportRecord:
    km = None
    try:
        km = _warm_kernel(inputs.location or None)
        return run_one(job, inputs, km=km)
    except Exception as exc:  # noqa: BLE001 - one report must not stop the batch
        return ReportRecord(
            job.province, job.province_code, job.slug, job.year, "failed",
            cache_key(job, inputs), error=f"{type(exc).__name__}: {exc}",
        )
    finally:
        if km is not None and _kernel_alive(km):
            _kernel_execute(km, RESET_CODE)


def _kernel_alive(km: Any) -> bool:
    from jupyter_core.utils import run_sync

    return bool(run_sync(km.is_alive)())


# --------------------------------------------------------------------------- the batch


@dataclass(frozen=True)
class BatchResult:
    """What :func:`run_reports` did.

    Attributes
    ----------
    ran
        Records of the reports executed in this batch.
    cached
        Jobs skipped because their inputs had not changed.
    profiles_written, profiles_unchanged
        Slugs of the province profiles written, and of those already current.
    """

    ran: tuple[ReportRecord, ...]
    cached: tuple[ReportJob, ...] = field(default=())
    profiles_written: tuple[str, ...] = field(default=())
    profiles_unchanged: tuple[str, ...] = field(default=())

    @property
    def failed(self) -> tuple[ReportRecord, ...]:
        """Records of the reports that failed."""
        return tuple(r for r in self.ran if r.status != "ok")


def _run_here(
    jobs: Sequence[ReportJob],
    inputs: InputSnapshot,
    progress: bool,
    on_done: Callable[[ReportRecord], None] | None,
) -> list[ReportRecord]:
    """Run ``jobs`` in this process, one warm kernel for all, stopped at the end."""
    from tqdm import tqdm

    out = []
    try:
        for job in tqdm(jobs, unit="report", disable=not progress, file=sys.stderr):
            out.append(_worker_run(job, inputs))
            if on_done is not None:
                on_done(out[-1])
    finally:
        _stop_kernel()
    return out


def _run_pool(
    jobs: Sequence[ReportJob],
    inputs: InputSnapshot,
    workers: int,
    progress: bool,
    on_done: Callable[[ReportRecord], None] | None,
) -> list[ReportRecord]:
    """Run ``jobs`` in ``workers`` forked processes; stop them all if interrupted.

    A worker that dies (killed, out of memory, a kernel that could not start) breaks
    the whole pool, so every report it had not finished is run again, one at a time,
    each in a fresh worker: only a report that kills its worker again fails, alone
    (as ``parstats extract --workers`` does for documents).
    """
    # fork: workers start with parstats and papermill already imported, and
    # a caller's script needs no ``if __name__ == "__main__"`` guard.
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401
    from tqdm import tqdm

    ran: list[ReportRecord] = []
    died: list[ReportJob] = []
    with tqdm(total=len(jobs), unit="report", disable=not progress, file=sys.stderr) as bar:

        def finish(record: ReportRecord) -> None:
            ran.append(record)
            bar.update()
            if on_done is not None:
                on_done(record)

        with contextlib.closing(_pool_results(jobs, inputs, workers)) as results:
            for future, job in results:
                if _worker_died(future):
                    died.append(job)
                else:
                    finish(future.result())
        for job in sorted(died, key=list(jobs).index):
            with contextlib.closing(_pool_results([job], inputs, 1)) as results:
                ((future, _),) = list(results)
            finish(_outcome(future, job, inputs))
    return ran


def _pool_results(
    jobs: Sequence[ReportJob], inputs: InputSnapshot, workers: int
) -> Iterator[tuple[Any, ReportJob]]:
    """Yield ``(future, job)`` as the jobs finish in a new pool of forked workers.

    The pool is shut down at the end, and its workers stopped at once if the
    caller is interrupted or closes the generator early (use ``contextlib.closing``).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_worker_init,
        initargs=(inputs.location or None, os.getpid()),
    )
    try:
        futures = {pool.submit(_worker_run, job, inputs): job for job in jobs}
        for future in as_completed(futures):
            yield future, futures[future]
    except BaseException:
        stop_workers(pool)
        raise
    pool.shutdown(wait=True)


def _worker_died(future: Any) -> bool:
    """Whether a finished future failed because its pool broke (a worker died)."""
    from concurrent.futures.process import BrokenProcessPool

    return isinstance(future.exception(), BrokenProcessPool)


def _outcome(future: Any, job: ReportJob, inputs: InputSnapshot) -> ReportRecord:
    """Return a finished future's record; a worker that died gives a failure (not written)."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        return ReportRecord(
            job.province, job.province_code, job.slug, job.year, "failed",
            cache_key(job, inputs),
            error="the worker process died (killed, or out of memory); the report was not "
            "written and runs again next time",
        )


def stop_workers(pool: Any, timeout: float = WORKER_STOP_SECONDS) -> None:
    """Cancel a pool's queued jobs and end its workers (SIGTERM, then SIGKILL after ``timeout``).

    Each worker's SIGTERM handler ends its kernel before the worker exits.
    """
    import time

    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    end = time.monotonic() + timeout
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(max(0.0, end - time.monotonic()))
    for process in processes:
        with contextlib.suppress(Exception):
            if process.is_alive():
                process.kill()
                process.join(1.0)


def default_jobs(
    provinces: Sequence[str] = (),
    years: Sequence[int] = (),
    *,
    plans_only: bool = False,
    language: str = "both",
) -> tuple[ReportJob, ...]:
    """Return the batch grid: every province-year with a plan or index data, filtered.

    Parameters
    ----------
    provinces
        Keep only these provinces (any spelling the registry resolves); all when empty.
    years
        Keep only these years; all when empty.
    plans_only
        Keep only the province-years with a plan in force (what ``parstats reports``
        runs by default: every plan-year report; the full grid is ``--all``).
    language
        The reports' language (``"both"``, ``"en"``, ``"vi"``).

    Raises
    ------
    UnknownProvinceError
        If a name in ``provinces`` is not a province.
    """
    from parstats.provinces import by_code, resolve
    from parstats.report_data import plan_grid, report_grid

    wanted_codes = {resolve(p).code for p in provinces}
    wanted_years = {check_year(y) for y in years}
    jobs = []
    for cell in plan_grid() if plans_only else report_grid():
        if wanted_codes and cell.province_code not in wanted_codes:
            continue
        if wanted_years and cell.year not in wanted_years:
            continue
        jobs.append(job_for(by_code(cell.province_code), cell.year, language))
    return tuple(jobs)


def run_reports(
    jobs: Iterable[ReportJob],
    workers: int = 1,
    force: bool = False,
    progress: bool = True,
    on_done: Callable[[ReportRecord], None] | None = None,
    *,
    profiles: Sequence[str] | None = None,
    maps: bool = False,
    language: str = "both",
    scheduler: str | None = None,
) -> BatchResult:
    """Run every job not already fresh, with ``workers`` warm-kernel processes.

    Afterwards ``reports/index.html`` and ``reports/results.parquet`` are
    rebuilt from every record under ``reports/`` (also when interrupted, and
    whenever they do not describe the records on disk). One batch runs at a
    time. Ctrl-C or SIGTERM cancels the queued reports and stops the workers
    and their kernels at once; the reports already written are kept, and the
    ``KeyboardInterrupt`` is raised again.

    Parameters
    ----------
    jobs
        The reports to run (see :func:`default_jobs`).
    workers
        Worker processes, each with one kernel kept warm across its reports.
    force
        Run even the reports whose inputs have not changed.
    progress
        Show a progress bar (tqdm, on stderr).
    on_done
        Called with each record as it completes.
    profiles
        Also write these provinces' profile pages (``reports/<slug>/profile.html``,
        :mod:`parstats.profiles`; every province when empty), after the reports
        and before the summaries; ``None``: no profile.
    maps
        Also write ``reports/maps.html``.
    language
        The language of the profiles and maps (the reports carry their own).
    scheduler
        ``None``: this process (``workers`` 1) or a pool of forked processes.
        ``"local"``: a ``dask.distributed.LocalCluster`` of ``workers``
        single-threaded processes. An address (``tcp://host:8786``): a running
        Dask cluster, whose workers must see the project folder at the same path
        (each worker process runs one report at a time, in one warm kernel).

    Raises
    ------
    InputError
        If the Dask scheduler cannot be reached.
    BusyError
        If another batch is running in this project (the message names it).
    DamagedDataError
        If a processed file is damaged (run ``parstats build``).
    """
    from parstats.processed import hold_lock
    from parstats.processes import signals_deferred, terminate_as_interrupt

    jobs = tuple(dict.fromkeys(jobs))
    with (
        terminate_as_interrupt(),
        hold_lock(reports_dir() / LOCK_FILE, "report batch"),
    ):
        clear_leftovers()
        inputs = snapshot_inputs()
        todo = [j for j in jobs if force or not is_fresh(j, cache_key(j, inputs))]
        cached = tuple(j for j in jobs if j not in set(todo))
        ran: list[ReportRecord] = []
        written = None
        pages_written = False
        try:
            if todo and scheduler is not None:
                from parstats.reports_dask import run_dask

                ran = run_dask(todo, inputs, scheduler, min(workers, len(todo)), progress,
                               on_done)
            elif todo and workers <= 1:
                ran = _run_here(todo, inputs, progress, on_done)
            elif todo:
                ran = _run_pool(todo, inputs, min(workers, len(todo)), progress, on_done)
            if profiles is not None or maps:
                from tqdm import tqdm

                from parstats.profiles import run_profiles

                total = len(profiles) if profiles else 63
                with tqdm(total=total if profiles is not None else 0, unit="profile",
                          disable=not progress or profiles is None, file=sys.stderr) as bar:
                    written = run_profiles(
                        profiles or (), records=all_records(), language=language,
                        workers=workers, force=force, with_maps=maps,
                        only_maps=profiles is None, on_done=lambda _slug: bar.update(),
                    )
                pages_written = bool(written.written or written.maps)
        finally:
            # Also when interrupted: the summaries describe what is on disk. A
            # second Ctrl-C or SIGTERM waits until both are written.
            with signals_deferred():
                if todo or pages_written or not summaries_current():
                    rebuild_summaries(language)
    ran.sort(key=lambda r: (r.slug, r.year))
    return BatchResult(tuple(ran), cached, written.written if written else (),
                       written.unchanged if written else ())


def clear_leftovers() -> None:
    """Remove what killed batches left: temporary files under ``reports/``, dead kernels' files.

    Called while holding the batch lock, so no other batch is writing.
    """
    import shutil

    from parstats.processes import pid_alive

    root = reports_dir()
    if root.is_dir():
        for path in root.rglob(".*.tmp"):
            with contextlib.suppress(OSError):
                path.unlink()
                fault_point(f"unlink {path.name}")
    for prefix in (KERNEL_DIR_PREFIX, RUN_DIR_PREFIX):
        for path in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
            pid = path.name[len(prefix):].split("-", 1)[0]
            if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------- results and index


def all_records() -> tuple[ReportRecord, ...]:
    """Return the record of every report under ``reports/``, by slug and year."""
    root = reports_dir()
    records = (read_record(p) for p in sorted(root.glob("*/*.json")))
    return tuple(sorted((r for r in records if r), key=lambda r: (r.slug, r.year)))


# The typed columns of results.parquet: the headline figures and the cache key.
RESULT_COLUMNS: dict[str, str] = {**HEADLINE_DTYPES, "cache_key": "string"}


def results_frame(records: Iterable[ReportRecord]) -> pd.DataFrame:
    """Return one typed row per successful report: its headline figures.

    Columns are :data:`RESULT_COLUMNS`; a figure the report did not have is ``NA``.
    """
    import pandas as pd

    rows = []
    for r in records:
        if r.status != "ok" or r.headline is None:
            continue
        row = {name: r.headline.get(name) for name in RESULT_COLUMNS}
        row.update(province_code=r.province_code, province=r.province, slug=r.slug)
        row.update(year=r.year, cache_key=r.cache_key)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    return frame.astype(RESULT_COLUMNS)


def write_results(records: Sequence[ReportRecord]) -> Path:
    """Write ``reports/results.parquet`` from ``records``; return its path."""
    return write_frame(results_frame(records), reports_dir() / RESULTS_FILE)


def records_digest(records: Sequence[ReportRecord]) -> str:
    """Return the SHA-256 of what a summary is made from: the records and the pages beside them.

    Equal records (and equal profile and map pages on disk) give an equal digest.
    """
    from parstats.profiles import profiles_listing

    payload = json.dumps(
        {"records": [asdict(r) for r in records], "pages": profiles_listing()},
        sort_keys=True, ensure_ascii=False,
    )
    return sha256_bytes(payload.encode("utf-8"))


_DIGEST_META = '<meta name="parstats-records" content="{}">'


def render_index(records: Sequence[ReportRecord], language: str = "both") -> str:
    """Return ``reports/index.html``: every province and every report, sortable and filterable.

    The page loads nothing from the network (its script is inline); links are
    relative. It records the digest of ``records`` (:func:`records_digest`). See
    :mod:`parstats.index_page`.
    """
    from parstats.index_page import render
    from parstats.profiles import MAPS_FILE, profile_exists

    slugs = {r.slug for r in records}
    from parstats.provinces import all_provinces

    slugs |= {p.slug for p in all_provinces()}
    profiles = frozenset(s for s in slugs if profile_exists(s))
    return render(
        records, _DIGEST_META.format(records_digest(records)), profiles=profiles,
        maps=(reports_dir() / MAPS_FILE).is_file(), language=language,
    )


def write_index(records: Sequence[ReportRecord], language: str = "both") -> Path:
    """Write ``reports/index.html`` from ``records``; return its path."""
    return write_text(reports_dir() / INDEX_FILE, render_index(records, language))


def rebuild_summaries(language: str = "both") -> tuple[ReportRecord, ...]:
    """Rewrite ``results.parquet``, then ``index.html``, from every record; return the records.

    The index goes last and records the digest of the records, so a run
    stopped in between leaves an index that :func:`summaries_current` finds stale.
    """
    records = all_records()
    write_results(records)
    write_index(records, language)
    return records


def summaries_current(records: Sequence[ReportRecord] | None = None) -> bool:
    """Return whether ``index.html`` and ``results.parquet`` describe the records on disk."""
    records = all_records() if records is None else records
    index = reports_dir() / INDEX_FILE
    try:
        head = index.read_text(encoding="utf-8")[:4096]
    except (OSError, UnicodeDecodeError):
        return False
    return (
        _DIGEST_META.format(records_digest(records)) in head
        and (reports_dir() / RESULTS_FILE).is_file()
    )
