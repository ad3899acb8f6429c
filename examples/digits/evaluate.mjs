// Step `evaluate-model`: scores a model on the held-out `test.csv`, writes `evaluation.json` and prints
// the headline metrics as metadata.
import { readNumericCsv, splitLabelled } from './lib/data.mjs';
import { evaluate, loadModel, round } from './lib/model.mjs';
import { inputFile, logMetadata, parseParameters, runStep, sha256File, UsageError, writeOutput } from './lib/valohai.mjs';

runStep(() => {
  parseParameters({});
  const modelPath = inputFile('model', undefined, /model[^/\\]*\.json$/);
  const testPath = inputFile('test', undefined, /test[^/\\]*\.csv$/);
  const model = loadModel(modelPath);
  const { features, labels } = splitLabelled(readNumericCsv(testPath), testPath, { requireLabels: true });
  if (features.length === 0) throw new UsageError(`${testPath} has no rows`);

  const result = evaluate(model, features, labels);
  const evaluation = {
    accuracy: round(result.accuracy),
    macro_f1: round(result.macro_f1),
    loss: round(result.loss),
    confusion_matrix: result.confusion_matrix,
    classes: model.classes,
    n: result.n,
    model_id: model.document.model_id,
    model_sha256: sha256File(modelPath),
    test_file_sha256: sha256File(testPath),
  };
  // One confusion-matrix row per line keeps the file readable.
  const text = JSON.stringify(evaluation, null, 2).replace(/\[\s+([\d,\s]+?)\s+\]/g, (_, inner) => `[${inner.replace(/\s+/g, ' ')}]`);
  writeOutput('evaluation.json', `${text}\n`);
  logMetadata({ accuracy: evaluation.accuracy, macro_f1: evaluation.macro_f1, loss: evaluation.loss });
});
