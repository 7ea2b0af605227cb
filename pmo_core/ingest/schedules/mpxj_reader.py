"""Schedules through MPXJ (the field's reference reader), when it and Java are installed.

``.mpp`` files (MS Project's own format) are read by MPXJ and written back as MSPDI,
which :func:`~pmo_core.ingest.schedules.mspdi.read_mspdi_root` then reads like any MS
Project XML. MPXJ's Java classes moved from ``net.sf.mpxj`` to ``org.mpxj`` (MPXJ 13);
:func:`mpxj_classes` takes the current package and falls back to the old one. The
``mpxj`` Python package (with ``jpype1``) is optional: ``requirements-dev.txt``.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from pmo_core.ingest.schedules import common as sc

PACKAGES = ("org.mpxj", "net.sf.mpxj")  # current first, then MPXJ before version 13


def mpxj_available() -> bool:
    """True when the ``mpxj`` package and a Java runtime are both installed."""
    return importlib.util.find_spec("mpxj") is not None and shutil.which("java") is not None


def mpxj_classes() -> tuple[Any, Any, Any]:
    """``(UniversalProjectReader, UniversalProjectWriter, FileFormat)`` of the installed
    MPXJ, from ``org.mpxj`` or else ``net.sf.mpxj``; starts the Java VM once.

    Raises:
        ImportError: neither package holds the classes.
    """
    import jpype  # type: ignore[import-not-found]
    import mpxj  # type: ignore[import-not-found]  # noqa: F401  (puts MPXJ's jars on the class path)

    if not jpype.isJVMStarted():
        jpype.startJVM()
    for package in PACKAGES:
        try:
            return (
                jpype.JClass(f"{package}.reader.UniversalProjectReader"),
                jpype.JClass(f"{package}.writer.UniversalProjectWriter"),
                jpype.JClass(f"{package}.writer.FileFormat"),
            )
        except (TypeError, ImportError, RuntimeError):  # jpype: class not found
            continue
    raise ImportError(f"MPXJ classes not found in {' or '.join(PACKAGES)}")


def read_project(raw: bytes, suffix: str) -> Any:
    """MPXJ's ProjectFile of a schedule file's bytes (``suffix`` = its extension)."""
    reader, _writer, _fmt = mpxj_classes()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"in{suffix}"
        src.write_bytes(raw)
        return reader().read(str(src))


def to_mspdi(raw: bytes, suffix: str = ".mpp") -> ET.Element:
    """The file read by MPXJ and written as MSPDI, parsed (defusedxml, like any file).

    Raises:
        Exception: MPXJ could not read the file (its Java exception, or ValueError when it
        recognised no schedule).
    """
    reader, writer, file_format = mpxj_classes()
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / f"in{suffix}", Path(tmp) / "out.xml"
        src.write_bytes(raw)
        project = reader().read(str(src))
        if project is None:
            raise ValueError("MPXJ recognised no schedule in this file")
        writer(file_format.MSPDI).write(project, str(out))
        return sc.parse_xml(out.read_bytes())
