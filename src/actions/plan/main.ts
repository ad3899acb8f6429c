import * as core from '@actions/core';
import { getInputs } from './inputs.js';
import { runAction } from '../run-action.js';

/** The plan action: pipeline file → one matrix output per wave chunk, node list, depth, Mermaid picture. */
export async function run(): Promise<void> {
  await runAction(async () => {
    const inputs = getInputs();
    // The pipeline loader (YAML parser, schemas) and the planner load once the inputs are read and checked.
    const [{ loadConfigOrThrow }, { planPipeline }, { planOutputs }] = await Promise.all([
      import('../../plan/load-config.js'),
      import('../../plan/plan.js'),
      import('../../plan/outputs.js'),
    ]);
    const config = await core.group(`Load ${inputs.file}`, async () => {
      const loaded = await loadConfigOrThrow(inputs.file);
      for (const warning of loaded.warnings) core.warning(warning);
      return loaded.config;
    });
    const plan = planPipeline(config, inputs.pipeline, {
      parameters: inputs.parameters,
      maxWaves: inputs.maxWaves,
      maxChunks: inputs.chunksPerWave,
    });
    for (const warning of plan.warnings) core.warning(warning);
    const outputs = planOutputs(plan, { maxWaves: inputs.maxWaves, chunksPerWave: inputs.chunksPerWave });
    core.setOutput('pipeline', plan.pipeline);
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);

    const jobs = plan.waves.reduce((sum, chunks) => sum + chunks.reduce((n, entries) => n + entries.length, 0), 0);
    core.info(`Pipeline "${plan.pipeline}": ${plan.nodes.length} nodes, ${jobs} jobs in ${plan.depth} waves`);
    await core.summary
      .addHeading(`Pipeline ${plan.pipeline}`, 2)
      .addRaw(`${plan.nodes.length} nodes, ${jobs} jobs in ${plan.depth} waves.\n\n`)
      // A fenced block, not addCodeBlock's <pre>: only Markdown fences render as a Mermaid picture.
      .addRaw(`\n\`\`\`mermaid\n${plan.mermaid.trimEnd()}\n\`\`\`\n\n`)
      .addTable([
        [
          { data: 'Wave', header: true },
          { data: 'Jobs', header: true },
          { data: 'Nodes', header: true },
        ],
        ...plan.waves.map((chunks, wave) => {
          const entries = chunks.flat();
          const nodes = [...new Set(entries.map((e) => e.node))];
          const shown = nodes.slice(0, 20).join(', ') + (nodes.length > 20 ? `, … (${nodes.length - 20} more)` : '');
          return [String(wave), String(entries.length), shown];
        }),
      ])
      .write();
  });
}
