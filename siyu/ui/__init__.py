"""The only package that imports streamlit."""

# pandas is imported here, once, before any session's script can build a chart (app.py imports siyu.ui
# first, and a second session's import waits for the first to finish). plotly's validators look pandas
# up in sys.modules without importing it, so a figure built while another session's thread was half-way
# through importing pandas (Streamlit and plotly import it lazily) failed with "partially initialized
# module 'pandas' has no attribute 'Series'" on the first concurrent page views after a server start.
import pandas  # noqa: F401
