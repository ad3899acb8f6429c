/** `mlops rollback|promote|reject` on a Kubernetes endpoint: the endpoint named by the pipeline file's deploy target. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { KUBERNETES_CLI_OPTIONS, KUBERNETES_CLI_USAGE, kubernetesCliOptions } from '../../deploy/kubernetes/cli-options.js';
import { resolveExisting } from '../../deploy/resolve.js';
import { projectDirFor } from '../../store/project.js';
import { ConfigurationError } from '../../util/errors.js';

export const OPERATION_OPTIONS = {
  ...KUBERNETES_CLI_OPTIONS,
  target: { type: 'string' },
  deployment: { type: 'string' },
  endpoint: { type: 'string' },
  'project-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export const OPERATION_USAGE = `Where:
  FILE                    the pipeline file declaring the endpoint (default ./valohai.yaml)
  --deployment NAME       the deployment (default: the file's only one)
  --endpoint NAME         the endpoint (default: the only one)
  --target local|kubernetes   (default: local when a local endpoint runs, else the file's deploy target kind)
${KUBERNETES_CLI_USAGE}
Other:
  --project-dir DIR       the project folder (default: .mlops in the repository)
  --json                  print the result as JSON`;

/** Whether the operation is for Kubernetes: --target kubernetes, or the file's deploy target says so. */
export async function isKubernetes(values: { target?: string; deployment?: string; endpoint?: string }, file: string | undefined): Promise<boolean> {
  if (values.target !== undefined) return values.target === 'kubernetes';
  const path = resolve(file ?? 'valohai.yaml');
  if (!existsSync(path)) return false;
  try {
    const resolved = await resolveExisting({ projectDir: projectDirFor(undefined, path, true), file: path, ...(values.deployment ? { deployment: values.deployment } : {}), ...(values.endpoint ? { endpoint: values.endpoint } : {}) });
    return resolved.request.target.kind === 'kubernetes';
  } catch {
    return false;
  }
}

export async function runKubernetesOperation(operation: 'rollback' | 'promote' | 'reject', values: Record<string, string | boolean | string[] | undefined>, file: string | undefined): Promise<number> {
  const text = (key: string): string | undefined => (typeof values[key] === 'string' ? values[key] : undefined);
  const path = resolve(file ?? 'valohai.yaml');
  const resolved = await resolveExisting({
    projectDir: projectDirFor(text('project-dir'), path, true),
    file: path,
    target: 'kubernetes',
    ...(text('deployment') ? { deployment: text('deployment') } : {}),
    ...(text('endpoint') ? { endpoint: text('endpoint') } : {}),
  });
  const { operateKubernetesFromCli } = await import('../../deploy/kubernetes/cli.js');
  return operateKubernetesFromCli(operation, resolved, values['json'] === true, kubernetesCliOptions(values));
}

/** `mlops promote` and `mlops reject`: the same arguments, Kubernetes canaries only. */
export function canaryCommand(operation: 'promote' | 'reject', summary: string, description: string): CliCommand {
  return {
    summary,
    usage: `Usage: mlops ${operation} [FILE] [--deployment NAME] [--endpoint NAME] [options]

${description}
Canaries run on Kubernetes only (\`mlops deploy --target kubernetes --strategy canary --manual-promote\`).

${OPERATION_USAGE}`,
    async run(argv) {
      const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPERATION_OPTIONS });
      if (positionals.length > 1) throw new ConfigurationError(`expected at most one pipeline file, got ${positionals.join(' ')}`);
      if (values.target !== undefined && values.target !== 'kubernetes') throw new ConfigurationError(`${operation} works on Kubernetes canaries: --target kubernetes (a local endpoint has no canary)`);
      return runKubernetesOperation(operation, values, positionals[0]);
    },
  };
}
