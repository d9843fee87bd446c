"""geokit map layers inside a Streamlit dashboard (streamlit-folium).

Run: pip install streamlit streamlit-folium && streamlit run examples/streamlit_app.py
Open an extract file at start: streamlit run examples/streamlit_app.py -- extract.json
"""

from __future__ import annotations

import sys

import folium
import streamlit as st
from streamlit_folium import st_folium

import geokit
import geokit.maps as gm
from geokit import read_extract

st.set_page_config(page_title="geokit: deployments and alliances", layout="wide")
st.title("Deployments and alliances")

uploaded = st.sidebar.file_uploader("`geokit extract` JSON", type=["json", "jsonl"])
text = st.sidebar.text_area("…or paste an article", height=200)
layers = st.sidebar.multiselect("Layers", list(gm.LAYERS), default=list(gm.LAYERS))
min_score = st.sidebar.slider("Least confidence of an event", 0.0, 1.0, 0.0, 0.05)


@st.cache_data
def documents(data: bytes | None, article: str, path: str | None) -> list[geokit.Document]:
    """Return the uploaded extract, else the pasted article extracted, else the start file."""
    if data:
        import tempfile  # noqa: PLC0415

        with tempfile.NamedTemporaryFile(suffix=".json") as fh:
            fh.write(data)
            fh.flush()
            return read_extract(fh.name)
    if article.strip():
        return [geokit.extract(article, id="pasted")]
    return read_extract(path) if path else []


# `streamlit run app.py -- FILE` passes FILE here: an extract shown at start.
start_file = sys.argv[1] if len(sys.argv) > 1 else None
docs = documents(uploaded.getvalue() if uploaded else None, text, start_file)
if not docs:
    st.info("Upload an extract file or paste an article.")
    st.stop()

# One call builds everything...
st.subheader("build_map")
st_folium(gm.build_map(docs, layers=layers, title="geokit", min_score=min_score),
          height=520, width=None, returned_objects=[], key="geokit-map")

# ...or put single layers on your own map, next to your own data.
st.subheader("Layers on your own map")
m = folium.Map(location=[48, 37], zoom_start=4, tiles="OpenStreetMap")
gm.deployments_layer(docs).add_to(m)
gm.alliances_layer(docs).add_to(m)
gm.legend({"Deployment": "#6a1b9a", "Alliance": "#c62828"}, title="Key").add_to(m)
folium.LayerControl().add_to(m)
st_folium(m, height=420, width=None, returned_objects=[], key="own-map")

st.dataframe([{"place": p.name, "mentions": p.count, "documents": len(p.docs)}
              for p in gm.aggregate_places(docs)])
