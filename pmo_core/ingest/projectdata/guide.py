"""The generated part of ``docs/leaving-project-online.md``: each entity set's ``$select``
list (from :data:`.properties.PROPERTIES`, the documented names the reader types) and
what the portfolio-analysis properties become (:data:`.portfolio.MAPPING`). A test
checks the guide holds what :func:`reference` writes; :func:`update_guide` rewrites it
(``python -c "from pmo_core.ingest.projectdata import guide; guide.update_guide()"``).
"""

from __future__ import annotations

from pathlib import Path

from pmo_core.ingest.projectdata import portfolio, properties

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "leaving-project-online.md"
MARKS = ("<!-- projectdata: start -->", "<!-- projectdata: end -->")
FEED = "https://<tenant>.sharepoint.com/sites/pwa/_api/ProjectData"


def reference() -> str:
    """Markdown: one ``$select`` URL per entity set read, then the portfolio mapping.

    Examples:
        >>> "/BusinessDrivers?$select=BusinessDriverId," in reference()
        True
    """
    out = ["#### `$select` per entity set / par ensemble d'entités", ""]
    for name, props in properties.PROPERTIES.items():
        out += [f"- `{name}`:", "", "  ```", f"  {FEED}/{name}?$select={','.join(props)}"]
        out += ["  ```", ""]
    out += [
        "#### Portfolio analysis / Analyse de portefeuille",
        "",
        "| entity set | property | Edm type | becomes |",
        "|---|---|---|---|",
    ]
    for entity, prop, target in portfolio.MAPPING:
        edm = properties.PROPERTIES[entity][prop]
        out.append(f"| `{entity}` | `{prop}` | {edm} | {target} |")
    return "\n".join(out) + "\n"


def with_reference(doc: str) -> str:
    """``doc`` with the text between :data:`MARKS` replaced by :func:`reference`."""
    start, end = MARKS
    block = f"{start}\n{reference()}{end}"
    if start in doc and end in doc:
        return doc[: doc.index(start)] + block + doc[doc.index(end) + len(end) :]
    return doc.rstrip() + "\n\n" + block + "\n"


def update_guide(path: Path = GUIDE) -> bool:
    """Rewrite the generated part of the guide; True if it changed."""
    old = path.read_text(encoding="utf-8")
    new = with_reference(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old
