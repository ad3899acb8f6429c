// Step `train-model`: trains the classifier on `train.csv` and writes `model.json` with its provenance.
import { PIXEL_MAX, readNumericCsv, splitLabelled } from './lib/data.mjs';
import { round, serializeModel, train } from './lib/model.mjs';
import { inputFile, logMetadata, parseParameters, runStep, sha256File, UsageError, writeOutput } from './lib/valohai.mjs';

runStep(() => {
  const params = parseParameters({
    learning_rate: { type: 'float', default: 0.1 },
    epochs: { type: 'integer', default: 10 },
    l2: { type: 'float', default: 0.0001 },
    batch_size: { type: 'integer', default: 32 },
    hidden_units: { type: 'integer', default: 0 },
    seed: { type: 'integer', default: 42 },
  });
  if (!(params.learning_rate > 0)) throw new UsageError('learning_rate must be positive');
  if (params.epochs < 1) throw new UsageError('epochs must be at least 1');
  if (params.l2 < 0) throw new UsageError('l2 must not be negative');
  if (params.batch_size < 1) throw new UsageError('batch_size must be at least 1');
  if (params.hidden_units < 0) throw new UsageError('hidden_units must not be negative');

  const trainPath = inputFile('train', undefined, /train[^/\\]*\.csv$/);
  const { features, labels } = splitLabelled(readNumericCsv(trainPath), trainPath, { requireLabels: true });
  if (features.length === 0) throw new UsageError(`${trainPath} has no rows`);

  let last = { loss: NaN, train_accuracy: NaN };
  const trained = train(
    features,
    labels,
    {
      learningRate: params.learning_rate,
      epochs: params.epochs,
      l2: params.l2,
      seed: params.seed,
      batchSize: params.batch_size,
      hiddenUnits: params.hidden_units,
    },
    ({ epoch, loss, train_accuracy }) => {
      last = { loss, train_accuracy };
      logMetadata({ epoch, loss: round(loss), train_accuracy: round(train_accuracy) });
    },
  );

  const kind = params.hidden_units > 0 ? `mlp${params.hidden_units}` : 'softmax';
  const modelId = `${kind}-lr${params.learning_rate}-e${params.epochs}-l2_${params.l2}-s${params.seed}`;
  const model = serializeModel(trained, {
    model_id: modelId,
    preprocessing: { pixel_max: PIXEL_MAX, note: 'features are raw pixels divided by pixel_max' },
    training: {
      ...params,
      train_rows: features.length,
      train_file_sha256: sha256File(trainPath),
      final_loss: round(last.loss),
      final_train_accuracy: round(last.train_accuracy),
    },
  });
  writeOutput('model.json', `${JSON.stringify(model)}\n`);
  logMetadata({ model_id: modelId, train_rows: features.length });
});
