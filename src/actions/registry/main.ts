import { resolve } from 'node:path';
import * as core from '@actions/core';
import type { LocalRegistry } from '../../registry/local.js';
import { formatSelector, type AliasEvent, type ModelRegistry, type ModelVersion } from '../../registry/model.js';
import { getInputs, type Inputs } from './inputs.js';
import { runAction } from '../run-action.js';

// The registry backends (the GitHub one with Octokit) and the run reader load with import() once the
// inputs are read and checked (a cold start reads the inputs first, bench/bundles.ts), each on its path.

async function backendFor(inputs: Inputs, local: LocalRegistry): Promise<ModelRegistry> {
  if (inputs.backend === 'local' || !inputs.repository) return local;
  const [{ createGitHubClient }, { GitHubRegistry }] = await Promise.all([import('../../adapters/github-client.js'), import('../../registry/github.js')]);
  const octokit = createGitHubClient({ token: inputs.token, ...(inputs.apiUrl ? { baseUrl: inputs.apiUrl } : {}) });
  return new GitHubRegistry(octokit, { owner: inputs.repository.owner, repo: inputs.repository.repo });
}

function setVersionOutputs(version: ModelVersion): void {
  core.setOutput('version', String(version.version));
  core.setOutput('metrics', JSON.stringify(version.metrics));
  core.setOutput('manifest', JSON.stringify(version));
}

function eventOutputs(event: AliasEvent): void {
  core.setOutput('version', String(event.version));
  core.setOutput('previous-version', event.from === undefined ? '' : String(event.from));
}

/** The registry action: register a run's winner, promote / roll back an alias, or resolve a selector to verified files. */
export async function run(): Promise<void> {
  await runAction(async () => {
    const inputs = getInputs();
    const projectDir = resolve(inputs.projectDir);
    const { LocalRegistry } = await import('../../registry/local.js');
    const local = new LocalRegistry(projectDir);
    const registry = await backendFor(inputs, local);
    switch (inputs.operation) {
      case 'register': {
        const { modelFromRun } = await import('../../registry/from-run.js');
        const fromRun = await modelFromRun(projectDir, inputs.run, {
          ...(inputs.node !== undefined ? { node: inputs.node } : {}),
          ...(inputs.files !== undefined ? { files: inputs.files } : {}),
          ...(inputs.modelInput !== undefined ? { modelInput: inputs.modelInput } : {}),
        });
        const version = await registry.register({ ...fromRun, name: inputs.model, tags: { ...inputs.tags, ...(fromRun.decision ? { decision: fromRun.decision } : {}) } });
        core.info(`registered ${version.name} v${version.version} from run ${fromRun.runId} (${inputs.backend})`);
        setVersionOutputs(version);
        break;
      }
      case 'promote': {
        const event = await registry.promote(inputs.model, inputs.alias, inputs.selector, inputs.reason);
        core.info(`${inputs.model}: ${inputs.alias} v${event.from ?? '-'} -> v${event.version} by ${event.by}`);
        eventOutputs(event);
        break;
      }
      case 'rollback': {
        const event = await registry.rollback(inputs.model, inputs.alias, inputs.reason);
        core.info(`${inputs.model}: ${inputs.alias} rolled back v${event.from ?? '-'} -> v${event.version}`);
        eventOutputs(event);
        break;
      }
      case 'resolve': {
        const version = await registry.resolve(inputs.model, inputs.selector);
        const dest = resolve(inputs.path);
        const written = await registry.pull(version, dest);
        if (registry !== local) {
          // Mirror into this job's local registry, so that `mlops run --model NAME@SELECTOR` finds the same version.
          const byPath = Object.fromEntries(version.files.map((f, i) => [f.path, written[i] ?? '']));
          await local.importVersion(version, byPath);
          if (inputs.selector.kind === 'alias') {
            const entry = (await registry.aliases(inputs.model))[inputs.selector.alias];
            if (entry) await local.setAlias(inputs.model, inputs.selector.alias, entry);
          }
        }
        core.info(`${inputs.model} ${formatSelector(inputs.selector)} = v${version.version}: ${written.length} file(s) verified in ${dest}`);
        setVersionOutputs(version);
        core.setOutput('path', dest);
        core.setOutput('files', JSON.stringify(written));
        await core.summary
          .addHeading(`Model ${version.name} v${version.version}`, 3)
          .addTable([
            [{ data: 'Selector', header: true }, { data: 'Version', header: true }, { data: 'Files (sha256)', header: true }, { data: 'Metrics', header: true }, { data: 'Trained by', header: true }],
            [
              formatSelector(inputs.selector),
              `v${version.version}`,
              version.files.map((f) => `${f.path} ${f.sha256.slice(0, 12)}`).join('<br>'),
              Object.entries(version.metrics).map(([k, v]) => `${k}=${String(v)}`).join('<br>'),
              [version.lineage.pipeline, version.lineage.node, version.lineage.runId].filter(Boolean).join(' / '),
            ],
          ])
          .write();
        break;
      }
    }
  });
}
