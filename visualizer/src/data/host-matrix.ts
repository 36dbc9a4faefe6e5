/**
 * The host × time load matrices of hosts.json: base64 of a Uint8Array, row-major by host, each
 * cell round(255 × allocated / capacity). Decoding works in node and in the browser (atob).
 */
export interface HostMatrix {
  readonly hosts: number;
  readonly samples: number;
  /** cells[h * samples + s] */
  readonly cells: Uint8Array;
}

export function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  let s = '';
  // Chunked so String.fromCharCode never sees millions of arguments.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

export function decodeHostMatrix(b64: string, hosts: number, samples: number): HostMatrix {
  const cells = decodeBase64(b64);
  if (cells.length !== hosts * samples) {
    throw new Error(`host matrix has ${cells.length} cells, expected ${hosts} × ${samples}`);
  }
  return { hosts, samples, cells };
}

/**
 * Shrinks the time axis to at most `maxSamples` columns, each the max of its bucket, so a short
 * spike on one host survives (a mean would hide exactly the hot spots the heat map is for).
 * Returns the kept bucket start indices, which index the original sample times.
 */
export function reduceHostMatrix(
  m: HostMatrix,
  maxSamples: number,
): { matrix: HostMatrix; starts: number[] } {
  if (m.samples <= maxSamples) return { matrix: m, starts: Array.from({ length: m.samples }, (_, i) => i) };
  const k = Math.max(1, maxSamples);
  const starts: number[] = [];
  for (let b = 0; b < k; b++) starts.push(Math.floor((b * m.samples) / k));
  const out = new Uint8Array(m.hosts * k);
  for (let h = 0; h < m.hosts; h++) {
    const row = h * m.samples;
    for (let b = 0; b < k; b++) {
      const end = b + 1 < k ? starts[b + 1]! : m.samples;
      let max = 0;
      for (let s = starts[b]!; s < end; s++) {
        const v = m.cells[row + s]!;
        if (v > max) max = v;
      }
      out[h * k + b] = max;
    }
  }
  return { matrix: { hosts: m.hosts, samples: k, cells: out }, starts };
}
