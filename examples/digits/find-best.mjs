// Step `find-best-model`: the model to ship is the toolkit's choice, not this script's. It runs
// `mlops compare` (on PATH in every step the toolkit runs) with the pipeline file's x-mlops selection rule
// (highest accuracy, ties to the lower loss, `accuracy >= 0.9`) over the evaluations that arrived, then
// copies the winner's model, found by the sha256 its evaluation names. Joined edges may put the inputs in
// subfolders or rename them, so both inputs are walked recursively. Whether the winner replaces
// production is decided by the deployment node's gate (promote / hold), against the registry.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isModelDocument } from './lib/model.mjs';
import { inputFiles, inputsDir, logMetadata, parseParameters, runStep, sha256File, UsageError, writeOutput } from './lib/valohai.mjs';

const PIPELINE_FILE = fileURLToPath(new URL('./valohai.yaml', import.meta.url));

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The toolkit's decision over these evaluation files (the whole `mlops compare --json` document). */
function compare(files) {
  let stdout;
  try {
    stdout = execFileSync('mlops', ['compare', PIPELINE_FILE, '--no-baseline', '--json', ...files.flatMap((file) => ['--evaluations', file])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const said = `${error.stderr ?? ''}`.trim() || error.message;
    throw new UsageError(`mlops compare failed: ${said}`);
  }
  return JSON.parse(stdout);
}

runStep(() => {
  parseParameters({});
  const modelsBySha = new Map();
  for (const path of inputFiles('models')) {
    if (!path.endsWith('.json')) continue;
    const document = readJson(path);
    if (isModelDocument(document)) modelsBySha.set(sha256File(path), { path, document });
  }
  if (modelsBySha.size === 0) throw new UsageError(`input 'models' holds no model files (model.json)`);

  const evaluations = inputFiles('evaluations').filter((path) => path.endsWith('.json') && typeof readJson(path)?.model_sha256 === 'string');
  if (evaluations.length === 0) throw new UsageError(`input 'evaluations' holds no evaluation.json`);
  const decision = compare(evaluations);
  const winner = decision.winner;
  if (!winner) throw new UsageError(`no model to pick: ${decision.reason}`);
  const modelSha = winner.metrics.model_sha256;
  const model = modelsBySha.get(modelSha);
  if (!model) throw new UsageError(`the winner ${winner.node} evaluates a model (sha256 ${modelSha}) that is not in input 'models'`);

  writeOutput('model.json', readFileSync(model.path));
  const source = (path) => relative(join(inputsDir(), 'evaluations'), path).split(/[\\/]/).join('/');
  const best = {
    best_model: model.document.model_id ?? modelSha.slice(0, 12),
    model_sha256: modelSha,
    accuracy: winner.metrics.accuracy,
    loss: winner.metrics.loss,
    macro_f1: winner.metrics.macro_f1,
    rule: decision.selection.rule,
    reason: decision.reason,
    candidates: decision.selection.table.map((row) => ({ candidate: row.node, accuracy: row.metrics.accuracy, loss: row.metrics.loss, ...(row.excluded ? { excluded: row.excluded } : {}) })),
    evaluation_files: evaluations.map(source),
  };
  writeOutput('best.json', `${JSON.stringify(best, null, 2)}\n`);
  logMetadata({ best_accuracy: best.accuracy, best_model: best.best_model, candidates: decision.selection.table.length });
});
