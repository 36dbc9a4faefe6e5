import { isCi, missingPart, SYSTEM_PACKAGES, type SystemPackage } from './system-packages.js';

/**
 * Runs once before any test file: checks every system package the suites may need. Under CI a
 * missing one stops the run at once, naming the package and its install command; elsewhere the
 * suites that need it skip themselves, each with one line (see `systemPackage`).
 */
export default function checkSystemPackages(): void {
  const missing = (Object.keys(SYSTEM_PACKAGES) as SystemPackage[]).filter((name) => missingPart(name));
  if (missing.length === 0) return;
  const lines = missing.map(
    (name) => `  ${name} (${missingPart(name)} not found): ${SYSTEM_PACKAGES[name].install}`,
  );
  if (isCi()) {
    // A setup problem, not a bug: say what to install and stop, without a stack trace.
    process.stderr.write(
      `borealis tests: CI=true but Debian packages the suites need are missing:\n${lines.join('\n')}\n`,
    );
    process.exit(1);
  }
  process.stderr.write(
    `Suites that need these Debian packages will be skipped (CI=true makes this an error):\n${lines.join('\n')}\n`,
  );
}
