"""From a KPI to its reason: the Overview's counts open the lists behind them, the
Projects page filters and orders its list from the link, a project's detail says why it
has its weather, and a stale link says what it shows instead."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_core import i18n, kpi, store
from pmo_core.kpi import diff
from tests.conftest import run_page
from tests.test_links import app
from ui import projects_detail
from ui import projects_panels as panels
from ui.overview_panels import CHANGE_LINES

# ------------------------------------------------------------------ the list's rules


def _k(rows: list[tuple[str, str | None, str, float | None, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["project_id", "rag", "status", "spi_t", "cpi"]).assign(
        spi=None,
        rag_schedule=lambda d: d["rag"],
        rag_cost=None,
        rag_milestones=None,
        rag_quality=None,
        eac=[100.0 * i for i in range(len(rows))],
        bac=100.0,
        risk_exposure=0.0,
    )


def test_red_first_by_hand() -> None:
    k = _k(
        [
            ("P1", None, "proposed", None, None),  # not rated at all: last
            ("P2", "G", "in_progress", 1.00, 1.0),
            ("P3", "R", "in_progress", 0.80, 1.0),
            ("P4", None, "in_progress", None, None),  # running, no rating: after green
            ("P5", "R", "in_progress", 0.60, 1.0),  # the worst SPI(t) of the reds: first
            ("P6", "A", "on_hold", 0.90, 0.9),
            ("P7", "R", "in_progress", 0.80, 0.7),  # same SPI(t) as P3, lower CPI: before it
        ]
    )
    assert panels.red_first(k)["project_id"].tolist() == [
        "P5",
        "P7",
        "P3",
        "P6",
        "P2",
        "P4",
        "P1",
    ]
    # By a figure: EAC largest first (P7 700 ... P1 0), undefined last.
    assert panels.red_first(k, "eac")["project_id"].tolist()[0] == "P7"
    assert panels.red_first(k, "spi_t")["project_id"].tolist()[:2] == ["P5", "P3"]


def test_apply_view_by_hand() -> None:
    k = _k(
        [
            ("P1", None, "proposed", None, None),
            ("P2", "G", "in_progress", 1.00, 1.0),
            ("P3", "R", "completed", 0.80, 1.0),
            ("P4", None, "in_progress", None, None),
        ]
    )
    ids = lambda v, **kw: panels.apply_view(k, v, **kw)["project_id"].tolist()  # noqa: E731
    assert ids({"rag": ["red"]}) == ["P3"]
    assert ids({"rag": ["red", "green"]}) == ["P3", "P2"]
    assert ids({"rag": ["none"]}) == ["P4"]  # running without rating; P1 is not rated at all
    assert ids({"schedule": ["green"]}) == ["P2"]
    assert ids({"scope": ["execution"]}) == ["P3", "P2", "P4"]
    assert ids({"scope": ["open"]}) == ["P2", "P4", "P1"]
    assert ids({"warned": ["1"]}, warned={"P4", "P9"}) == ["P4"]
    assert ids({"gaps": ["1"]}, gaps={"P1"}) == ["P1"]
    changes = {"milestones_slipped": pd.DataFrame({"project_id": ["P2", "P2"]})}
    assert ids({"changed": ["slipped"]}, changes=changes) == ["P2"]
    # A stale link's value selects nothing, never everything.
    assert ids({"rag": ["purple"]}) == []
    assert ids({"changed": ["slipped"]}) == []  # the oldest snapshot: nothing changed
    assert ids({"changed": ["nonsense"]}, changes=changes) == []


RAGS = st.sampled_from(["R", "A", "G", None])
STATUSES = st.sampled_from(["in_progress", "on_hold", "proposed", "completed"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(RAGS, STATUSES, st.one_of(st.none(), st.floats(0, 2))), max_size=12),
    st.lists(st.sampled_from(list(panels.RAG_WORDS)), max_size=3),
)
def test_the_weather_filter_keeps_exactly_the_projects_of_its_colours(
    rows: list[tuple[str | None, str, float | None]], words: list[str]
) -> None:
    k = _k([(f"P{i}", r, s, x, None) for i, (r, s, x) in enumerate(rows)])
    out = panels.apply_view(k, {"rag": words} if words else {})
    assert sorted(out["project_id"]) == sorted(set(out["project_id"]))  # no duplicate
    if not words:
        assert len(out) == len(k)  # no filter: every project, reordered
    codes = {panels.RAG_WORDS[w] for w in words}
    for r in k.itertuples():
        rated_none = pd.isna(r.rag) and r.status in ("in_progress", "on_hold")
        coloured = isinstance(r.rag, str) and r.rag in codes
        wanted = not words or coloured or (None in codes and rated_none)
        assert (r.project_id in set(out["project_id"])) == wanted
    # red first: the ranks never go down along the list
    rank = {"R": 0, "A": 1, "G": 2}
    ranks = [
        rank[x] if isinstance(x, str) else (3 if s in ("in_progress", "on_hold") else 4)
        for x, s in zip(out["rag"], out["status"], strict=True)
    ]
    assert ranks == sorted(ranks)


def test_every_label_of_the_drill_down_has_its_french() -> None:
    labels = [
        *panels.RAG_WORD_LABELS.values(),
        *panels.WEATHER_LABELS.values(),
        *panels.SCOPE_LABELS.values(),
        *panels.SORT_LABELS.values(),
        *panels.CHANGE_LABELS.values(),
        *projects_detail.DIMENSION_LABELS.values(),
        *projects_detail.NO_DATA.values(),
        *(text for _, text in CHANGE_LINES),
    ]
    missing = [x for x in labels if x not in i18n.FR]
    assert missing == []
    assert set(panels.CHANGE_LABELS) == set(diff.CHANGE_FILTERS)
    assert set(panels.SORT_LABELS) == set(panels.SORTS)


# ------------------------------------------------------------------ the pages


def _links(at) -> list[tuple[str, dict[str, list[str]]]]:  # type: ignore[no-untyped-def]
    return [
        (link.proto.label, {"page": [link.proto.page], **parse_qs(link.proto.query_string)})
        for link in at.get("page_link")
    ]


def test_overview_red_count_opens_the_red_projects_in_french(app_db: Path) -> None:
    at = app(lang="fr")  # through app.py: the links are the navigation's page links
    red = kpi.portfolio_headline(kpi.snapshot_kpis(store.get_snapshot(path=app_db)))["red_projects"]
    cards = {m.label: m.value for m in at.metric}
    assert cards["Projets en rouge"] == str(red) == "15"
    links = dict(_links(at))
    assert links[f"Voir les {red}"] == {
        "page": ["projects"],
        "lang": ["fr"],
        "rag": ["red"],
    }
    # Every headline card has its list; each "what changed" count opens its projects.
    every = _links(at)
    cards = [v for label, v in every if label == "Voir les projets" and "scope" in v]
    assert [v.get("sort", [""])[0] for v in cards] == ["", "bac", "eac", "spi", "cpi", "exposure"]
    changed = {v["changed"][0] for _, v in every if "changed" in v}
    assert changed == {"added", "weather", "slipped", "risks"}
    assert links["3 projets ajoutés"]["changed"] == ["added"]  # the plural mark resolved


@pytest.mark.parametrize(("lang", "label"), [("en", "Project list"), ("fr", "Voir les projets")])
def test_overview_card_links_fit_the_seven_columns(app_db: Path, lang: str, label: str) -> None:
    # At 1440 px a card is about 120 px wide: after its arrow, "See the projects" was cut
    # to "See the project" in English (DejaVu Sans, about 8 px a letter); "Project list"
    # fits (screenshot of the Overview at 1440 px), and the French "Voir les projets" did.
    at = app(lang=lang)
    cards = [k for k, v in _links(at) if "scope" in v and "changed" not in v]
    assert len(cards) == 6 and set(cards) == {label}
    assert len(label) <= (12 if lang == "en" else 16)


def test_overview_links_keep_the_snapshot_and_filters(app_db: Path) -> None:
    at = app(lang="en", snapshot="2", program="Expérience client")
    link = next(v for k, v in _links(at) if "rag" in v)
    assert link["snapshot"] == ["2"] and link["program"] == ["Expérience client"]


def test_projects_red_view_lists_the_red_projects_red_first(app_db: Path) -> None:
    k = kpi.snapshot_kpis(store.get_snapshot(path=app_db))
    at = run_page("projects.py", "fr", rag="red")
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert sorted(table["Projet"]) == sorted(k.loc[k["rag"] == "R", "project_id"])
    assert table["Projet"].tolist() == panels.red_first(k[k["rag"] == "R"])["project_id"].tolist()
    assert table["Projet"].iloc[0] == "PRJ-031"  # SPI(t) 0,27: the worst schedule of the reds
    assert "15 projets sur 60" in [c.value for c in at.caption]
    assert at.multiselect(key="projects_rag").value == ["red"]
    # The first red project opens; its detail leads with its driver.
    why = next(m.value for m in at.markdown if m.value.startswith("- :red[●] Délais"))
    assert "Délais : Rouge, IPD(t) 0,27 < 0,85" in why


def test_red_project_detail_names_the_driver_not_the_spi(app_db: Path) -> None:
    """The issue's case: "Délais : Rouge" beside SPI 0,97; the driver is SPI(t) 0,64."""
    at = run_page("projects.py", "fr", rag="red", project="PRJ-059")
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["IPD"] == "0,97"
    md = "\n".join(m.value for m in at.markdown)
    assert "Délais : Rouge, IPD(t) 0,64 < 0,85" in md
    assert "Coût : Rouge, IPC 0,78 < 0,85" in md
    assert "Commanditaire : François Mercier · Chef de projet : Mathieu Durand" in md
    # What changed since snapshot #2, and the last report (July) older than October.
    assert "**Depuis la photo n° 2**" in md
    assert "Fin prévisionnelle : 20/10/2027 → 08/01/2028" in md
    assert "Nouveau risque : Complexité des interfaces avec le SI existant" in md
    warnings = [w.value for w in at.warning]
    assert any(
        "Dernier rapport d'avancement : 31/07/2026" in w and "oct. 2026" in w for w in warnings
    ), warnings


