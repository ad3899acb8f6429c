/** A small pipeline whose steps are Node scripts: prepare → train (task, 2 variants) → evaluate. */
export const PIPELINE_FILE = `
- step:
    name: prepare
    image: node:20
    command:
      - node scripts/prepare.mjs {parameters}
    parameters:
      - name: rows
        type: integer
        default: 3
- step:
    name: train
    image: node:20
    command:
      - node scripts/train.mjs {parameters}
    parameters:
      - name: learning_rate
        type: float
        default: 0.5
    inputs:
      - name: dataset
- step:
    name: evaluate
    image: node:20
    command:
      - node scripts/evaluate.mjs {parameters}
    parameters:
      - name: threshold
        type: integer
        default: 0
    inputs:
      - name: models
- task:
    name: sweep
    step: train
    type: grid_search
    parameters:
      - name: learning_rate
        style: multiple
        rules:
          items: [0.1, 0.2]
- pipeline:
    name: chain
    parameters:
      - name: rows
        targets:
          - prepare.parameter.rows
        default: 3
    nodes:
      - name: prepare
        type: execution
        step: prepare
      - name: train
        type: task
        task: sweep
      - name: evaluate
        type: execution
        step: evaluate
    edges:
      - [prepare.output.data/train.csv, train.input.dataset]
      - [prepare.metadata.rows, evaluate.parameter.threshold]
      - [train.output.model.txt, evaluate.input.models]
`;

/** Lists every file under the inputs folder, relative to it, as one metadata value. */
const LIST_INPUTS = `
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
const root = process.env.VH_INPUTS_DIR;
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else files.push(relative(root, full));
  }
};
walk(root);
export const inputFiles = files.sort().join(',');
`;

export const SCRIPTS: Record<string, string> = {
  'scripts/list-inputs.mjs': LIST_INPUTS,
  'scripts/prepare.mjs': `
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const rows = Number(process.argv.find((a) => a.startsWith('--rows='))?.slice(7));
const out = process.env.VH_OUTPUTS_DIR;
mkdirSync(join(out, 'data'), { recursive: true });
writeFileSync(join(out, 'data', 'train.csv'), Array.from({ length: Math.max(rows, 0) }, (_, i) => String(i)).join('\\n') + '\\n');
writeFileSync(join(out, 'data', 'test.csv'), 'held out\\n');
writeFileSync(join(out, 'notes.txt'), 'not for anyone downstream\\n');
console.log('preparing');
console.log(JSON.stringify({ rows }));
`,
  'scripts/train.mjs': `
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputFiles } from './list-inputs.mjs';
const lr = Number(process.argv.find((a) => a.startsWith('--learning_rate='))?.slice(16));
const rows = readFileSync(join(process.env.VH_INPUTS_DIR, 'dataset', 'train.csv'), 'utf8').trim().split('\\n').length;
writeFileSync(join(process.env.VH_OUTPUTS_DIR, 'model.txt'), 'model lr=' + lr + ' rows=' + rows + '\\n');
console.log(JSON.stringify({ accuracy: lr * 4, rows, inputs: inputFiles }));
`,
  'scripts/evaluate.mjs': `
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inputFiles } from './list-inputs.mjs';
const threshold = Number(process.argv.find((a) => a.startsWith('--threshold='))?.slice(12));
const dir = join(process.env.VH_INPUTS_DIR, 'models');
const models = readdirSync(dir, { recursive: true }).filter((p) => p.endsWith('model.txt')).sort();
const text = models.map((p) => readFileSync(join(dir, p), 'utf8').trim()).join(' | ');
console.log(JSON.stringify({ threshold, models: models.length, summary: text, inputs: inputFiles }));
if (threshold < 0) process.exit(3);
`,
};
