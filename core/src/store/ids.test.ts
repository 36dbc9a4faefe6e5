import { describe, expect, it } from 'vitest';
import { TaskIds } from './ids.js';

const web = { role: 'www', environment: 'prod', name: 'web' };

describe('TaskIds', () => {
  it('keeps generation-0 ids as the simulator has always written them, and marks later generations', () => {
    const ids = new TaskIds();
    expect([ids.generate(web, 0), ids.generate(web, 3)]).toEqual(['www-prod-web-0-0', 'www-prod-web-3-1']);
    ids.restoreFrom({ next: 7, generation: 0 });
    expect(ids.generate(web, 0)).toBe('www-prod-web-0-g1-7');
    expect({ next: ids.next, generation: ids.generation }).toEqual({ next: 8, generation: 1 });
  });

  it('restores into the generation storage names, and refuses one not above the backup', () => {
    const ids = new TaskIds();
    ids.restoreFrom({ next: 3, generation: 2 }, 9);
    expect(ids.generate(web, 1)).toBe('www-prod-web-1-g9-3');
    expect(() => new TaskIds().restoreFrom({ next: 3, generation: 2 }, 2)).toThrow(/must be above/);
  });
});
