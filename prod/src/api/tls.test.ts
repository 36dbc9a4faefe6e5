import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiServer } from './server.js';
import { MemoryCore } from './testing/memory-core.js';

describe('HTTPS', () => {
  it('serves the API over TLS when given a certificate and key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'borealis-tls-'));
    try {
      const cert = join(dir, 'cert.pem');
      const key = join(dir, 'key.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          key,
          '-out',
          cert,
        ],
        { stdio: 'ignore' },
      );
      const api = createApiServer({
        core: new MemoryCore(),
        tls: { cert: readFileSync(cert), key: readFileSync(key) },
      });
      const url = await api.listen(0);
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const body = await new Promise<string>((resolve, reject) => {
        get(`${url}/health`, { ca: readFileSync(cert) }, (res) => {
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(JSON.parse(body)).toEqual({ ok: true });
      await api.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
