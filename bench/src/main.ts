/**
 * `npm run bench [-- NAME ...] [--quick] [--list]`: runs the selected suites (all by default), each
 * in its own child process so that one suite's heap, JIT state and peak RSS do not colour the next.
 * The child (`--suite NAME`) runs the suite in-process and writes bench/results/NAME.json.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RESULTS_DIR, runSuite } from './harness/run-suite.js';
import { suites } from './suites/index.js';

const USAGE = `usage: npm run bench [-- [NAME ...] [--quick] [--list]]
  NAME     run only these suites (default: all)
  --quick  reduced sizes, print the table, write nothing (checks that a suite runs)
  --list   list the suites and exit`;

interface Args {
  readonly names: string[];
  readonly quick: boolean;
  readonly list: boolean;
  readonly child: string | undefined;
}

function parseArgs(argv: readonly string[]): Args | string {
  const names: string[] = [];
  let quick = false;
  let list = false;
  let child: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--list') list = true;
    else if (arg === '--suite') child = argv[++i];
    else if (arg === '--help' || arg === '-h') return USAGE;
    else if (arg.startsWith('-')) return `unknown option ${arg}\n${USAGE}`;
    else names.push(arg);
  }
  return { names, quick, list, child };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`);
    return args === USAGE ? 0 : 2;
  }
  const byName = new Map(suites.map((s) => [s.name, s]));
  if (args.child !== undefined) {
    const suite = byName.get(args.child);
    if (!suite) throw new Error(`no suite ${args.child}`);
    await runSuite(suite, { quick: args.quick, resultsDir: args.quick ? undefined : RESULTS_DIR });
    return 0;
  }
  if (args.list) {
    for (const s of suites) process.stdout.write(`${s.name.padEnd(14)} ${s.description}\n`);
    return 0;
  }
  const unknown = args.names.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: no suite named ${unknown.join(', ')}; suites: ${[...byName.keys()].join(', ')}\n`,
    );
    return 2;
  }
  const selected = args.names.length > 0 ? args.names : suites.map((s) => s.name);
  const failed: string[] = [];
  for (const name of selected) {
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        '--expose-gc',
        fileURLToPath(import.meta.url),
        '--suite',
        name,
        ...(args.quick ? ['--quick'] : []),
      ],
      { stdio: 'inherit' },
    );
    if (child.status !== 0) failed.push(name);
  }
  if (failed.length > 0) {
    process.stderr.write(`bench: failed: ${failed.join(', ')}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
