import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { ensureDaemon, findDaemon } from '../../deploy/local/client.js';
import { runDaemon } from '../../deploy/local/daemon.js';
import { localSpec } from '../../deploy/local/deploy.js';
import { resolveDeploy } from '../../deploy/resolve.js';
import { projectDirFor } from '../../store/project.js';
import { formatLoadTest, runLoadTest } from '../../deploy/load-test.js';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { writeJsonAtomic } from '../../util/fs.js';

const usage = `Usage: mlops deploy [FILE] (--run RUN | --folder DIR) [options]
       mlops deploy --stop [--deployment NAME] [--endpoint NAME]

Deploys an endpoint of the pipeline file (default: the run's file, else ./valohai.yaml) with a model
version: the files a run's deployment node recorded (--run RUN, a run id or 'latest'), or a folder
holding them (--folder DIR). The local target (default) serves it behind a proxy on a stable loopback
port: the new version gets traffic only once its health check passes, the previous one drains.

Model version:
  --run RUN               a run with a deployment node (id, unique prefix or latest)
  --node NODE             the deployment node, when the run has several
  --folder DIR            a folder with the endpoint's files (at their declared paths or names)
Where:
  --endpoint NAME         the endpoint (default: the only one)
  --deployment NAME       the deployment (default: the run's deployment node's, or the file's only one)
  --target local|kubernetes   (default: x-mlops deploy-targets.<deployment>.kind, else local)
  --strategy rolling|blue-green|canary  (Kubernetes; default rolling)
Local target:
  --port N                proxy port for a new endpoint (default: deploy target's port, else a free one)
  --health-path PATH      GET PATH must answer 2xx (default /healthz, an open port when it answers 404);
                          'none' checks only that the port accepts connections
  --health-timeout S      seconds to become healthy (default 30)
  --stop                  stop the endpoint(s) (all of them without --deployment/--endpoint)
Inference performance check (after a successful deploy):
  --load-test-seconds S   bounded load test of S seconds (at most 60; default: none)
  --load-test-path PATH   request path (default /predict), POSTing each --payload FILE in turn
  --payload FILE          a sample request body (repeatable; none: GET)
  --max-p99-ms MS         fail above this p99; the local target then rolls back to the previous version
Kubernetes target:
  --kubeconfig FILE       (default $KUBECONFIG, else ~/.kube/config)
  --namespace NAME        (default the deploy target's namespace)
  --smoke-url URL         smoke test after the rollout (--smoke-body JSON, expects 200 within 1000 ms)
Other:
  --project-dir DIR       the project folder (default: .mlops in the repository)
  --json                  print the result as JSON`;

