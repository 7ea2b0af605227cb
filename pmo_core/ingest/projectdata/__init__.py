"""Import a Project Online ProjectData (OData) export: workbook, JSON pages or CSV files.

The reader turns an export into ``dict[str, pandas.DataFrame]`` keyed by entity set
name (``Projects``, ``Tasks``...), columns = OData property names, values coerced by
each property's documented Edm type (:mod:`.properties`, plus the portfolio-analysis
sets in :mod:`.properties_portfolio`).
"""
