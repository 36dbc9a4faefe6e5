/** Colours used across views, so a tier or state is the same colour everywhere. */
export const TIER_COLOR: Readonly<Record<string, string>> = {
  preferred: '#2f6db5',
  preemptible: '#e39b2d',
  revocable: '#8d6cc9',
};

export const STATE_COLOR: Readonly<Record<string, string>> = {
  PENDING: '#c9c3a8',
  THROTTLED: '#b5a77a',
  ASSIGNED: '#9fc3e8',
  STARTING: '#6ea8dc',
  RUNNING: '#3f9a5b',
  KILLING: '#e39b2d',
  PREEMPTING: '#e0672d',
  RESTARTING: '#6ea8dc',
  DRAINING: '#d48ac0',
  PARTITIONED: '#a0a0a0',
  FINISHED: '#1f6b3a',
  FAILED: '#c8362b',
  KILLED: '#555555',
  LOST: '#8d2a7a',
};

export const CAPACITY_COLOR = '#222';

/** Distinct colours for runs in a comparison (policy × seed). */
export const RUN_COLORS = [
  '#2f6db5',
  '#d1495b',
  '#3f9a5b',
  '#e39b2d',
  '#8d6cc9',
  '#1b998b',
  '#6b4226',
  '#ea7af4',
  '#5c6f7b',
  '#a4b311',
];

export const MARKER_COLOR: Readonly<Record<string, string>> = {
  'hosts-down': '#8d2a7a',
  update: '#1b998b',
  restart: '#2f6db5',
  rollback: '#d1495b',
  drain: '#c2549f',
  activate: '#3f9a5b',
};

/** Legend names of marker kinds, in legend order. */
export const MARKER_LABEL: Readonly<Record<string, string>> = {
  'hosts-down': 'hosts down',
  update: 'updates',
  restart: 'restarts',
  rollback: 'rollbacks',
  drain: 'drains',
  activate: 'hosts back from maintenance',
};
