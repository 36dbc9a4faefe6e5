// Rewrites traces/samples/*.jsonl: `npm run samples -w @borealis/traces`.
import { writeSamples } from './samples.js';

for (const path of await writeSamples()) process.stdout.write(`wrote ${path}\n`);
