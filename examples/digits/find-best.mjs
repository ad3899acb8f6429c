// Step `find-best-model`: reads every evaluation and every model that arrived (joined edges may put
// them in subfolders or rename them, so both inputs are walked recursively), pairs each evaluation
// with its model by the model's sha256, and keeps the one with the highest accuracy (ties: lower loss).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isModelDocument } from './lib/model.mjs';
import {
  inputFiles,
  inputsDir,
  logMetadata,
  parseParameters,
  runStep,
  sha256File,
  UsageError,
  writeOutput,
} from './lib/valohai.mjs';

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Higher accuracy wins; equal accuracy goes to the lower loss; then the input order decides. */
function isBetter(candidate, best) {
  if (candidate.accuracy !== best.accuracy) return candidate.accuracy > best.accuracy;
  return candidate.loss < best.loss;
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

  const candidates = [];
  for (const path of inputFiles('evaluations')) {
    if (!path.endsWith('.json')) continue;
    const evaluation = readJson(path);
    if (typeof evaluation?.accuracy !== 'number' || typeof evaluation.model_sha256 !== 'string') continue;
    const source = relative(join(inputsDir(), 'evaluations'), path).split(/[\\/]/).join('/');
    const model = modelsBySha.get(evaluation.model_sha256);
    if (!model) {
      process.stderr.write(`warning: ${source} evaluates a model that is not in input 'models'; skipped\n`);
      continue;
    }
    candidates.push({
      evaluation_file: source,
      model_id: model.document.model_id ?? evaluation.model_sha256.slice(0, 12),
      model_sha256: evaluation.model_sha256,
      accuracy: evaluation.accuracy,
      loss: typeof evaluation.loss === 'number' ? evaluation.loss : Infinity,
      macro_f1: evaluation.macro_f1,
      modelPath: model.path,
    });
  }
  if (candidates.length === 0) {
    throw new UsageError(`input 'evaluations' holds no evaluation.json that matches a model in input 'models'`);
  }

  const best = candidates.reduce((winner, candidate) => (isBetter(candidate, winner) ? candidate : winner));
  writeOutput('model.json', readFileSync(best.modelPath));
  const strip = ({ modelPath: _path, ...rest }) => rest;
  writeOutput(
    'best.json',
    `${JSON.stringify({ best_model: best.model_id, ...strip(best), candidates: candidates.map(strip) }, null, 2)}\n`,
  );
  logMetadata({ best_accuracy: best.accuracy, best_model: best.model_id, candidates: candidates.length });
});
