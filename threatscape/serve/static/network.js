// threatscape web UI: the network page, drawn by cytoscape from the page's /api/network JSON
// (the URL in the element's data-src, which carries the page's filters). Contested edges are
// dashed and labelled; a click on an actor opens its page. Sets data-nodes and data-edges on
// the element once drawn.
"use strict";

function drawNetwork(element) {
  fetch(element.dataset.src, { credentials: "same-origin" })
    .then((response) => response.json())
    .then((data) => {
      const elements = [];
      for (const n of data.nodes || []) {
        elements.push({ group: "nodes", data: { id: n.id, label: n.name || n.id, degree: n.degree || 1 } });
      }
      for (const e of data.edges || []) {
        elements.push({
          group: "edges",
          data: {
            id: e.id,
            source: e.source,
            target: e.target,
            label: e.predicate + (e.contested ? " (contested)" : ""),
          },
          classes: e.contested ? "contested" : "",
        });
      }
      const cy = cytoscape({
        container: element,
        maxZoom: 1.5,
        minZoom: 0.2,
        elements: elements,
        layout: { name: elements.length > 0 ? "cose" : "grid", animate: false },
        style: [
          {
            selector: "node",
            style: {
              label: "data(label)",
              "background-color": "#3b2f63",
              width: "mapData(degree, 1, 20, 12, 40)",
              height: "mapData(degree, 1, 20, 12, 40)",
              "font-size": 10,
            },
          },
          {
            selector: "edge",
            style: {
              label: "data(label)",
              "curve-style": "bezier",
              "target-arrow-shape": "triangle",
              "line-color": "#2f7d4a",
              "target-arrow-color": "#2f7d4a",
              width: 1.5,
              "font-size": 8,
              "text-rotation": "autorotate",
            },
          },
          {
            selector: "edge.contested",
            style: { "line-style": "dashed", "line-color": "#b4212b", "target-arrow-color": "#b4212b" },
          },
        ],
      });
      cy.on("tap", "node", (event) => {
        window.location.href = "/actors/" + encodeURIComponent(event.target.id());
      });
      element.dataset.nodes = String(cy.nodes().length);
      element.dataset.edges = String(cy.edges().length);
      element.dataset.contested = String(cy.edges(".contested").length);
    })
    .catch((error) => {
      element.dataset.error = String(error);
    });
}

document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("network");
  if (element && window.cytoscape) {
    drawNetwork(element);
  }
});
