/**
 * Examples at the end of each command's `--help`, kept in one table (by command path) so the
 * packages that define the commands stay as they are. A test checks every leaf command has some.
 */
import type { Command } from 'commander';

const S = 'traces/samples/sample.jsonl';
const SHARED = '../shared/traces';

export const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  'config validate': [
    'borealis config validate examples/web-service.ts examples/workers.yaml examples/batch-etl.json',
    'borealis config validate ~/jobs/big.ts --max-instances 8000',
  ],
  'config inspect': [
    'borealis config inspect examples/search-stack.ts',
    'borealis config inspect examples/workers.yaml',
  ],
  'trace validate': [
    `borealis trace validate ${S}`,
    'borealis trace validate big.jsonl.gz --limit 10 --max-instances 8000',
  ],
  'trace stats': [`borealis trace stats ${S}`, `borealis trace stats ${S} --json --bucket-minutes 15`],
  'trace generate': [
    'borealis trace generate --preset google-2011 --hosts 200 --days 1 -o day.jsonl.gz',
    'borealis trace generate --preset web-services --hosts 50 --days 0.5 --load 2 --seed 7 -o busy.jsonl',
  ],
  'trace import google-2011': [
    'borealis trace import google-2011 --task-events task_events/ --machine-events machine_events/ -o g.jsonl.gz',
  ],
  'trace import alibaba-2017': [
    'borealis trace import alibaba-2017 --batch-tasks batch_task.csv --server-events server_event.csv -o a17.jsonl.gz',
    'borealis trace import alibaba-2017 --batch-tasks batch_task.csv --hosts 1300 -o a17.jsonl.gz',
  ],
  'trace import alibaba-2018': [
    'borealis trace import alibaba-2018 --machines machine_meta.csv --batch-tasks batch_task.csv -o a18.jsonl.gz',
  ],
  'trace import alibaba-gpu-2023': [
    `borealis trace import alibaba-gpu-2023 --nodes ${SHARED}/alibaba-gpu-2023/openb_node_list_all_node.csv \\`,
    `    --pods ${SHARED}/alibaba-gpu-2023/openb_pod_list_gpuspec33.csv -o openb.jsonl.gz`,
  ],
  'trace import swf': [
    `borealis trace import swf ${SHARED}/swf/NASA-iPSC-1993-3.1-cln.swf.gz -o nasa.jsonl.gz`,
  ],
  'sim run': [
    `borealis sim run --trace ${S} --out runs/sample`,
    `borealis sim run --trace ${S} --policy best-fit --seed 2 --audit`,
    'borealis sim run --trace big.jsonl.gz --hosts 1000 --host-shape cpu=32,ramMb=131072 --until 1d --json',
    `borealis sim run --trace ${S} --load-scale 2 --fail rack=r03@2h+1h --out runs/what-if`,
    `borealis sim run --trace ${S} --load-scale 1.5 --load-scale-standing --until 12h`,
  ],
  'sim compare': [
    `borealis sim compare --trace ${S} --policies first-fit,best-fit,hybrid --seeds 1,2,3`,
    `borealis sim compare --trace ${S} --policies best-fit,worst-fit --json > comparison.json`,
    `borealis sim compare --trace ${S} --policies hybrid,best-fit,worst-fit --objective delay.p99`,
  ],
  'sim plan': [
    `borealis sim plan --trace ${S} --slo "delay.p99<=60s,pending.end==0" --host-shape cpu=32,ramMb=131072`,
    `borealis sim plan --trace ${S} --slo "utilization.cpu.mean>=0.6" --min 50 --max 400 --json`,
  ],
  policies: ['borealis policies', 'borealis policies --json'],
  viz: ['borealis viz runs/sample', 'borealis viz runs/compare-sample --port 0'],
  completion: [
    'borealis completion bash > ~/.local/share/bash-completion/completions/borealis',
    "echo 'source <(borealis completion zsh)' >> ~/.zshrc",
  ],
};

/** The command's path below the root, e.g. "sim run". */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Adds the examples of EXAMPLES to every command of the tree that has some. */
export function addExamples(program: Command): void {
  const visit = (cmd: Command): void => {
    const lines = EXAMPLES[commandPath(cmd)];
    if (lines) cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    cmd.commands.forEach(visit);
  };
  visit(program);
}
