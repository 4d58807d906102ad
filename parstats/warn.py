"""Warnings that point at the user's call, not at a line inside parstats.

``warnings.warn(..., stacklevel=N)`` with a fixed ``N`` points at the right line
only when the warning is raised at one depth; parstats raises the same warning
from several depths (``fit_ols`` directly, or through ``cross_index_panel``,
``family_ambition_vs_index`` ...). :func:`warn_user` walks up the stack to the
first frame outside the package and attributes the warning there: the user's
script line or notebook cell. :func:`notebook_format` makes notebooks print a
warning as one line without the kernel's temporary file path.
"""

from __future__ import annotations

import os
import sys
import warnings

from parstats.paths import PACKAGE_DIR

_PACKAGE = str(PACKAGE_DIR) + os.sep


def warn_user(message: str, category: type[Warning]) -> None:
    """Issue ``category`` with ``message``, attributed to the user's line (outside parstats)."""
    frame = sys._getframe(1)
    level = 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)


def _one_line(message, category, filename, lineno, line=None) -> str:  # noqa: ANN001
    return f"{category.__name__} (line {lineno}): {message}\n"


def notebook_format() -> None:
    """Print warnings as ``Category (line N): message``: no temporary kernel path in outputs.

    Called by the notebooks' first cell, so that their committed outputs hold no
    absolute path of the machine they ran on.
    """
    warnings.formatwarning = _one_line
