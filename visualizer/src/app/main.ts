import './styles.css';
import { PAYLOAD_ELEMENT_ID, type Payload } from '../data/payload.js';
import { renderComparison } from './compare-report.js';
import { renderRunReport } from './run-report.js';

/**
 * Entry point of the page. report.html carries its payload inline; `borealis viz` and the dev
 * server provide `payload.json` next to the page (with `?run=` for a run inside a comparison).
 */
async function loadPayload(): Promise<Payload> {
  const inline = document.getElementById(PAYLOAD_ELEMENT_ID);
  if (inline?.textContent) return JSON.parse(inline.textContent) as Payload;
  const res = await fetch(`payload.json${location.search}`);
  if (!res.ok) throw new Error(`payload.json: HTTP ${res.status}`);
  return (await res.json()) as Payload;
}

async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  const payload = await loadPayload();
  const live = !document.getElementById(PAYLOAD_ELEMENT_ID)?.textContent;
  const charts =
    payload.kind === 'run' ? renderRunReport(root, payload) : renderComparison(root, payload, live);
  const drawAll = () => {
    for (const c of charts) c.render();
  };
  drawAll();
  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(drawAll);
  });
  // Stamp after the next frame so the figure includes layout and paint, not just our drawing code.
  requestAnimationFrame(() =>
    setTimeout(() => {
      document.body.dataset.drawnAt = String(Math.round(performance.now()));
      document.body.dataset.ready = 'true';
    }, 0),
  );
}

boot().catch((err: unknown) => {
  const root = document.getElementById('app');
  if (root)
    root.innerHTML = `<p class="error">Could not show this report: ${String(err).replace(/</g, '&lt;')}</p>`;
  document.body.dataset.ready = 'error';
  throw err;
});
