import { readFile } from 'node:fs/promises';
import { register } from 'node:module';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type JobConfig, normalizeJob, type Problem } from '@borealis/core';
import { isMap, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { findJsonSyntaxError, lineColumn } from './json-syntax.js';
import { lineOfPath } from './locate.js';
import type { ScriptLocator } from './locate-script.js';

/**
 * Loads job configuration files. TypeScript and JavaScript files are imported (the CLI runs under
 * tsx); JSON and YAML are parsed here. Every format then goes through normalizeJob, and problems
 * come back naming the file, the line where the format has lines, the job and the field path.
 */

export interface LoadOptions {
  readonly bindings?: Readonly<Record<string, string>>;
  readonly maxInstances?: number;
}

export interface LoadedJob {
  readonly config: JobConfig;
  /** `role/environment/name`, with `cluster/` in front when the job names one. */
  readonly label: string;
  readonly line?: number;
}

export interface FileProblem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** The job's key, or its position (`jobs[2]`) when the key itself is unusable. */
  readonly job?: string;
  readonly path: string;
  readonly message: string;
}

export interface LoadedFile {
  readonly file: string;
  readonly jobs: readonly LoadedJob[];
  readonly problems: readonly FileProblem[];
}

/** One job as found in a file, before validation. */
interface RawJob {
  readonly value: unknown;
  /** Position label for jobs without a usable key. */
  readonly position: string;
  readonly node?: Node;
  readonly lines?: LineCounter;
  /** For TypeScript and JavaScript files: finds the job's literal in the source. */
  readonly script?: ScriptLocator;
}

const SCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);
const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);

export async function loadJobFile(file: string, options: LoadOptions = {}): Promise<LoadedFile> {
  const ext = extname(file).toLowerCase();
  const problems: FileProblem[] = [];
  let raws: RawJob[];
  if (SCRIPT_EXTENSIONS.has(ext)) {
    raws = await readScript(file, problems);
  } else if (ext === '.json' || YAML_EXTENSIONS.has(ext)) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      return { file, jobs: [], problems: [{ file, path: '', message: readError(err) }] };
    }
    raws = ext === '.json' ? readJson(file, text, problems) : readYaml(file, text, problems);
  } else {
    return {
      file,
      jobs: [],
      problems: [
        {
          file,
          path: '',
          message: `unknown file type "${ext}" (use .ts, .mts, .js, .mjs, .json, .yaml or .yml)`,
        },
      ],
    };
  }
  if (problems.length === 0 && raws.length === 0) {
    problems.push({ file, path: '', message: 'contains no jobs' });
  }

  const jobs: LoadedJob[] = [];
  const firstSeen = new Map<string, RawJob>();
  for (const raw of raws) {
    const label = jobLabel(raw.value);
    const job = label ?? raw.position;
    const lineOf = (path: string): number | undefined =>
      raw.node && raw.lines ? lineOfPath(raw.node, path, raw.lines) : raw.script?.lineOf(raw.value, path);
    const at = (p: Problem): FileProblem => ({
      file,
      line: lineOf(p.path),
      job,
      path: p.path,
      message: p.message,
    });

    if (label !== undefined) {
      const earlier = firstSeen.get(label);
      if (earlier) {
        const earlierLine =
          earlier.node && earlier.lines
            ? lineOfPath(earlier.node, '', earlier.lines)
            : earlier.script?.lineOf(earlier.value, '');
        problems.push(
          at({
            path: '',
            message: `duplicate job key; already defined ${earlierLine !== undefined ? `at line ${earlierLine}` : `as ${earlier.position}`}`,
          }),
        );
        continue;
      }
      firstSeen.set(label, raw);
    }
    const r = normalizeJob(raw.value, options);
    if (r.ok) jobs.push({ config: r.value, label: job, line: lineOf('') });
    else problems.push(...r.problems.map(at));
  }
  return { file, jobs, problems };
}

/** `file:line:column: job: path: message`, leaving out the parts that are unknown. */
export function formatFileProblem(p: FileProblem): string {
  let where = p.file;
  if (p.line !== undefined) where += `:${p.line}`;
  if (p.line !== undefined && p.column !== undefined) where += `:${p.column}`;
  const parts = [where];
  if (p.job) parts.push(p.job);
  if (p.path) parts.push(p.path);
  return `${parts.join(': ')}: ${p.message}`;
}

function jobLabel(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { cluster, role, environment, name } = value as Record<string, unknown>;
  if (typeof role !== 'string' || typeof environment !== 'string' || typeof name !== 'string')
    return undefined;
  const key = `${role}/${environment}/${name}`;
  return typeof cluster === 'string' ? `${cluster}/${key}` : key;
}

/** A file's top-level value: one job, a list of jobs, or `{ jobs: [...] }`. */
function jobsOf(
  value: unknown,
  node: Node | undefined,
  where: string,
  file: string,
  problems: FileProblem[],
): RawJob[] | undefined {
  if (Array.isArray(value)) {
    return value.map((v, i) => ({
      value: v,
      position: `${where ? `${where} ` : ''}jobs[${i}]`,
      node: isSeq(node) ? (node.items[i] as Node) : undefined,
    }));
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if ('jobs' in record && !('role' in record)) {
      const extra = Object.keys(record).filter((k) => k !== 'jobs');
      if (extra.length > 0) {
        problems.push({
          file,
          path: extra[0]!,
          message: `unknown top-level field "${extra[0]}" next to "jobs"`,
        });
      }
      if (!Array.isArray(record.jobs)) {
        problems.push({ file, path: 'jobs', message: 'must be a list of jobs' });
        return undefined;
      }
      const seq = isMap(node) ? node.get('jobs', true) : undefined;
      return record.jobs.map((v, i) => ({
        value: v,
        position: `${where ? `${where} ` : ''}jobs[${i}]`,
        node: isSeq(seq) ? (seq.items[i] as Node) : undefined,
      }));
    }
    return [{ value, position: where || 'job', node }];
  }
  problems.push({
    file,
    path: '',
    message: `expected a job, a list of jobs or { jobs: [...] }, got ${value === null ? 'nothing' : typeof value}`,
  });
  return undefined;
}

