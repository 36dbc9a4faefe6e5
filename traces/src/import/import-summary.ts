/**
 * What an import did: rows read, records written, and every skipped row counted under its
 * reason, so nothing disappears silently. Printed by `borealis trace import`.
 */
export class ImportSummary {
  rowsRead = 0;
  recordsWritten = 0;
  private readonly skipped = new Map<string, number>();
  /** Values changed to fit the format (counted, not skipped). */
  private readonly adjusted = new Map<string, number>();

  skip(reason: string, n = 1): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + n);
  }

  adjust(what: string, n = 1): void {
    this.adjusted.set(what, (this.adjusted.get(what) ?? 0) + n);
  }

  get skippedTotal(): number {
    let n = 0;
    for (const v of this.skipped.values()) n += v;
    return n;
  }

  skippedBy(reason: string): number {
    return this.skipped.get(reason) ?? 0;
  }

  toJSON(): {
    rowsRead: number;
    recordsWritten: number;
    skipped: Record<string, number>;
    adjusted: Record<string, number>;
  } {
    const sorted = (m: Map<string, number>) =>
      Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
    return {
      rowsRead: this.rowsRead,
      recordsWritten: this.recordsWritten,
      skipped: sorted(this.skipped),
      adjusted: sorted(this.adjusted),
    };
  }

  /**
   * Why this import should not count as a success, or undefined: nothing written, or more than
   * half of the rows skipped (the input is most likely another format or another table).
   */
  failure(): string | undefined {
    const top = Object.entries(this.toJSON().skipped)
      .slice(0, 3)
      .map(([reason, n]) => `${reason}: ${n}`)
      .join('; ');
    if (this.rowsRead === 0) return 'the input has no rows; nothing to import';
    if (this.recordsWritten === 0)
      return `nothing was written: all ${this.rowsRead} rows were skipped (${top})`;
    if (this.skippedTotal * 2 > this.rowsRead)
      return `${this.skippedTotal} of ${this.rowsRead} rows were skipped (${top}); is the input the right table?`;
    return undefined;
  }

  format(): string {
    const j = this.toJSON();
    const lines = [
      `rows read: ${j.rowsRead}`,
      `records written: ${j.recordsWritten}`,
      `skipped: ${this.skippedTotal}`,
    ];
    for (const [reason, n] of Object.entries(j.skipped)) lines.push(`  ${reason}: ${n}`);
    const adjusted = Object.entries(j.adjusted);
    if (adjusted.length) {
      lines.push('adjusted:');
      for (const [what, n] of adjusted) lines.push(`  ${what}: ${n}`);
    }
    return lines.join('\n');
  }
}
