// Step `batch-inference`: predicts a digit for every row of the `data` CSV (64 raw pixels 0..16 per row,
// an optional 65th column is taken as the true label) and writes `predictions.csv`, plus `scored.csv`:
// the model's view of the same rows (pixels scaled as in train.csv, same header) and its prediction, which
// `mlops drift` compares with the profile of the training data.
import { readNumericCsv, splitLabelled } from './lib/data.mjs';
import { argmax, featuresFromPixels, loadModel, predictProbabilities, round } from './lib/model.mjs';
import { inputFile, inputFiles, logMetadata, parseParameters, runStep, UsageError, writeOutput } from './lib/valohai.mjs';

const DEFAULT_DATA = 'examples/digits/data/new-digits.csv';

/** Quotes a CSV field only when it needs it (file names may contain commas or quotes). */
function csvField(value) {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

runStep(() => {
  parseParameters({});
  const model = loadModel(inputFile('model', undefined, /model[^/\\]*\.json$/));
  const dataFiles = inputFiles('data', DEFAULT_DATA).filter((path) => /\.csv(\.gz)?$/.test(path));
  if (dataFiles.length === 0) throw new UsageError(`input 'data' holds no .csv file`);

  const header = ['file', 'row', 'predicted', 'confidence', ...model.classes.map((c) => `p_${c}`)];
  const lines = [header.join(',')];
  const scored = [[...Array.from({ length: model.inputSize ?? 64 }, (_, i) => `p${i}`), 'predicted'].join(',')];
  const predictedCounts = Object.fromEntries(model.classes.map((c) => [`predicted_${c}`, 0]));
  let rows = 0;
  let labelled = 0;
  let correct = 0;
  let confidenceSum = 0;
  for (const path of dataFiles) {
    const { features, labels } = splitLabelled(readNumericCsv(path), path, { requireLabels: false });
    const name = path.split(/[\\/]/).pop();
    features.forEach((pixels, index) => {
      const scaled = featuresFromPixels(model, pixels);
      const probabilities = predictProbabilities(model, scaled);
      const best = argmax(probabilities);
      const predicted = model.classes[best];
      rows += 1;
      confidenceSum += probabilities[best];
      predictedCounts[`predicted_${predicted}`] += 1;
      if (labels[index] !== undefined) {
        labelled += 1;
        if (labels[index] === predicted) correct += 1;
      }
      lines.push([csvField(name), index + 1, predicted, round(probabilities[best]), ...probabilities.map((p) => round(p))].join(','));
      scored.push([...Array.from(scaled, (v) => round(v)), predicted].join(','));
    });
  }
  writeOutput('predictions.csv', `${lines.join('\n')}\n`);
  writeOutput('scored.csv', `${scored.join('\n')}\n`);
  const summary = { predictions: rows, mean_confidence: rows === 0 ? 0 : round(confidenceSum / rows), ...predictedCounts };
  if (labelled > 0) summary.labelled_accuracy = round(correct / labelled);
  logMetadata(summary);
});