def test_the_picker_opens_another_project_than_the_links(app_db: Path) -> None:
    """Opened from a link to PRJ-059, the user picks PRJ-002 in the picker: its detail
    opens and the link follows (the picker was set back to the link's project before)."""
    at = run_page("projects.py", "en", project="PRJ-059")
    assert at.selectbox(key="projects_detail").value == "PRJ-059"
    at.selectbox(key="projects_detail").set_value("PRJ-002").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="projects_detail").value == "PRJ-002"
    assert at.query_params["project"] == "PRJ-002"
    assert any(w.value.startswith("Weather set by hand") for w in at.warning)  # PRJ-002's


def test_overridden_weather_shows_its_reason(app_db: Path) -> None:
    at = run_page("projects.py", "en", project="PRJ-002")
    assert not at.exception
    w = next(w.value for w in at.warning if w.value.startswith("Weather set by hand"))
    assert w.startswith("Weather set by hand: Red (computed: Green). Reason: Arbitrage COPIL")


def test_projects_changed_view_lists_the_slipped_milestones_projects(app_db: Path) -> None:
    old, new = store.get_snapshot(2, path=app_db), store.get_snapshot(3, path=app_db)
    changes = diff.snapshot_diff(
        old.frames, new.frames, kpi.snapshot_kpis(old), kpi.snapshot_kpis(new)
    )
    at = run_page("projects.py", "en", changed="slipped")
    assert not at.exception
    shown = set(at.dataframe[0].value["Project"])
    assert shown == diff.changed_projects(changes, "slipped")
    assert len(shown) == 5


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_link_to_a_project_absent_from_the_snapshot_says_so(app_db: Path, lang: str) -> None:
    at = run_page("projects.py", lang, project="PRJ-999")
    assert not at.exception
    text = {
        "fr": "Le projet PRJ-999 n'est pas dans la photo n° 3 du 31/10/2026",
        "en": "Project PRJ-999 is not in snapshot #3 as of 31 Oct 2026",
    }[lang]
    assert any(w.value.startswith(text) for w in at.warning), [w.value for w in at.warning]
    # No other project opened in its place: the user chooses.
    assert at.selectbox(key="projects_detail").value is None
    assert not at.metric


