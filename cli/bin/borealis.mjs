#!/usr/bin/env -S node --max-semi-space-size=32
// The larger young generation (32 MB semi-spaces, V8's default is 16) cuts a large simulation's
// scavenges by a third (its tasks live just long enough to be copied out of a small one): a 4 h
// slice of the 10k-host google-2011 day went from 154 scavenges (3.1 s) to 98 (2.0 s) for ~100 MB
// more RSS.
// It is a startup flag (setting it at run time has no effect), hence the shebang.
// Runs the TypeScript sources directly (no build step for users): tsx compiles on the fly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
