"""The app's one visual template, RAG colours and utilisation bands.

Examples:
    >>> RAG_COLORS["R"]
    '#d64541'
    >>> band_color(1.2)
    '#d64541'
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from pmo_core.i18n import PLOTLY_SEPARATORS, norm_lang

RAG_COLORS: dict[str, str] = {"G": "#2e9e5b", "A": "#f0a202", "R": "#d64541", "": "#9aa5b1"}
NO_RAG = "#9aa5b1"
BAND_COLORS: dict[str, str] = {
    "low": "#9ecae1",  # < 80 %: spare capacity
    "ok": "#2e9e5b",  # 80-100 %
    "over": "#d64541",  # > 100 %
    "none": "#6b4c9a",  # demand with no capacity
}
PALETTE: tuple[str, ...] = (
    "#1f3b57",
    "#3f88c5",
    "#e09f3e",
    "#7b9e89",
    "#9e2a2b",
    "#6b4c9a",
    "#44bba4",
    "#e94f37",
    "#393e41",
    "#f6ae2d",
)
FONT = "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"

pio.templates["pmo"] = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 13, "color": "#1f2933"},
        title={"font": {"size": 16, "color": "#1f3b57"}, "x": 0, "xanchor": "left"},
        colorway=list(PALETTE),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        xaxis={"gridcolor": "#e4e7eb", "zerolinecolor": "#cbd2d9", "linecolor": "#cbd2d9"},
        yaxis={"gridcolor": "#e4e7eb", "zerolinecolor": "#cbd2d9", "linecolor": "#cbd2d9"},
        # Below everything, axis titles included: the container is the reference.
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        hoverlabel={"font": {"family": FONT}},
    )
)


def band_color(utilisation: float | None) -> str:
    """The band colour of a utilisation ratio (None: demand without capacity)."""
    if utilisation is None:
        return BAND_COLORS["none"]
    if utilisation > 1.0:
        return BAND_COLORS["over"]
    if utilisation >= 0.8:
        return BAND_COLORS["ok"]
    return BAND_COLORS["low"]


def rag_color(rag: object) -> str:
    return RAG_COLORS.get(str(rag), NO_RAG) if isinstance(rag, str) else NO_RAG


def apply_theme(fig: go.Figure, lang: str | None = None, height: int | None = None) -> go.Figure:
    """Apply the template and the language's number separators to a figure."""
    fig.update_layout(template="pmo", separators=PLOTLY_SEPARATORS[norm_lang(lang)])
    if height:
        fig.update_layout(height=height)
    return fig
