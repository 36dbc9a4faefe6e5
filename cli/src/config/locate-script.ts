import { type PathSegment, splitPath } from '@borealis/core';
import ts from 'typescript';

/**
 * Lines for problems in TypeScript and JavaScript job files. Those files are programs, so a job
 * value has no source position of its own; this reads the file's syntax tree and finds the object
 * literal a job came from by its key fields written as string literals (`role`, `environment`,
 * `name`, `cluster`), then walks the problem's field path through nested object literals, array
 * literals and builder calls whose first argument is an object literal (`service({...})`,
 * `healthCheck.http({...})`). The walk goes as deep as the source spells the path out; when a value
 * is computed (`resources(1, 1024, 512)`, a variable) it stops at the property that holds it. A job
 * that more than one literal could have made gets no line rather than a wrong one.
 */
export class ScriptLocator {
  private readonly source: ts.SourceFile;
  private readonly jobs: JobLiteral[] = [];

  constructor(file: string, text: string) {
    this.source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node) && looksLikeJob(node)) this.jobs.push(jobLiteral(node));
      ts.forEachChild(node, visit);
    };
    visit(this.source);
  }

  /** The 1-based line of `path` in the job's literal, or undefined if the job's literal is not found. */
  lineOf(job: unknown, path: string): number | undefined {
    const literal = this.find(job);
    if (!literal) return undefined;
    const node = walk(literal, splitPath(path));
    return this.source.getLineAndCharacterOfPosition(node.getStart(this.source)).line + 1;
  }

  /**
   * The one literal whose key fields written as strings all agree with the job's (at least one of
   * them). Two such literals mean the source alone cannot say which one made the job.
   */
  private find(job: unknown): ts.ObjectLiteralExpression | undefined {
    if (typeof job !== 'object' || job === null) return undefined;
    const value = job as Record<string, unknown>;
    let found: ts.ObjectLiteralExpression | undefined;
    for (const candidate of this.jobs) {
      if (candidate.keys.length === 0) continue;
      if (!candidate.keys.every(([field, text]) => value[field] === text)) continue;
      if (found) return undefined;
      found = candidate.node;
    }
    return found;
  }
}

interface JobLiteral {
  readonly node: ts.ObjectLiteralExpression;
  /** Key fields written as string literals, with their text. */
  readonly keys: readonly (readonly [string, string])[];
}

const KEY_FIELDS = ['role', 'environment', 'name', 'cluster'] as const;

/**
 * An object literal that may be a job: it has a `task`, or two of the key fields, or a key field
 * next to a spread (`{ ...base, name: 'b' }`). A process (`{ name, cmdline }`) is none of these.
 */
function looksLikeJob(node: ts.ObjectLiteralExpression): boolean {
  if (property(node, 'task')) return true;
  const keys = KEY_FIELDS.filter((f) => property(node, f) !== undefined).length;
  return keys >= 2 || (keys === 1 && node.properties.some((p) => ts.isSpreadAssignment(p)));
}

function jobLiteral(node: ts.ObjectLiteralExpression): JobLiteral {
  const keys: [string, string][] = [];
  for (const field of KEY_FIELDS) {
    const p = property(node, field);
    if (p && ts.isPropertyAssignment(p) && ts.isStringLiteralLike(p.initializer)) {
      keys.push([field, p.initializer.text]);
    }
  }
  return { node, keys };
}

/** Follows the path as far as the source spells it out; returns the deepest node reached. */
function walk(start: ts.ObjectLiteralExpression, segments: readonly PathSegment[]): ts.Node {
  let at: ts.Node = start;
  let value: ts.Expression | undefined = start;
  for (const segment of segments) {
    value = value && unwrap(value);
    if (!value) break;
    if (typeof segment === 'number') {
      if (!ts.isArrayLiteralExpression(value)) break;
      const elements: ts.NodeArray<ts.Expression> = value.elements;
      // A spread before the index shifts positions by an unknown amount.
      if (elements.slice(0, segment + 1).some((e: ts.Expression) => ts.isSpreadElement(e))) break;
      const element: ts.Expression | undefined = elements[segment];
      if (!element) break;
      at = element;
      value = element;
      continue;
    }
    if (!ts.isObjectLiteralExpression(value)) break;
    const p = property(value, segment);
    if (!p) break;
    at = p;
    value = ts.isPropertyAssignment(p) ? p.initializer : undefined;
  }
  return at;
}

/** The object or array literal an expression spells out, looking through builder calls and casts. */
function unwrap(e: ts.Expression): ts.Expression | undefined {
  let x: ts.Expression = e;
  for (;;) {
    if (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isSatisfiesExpression(x)) {
      x = x.expression;
    } else if (ts.isCallExpression(x)) {
      const first = x.arguments[0];
      if (!first || !ts.isObjectLiteralExpression(first)) return x;
      x = first;
    } else {
      return x;
    }
  }
}

/** The last property of that name (a later one wins in JavaScript), written plainly or shorthand. */
function property(node: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  let found: ts.ObjectLiteralElementLike | undefined;
  for (const p of node.properties) {
    if (
      (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) &&
      propertyName(p.name) === name
    ) {
      found = p;
    }
  }
  return found;
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

function scriptKind(file: string): ts.ScriptKind {
  return /\.m?ts$/i.test(file) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
}
