import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/borealis.mjs', import.meta.url));
const example = fileURLToPath(new URL('../../../examples/web-service.ts', import.meta.url));
// Outside the repository: no package.json with "type": "module", no node_modules/@borealis.
const dir = mkdtempSync(join(tmpdir(), 'borealis-jobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function borealis(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('TypeScript job files outside the repository', () => {
  it('load with their @borealis/core imports', async () => {
    copyFileSync(example, join(dir, 'web.ts'));
    const r = await borealis('config', 'validate', 'web.ts', '--bind', 'release=1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok\s+\S+\/www\/prod\/web\s+service\s+4 instances/m);
  });

  it("show the user's own exception and the line that threw it", async () => {
    writeFileSync(
      join(dir, 'thrower.ts'),
      [
        "import { service } from '@borealis/core';",
        'const release: string | undefined = process.env.NO_SUCH_RELEASE;',
        "if (!release) throw new RangeError('NO_SUCH_RELEASE is not set');",
        'export default service;',
      ].join('\n'),
    );
    const r = await borealis('config', 'validate', 'thrower.ts');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('thrower.ts:3: cannot load: RangeError: NO_SUCH_RELEASE is not set');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
