"""Exceptions and warnings raised by parstats.

Every error names what was wrong (file, line, value) and what was expected, so
a user can fix the input without reading the code.
"""

from __future__ import annotations

from pathlib import Path


class ParstatsError(Exception):
    """Base class of every error parstats raises on purpose."""


class InputError(ParstatsError, ValueError):
    """Bad input: a file, line or value that is not what was expected.

    Parameters
    ----------
    message
        What is wrong and what was expected.
    path
        The file concerned, if any.
    line
        1-based line number in that file, if known.
    value
        The offending value, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        value: object = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        self.value = value
        self.reason = message
        where = ""
        if self.path is not None:
            where = f"{self.path}"
            if line is not None:
                where += f", line {line}"
            where += ": "
        super().__init__(where + message)


class EncodingError(InputError):
    """A text file whose encoding cannot be determined or decoded."""


class UnknownProvinceError(InputError, LookupError):
    """A name that is not a province; the message suggests the closest names."""


class SchemaError(InputError):
    """A table that does not satisfy its schema."""


class DamagedDataError(InputError):
    """A processed file that is truncated, corrupt or from another build; rebuild it."""


class BusyError(ParstatsError):
    """Another process holds the lock (a build, or a report batch); the message names it."""


class DocumentTooLargeError(InputError):
    """A document beyond what extraction may spend on one (size, number expressions, time).

    Extraction stops that document with this error, naming the limit it passed; a
    caller that extracts many documents reports it and goes on with the others.
    """


class ModelError(ParstatsError):
    """A model that cannot be fitted honestly (no data, no degrees of freedom)."""


class ParstatsWarning(UserWarning):
    """Base class of parstats warnings."""


class DroppedRowsWarning(ParstatsWarning):
    """Rows left out of a computation (missing values), with how many and why."""


class SmallSampleWarning(ParstatsWarning):
    """Inference from few observations or clusters; read it with care."""


class IncomparableScaleWarning(ParstatsWarning):
    """Index values on different scales or versions put side by side."""


class NotAPlanWarning(ParstatsWarning):
    """A document that is not a plan: its kind sets no commitments, or it looks like none.

    A report, a law or a news item (``parstats.kinds``), or a text with no province,
    no date and no target. One per document; the documents table records its kind
    and evidence.
    """


class ConversionWarning(ParstatsWarning):
    """What converting a PDF, Word file or web page noticed, for the reader to check.

    Pages OCR could not read or read with low confidence, legacy fonts converted, a
    suffix that does not match the bytes.
    """


class StaleCorrectionWarning(ParstatsWarning):
    """A reviewer's correction that no longer finds its document, quote or target."""


class UnreadInputWarning(ParstatsWarning):
    """A file in an input folder that the build does not read."""
