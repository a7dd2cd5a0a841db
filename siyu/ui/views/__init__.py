"""Per-page view functions: plain values and frames ready to draw, no st.* (tested without Streamlit)."""
