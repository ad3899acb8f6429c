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
    expect([...needs.keys()]).toEqual(['deploy']);
    const workflow = parse(content) as {
      on: { workflow_dispatch: { inputs: Record<string, { type: string; options?: string[] }> } };
      permissions: Record<string, string>;
      jobs: { deploy: { permissions: Record<string, string>; environment: { name: string }; steps: { uses?: string; run?: string; with?: Record<string, string> }[] } };
    };
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.deploy.permissions).toEqual({ contents: 'read', deployments: 'write' });
    expect(workflow.jobs.deploy.environment.name).toBe('${{ inputs.environment }}');
    const inputs = workflow.on.workflow_dispatch.inputs;
    expect(inputs['environment']?.type).toBe('environment');
    expect(inputs['operation']?.options).toEqual(['deploy', 'rollback', 'promote', 'reject']);
    // Inputs reach scripts only through env; run: blocks splice no expression.
    for (const step of workflow.jobs.deploy.steps) if (step.run) expect(step.run).not.toContain('${{');
    const deploy = workflow.jobs.deploy.steps.find((s) => isToolkitAction(s.uses, 'deploy'));
    expect(deploy?.with?.['kubeconfig']).toBe('${{ secrets.KUBECONFIG }}');
    const properties = JSON.parse(await readFile(join(root, 'workflows-templates/mlops-deploy.properties.json'), 'utf8')) as Record<string, unknown>;
    expect(properties).toMatchObject({ name: 'MLOps deploy', iconName: expect.any(String) as unknown, categories: expect.any(Array) as unknown });
  });

  test('the deploy action inputs the template uses exist in action.yml', async () => {
    const action = parse(await readFile(join(root, 'actions/deploy/action.yml'), 'utf8')) as { inputs: Record<string, unknown>; runs: { using: string } };
    const workflow = parse(await readFile(join(root, 'workflows-templates/mlops-deploy.yml'), 'utf8')) as { jobs: { deploy: { steps: { uses?: string; with?: Record<string, string> }[] } } };
    const used = Object.keys(workflow.jobs.deploy.steps.find((s) => isToolkitAction(s.uses, 'deploy'))?.with ?? {});
    for (const name of used) expect(Object.keys(action.inputs), name).toContain(name);
    expect(action.runs.using).toBe('node24');
  });
});
