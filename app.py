"""PMO Cockpit: page config, sidebar (language, snapshot, filters) and navigation.

Run with ``make run`` (or ``streamlit run app.py``). On first start with an empty store
the demo portfolio is imported; an older store is upgraded first. Pages are registered
here, in sections; a page appears once its file exists. A :class:`PmoError` a page lets
through (the store busy, for one) is caught once here and shown in the user's language.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from pmo_core.errors import PmoError
from ui import loaders, sidebar, state, widgets
from ui.format import t

ROOT = Path(__file__).resolve().parent
# The favicon is a file of the repository: nothing is fetched from the internet for it.
st.set_page_config(
    page_title="PMO Cockpit", page_icon=ROOT / "ui/assets/favicon.png", layout="wide"
)
# section, file, title (English key), icon, url path
REGISTRY: list[tuple[str, str, str, str]] = [
    ("Portfolio", "overview.py", "Overview", ":material/dashboard:"),
    ("Portfolio", "projects.py", "Projects", ":material/list_alt:"),
    ("Portfolio", "roadmap.py", "Roadmap", ":material/timeline:"),
    ("Portfolio", "risks.py", "Risks", ":material/warning:"),
    ("Portfolio", "forecast.py", "Forecasts", ":material/query_stats:"),
    ("Steering", "alignment.py", "Alignment", ":material/target:"),
    ("Steering", "capacity.py", "Capacity", ":material/groups:"),
    ("Steering", "whatif.py", "What-if", ":material/tune:"),
    ("Steering", "reports.py", "Reports", ":material/summarize:"),
    ("Data", "import_data.py", "Import", ":material/upload_file:"),
    ("Data", "requests.py", "Requests", ":material/inbox:"),
    ("Data", "governance.py", "Governance", ":material/fact_check:"),
]


def navigation() -> dict[str, list[st.Page]]:
    """Sections of pages whose file exists. Each page's URL is its file's stem
    (``/overview``, ``/import_data``...), stable across languages; ``/`` opens the
    Overview with the link's query string."""
    sections: dict[str, list[st.Page]] = {}
    overview = None
    for section, file, title, icon in REGISTRY:
        if not (ROOT / "pages" / file).exists():
            continue
        page = st.Page(
            f"pages/{file}", title=t(title), icon=icon, url_path=file.removesuffix(".py")
        )
        overview = overview or page
        sections.setdefault(t(section), []).append(page)

    by_path = {p.url_path: p for pages in sections.values() for p in pages}

    def home() -> None:
        # "/" opens the Overview, or the page a redirected link asked for (?page=...).
        params = st.query_params.to_dict()
        target = by_path.get(params.pop("page", ""), overview)
        st.switch_page(target, query_params=params)

    # Hidden entry point "/": it opens the Overview (or the page a link asked for).
    hidden = [
        st.Page(home, title="PMO Cockpit", url_path="home", default=True, visibility="hidden")
    ]
    sections.setdefault(t("Portfolio"), []).extend(hidden)
    return sections


# Navigation first: the sidebar shows the real pages at once, even while the demo seeds.
state.init_state()
page = st.navigation(navigation())
try:
    loaders.ensure_store()  # an older store is upgraded before anything reads it
    loaders.ensure_seeded()
    sidebar.sidebar()
    page.run()
    sidebar.show_link()  # again: the page may have changed the query string (?project=)
except PmoError as exc:  # StoreBusy, an upgrade that failed...: one box, never a traceback
    widgets.show_error(exc)