def test_a_project_of_a_newer_snapshot_points_to_it(app_db: Path) -> None:
    # PRJ-014 was added in snapshot 3: a link to it with snapshot 2 says where it is.
    at = app(lang="en", snapshot="2", page="projects", project="PRJ-014")
    w = [w.value for w in at.warning]
    assert any("not in snapshot #2" in x and "It is in snapshot #3." in x for x in w), w
    at.button(key="projects_other_snapshot").click().run()
    at.run()  # the sidebar takes the chosen snapshot from the next run
    assert not at.exception
    assert at.sidebar.selectbox(key="sidebar_snapshot").value == 3
    assert any(s.value.startswith("PRJ-014 · ") for s in at.subheader)


def test_a_project_hidden_by_the_filters_is_said_and_shown(app_db: Path) -> None:
    at = run_page("projects.py", "en", rag="green", project="PRJ-059")  # PRJ-059 is red
    assert any("PRJ-059 is not in this list" in i.value for i in at.info)
    assert any(s.value.startswith("PRJ-059 · ") for s in at.subheader)


def test_governance_warnings_leave_out_red_projects_and_format_figures(app_db: Path) -> None:
    at = run_page("governance.py", "fr")
    assert not at.exception
    table = at.dataframe[-1].value
    assert "Rouge" not in set(table["Météo"])
    assert not table["Alerte"].str.contains(r"\d\.\d").any()  # no dot decimal in French
    assert any("déjà en rouge ne sont pas repris" in c.value for c in at.caption)


