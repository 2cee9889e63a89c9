// threatscape web UI: the events map on the dashboard (Leaflet + markercluster, no tile layer:
// nothing is fetched from outside). Loaded from 'self' only; no inline script anywhere.
// Layers, bottom up: country outlines (world-atlas through topojson-client), provinces shaded by
// their events (/api/admin1.geojson; a click filters the dashboard by that admin-1), the events
// clustered, coloured by type and sized by fatalities.
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

const SHADES = ["#fff5eb", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"];

function shadeOf(events, most) {
  if (!events) {
    return "#f7f7f7";
  }
  const step = Math.ceil((Math.log(1 + events) / Math.log(1 + most)) * (SHADES.length - 1));
  return SHADES[Math.max(1, Math.min(SHADES.length - 1, step))];
}

function drawCountries(map, element) {
  if (!window.topojson || !element.dataset.countries) {
    return;
  }
  fetch(element.dataset.countries)
    .then((response) => response.json())
    .then((topo) => {
      const outlines = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(outlines, {
        pane: "countries",
        interactive: false,
        style: { color: "#9aa5b1", weight: 0.6, fillColor: "#ffffff", fillOpacity: 1 },
      }).addTo(map);
      element.dataset.countriesDrawn = String(outlines.features.length);
    })
    .catch((error) => console.error("countries: " + error));
}

function filterByProvince(name) {
  const params = new URLSearchParams(window.location.search);
  params.set("admin1", name);
  params.delete("page");
  window.location.assign("/?" + params.toString());
}

function drawProvinces(map, element) {
  if (!element.dataset.admin1) {
    return;
  }
  fetch(element.dataset.admin1, { credentials: "same-origin" })
    .then((response) => response.json())
    .then((data) => {
      const features = data.features || [];
      const most = Math.max(1, ...features.map((f) => f.properties.events || 0));
      const layers = L.geoJSON(data, {
        pane: "provinces",
        style: (f) => ({
          color: "#7b8794",
          weight: 0.8,
          fillColor: shadeOf(f.properties.events, most),
          fillOpacity: 0.85,
          className: f.properties.events ? "province shaded" : "province",
        }),
        onEachFeature: (f, layer) => {
          const p = f.properties;
          layer.bindTooltip(p.name + ": " + p.events + " events", { sticky: true, className: "province" });
          layer.on("click", () => filterByProvince(p.admin1));
        },
      }).addTo(map);
      layers.eachLayer((layer) => {
        const path = layer.getElement && layer.getElement();
        if (path) {
          path.dataset.admin1 = layer.feature.properties.admin1;
          path.dataset.events = String(layer.feature.properties.events || 0);
        }
      });
      element.dataset.provinces = String(features.filter((f) => f.properties.events).length);
    })
    .catch((error) => console.error("provinces: " + error));
}

function drawMap(element) {
  const map = L.map(element, { maxZoom: 12, minZoom: 1, zoomSnap: 0.5 });
  map.setView([20, 20], 2);
  map.createPane("countries").style.zIndex = "250";
  map.createPane("provinces").style.zIndex = "300";
  drawCountries(map, element);
  drawProvinces(map, element);
  // a point is every event of one type at one spot (/api/map.geojson); a cluster counts events
  const cluster = L.markerClusterGroup({
    maxClusterRadius: 40,
    iconCreateFunction: (group) => {
      const events = group.getAllChildMarkers().reduce((n, m) => n + (m.options.events || 1), 0);
      const size = events < 10 ? "small" : events < 100 ? "medium" : "large";
      return L.divIcon({
        html: "<div><span>" + events.toLocaleString("en") + "</span></div>",
        className: "marker-cluster marker-cluster-" + size,
        iconSize: L.point(40, 40),
      });
    },
  });
  const query = (element.dataset.src.split("?")[1] || "");
  fetch(element.dataset.src, { credentials: "same-origin" })
    .then((response) => response.json())
    .then((data) => {
      const points = [];
      let events = 0;
      for (const feature of data.features || []) {
        if (!feature.geometry) {
          continue;
        }
        const [lon, lat] = feature.geometry.coordinates;
        const p = feature.properties || {};
        const killed = Number(p.fatalities || 0);
        const n = Number(p.events || 1);
        const marker = L.circleMarker([lat, lon], {
          radius: 4 + Math.min(12, Math.sqrt(killed)),
          color: colourOf(p.event_type),
          fillOpacity: 0.7,
          events: n,
        });
        const link = document.createElement("a");
        if (feature.id) {
          link.href = "/events/" + encodeURIComponent(feature.id);
          link.textContent = (p.first || "") + " " + (p.sub_event_type || p.event_type || "");
        } else {
          const more = new URLSearchParams(query);
          for (const [key, value] of [["type", p.event_type], ["country", p.country], ["admin1", p.admin1]]) {
            if (value) {
              more.set(key, value);
            }
          }
          link.href = "/events?" + more.toString();
          link.textContent = n.toLocaleString("en") + " " + (p.event_type || "events") + " here, " +
            (p.first || "") + " to " + (p.last || "");
        }
        marker.bindPopup(link);
        cluster.addLayer(marker);
        points.push([lat, lon]);
        events += n;
      }
      if (points.length) {
        // the view first, without animation, then the clusters, drawn once at the zoom they stay at
        map.fitBounds(points, { padding: [20, 20], maxZoom: 8, animate: false });
      }
      map.addLayer(cluster);
      element.dataset.points = String(points.length);
      element.dataset.events = String(events);
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
