import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE_OPTIONS, renderPipelineTemplate, renderSingleJobTemplate } from '../../src/plan/template.js';
import { jobOrder, parseWorkflowText } from './workflow-parser.js';

const templatesDir = join(import.meta.dirname, '../../workflows-templates');

describe('workflow templates', () => {
  it('every template parses with GitHub workflow parser, with a valid job graph and a properties file', async () => {
    const files = (await readdir(templatesDir)).filter((f) => f.endsWith('.yml'));
    expect(files.sort()).toEqual(['mlops-pipeline.yml', 'mlops-single-job.yml']);
    for (const file of files) {
      const content = await readFile(join(templatesDir, file), 'utf8');
      const { errors, needs } = await parseWorkflowText(file, content);
      expect(errors, file).toEqual([]);
      expect(jobOrder(needs).length, file).toBe(needs.size);
      const properties = JSON.parse(await readFile(join(templatesDir, file.replace(/\.yml$/, '.properties.json')), 'utf8')) as Record<string, unknown>;
      expect(typeof properties['name']).toBe('string');
      expect(typeof properties['description']).toBe('string');
      expect(typeof properties['iconName']).toBe('string');
      expect(Array.isArray(properties['categories'])).toBe(true);
    }
  });

  it('the committed templates are what src/plan/template.ts renders', async () => {
    expect(await readFile(join(templatesDir, 'mlops-pipeline.yml'), 'utf8')).toBe(renderPipelineTemplate());
    expect(await readFile(join(templatesDir, 'mlops-single-job.yml'), 'utf8')).toBe(renderSingleJobTemplate());
  });

  it('wave jobs need the plan and every earlier wave job, and compare needs them all', async () => {
    const { needs } = await parseWorkflowText('t.yml', renderPipelineTemplate({ maxWaves: 3, chunksPerWave: 2 }));
    expect(needs.get('wave-0')).toEqual(['plan']);
    expect(needs.get('wave-0-1')).toEqual(['plan']);
    expect(needs.get('wave-2')).toEqual(['plan', 'wave-0', 'wave-0-1', 'wave-1', 'wave-1-1']);
    expect(needs.get('compare')).toEqual(['plan', 'wave-0', 'wave-0-1', 'wave-1', 'wave-1-1', 'wave-2', 'wave-2-1']);
    expect(needs.get('report')).toEqual(['plan', 'compare']);
  });

  it('keeps least privilege: read-only at the top, pull-requests: write only on the fork-guarded report job', async () => {
    const content = renderPipelineTemplate(DEFAULT_TEMPLATE_OPTIONS);
    const { template } = await parseWorkflowText('t.yml', content);
    expect(content).toMatch(/^permissions:\n {2}contents: read$/m);
    expect(content.match(/pull-requests: write/g)).toHaveLength(1);
    const report = template?.jobs.find((j) => j.id.value === 'report');
    expect(report?.if.expression).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    // No expression is spliced into a shell script: the templates have no run: steps at all.
    expect(content).not.toMatch(/^\s*run:/m);
    // Third-party actions are pinned by a full SHA with a version comment.
    for (const match of content.matchAll(/uses: ([^\s]+)(.*)$/gm)) {
      const [, ref = '', rest = ''] = match;
      if (ref.startsWith('./')) continue;
      expect(ref).toMatch(/@[0-9a-f]{40}$/);
      expect(rest).toMatch(/ # v\d/);
    }
  });
});
