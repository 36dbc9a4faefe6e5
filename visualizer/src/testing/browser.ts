import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's chromium, headless, as the tests and the benchmark drive it. No sandbox (containers),
 * no GPU, and none of the background traffic that would count as a network request.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}
