/**
 * Parses a workflow with GitHub's own parser (@actions/workflow-parser), the same code the Actions
 * service and the VS Code extension use, and returns its errors and job graph.
 */
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser';
import type { WorkflowTemplate } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

export interface ParsedWorkflow {
  errors: string[];
  /** Absent when the YAML could not be read as a workflow at all. */
  template?: WorkflowTemplate;
  /** The parsed document before conversion (the converted model drops step `with:`). */
  root?: TemplateToken;
  /** Job id → ids of the jobs it needs. */
  needs: Map<string, string[]>;
}

export async function parseWorkflowText(name: string, content: string): Promise<ParsedWorkflow> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (!parsed.value) return { errors: errors.length > 0 ? errors : ['no workflow value'], needs: new Map() };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, undefined, { maxReusableWorkflowDepth: 10 });
  for (const error of template.errors ?? []) errors.push(error.Message);
  const needs = new Map<string, string[]>();
  for (const job of template.jobs ?? []) needs.set(job.id.value, (job.needs ?? []).map((n) => n.value));
  return { errors, template, root: parsed.value, needs };
}

/** Job ids in an order where every job comes after the jobs it needs; throws on an unknown need or a cycle. */
export function jobOrder(needs: Map<string, string[]>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`cycle: ${[...path, id].join(' -> ')}`);
    const deps = needs.get(id);
    if (!deps) throw new Error(`unknown job ${id} (needed by ${path.at(-1) ?? '?'})`);
    state.set(id, 'visiting');
    for (const dep of deps) visit(dep, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of needs.keys()) visit(id, []);
  return order;
}
