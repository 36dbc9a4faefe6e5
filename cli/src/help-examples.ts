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
  'scheduler run': [
    'borealis scheduler run --cluster west --master zk://10.0.0.1:2181,10.0.0.2:2181/mesos --storage file:/var/lib/borealis',
    'borealis scheduler run --cluster dev --master http://127.0.0.1:5050 --api-port 8081 --users users.yaml',
  ],
  'dev-cluster': [
    'borealis dev-cluster',
    'borealis dev-cluster --agents 8 --port 8081 --data /tmp/devcluster',
  ],
  'mesos emulate': [
    'borealis mesos emulate --agents 1000 --port 5050',
    'borealis mesos emulate --agents 4 --real-processes --zk zk://127.0.0.1:2181/mesos',
  ],
  'mesos control task': ['borealis mesos control task fail www-prod-web-0-17 --code 2'],
  'mesos control agent': ['borealis mesos control agent lose agent-0003'],
  'mesos control behaviour': ['borealis mesos control behaviour \'{"runForMs":5000,"outcome":"failed"}\''],
  'mesos control summary': ['borealis mesos control summary'],
  'job create': [
    'borealis job create devcluster/www/devel/hello examples/hello-service.yaml --wait',
    'borealis job create west/www/prod/web examples/web-service.ts --bind release=2024.05.1',
  ],
  'job status': [
    'borealis job status devcluster/www/devel/hello',
    'borealis job status devcluster/www/devel/hello --json',
  ],
  'job list': ['borealis job list devcluster', 'borealis job list west/www --json'],
  'job kill': ['borealis job kill devcluster/www/devel/hello --instances 0,2-3'],
  'job killall': ['borealis job killall devcluster/www/devel/hello'],
  'job restart': ['borealis job restart devcluster/www/devel/hello --batch-size 2 --watch-secs 30'],
  'job add': ['borealis job add devcluster/www/devel/hello 2'],
  'job diff': ['borealis job diff west/www/prod/web examples/web-service.ts --bind release=2024.06.0'],
  'job inspect': ['borealis job inspect west/www/prod/web examples/web-service.ts --bind release=2024.05.1'],
  'update start': [
    'borealis update start west/www/prod/web examples/web-service.ts --bind release=2024.06.0 --wait',
    'borealis update start west/www/prod/web examples/web-service.ts --instances 0-3',
  ],
  'update pause': ['borealis update pause west/www/prod/web'],
  'update resume': ['borealis update resume west/www/prod/web'],
  'update abort': ['borealis update abort west/www/prod/web'],
  'update rollback': ['borealis update rollback west/www/prod/web'],
  'update info': ['borealis update info west/www/prod/web --json'],
  'update list': ['borealis update list west --active', 'borealis update list west/www'],
  'update wait': ['borealis update wait west/www/prod/web --timeout 30m'],
  'cron schedule': ['borealis cron schedule west/mail/prod/bounce-cleanup examples/workers.yaml'],
  'cron deschedule': ['borealis cron deschedule west/mail/prod/bounce-cleanup'],
  'cron show': ['borealis cron show west/mail/prod/bounce-cleanup --count 5'],
  'task list': [
    'borealis task list west --job www/prod/web --state RUNNING',
    'borealis task list west --host h0042 --json',
  ],
  'task events': ['borealis task events west www-prod-web-0-17'],
  'task pending': ['borealis task pending west --job www/prod/web'],
  'task files': [
    'borealis task files devcluster www-devel-hello-0-3',
    'borealis task files devcluster www-devel-hello-0-3 logs',
  ],
  'task logs': [
    'borealis task logs devcluster www-devel-hello-0-3 --tail 50',
    'borealis task logs devcluster www-devel-hello-0-3 --stderr',
  ],
  'quota get': ['borealis quota get west/www'],
  'quota set': ['borealis quota set west/www --cpu 200 --ram-mb 819200 --disk-mb 2097152'],
  'admin maintenance start': ['borealis admin maintenance start west h0042 h0043'],
  'admin maintenance drain': ['borealis admin maintenance drain west h0042 h0043'],
  'admin maintenance activate': ['borealis admin maintenance activate west h0042 h0043'],
  'admin maintenance status': [
    'borealis admin maintenance status west',
    'borealis admin maintenance status west h0042 --json',
  ],
  'admin reconcile': ['borealis admin reconcile west'],
  'admin snapshot': ['borealis admin snapshot west'],
  'admin hash-password': [
    'borealis admin hash-password < password.txt',
    'borealis admin hash-password --token',
  ],
  'admin backup': ['borealis admin backup --storage file:/var/lib/borealis /backups/borealis-2026-12-08.bak'],
  'admin restore': [
    'borealis admin restore --storage file:/var/lib/borealis /backups/borealis-2026-12-08.bak',
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
