// Bundled by scripts/build-web-assets.sh (esbuild) into assets/web/vega/vega-bundle.js: Vega-Embed
// with the expression interpreter, so charts run under script-src 'self' (no eval, no Function).
import embed from "vega-embed";
import { expressionInterpreter } from "vega-interpreter";

window.threatscapeVega = {
  embed: (element, spec, options = {}) =>
    embed(element, spec, { actions: false, ast: true, expr: expressionInterpreter, ...options }),
};
