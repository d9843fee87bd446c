"""Map layers of places, deployments, alliances, blocs and time for Folium."""
