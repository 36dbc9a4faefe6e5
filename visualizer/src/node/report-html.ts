import { PAYLOAD_ELEMENT_ID, type Payload } from '../data/payload.js';
import type { Bundle } from './bundle.js';

/**
 * One self-contained HTML file: the bundle's CSS and JS and the payload, all inline, so the report
 * opens from disk with no server and no network. Inline text must not close its element early:
 * `<` in JSON becomes \u003c (same value once parsed) and `</script` in the bundle is escaped.
 */
export function reportHtml(bundle: Bundle, payload: Payload): string {
  const title =
    payload.kind === 'run'
      ? `${payload.summary.traceName ?? payload.label} · ${payload.summary.policy} · seed ${payload.summary.seed}`
      : `comparison · ${payload.label}`;
  const data = JSON.stringify(payload).replace(/</g, '\\u003c');
  const js = bundle.js.replace(/<\/script/gi, '<\\/script');
  const css = bundle.css.replace(/<\/style/gi, '<\\/style');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="borealis visualizer">
<title>Borealis — ${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="${PAYLOAD_ELEMENT_ID}">${data}</script>
<script type="module">${js}</script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
