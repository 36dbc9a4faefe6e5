import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandModules } from './commands.js';
import { completionScript } from './completion-command.js';
import { buildProgram } from './program.js';

const dir = mkdtempSync(join(tmpdir(), 'borealis-completion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = join(dir, 'borealis.bash');
writeFileSync(script, completionScript(buildProgram(commandModules), 'bash'));
writeFileSync(join(dir, 'trace.jsonl'), '');

/** What bash completes for the command line `words` (the last word is the one being completed). */
function complete(...words: string[]): string[] {
  const line = ['borealis', ...words];
  const program = [
    `source ${script}`,
    `COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')})`,
    `COMP_CWORD=${line.length - 1}`,
    '_borealis',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash expansion, not a JS template
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  return execFileSync('bash', ['-c', program], { cwd: dir, encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('borealis completion bash', () => {
  it('completes subcommands at each level', () => {
    expect(complete('')).toEqual(expect.arrayContaining(['sim', 'trace', 'config', 'policies', 'viz']));
    expect(complete('sim', 'r')).toEqual(['run']);
    expect(complete('trace', 'import', 'ali')).toEqual(['alibaba-2018', 'alibaba-2017', 'alibaba-gpu-2023']);
  });

  it('completes the flags of the command typed so far, skipping flags and values before', () => {
    expect(complete('sim', 'run', '--tr')).toEqual(['--trace']);
    expect(complete('sim', '--x', 'plan', '--sl')).toEqual(['--slo']);
    expect(complete('sim', 'compare', '--j')).toEqual(['--jobs', '--json']);
  });

  it('completes file names for arguments and flag values', () => {
    expect(complete('sim', 'run', '--trace', 'tr')).toEqual(['trace.jsonl']);
    expect(complete('trace', 'validate', 'tr')).toEqual(['trace.jsonl']);
  });
});