export const command: CliCommand = {
  summary: 'deploy a model version behind an endpoint (local proxy or Kubernetes)',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        run: { type: 'string' },
        node: { type: 'string' },
        folder: { type: 'string' },
        endpoint: { type: 'string' },
        deployment: { type: 'string' },
        target: { type: 'string' },
        strategy: { type: 'string' },
        port: { type: 'string' },
        'health-path': { type: 'string' },
        'health-timeout': { type: 'string' },
        stop: { type: 'boolean', default: false },
        'load-test-seconds': { type: 'string' },
        'load-test-path': { type: 'string' },
        payload: { type: 'string', multiple: true },
        'max-p99-ms': { type: 'string' },
        kubeconfig: { type: 'string' },
        namespace: { type: 'string' },
        'smoke-url': { type: 'string' },
        'smoke-body': { type: 'string' },
        daemon: { type: 'boolean', default: false },
        'project-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length > 1) throw new ConfigurationError(`expected at most one pipeline file, got ${positionals.join(' ')}`);
    const file = positionals[0];
    const projectDir = projectDirFor(values['project-dir'], file ?? process.cwd(), file !== undefined);
    if (values.daemon) {
      await runDaemon(projectDir);
      return 0;
    }
    if (values.stop) {
      const daemon = await findDaemon(projectDir);
      if (!daemon) {
        process.stdout.write('no local deployment is running\n');
        return 0;
      }
      const stopped = await daemon.stop(values.deployment, values.endpoint);
      if (values.json) process.stdout.write(`${JSON.stringify(stopped, null, 2)}\n`);
      else process.stdout.write(stopped.length === 0 ? 'nothing matched\n' : `stopped ${stopped.map((e) => `${e.deployment}/${e.endpoint}`).join(', ')}\n`);
      return 0;
    }
    const resolved = await resolveDeploy({
      projectDir,
      ...(file !== undefined ? { file } : {}),
      ...(values.run !== undefined ? { run: values.run } : {}),
      ...(values.folder !== undefined ? { folder: values.folder } : {}),
      ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}),
      ...(values.deployment !== undefined ? { deployment: values.deployment } : {}),
      ...(values.node !== undefined ? { node: values.node } : {}),
      ...(values.target !== undefined ? { target: values.target } : {}),
      ...(values.strategy !== undefined ? { strategy: values.strategy } : {}),
    });
    const { request } = resolved;
    if (request.target.kind === 'kubernetes') {
      const { deployKubernetesFromCli } = await import('../../deploy/kubernetes/cli.js');
      return deployKubernetesFromCli(resolved, values.json, {
        ...(values.kubeconfig !== undefined ? { kubeconfigPath: values.kubeconfig } : {}),
        ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
        ...(values['smoke-url'] !== undefined
          ? { smoke: { url: values['smoke-url'], ...(values['smoke-body'] !== undefined ? { body: values['smoke-body'] } : {}), expectedStatus: 200, maxLatencyMs: 1000 } }
          : {}),
      });
    }
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new ConfigurationError(`--port must be a port number, got '${values.port ?? ''}'`);
    const timeout = values['health-timeout'] === undefined ? undefined : Number(values['health-timeout']);
    if (timeout !== undefined && !(timeout > 0)) throw new ConfigurationError(`--health-timeout must be a positive number of seconds`);
    const spec = localSpec(request, resolved.repositoryDir, {
      ...(port !== undefined ? { port } : {}),
      ...(values['health-path'] !== undefined ? { healthPath: values['health-path'] } : {}),
      ...(timeout !== undefined ? { healthTimeoutSeconds: timeout } : {}),
    });
    const loadSeconds = values['load-test-seconds'] === undefined ? 0 : Number(values['load-test-seconds']);
    if (!(loadSeconds >= 0 && loadSeconds <= 60)) throw new ConfigurationError('--load-test-seconds must be between 0 and 60');
    const maxP99 = values['max-p99-ms'] === undefined ? undefined : Number(values['max-p99-ms']);
    if (maxP99 !== undefined && !(maxP99 > 0)) throw new ConfigurationError('--max-p99-ms must be a positive number');
    const payloads = await Promise.all((values.payload ?? []).map((file) => readFile(file, 'utf8').catch(() => {
      throw new ConfigurationError(`cannot read payload file ${file}`);
    })));
    const daemon = await ensureDaemon(projectDir);
    const result = await daemon.deploy(spec);
    const out: Record<string, unknown> = { ...result };
    const lines = [`${result.ok ? '' : 'deploy failed: '}${request.deployment}/${request.endpoint.name} ${result.message}`];
    let ok = result.ok;
    if (ok) lines.push(`url: ${result.endpoint.url}`, `metrics: ${result.endpoint.url}/metrics`);
    if (ok && loadSeconds > 0) {
      const path = values['load-test-path'] ?? '/predict';
      const load = await runLoadTest({ url: `${result.endpoint.url}${path.startsWith('/') ? path : `/${path}`}`, payloads, durationMs: loadSeconds * 1000, connections: 8, ...(maxP99 !== undefined ? { maxP99Ms: maxP99 } : {}) });
      // Kept with the version it measured.
      await writeJsonAtomic(join(result.version.dir, 'load-test.json'), load);
      out['loadTest'] = load;
      lines.push(`inference performance: ${formatLoadTest(load)}`);
      if (!load.ok) {
        ok = false;
        const back = await daemon.rollback(request.deployment, request.endpoint.name).catch((error: unknown) => ({ ok: false, message: getErrorMessage(error) }));
        out['rollback'] = back;
        lines.push(back.ok ? `rolled back: ${back.message}` : `no rollback: ${back.message}`);
      }
    }
    process.stdout.write(values.json ? `${JSON.stringify(out, null, 2)}\n` : `${lines.join('\n')}\n`);
    return ok ? 0 : 1;
  },
};
