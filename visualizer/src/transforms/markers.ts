/**
 * Time markers drawn behind every time chart: intervals (or instants, start === end) when
 * something happened to the cluster. Hosts down come from the time series; rolling updates,
 * rollbacks, restarts, drains and activations from the run's markers.jsonl, in the same shape.
 */
export interface TimeMarker {
  /** 'hosts-down' | 'update' | 'drain' | …: picks the colour and the legend entry. */
  readonly kind: string;
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/** The `n` longest markers (instants last), back in time order: what a crowded run still shows. */
export function longestMarkers(markers: readonly TimeMarker[], n: number): TimeMarker[] {
  return [...markers]
    .sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start)
    .slice(0, n)
    .sort((a, b) => a.start - b.start);
}

/**
 * Intervals where fewer hosts were up than at the run's best: outages, removals, maintenance.
 * `t` and `hostsUp` are parallel columns of timeseries.csv.
 */
export function hostsDownMarkers(t: ArrayLike<number>, hostsUp: ArrayLike<number>): TimeMarker[] {
  let best = 0;
  for (let i = 0; i < hostsUp.length; i++) if (hostsUp[i]! > best) best = hostsUp[i]!;
  const out: TimeMarker[] = [];
  let i = 0;
  while (i < hostsUp.length) {
    if (!(hostsUp[i]! < best)) {
      i++;
      continue;
    }
    const start = i;
    let worst = hostsUp[i]!;
    while (i < hostsUp.length && hostsUp[i]! < best) {
      if (hostsUp[i]! < worst) worst = hostsUp[i]!;
      i++;
    }
    const end = i < t.length ? t[i]! : t[t.length - 1]!;
    out.push({
      kind: 'hosts-down',
      start: t[start]!,
      end,
      label: `${(best - worst).toLocaleString('en')} of ${best.toLocaleString('en')} hosts down`,
    });
  }
  return out;
}
