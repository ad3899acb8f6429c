import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { parseWorkflowText } from '../workflows/workflow-parser.js';
import { isToolkitAction } from '../support/toolkit-actions.js';

const root = join(import.meta.dirname, '../..');

describe('workflows-templates/mlops-deploy.yml', () => {
  test("parses with GitHub's workflow parser and keeps least privilege", async () => {
    const content = await readFile(join(root, 'workflows-templates/mlops-deploy.yml'), 'utf8');
    const { errors, needs } = await parseWorkflowText('mlops-deploy.yml', content);
    expect(errors).toEqual([]);
    expect([...needs.keys()]).toEqual(['build', 'deploy']);
    expect(needs.get('deploy')).toEqual(['build']);
    const workflow = parse(content) as {
      on: { workflow_dispatch: { inputs: Record<string, { type: string; options?: string[] }> } };
      permissions: Record<string, string>;
      jobs: Record<'build' | 'deploy', { if: string; permissions: Record<string, string>; environment: { name: string }; outputs?: Record<string, string>; steps: { id?: string; uses?: string; run?: string; with?: Record<string, string> }[] }>;
    };
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.deploy.permissions).toEqual({ contents: 'read', deployments: 'write' });
    // Only the build job may push packages, and it has no environment (so no kubeconfig secret).
    expect(workflow.jobs.build.permissions).toEqual({ contents: 'read', packages: 'write' });
    expect(workflow.jobs.build.environment).toBeUndefined();
    expect(content.match(/packages: write/g)).toHaveLength(1);
    expect(workflow.jobs.deploy.environment.name).toBe('${{ inputs.environment }}');
    const inputs = workflow.on.workflow_dispatch.inputs;
    expect(inputs['environment']?.type).toBe('environment');
    expect(inputs['operation']?.options).toEqual(['deploy', 'rollback', 'promote', 'reject']);
    // Inputs reach scripts only through env; run: blocks splice no expression.
    for (const job of Object.values(workflow.jobs)) for (const step of job.steps) if (step.run) expect(step.run).not.toContain('${{');
    const deploy = workflow.jobs.deploy.steps.find((s) => isToolkitAction(s.uses, 'deploy'));
    expect(deploy?.with?.['kubeconfig']).toBe('${{ secrets.KUBECONFIG }}');
    const properties = JSON.parse(await readFile(join(root, 'workflows-templates/mlops-deploy.properties.json'), 'utf8')) as Record<string, unknown>;
    expect(properties).toMatchObject({ name: 'MLOps deploy', iconName: expect.any(String) as unknown, categories: expect.any(Array) as unknown });
  });

  test('the build job builds both images with docker/build-push-action pinned by SHA and passes their digests on', async () => {
    const content = await readFile(join(root, 'workflows-templates/mlops-deploy.yml'), 'utf8');
    const workflow = parse(content) as {
      jobs: Record<'build' | 'deploy', { if: string; outputs?: Record<string, string>; steps: { id?: string; uses?: string; with?: Record<string, string> }[] }>;
    };
    const build = workflow.jobs.build;
    expect(build.if).toBe("inputs.operation == 'deploy'");
    const pushes = build.steps.filter((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(pushes.map((s) => s.id)).toEqual(['server', 'modelcar']);
    for (const push of pushes) {
      expect(push.uses).toBe('docker/build-push-action@263435318d21b8e681c14492fe198d362a7d2c83');
      expect(push.with?.['push']).toBe(true);
    }
    expect(content).toContain('docker/build-push-action@263435318d21b8e681c14492fe198d362a7d2c83 # v6.18.0');
    const context = build.steps.find((s) => isToolkitAction(s.uses, 'deploy'));
    expect(context?.with?.['operation']).toBe('build');
    expect(pushes[0]?.with?.['context']).toBe('${{ steps.context.outputs.server-context }}');
    expect(pushes[1]?.with?.['tags']).toBe('${{ steps.context.outputs.model-tag }}');
    expect(build.outputs).toEqual({
      'model-version': '${{ steps.model.outputs.version }}',
      image: '${{ steps.context.outputs.server-repository }}@${{ steps.server.outputs.digest }}',
      'model-image': '${{ steps.context.outputs.model-repository }}@${{ steps.modelcar.outputs.digest }}',
    });
    // The deploy job deploys those digests and the very version that was packed; it still runs for rollback.
    const deploy = workflow.jobs.deploy;
    expect(deploy.if).toContain('!cancelled()');
    const step = deploy.steps.find((s) => isToolkitAction(s.uses, 'deploy'));
    expect(step?.with).toMatchObject({ image: '${{ needs.build.outputs.image }}', 'model-image': '${{ needs.build.outputs.model-image }}' });
    expect(deploy.steps.find((s) => s.id === 'model')?.with?.['selector']).toBe('${{ needs.build.outputs.model-version }}');
  });

  test('the deploy action inputs the template uses exist in action.yml', async () => {
    const action = parse(await readFile(join(root, 'actions/deploy/action.yml'), 'utf8')) as { inputs: Record<string, unknown>; runs: { using: string } };
    const workflow = parse(await readFile(join(root, 'workflows-templates/mlops-deploy.yml'), 'utf8')) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }> };
    const used = Object.values(workflow.jobs).flatMap((job) => job.steps.filter((s) => isToolkitAction(s.uses, 'deploy')).flatMap((s) => Object.keys(s.with ?? {})));
    for (const name of used) expect(Object.keys(action.inputs), name).toContain(name);
    expect(action.runs.using).toBe('node24');
  });
});
