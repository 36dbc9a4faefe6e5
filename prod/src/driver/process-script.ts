import type { Process } from '@borealis/core';

/**
 * A task's processes and their orderings as one POSIX shell script, run by Mesos's command
 * executor (`sh -c`), so agents need nothing but Mesos. Aurora's executor (Thermos) semantics,
 * kept to what a shell can promise:
 *
 *   daemons ──(started first, in the background, stopped when the task ends)
 *   regular processes by level ──► level 0 in parallel, wait; level 1 in parallel, wait; …
 *       (a process's level is one more than the highest of the processes ordered before it, so no
 *        process starts before every process ordered before it has finished)
 *   final processes, by level ──► run after the regular ones, also after a failure or a kill
 *   exit 0 when every regular process succeeded, 1 otherwise
 *
 * A process is retried until it succeeds or has failed `maxFailures` times (0 = retried forever).
 * SIGTERM (a kill with its grace period) stops the running processes, then runs the finals.
 * A task of one plain process is just its command line: nothing wraps it.
 */
export function processScript(
  processes: readonly Process[],
  orderings: readonly (readonly string[])[],
  render: (cmdline: string) => string,
): string {
  const only = processes[0];
  if (processes.length === 1 && only && !only.final && !only.daemon && only.maxFailures === 1) {
    return render(only.cmdline);
  }
  const daemons = processes.filter((p) => p.daemon && !p.final);
  const regular = processes.filter((p) => !p.daemon && !p.final);
  const finals = processes.filter((p) => p.final);
  const lines: string[] = [
    'set -u',
    'status=0',
    'pids=""',
    'daemon_pids=""',
    // A process runs in its own background subshell; the retry loop counts its failures, and a
    // SIGTERM to the subshell is passed on to the process it is running.
    'run_process() {',
    '  name=$1; max=$2; cmd=$3; failures=0; child=""',
    `  trap 'if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child"; fi; exit 143' TERM`,
    '  while :; do',
    '    sh -c "$cmd" &',
    '    child=$!',
    '    wait "$child" && return 0',
    '    failures=$((failures + 1))',
    '    echo "borealis: process $name failed ($failures of $max)" >&2',
    '    if [ "$max" -gt 0 ] && [ "$failures" -ge "$max" ]; then return 1; fi',
    '  done',
    '}',
    'stop_all() { for p in $pids $daemon_pids; do kill -TERM "$p" 2>/dev/null; done; }',
    `run_finals() {\n${finalBody(finals, orderings, render)}\n}`,
    "trap 'stop_all; run_finals; exit 143' TERM",
  ];
  for (const daemon of daemons) {
    lines.push(`run_process ${quote(daemon.name)} ${daemon.maxFailures} ${quote(render(daemon.cmdline))} &`);
    lines.push('daemon_pids="$daemon_pids $!"');
  }
  for (const level of levels(regular, orderings)) {
    lines.push('if [ "$status" -eq 0 ]; then');
    lines.push('  pids=""');
    for (const p of level) {
      lines.push(`  run_process ${quote(p.name)} ${p.maxFailures} ${quote(render(p.cmdline))} &`);
      lines.push('  pids="$pids $!"');
    }
    lines.push('  for p in $pids; do wait "$p" || status=1; done');
    lines.push('  pids=""');
    lines.push('fi');
  }
  lines.push('for p in $daemon_pids; do kill -TERM "$p" 2>/dev/null; done');
  lines.push('run_finals');
  lines.push('exit "$status"');
  return lines.join('\n');
}

function finalBody(
  finals: readonly Process[],
  orderings: readonly (readonly string[])[],
  render: (cmdline: string) => string,
): string {
  if (finals.length === 0) return '  :';
  const out: string[] = [];
  for (const level of levels(finals, orderings)) {
    const started: string[] = [];
    for (const p of level) {
      out.push(`  run_process ${quote(p.name)} ${p.maxFailures} ${quote(render(p.cmdline))} &`);
      out.push(`  f${started.length}=$!`);
      started.push(`"$f${started.length}"`);
    }
    out.push(`  for p in ${started.join(' ')}; do wait "$p" || status=1; done`);
  }
  return out.join('\n');
}

/**
 * Groups processes into levels: a process's level is one more than the highest level of the
 * processes any ordering puts before it (orderings among other processes are ignored). Within a
 * level, processes keep their declared order. Validation has rejected cycles.
 */
export function levels(
  processes: readonly Process[],
  orderings: readonly (readonly string[])[],
): Process[][] {
  const names = new Set(processes.map((p) => p.name));
  const before = new Map<string, Set<string>>();
  for (const ordering of orderings) {
    const chain = ordering.filter((n) => names.has(n));
    for (let i = 1; i < chain.length; i++) {
      const set = before.get(chain[i]!) ?? new Set<string>();
      set.add(chain[i - 1]!);
      before.set(chain[i]!, set);
    }
  }
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const levelOf = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) throw new Error(`process orderings form a cycle through "${name}"`);
    visiting.add(name);
    let l = 0;
    for (const prev of before.get(name) ?? []) l = Math.max(l, levelOf(prev) + 1);
    visiting.delete(name);
    level.set(name, l);
    return l;
  };
  const out: Process[][] = [];
  for (const p of processes) {
    const l = levelOf(p.name);
    while (out.length <= l) out.push([]);
    out[l]!.push(p);
  }
  return out.filter((l) => l.length > 0);
}

/** Single-quotes a string for sh. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
