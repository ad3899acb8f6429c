// Step `evaluate-model`: scores a model on the held-out `test.csv`, writes `evaluation.json` and a
// confusion-matrix picture (`confusion-matrix.svg`: an image output the report shows in the pull request
// comment, as Valohai previews image outputs) and prints the headline metrics as metadata.
import { readNumericCsv, splitLabelled } from './lib/data.mjs';
import { evaluate, loadModel, round } from './lib/model.mjs';
import { inputFile, logMetadata, parseParameters, runStep, sha256File, UsageError, writeOutput } from './lib/valohai.mjs';

/** The confusion matrix as a self-contained SVG heat map (no script, no external reference). */
function confusionMatrixSvg(matrix, classes, accuracy) {
  const cell = 28;
  const left = 40;
  const top = 48;
  const size = classes.length * cell;
  const max = Math.max(1, ...matrix.flat());
  // Mistakes are few: shaded against the largest mistake, so that one stands out.
  const maxMistake = Math.max(1, ...matrix.flatMap((row, i) => row.filter((_, j) => j !== i)));
  const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + size + 10}" height="${top + size + 30}" viewBox="0 0 ${left + size + 10} ${top + size + 30}" font-family="sans-serif" font-size="11">`,
    `<title>Confusion matrix (accuracy ${escape(accuracy)})</title>`,
    '<rect width="100%" height="100%" fill="#ffffff"/>',
    `<text x="${left}" y="16" font-size="13">Confusion matrix, accuracy ${escape(accuracy)}</text>`,
    `<text x="${left + size / 2}" y="${top - 20}" text-anchor="middle">predicted</text>`,
    `<text x="12" y="${top + size / 2}" text-anchor="middle" transform="rotate(-90 12 ${top + size / 2})">actual</text>`,
  ];
  matrix.forEach((row, i) => {
    parts.push(`<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${escape(classes[i])}</text>`);
    parts.push(`<text x="${left + i * cell + cell / 2}" y="${top - 6}" text-anchor="middle">${escape(classes[i])}</text>`);
    row.forEach((count, j) => {
      const shade = Math.round(255 - (count / (i === j ? max : maxMistake)) * 180);
      const fill = i === j ? `rgb(${shade},${Math.min(255, shade + 30)},255)` : count > 0 ? `rgb(255,${shade},${shade})` : '#f6f8fa';
      const x = left + j * cell;
      const y = top + i * cell;
      parts.push(`<rect x="${x}" y="${y}" width="${cell - 1}" height="${cell - 1}" fill="${fill}"/>`);
      if (count > 0) parts.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle">${count}</text>`);
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

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
  writeOutput('confusion-matrix.svg', confusionMatrixSvg(result.confusion_matrix, model.classes, evaluation.accuracy));
  logMetadata({ accuracy: evaluation.accuracy, macro_f1: evaluation.macro_f1, loss: evaluation.loss });
});
