// threatscape web UI: the events map on the dashboard (Leaflet + markercluster, no tile layer:
// nothing is fetched from outside). Loaded from 'self' only; no inline script anywhere.
"use strict";

function colourOf(type) {
  const colours = {
    "Battles": "#b2182b",
    "Explosions/Remote violence": "#ef8a62",
    "Violence against civilians": "#762a83",
    "Protests": "#2166ac",
    "Riots": "#67a9cf",
    "Strategic developments": "#5aae61",
  };
  return colours[type] || "#666666";
}

function drawMap(element) {
  const map = L.map(element, { maxZoom: 12, minZoom: 1, zoomSnap: 0.5 });
  map.setView([20, 20], 2);
  const cluster = L.markerClusterGroup({ maxClusterRadius: 40 });
  fetch(element.dataset.src, { credentials: "same-origin" })
    .then((response) => response.json())
    .then((data) => {
      const points = [];
      for (const feature of data.features || []) {
        if (!feature.geometry) {
          continue; // an event placed no more precisely than its country has no point
        }
        const [lon, lat] = feature.geometry.coordinates;
        const p = feature.properties || {};
        const killed = Number(p.fatalities || 0);
        const marker = L.circleMarker([lat, lon], {
          radius: 4 + Math.min(12, Math.sqrt(killed)),
          color: colourOf(p.event_type),
          fillOpacity: 0.7,
        });
        const link = document.createElement("a");
        link.href = "/events/" + encodeURIComponent(feature.id || "");
        link.textContent = (p.event_date || "") + " " + (p.sub_event_type || p.event_type || "");
        marker.bindPopup(link);
        cluster.addLayer(marker);
        points.push([lat, lon]);
      }
      map.addLayer(cluster);
      if (points.length) {
        map.fitBounds(points, { padding: [20, 20], maxZoom: 8 });
      }
      element.dataset.points = String(points.length);
    })
    .catch((error) => {
      element.dataset.error = String(error);
    });
}

document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("map");
  if (element && window.L) {
    drawMap(element);
  }
});

// htmx requests that change something (the review buttons) carry the session's CSRF token, which
// the page holds in <meta name="csrf-token">; the server refuses them (403) without it.
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && event.detail.verb !== "get") {
    event.detail.headers["X-CSRF-Token"] = meta.content;
  }
});
