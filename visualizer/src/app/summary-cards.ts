import type { RunSummary } from '../data/run-files.js';
import { escapeHtml, fmtDuration, fmtNumber, fmtPercent, RESOURCE_LABEL } from './format.js';

/**
 * The headline numbers of a run as cards: what a capacity planner checks first (delay tail,
 * utilization, preemptions, leftovers), then task counts, then any further summary sections
 * (rolling updates, cron, maintenance) shown generically so new simulator output appears
 * without a visualizer change.
 */
const KNOWN = new Set([
  'format',
  'version',
  'trace',
  'traceName',
  'policy',
  'seed',
  'options',
  'hosts',
  'simulatedMs',
  'wallMs',
  'events',
  'tasks',
  'jobs',
  'schedulingDelayMs',
  'placedDelayMs',
  'utilization',
  'hostsUsed',
  'preemptions',
  'violations',
  'pendingReasons',
  'machine',
]);

export function renderSummary(el: HTMLElement, s: RunSummary): void {
  el.classList.add('summary');
  el.dataset.chart = 'summary';
  const d = s.schedulingDelayMs;
  const cards: string[] = [];
  cards.push(
    card(
      'Scheduling delay p99',
      fmtDuration(d.p99 ?? Number.NaN),
      `p50 ${fmtDuration(d.p50 ?? Number.NaN)} · p90 ${fmtDuration(d.p90 ?? Number.NaN)} · max ${fmtDuration(d.max ?? Number.NaN)}` +
        ((d.censored ?? 0) > 0
          ? ` · includes ${fmtNumber(d.censored ?? 0)} never placed, counted as waiting until the end` +
            ` (placed only: p99 ${fmtDuration(s.placedDelayMs?.p99 ?? Number.NaN)})`
          : ''),
      undefined,
      (d.censored ?? 0) > 0 ? 'warn' : '',
    ),
  );
  for (const r of ['cpu', 'ramMb', 'diskMb', 'gpus'] as const) {
    const u = s.utilization[r];
    if (!u || (r === 'gpus' && u.peak === 0)) continue;
    cards.push(
      card(
        `${RESOURCE_LABEL[r]} allocated`,
        fmtPercent(u.mean),
        `mean · peak ${fmtPercent(u.peak)}`,
        meter(u.mean, u.peak),
      ),
    );
  }
  cards.push(
    card('Preemptions', fmtNumber(s.preemptions), `${fmtNumber(s.tasks.preempted ?? 0)} tasks preempted`),
  );
  cards.push(
    card(
      'Pending at end',
      fmtNumber(s.tasks.pendingAtEnd ?? 0),
      reasons(s.pendingReasons),
      undefined,
      (s.tasks.pendingAtEnd ?? 0) > 0 ? 'warn' : '',
    ),
  );
  const failures = Array.isArray(s.injectedFailures)
    ? (s.injectedFailures as { spec: string; hosts: number }[])
    : [];
  if (failures.length > 0) {
    cards.push(
      card(
        'Hosts failed (--fail)',
        fmtNumber(failures.reduce((n, f) => n + f.hosts, 0)),
        failures.map((f) => `${escapeHtml(f.spec)}: ${fmtNumber(f.hosts)} hosts`).join(' · '),
        undefined,
        'warn',
      ),
    );
  }
  cards.push(
    card('Hosts used', `${fmtNumber(s.hostsUsed ?? 0)} / ${fmtNumber(s.hosts)}`, 'ran at least one task'),
  );
  cards.push(
    card(
      'Audit violations',
      fmtNumber(s.violations),
      s.violations === 0 ? 'capacity and constraints held' : 'capacity or constraint breached',
      undefined,
      s.violations === 0 ? 'ok' : 'bad',
    ),
  );
  const t = s.tasks;
  const counts = [
    'submitted',
    'launched',
    'finished',
    'failed',
    'killed',
    'lost',
    'preempted',
    'runningAtEnd',
  ]
    .filter((k) => t[k] !== undefined)
    .map(
      (k) =>
        `<div><b>${fmtNumber(t[k]!)}</b><span>${k === 'runningAtEnd' ? 'running at end' : k}</span></div>`,
    )
    .join('');
  const extras = Object.entries(s)
    .filter(
      ([k, v]) =>
        !KNOWN.has(k) &&
        v !== null &&
        typeof v === 'object' &&
        !Array.isArray(v) &&
        // A lifecycle section of zeros (a run without updates, cron or drains) says nothing.
        Object.values(v).some((x) => x !== 0),
    )
    .map(
      ([k, v]) => `<div class="extra"><h4>${escapeHtml(k)}</h4>${flat(v as Record<string, unknown>)}</div>`,
    )
    .join('');
  el.dataset.drawn = 'true';
  el.innerHTML = `<div class="cards">${cards.join('')}</div><div class="counts"><span class="counts-title">tasks</span>${counts}</div>${extras ? `<div class="extras">${extras}</div>` : ''}`;
}

function card(title: string, value: string, sub: string, extra = '', cls = ''): string {
  return `<div class="card ${cls}"><div class="card-title">${escapeHtml(title)}</div><div class="card-value">${escapeHtml(value)}</div>${extra}<div class="card-sub">${sub}</div></div>`;
}

function meter(mean: number, peak: number): string {
  const pct = (f: number) => `${Math.max(0, Math.min(100, f * 100)).toFixed(1)}%`;
  return `<div class="meter"><i style="width:${pct(mean)}"></i><b style="left:${pct(peak)}" title="peak"></b></div>`;
}

function reasons(r: Readonly<Record<string, number>> | undefined): string {
  const top = Object.entries(r ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2);
  return top.length
    ? top.map(([k, n]) => `${escapeHtml(k)}: ${fmtNumber(n)}`).join(' · ')
    : 'no task left waiting';
}

function flat(o: Record<string, unknown>): string {
  return `<dl>${Object.entries(o)
    .map(([k, v]) => {
      const ms = /Ms$/.test(k) && typeof v === 'number';
      const value = ms ? fmtDuration(v) : typeof v === 'number' ? fmtNumber(v) : JSON.stringify(v);
      return `<dt>${escapeHtml(words(ms ? k.slice(0, -2) : k))}</dt><dd>${escapeHtml(value)}</dd>`;
    })
    .join('')}</dl>`;
}

/** `rolledForward` → `rolled forward`, `slaDelayedKills` → `SLA delayed kills`; other keys as they are. */
function words(key: string): string {
  if (!/^[a-z][a-zA-Z]*$/.test(key)) return key;
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/^sla\b/, 'SLA');
}
