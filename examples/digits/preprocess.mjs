// Step `preprocess-dataset`: shuffles the labelled digits with a seed, scales pixels to 0..1 and writes
// a training split and a held-out test split.
import { csvHeader, formatNumber, PIXEL_MAX, readNumericCsv, splitLabelled } from './lib/data.mjs';
import { mulberry32, shuffled } from './lib/model.mjs';
import { inputFile, logMetadata, parseParameters, runStep, UsageError, writeOutput } from './lib/valohai.mjs';

const DEFAULT_DATASET = 'examples/digits/data/digits.csv.gz';

runStep(() => {
  const params = parseParameters({
    test_fraction: { type: 'float', default: 0.2 },
    seed: { type: 'integer', default: 42 },
  });
  if (!(params.test_fraction > 0 && params.test_fraction < 1)) {
    throw new UsageError(`test_fraction must be between 0 and 1 (exclusive), got ${params.test_fraction}`);
  }
  const datasetPath = inputFile('dataset', DEFAULT_DATASET, /\.csv(\.gz)?$/);
  const { features, labels } = splitLabelled(readNumericCsv(datasetPath), datasetPath, { requireLabels: true });

  const order = shuffled(features.map((_, i) => i), mulberry32(params.seed));
  const testCount = Math.max(1, Math.round(order.length * params.test_fraction));
  const testRows = order.slice(0, testCount);
  const trainRows = order.slice(testCount);

  const toCsv = (rows) =>
    [csvHeader(true), ...rows.map((i) => [...features[i].map((v) => formatNumber(v / PIXEL_MAX)), labels[i]].join(','))]
      .join('\n') + '\n';
  writeOutput('train.csv', toCsv(trainRows));
  writeOutput('test.csv', toCsv(testRows));

  logMetadata({
    rows: features.length,
    train_rows: trainRows.length,
    test_rows: testRows.length,
    features: features[0].length,
    classes: new Set(labels).size,
  });
});
