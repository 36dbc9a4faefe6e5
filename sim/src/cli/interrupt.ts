/**
 * Ctrl-C (SIGINT) and SIGTERM during a long command: undo what is half done (a staged run
 * folder), restore the terminal (the progress bar hides the cursor), print one line and exit
 * with the shell's code for the signal (130 / 143). Returns a function that removes the handlers.
 */
const EXIT_CODE = { SIGINT: 130, SIGTERM: 143 } as const;

export function onInterrupt(cleanup: () => void): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    try {
      cleanup();
    } finally {
      if (process.stderr.isTTY) process.stderr.write('\x1b[?25h');
      process.stderr.write(`\nborealis: interrupted${signal === 'SIGTERM' ? ' (SIGTERM)' : ''}\n`);
      process.exit(EXIT_CODE[signal as keyof typeof EXIT_CODE] ?? 1);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
