// threatscape web UI: the dashboard's timeline, events per day or week stacked by ACLED type,
// drawn by Vega-Lite through window.threatscapeVega (vega-embed with the expression interpreter,
// so no eval under the CSP). Dragging across it selects a range of days; on release the page
// goes to the same dashboard URL with since/until set to that range (the state stays in the URL).
"use strict";
// colourOf (the colour of an ACLED type) comes from app.js, loaded before this file.

const DAY_MS = 86400000;

function utcMs(day) {
  return Date.parse(day + "T00:00:00Z");
}

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function timelineSpec(data) {
  const types = [...new Set(data.rows.map((r) => r.type))].sort();
  const values = data.rows.map((r) => ({ start: utcMs(r.start), end: utcMs(r.end), type: r.type, events: r.events }));
  return {
    width: "container",
    height: 160,
    autosize: { type: "fit-x", contains: "padding" },
    data: { values: values },
    params: [{ name: "brush", select: { type: "interval", encodings: ["x"] } }],
    mark: { type: "bar", stroke: "#ffffff", strokeWidth: 0.5 },
    encoding: {
      x: {
        field: "start",
        type: "temporal",
        title: null,
        scale: { type: "utc" },
        axis: { labelOverlap: "greedy" },
      },
      x2: { field: "end" },
      y: { field: "events", type: "quantitative", aggregate: "sum", stack: "zero",
        title: data.bin === "week" ? "Events a week" : "Events a day", axis: { tickMinStep: 1 } },
      color: {
        field: "type",
        type: "nominal",
        title: null,
        scale: { domain: types, range: types.map(colourOf) },
        legend: { orient: "bottom", columns: 3, labelLimit: 220 },
      },
    },
  };
}

// The brushed range as [since, until] days, or null when nothing is brushed: the brush's pixel
// extent (the selection's "brush_x" signal) through the x scale.
function brushedDays(view) {
  const pixels = view.signal("brush_x");
  if (!pixels || pixels.length !== 2 || Math.abs(pixels[1] - pixels[0]) < 2) {
    return null;
  }
  const x = view.scale("x");
  const ends = pixels.map((px) => Number(x.invert(px)));
  const lo = Math.min(...ends);
  const hi = Math.max(...ends);
  if (!isFinite(lo) || !isFinite(hi) || hi - lo < DAY_MS / 4) {
    return null;
  }
  return [isoDay(lo), isoDay(hi - 1)];
}

function goToRange(days) {
  const params = new URLSearchParams(window.location.search);
  params.set("since", days[0]);
  params.set("until", days[1]);
  params.delete("page");
  window.location.assign(window.location.pathname + "?" + params.toString());
}

function drawTimeline(element) {
  fetch(element.dataset.src, { credentials: "same-origin" })
    .then((response) => response.json())
    .then((data) => {
      element.dataset.events = String(data.events);
      if (!data.rows || !data.rows.length) {
        element.textContent = "No dated events to draw.";
        element.dataset.drawn = "empty";
        return null;
      }
      const options = { renderer: "canvas", defaultStyle: false, tooltip: false };
      return window.threatscapeVega.embed(element, timelineSpec(data), options).then((result) => {
        const view = result.view;
        let dragging = false;
        element.addEventListener("pointerdown", () => {
          dragging = true;
        });
        window.addEventListener("pointerup", () => {
          if (!dragging) {
            return;
          }
          dragging = false;
          view.runAsync().then(() => {
            const days = brushedDays(view);
            if (days) {
              goToRange(days);
            }
          });
        });
        element.dataset.drawn = "chart";
      });
    })
    .catch((error) => {
      element.dataset.error = String(error);
      console.error("timeline: " + error);
    });
}

document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("timeline");
  if (element && window.threatscapeVega) {
    drawTimeline(element);
  }
});
