import type { TimeMarker } from '../transforms/markers.js';
import { Legend } from './charts/legend.js';
import { MARKER_COLOR, MARKER_LABEL } from './palette.js';

/**
 * The run's timeline markers (hosts down, updates, rollbacks, drains, activations) and which
 * kinds the reader has turned off. Every chart draws `visible`; the legend toggles a kind for
 * all of them at once and asks the owner to redraw.
 */
export class MarkerSet {
  private readonly hidden = new Set<string>();
  private shown: readonly TimeMarker[];

  constructor(readonly all: readonly TimeMarker[]) {
    this.shown = all;
  }

  get visible(): readonly TimeMarker[] {
    return this.shown;
  }

  /** Kinds present in the run, in legend order (known kinds first, then any others by name). */
  kinds(): string[] {
    const order = Object.keys(MARKER_LABEL);
    const present = [...new Set(this.all.map((m) => m.kind))];
    const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
    return present.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  }

  /** A legend of marker kinds under `parent` (nothing when the run has no markers). */
  legend(parent: HTMLElement, onChange: () => void): void {
    const kinds = this.kinds();
    if (kinds.length === 0) return;
    const box = document.createElement('div');
    box.className = 'marker-legend';
    const title = document.createElement('span');
    title.className = 'marker-legend-title';
    title.textContent = 'Marked on the timelines:';
    box.appendChild(title);
    parent.appendChild(box);
    new Legend(
      box,
      kinds.map((k) => ({ key: k, label: MARKER_LABEL[k] ?? k, color: MARKER_COLOR[k] ?? '#888' })),
      this.hidden,
      () => {
        this.shown = this.all.filter((m) => !this.hidden.has(m.kind));
        onChange();
      },
    );
  }
}
