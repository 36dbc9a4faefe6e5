/**
 * "insufficient ramMb on 812 hosts, limit:1 on host on 95 hosts": the reasons a group was rejected,
 * most hosts first (then by name, so the text is stable).
 */
export function formatReasons(reasons: Readonly<Record<string, number>>): string {
  const entries = Object.entries(reasons).filter(([, n]) => n > 0);
  if (entries.length === 0) return 'no usable hosts';
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return entries.map(([reason, n]) => `${reason} on ${n} host${n === 1 ? '' : 's'}`).join(', ');
}
