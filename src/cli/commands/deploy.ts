import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { cliLauncher, ensureDaemon, findDaemon, localTarget } from '../../deploy/local/client.js';
import { runDaemon, runDaemonWorker } from '../../deploy/local/daemon.js';
import { localSpec } from '../../deploy/local/deploy.js';
import { formatLoadTest } from '../../deploy/load-test.js';
import { KUBERNETES_CLI_OPTIONS, KUBERNETES_CLI_USAGE, kubernetesCliOptions } from '../../deploy/kubernetes/cli-options.js';
import { resolveDeploy } from '../../deploy/resolve.js';
import { rollOut } from '../../deploy/rollout.js';
import { projectDirFor } from '../../store/project.js';
import { ConfigurationError } from '../../util/errors.js';

const usage = `Usage: mlops deploy [FILE] (--run RUN | --folder DIR) [options]
       mlops deploy --stop [--deployment NAME] [--endpoint NAME]

Deploys an endpoint of the pipeline file (default: the run's file, else ./valohai.yaml) with a model
version: the files a run's deployment node recorded (--run RUN, a run id or 'latest'), or a folder
holding them (--folder DIR). The local target (default) serves it behind a proxy on a stable loopback
port. The new version gets traffic only after proof: its health path answers 2xx, its sample requests
(sample-requests in the deploy target, or --payload) answer 2xx in time, and the optional load test
passes against it alone. The previous version then stays warm for a grace period and the proxy switches
back by itself when the new one crash-loops, fails requests or is too slow.

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
  --health-path PATH      GET PATH must answer 2xx (default /healthz; a 404 fails);
                          'none' checks only that the port accepts connections
  --health-timeout S      seconds to become healthy (default 30)
  --payload FILE          a sample request body (repeatable; replaces the deploy target's sample-requests),
                          POSTed to --load-test-path: to the candidate before any traffic (the smoke
                          test), to warm up every new replica before it takes traffic (warmup-requests
                          in all, cycling through the bodies), and by the load test
  --grace S               seconds the previous version stays warm as the automatic fallback (default 300)
  --stop                  stop the endpoint(s) (all of them without --deployment/--endpoint)
Inference performance check (locally on the candidate before the switch; on Kubernetes at --smoke-url
after the rollout, rolled back when it fails):
  --load-test-seconds S   bounded load test of S seconds (at most 60; default: none)
  --load-test-path PATH   request path (default /predict), POSTing each sample body in turn
  --max-p99-ms MS         refuse the candidate above this p99
  --max-error-rate R      share of failed requests allowed (default 0)
${KUBERNETES_CLI_USAGE}
  --grace S               blue-green: seconds the old colour stays up after the switch (default 0: scaled
                          to zero at once, kept for \`mlops rollback\`)
  --manual-promote        canary: leave it beside the serving version after its analysis, for
                          \`mlops promote\` or \`mlops reject\` (default: promoted or aborted automatically)
  --image REF             a prebuilt server image holding the repository (default: built from the
                          endpoint's image and the files git tracks at the deployed commit)
  --image-repository R    where the server image is pushed (tagged by the commit)
  --model-image REF       the model version's image, already pushed
  --model-image-repository R  where the model image is pushed (tagged by the content hash)
  --build-context DIR     write the server and model images' build contexts (DIR/server, DIR/model,
                          DIR/build.json) and stop; the deploy workflow builds and pushes them
  --dry-run               print every object as YAML documents (validated strictly) and stop
  --colour blue|green     the colour --dry-run shows for blue-green (default blue)
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
        'max-error-rate': { type: 'string' },
        grace: { type: 'string' },
        ...KUBERNETES_CLI_OPTIONS,
        'manual-promote': { type: 'boolean', default: false },
        image: { type: 'string' },
        'image-repository': { type: 'string' },
        'model-image': { type: 'string' },
        'model-image-repository': { type: 'string' },
        'build-context': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        colour: { type: 'string' },
        daemon: { type: 'boolean', default: false },
        'daemon-worker': { type: 'boolean', default: false },
        'project-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length > 1) throw new ConfigurationError(`expected at most one pipeline file, got ${positionals.join(' ')}`);
    const file = positionals[0];
    const projectDir = projectDirFor(values['project-dir'], file ?? process.cwd(), file !== undefined);
    if (values['daemon-worker']) {
      await runDaemonWorker(projectDir);
      return 0;
    }
    if (values.daemon) return runDaemon(projectDir, cliLauncher(projectDir, '--daemon-worker'));
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
    if (request.target.kind !== 'kubernetes' && (values['dry-run'] || values['build-context'] !== undefined)) {
      throw new ConfigurationError('--dry-run and --build-context are for the Kubernetes target: add --target kubernetes');
    }
    const loadSeconds = values['load-test-seconds'] === undefined ? 0 : Number(values['load-test-seconds']);
    if (!(loadSeconds >= 0 && loadSeconds <= 60)) throw new ConfigurationError('--load-test-seconds must be between 0 and 60');
    const maxP99 = values['max-p99-ms'] === undefined ? undefined : Number(values['max-p99-ms']);
    if (maxP99 !== undefined && !(maxP99 > 0)) throw new ConfigurationError('--max-p99-ms must be a positive number');
    const maxErrorRate = values['max-error-rate'] === undefined ? undefined : Number(values['max-error-rate']);
    if (maxErrorRate !== undefined && !(maxErrorRate >= 0 && maxErrorRate <= 1)) throw new ConfigurationError('--max-error-rate must be between 0 and 1');
    const payloads = await Promise.all((values.payload ?? []).map((file) => readFile(file, 'utf8').catch(() => {
      throw new ConfigurationError(`cannot read payload file ${file}`);
    })));
    if (request.target.kind === 'kubernetes') {
      const colour = values.colour;
      if (colour !== undefined && colour !== 'blue' && colour !== 'green') throw new ConfigurationError(`--colour must be blue or green, got '${colour}'`);
      const smokeUrl = values['smoke-url'];
      if (loadSeconds > 0 && smokeUrl === undefined) throw new ConfigurationError('--load-test-seconds on Kubernetes needs --smoke-url (the endpoint to load)');
      const bodies = payloads.length > 0 ? payloads : values['smoke-body'] !== undefined ? [values['smoke-body']] : [];
      const { deployKubernetesFromCli } = await import('../../deploy/kubernetes/cli.js');
      return deployKubernetesFromCli(resolved, values.json, {
        ...kubernetesCliOptions(values),
        ...(loadSeconds > 0
          ? { loadTest: { seconds: loadSeconds, connections: 8, payloads: bodies, ...(maxP99 !== undefined ? { maxP99Ms: maxP99 } : {}), ...(maxErrorRate !== undefined ? { maxErrorRate } : {}) } }
          : {}),
      });
    }
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new ConfigurationError(`--port must be a port number, got '${values.port ?? ''}'`);
    const timeout = values['health-timeout'] === undefined ? undefined : Number(values['health-timeout']);
    if (timeout !== undefined && !(timeout > 0)) throw new ConfigurationError(`--health-timeout must be a positive number of seconds`);
    const grace = values.grace === undefined ? undefined : Number(values.grace);
    if (grace !== undefined && !(grace >= 0 && grace <= 86_400)) throw new ConfigurationError('--grace must be a number of seconds from 0 to 86400');
    if (loadSeconds > 0 && payloads.length === 0 && !Array.isArray(request.target.options['sample-requests'])) {
      throw new ConfigurationError('--load-test-seconds needs sample bodies: --payload FILE, or sample-requests in the deploy target');
    }
    const path = values['load-test-path'] ?? '/predict';
    const spec = localSpec(request, resolved.repositoryDir, {
      ...(port !== undefined ? { port } : {}),
      ...(values['health-path'] !== undefined ? { healthPath: values['health-path'] } : {}),
      ...(timeout !== undefined ? { healthTimeoutSeconds: timeout } : {}),
      payloads,
      samplePath: path.startsWith('/') ? path : `/${path}`,
      ...(loadSeconds > 0 ? { loadTestSeconds: loadSeconds } : {}),
      ...(maxP99 !== undefined ? { maxP99Ms: maxP99 } : {}),
      ...(maxErrorRate !== undefined ? { maxErrorRate } : {}),
      ...(grace !== undefined ? { graceSeconds: grace } : {}),
    });
    // The load test goes to the deploy policy (src/deploy/rollout.ts), which has the daemon run it on the candidate.
    const { loadTest, ...checks } = spec.checks ?? {};
    const daemon = await ensureDaemon(projectDir);
    const result = (await rollOut(localTarget(daemon, { ...spec, checks }), loadTest ? { loadTest } : {})).deployed;
    const out: Record<string, unknown> = { ...result };
    const lines = [`${result.ok ? '' : 'deploy failed: '}${request.deployment}/${request.endpoint.name} ${result.message}`];
    const ok = result.ok;
    if (result.version.loadTest) lines.push(`inference performance (candidate, before the switch): ${formatLoadTest(result.version.loadTest)}`);
    if (ok) lines.push(`url: ${result.endpoint.url}`, `metrics: ${result.endpoint.url}/metrics`);
    process.stdout.write(values.json ? `${JSON.stringify(out, null, 2)}\n` : `${lines.join('\n')}\n`);
    return ok ? 0 : 1;
  },
};
