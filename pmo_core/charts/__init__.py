"""Plotly figure builders: ``pmo_core.charts.<area>.<noun>_<chart>(df, lang=...) -> Figure``.

One visual template and one RAG colour scale for the whole app live in
:mod:`pmo_core.charts.theme`; each area's builders set titles, axis labels, hover text
and colours inside, so that pages only render. Tests check what a figure means (trace
types, x values, the colour of a red project), not pixels.
"""
