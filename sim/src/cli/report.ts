/**
 * report.html comes from the visualizer (@borealis/visualizer/node's writeReport). It is
 * loaded lazily so a run's data files are written even when the report cannot be; the caller
 * prints the message instead of failing the run.
 */
type ReportWriter = (dir: string, label?: string) => Promise<unknown> | unknown;

// Resolved at run time on purpose: the visualizer is built for the browser (DOM types, bundler
// resolution) and sim's type-check should not pull its declarations in.
const VISUALIZER: string = '@borealis/visualizer/node';

async function writer(name: 'writeReport' | 'writeComparisonReport'): Promise<ReportWriter | string> {
  try {
    const mod = (await import(VISUALIZER)) as Record<string, unknown>;
    const fn = mod[name];
    return typeof fn === 'function' ? (fn as ReportWriter) : `@borealis/visualizer has no ${name}()`;
  } catch (err) {
    return `cannot load @borealis/visualizer: ${(err as Error).message}`;
  }
}

/**
 * Writes DIR/report.html; returns undefined on success, otherwise why not. `label` names the run
 * in the report when DIR is not its final name (a staged folder).
 */
export async function writeRunReport(dir: string, label?: string): Promise<string | undefined> {
  return callWriter('writeReport', dir, label);
}

export async function writeComparisonReport(dir: string, label?: string): Promise<string | undefined> {
  return callWriter('writeComparisonReport', dir, label);
}

async function callWriter(
  name: 'writeReport' | 'writeComparisonReport',
  dir: string,
  label: string | undefined,
): Promise<string | undefined> {
  const fn = await writer(name);
  if (typeof fn === 'string') return fn;
  try {
    await (label === undefined ? fn(dir) : fn(dir, label));
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
