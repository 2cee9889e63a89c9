// threatscape web UI: the actor page's activity chart (Vega-Lite through the vendored
// threatscapeVega bundle, which evaluates expressions without eval). The spec is the JSON in the
// chart element's data-spec attribute; the table beside it holds the same figures. No default
// style and no tooltip: both would add an inline <style>, which the CSP blocks.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("activity-chart");
  if (!element || !window.threatscapeVega) {
    return;
  }
  const spec = JSON.parse(element.dataset.spec || "{}");
  window.threatscapeVega
    .embed(element, spec, { renderer: "canvas", defaultStyle: false, tooltip: false })
    .then(() => {
      element.dataset.drawn = String((spec.data && spec.data.values || []).length);
    })
    .catch((error) => {
      element.dataset.error = String(error);
    });
});