def test_each_card_list_holds_as_many_projects_as_the_card_counts(app_db: Path) -> None:
    overview = run_page("overview.py", "en")
    cards = {m.label: m.value for m in overview.metric}

    def listed(**view: str) -> int:
        at = run_page("projects.py", "en", **view)
        assert not at.exception
        return len(at.dataframe[0].value)

    assert listed(scope="execution") == int(cards["In execution"]) == 37
    assert listed(rag="red") == int(cards["Red projects"])
    warned = int(cards["Early warnings"].split()[0])
    assert listed(warned="1") == warned > 0
    gaps = int(cards["Data quality"].split()[0])
    assert listed(gaps="1") == gaps


def test_warning_figures_are_formatted_in_french() -> None:
    from ui.overview_panels import warning_line

    # Outside a Streamlit run the language is the default, French.
    text = warning_line(
        "{index} fell across the last {n} reports: {first} -> {last}",
        {"index": "CPI", "n": 3, "first": 0.99, "last": 0.93},
    )
    assert text == "IPC en baisse sur les 3 derniers rapports : 0,99 -> 0,93"
    rise = warning_line("Risk exposure rose by {pct} since the last snapshot", {"pct": 43})
    assert rise == "L'exposition au risque a augmenté de 43\u00a0% depuis la photo précédente"


def test_a_view_widget_writes_its_filter_to_the_link(app_db: Path) -> None:
    at = run_page("projects.py", "en")
    assert len(at.dataframe[0].value) == 60
    at.multiselect(key="projects_rag").set_value(["red", "amber"]).run()
    assert not at.exception
    assert at.query_params["rag"] == ["red", "amber"]
    assert len(at.dataframe[0].value) == 15 + 7  # the demo's red and amber projects
    at.selectbox(key="projects_sort").set_value("id").run()
    assert at.query_params["sort"] in ("id", ["id"])  # AppTest gives one value bare
    ids = at.dataframe[0].value["Project"].tolist()
    assert ids == sorted(ids)


def test_the_changed_selector_keeps_weather_changes_in_the_link(app_db: Path) -> None:
    # "weather" is both the default order and a "changed" value: each keeps its meaning.
    at = run_page("projects.py", "en")
    at.selectbox(key="projects_changed").set_value("weather").run()
    assert at.query_params["changed"] in ("weather", ["weather"])
    assert len(at.dataframe[0].value) == 8  # the Overview's "8 weather change(s)"
    at.selectbox(key="projects_changed").set_value("all").run()
    assert "changed" not in at.query_params
    assert len(at.dataframe[0].value) == 60
