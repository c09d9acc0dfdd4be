"""The manager's dashboard: hour totals, the pilot's summary, quality and satisfaction
figures, charts and exports (issue 7).

- `queries`: SQL aggregations only (GROUP BY in the database), `(session, DateRange, ...)`;
- `tables`: the figures as `jobcenter.core.exports.Table`s with translated headings, shared
  by the page and its CSV/XLSX downloads;
- `charts`: server-side SVG charts with a title, a description and text labels;
- `views`: the `dashboard` blueprint; the API is `jobcenter.api.resources.dashboard`.
"""
