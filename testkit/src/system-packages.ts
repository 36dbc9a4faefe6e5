import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Debian packages that some suites need, how to tell each is installed, and what installs it. A suite
 * that needs one asks `systemPackage(name, suite)`: on a developer's machine without the package the
 * suite is skipped with one line saying so; under CI (CI=true) a missing package fails the run, so
 * `.ci/run` always runs every suite.
 */
export const SYSTEM_PACKAGES = {
  chromium: {
    files: ['/usr/bin/chromium'],
    commands: [] as string[],
    install: 'apt-get install chromium',
  },
  strace: {
    files: ['/usr/bin/strace'],
    commands: [] as string[],
    install: 'apt-get install strace',
  },
  zookeeper: {
    files: ['/usr/share/java/zookeeper.jar', '/etc/zookeeper/conf'],
    commands: ['java'],
    install: 'apt-get install zookeeper',
  },
} as const;

export type SystemPackage = keyof typeof SYSTEM_PACKAGES;

const found = new Map<SystemPackage, string | undefined>();

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** What is missing of a package ('' when it is installed), checked once per process. */
export function missingPart(name: SystemPackage): string | undefined {
  if (found.has(name)) return found.get(name);
  const spec = SYSTEM_PACKAGES[name];
  const missing =
    spec.files.find((file) => !readable(file)) ?? spec.commands.find((command) => !onPath(command));
  found.set(name, missing);
  return missing;
}

export function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** The one line that names a missing package and the command that installs it. */
export function missingMessage(name: SystemPackage, suite: string): string {
  const what = missingPart(name);
  return `${suite} needs Debian's ${name} (${what} not found); install it with: ${SYSTEM_PACKAGES[name].install}`;
}

/**
 * True when `name` is installed. When it is not: under CI this throws (the suite fails, naming the
 * package); elsewhere it prints one "skipped" line and returns false, for `describe.skipIf(!…)`.
 */
export function systemPackage(name: SystemPackage, suite: string): boolean {
  if (missingPart(name) === undefined) return true;
  const message = missingMessage(name, suite);
  if (isCi()) throw new Error(`CI=true and a required package is missing: ${message}`);
  process.stderr.write(`skipped: ${message}\n`);
  return false;
}