function readJson(file: string, text: string, problems: FileProblem[]): RawJob[] {
  const syntax = findJsonSyntaxError(text);
  if (syntax) {
    const { line, column } = lineColumn(text, syntax.offset);
    problems.push({ file, line, column, path: '', message: `JSON syntax error: ${syntax.message}` });
    return [];
  }
  const value: unknown = JSON.parse(text);
  // JSON is YAML, so the YAML parser gives node positions for mapping field paths to lines; it
  // also catches duplicate keys, which JSON.parse silently resolves to the last one.
  const lines = new LineCounter();
  const [doc] = parseAllDocuments(text, { lineCounter: lines });
  const node = doc && !('empty' in doc) ? (doc.contents ?? undefined) : undefined;
  for (const error of doc && !('empty' in doc) ? doc.errors : []) {
    if (error.code === 'DUPLICATE_KEY') {
      const pos = error.linePos?.[0];
      problems.push({
        file,
        line: pos?.line,
        column: pos?.col,
        path: '',
        message: 'duplicate key in an object',
      });
    }
  }
  return (jobsOf(value, node, '', file, problems) ?? []).map((r) => ({ ...r, lines }));
}

function readYaml(file: string, text: string, problems: FileProblem[]): RawJob[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines });
  if ('empty' in docs) return [];
  const raws: RawJob[] = [];
  const many = docs.length > 1;
  docs.forEach((doc, d) => {
    // Only the first error of a document: the rest are usually the parser tripping over the same
    // mistake again further along the line.
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0];
      let message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      if (/alias/i.test(message)) {
        message += ' (a value starting with * is a YAML alias: quote it, e.g. "*/15 * * * *")';
      }
      problems.push({
        file,
        line: pos?.line,
        column: pos?.col,
        path: '',
        message: `YAML syntax error: ${message}`,
      });
      return;
    }
    if (doc.contents === null) return; // an empty document, e.g. after a trailing ---
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (err) {
      // e.g. an alias with no anchor, which the parser itself lets through
      problems.push({ file, path: '', message: `YAML error: ${readError(err)}` });
      return;
    }
    const where = many ? `document ${d + 1}` : '';
    const found = jobsOf(value, doc.contents, where, file, problems);
    if (found) raws.push(...found.map((r) => ({ ...r, lines })));
  });
  return raws;
}

let hooksRegistered = false;

async function readScript(file: string, problems: FileProblem[]): Promise<RawJob[]> {
  if (!hooksRegistered) {
    register('./job-file-hooks.mjs', import.meta.url);
    hooksRegistered = true;
  }
  let module: Record<string, unknown>;
  const url = pathToFileURL(resolve(file)).href;
  try {
    module = (await import(`${url}?borealis-job`)) as Record<string, unknown>;
  } catch (err) {
    const thrown = thrownBy(err, resolve(file));
    problems.push({
      file,
      ...(thrown.line !== undefined ? { line: thrown.line } : {}),
      path: '',
      message: `cannot load: ${thrown.message}`,
    });
    return [];
  }
  const exported = module.default !== undefined ? module.default : module.jobs;
  if (exported === undefined) {
    problems.push({
      file,
      path: '',
      message:
        'exports no jobs (use `export default service({...})`, a default array, or `export const jobs = [...]`)',
    });
    return [];
  }
  const found = jobsOf(exported, undefined, '', file, problems) ?? [];
  const script = await locator(file);
  return script ? found.map((r) => ({ ...r, script })) : found;
}

/**
 * Source positions for a script's jobs; none if the source cannot be read again. The TypeScript
 * parser is loaded here, on first use, so commands that read no scripts don't pay for it.
 */
async function locator(file: string): Promise<ScriptLocator | undefined> {
  try {
    const { ScriptLocator } = await import('./locate-script.js');
    return new ScriptLocator(file, await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * What a job file threw while loading, as the user wrote it: the error's name and message, and
 * the line of the file that threw when the stack shows it. Missing files and modules keep the
 * short form.
 */
function thrownBy(err: unknown, path: string): { message: string; line?: number } {
  if (!(err instanceof Error)) {
    return { message: `the file threw ${typeof err === 'string' ? JSON.stringify(err) : String(err)}` };
  }
  const code = (err as { code?: unknown }).code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ENOENT') return { message: readError(err) };
  const frame = (err.stack ?? '').split('\n').find((l) => l.includes(`${path}:`));
  const line = frame?.match(new RegExp(`${escapeRegExp(path)}:(\\d+):\\d+`))?.[1];
  const message = `${err.name}: ${err.message.split('\n')[0]!}`;
  return line !== undefined ? { message, line: Number(line) } : { message };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function readError(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT')
    return 'no such file';
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!;
}
