// A compact classifier in plain JavaScript: multinomial logistic regression (softmax), or with
// `hiddenUnits > 0` a one-hidden-layer ReLU network, trained by mini-batch gradient descent with L2.
// Everything random comes from one seeded PRNG, so a run is reproducible from its parameters.
import { readFileSync } from 'node:fs';

export const MODEL_FORMAT = 'digits-classifier/1';

/** mulberry32: a tiny, fast 32-bit PRNG; returns a function giving floats in [0, 1). */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of a copy of `items`. */
export function shuffled(items, random) {
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Standard normal sample (Box–Muller). */
function gaussian(random) {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Layer sizes and He-initialised weights; `weights[o * inputs + i]` connects input i to output o. */
function initLayers(sizes, random) {
  const layers = [];
  for (let l = 0; l + 1 < sizes.length; l += 1) {
    const inputs = sizes[l];
    const outputs = sizes[l + 1];
    // He initialisation for ReLU layers; the output layer starts small so early softmax is near uniform.
    const scale = Math.sqrt(2 / inputs) * (l + 2 === sizes.length ? 0.1 : 1);
    const weights = new Float64Array(inputs * outputs);
    for (let k = 0; k < weights.length; k += 1) weights[k] = gaussian(random) * scale;
    layers.push({ inputs, outputs, weights, bias: new Float64Array(outputs) });
  }
  return layers;
}

/** Forward pass; returns the activations of every layer (the last one is the softmax output). */
function forward(layers, x) {
  const activations = [x];
  let current = x;
  layers.forEach((layer, index) => {
    const out = new Float64Array(layer.outputs);
    for (let o = 0; o < layer.outputs; o += 1) {
      let sum = layer.bias[o];
      const row = o * layer.inputs;
      for (let i = 0; i < layer.inputs; i += 1) sum += layer.weights[row + i] * current[i];
      out[o] = sum;
    }
    if (index < layers.length - 1) {
      for (let o = 0; o < out.length; o += 1) if (out[o] < 0) out[o] = 0;
    } else {
      softmaxInPlace(out);
    }
    activations.push(out);
    current = out;
  });
  return activations;
}

function softmaxInPlace(values) {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  let sum = 0;
  for (let k = 0; k < values.length; k += 1) {
    values[k] = Math.exp(values[k] - max);
    sum += values[k];
  }
  for (let k = 0; k < values.length; k += 1) values[k] /= sum;
}

/** Cross-entropy of one prediction, clipped so a confident mistake stays finite. */
export function crossEntropy(probabilities, labelIndex) {
  return -Math.log(Math.max(probabilities[labelIndex], 1e-12));
}

/**
 * Trains a classifier. `features` are rows of numbers in 0..1, `labels` class values.
 * Calls `onEpoch({epoch, loss, train_accuracy})` after each epoch, measured on the whole training set.
 */
export function train(features, labels, options, onEpoch = () => {}) {
  const { learningRate, epochs, l2, seed, batchSize, hiddenUnits } = options;
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const targets = labels.map((label) => classIndex.get(label));
  const inputSize = features[0].length;
  const random = mulberry32(seed);
  const sizes = hiddenUnits > 0 ? [inputSize, hiddenUnits, classes.length] : [inputSize, classes.length];
  const layers = initLayers(sizes, random);
  const inputs = features.map((row) => Float64Array.from(row));
  const order = inputs.map((_, i) => i);

  for (let epoch = 1; epoch <= epochs; epoch += 1) {
    const batchOrder = shuffled(order, random);
    for (let start = 0; start < batchOrder.length; start += batchSize) {
      const batch = batchOrder.slice(start, start + batchSize);
      const gradW = layers.map((layer) => new Float64Array(layer.weights.length));
      const gradB = layers.map((layer) => new Float64Array(layer.bias.length));
      for (const sample of batch) {
        const activations = forward(layers, inputs[sample]);
        // Softmax + cross-entropy: the output error is probabilities minus the one-hot target.
        let delta = Float64Array.from(activations[layers.length]);
        delta[targets[sample]] -= 1;
        for (let l = layers.length - 1; l >= 0; l -= 1) {
          const layer = layers[l];
          const input = activations[l];
          for (let o = 0; o < layer.outputs; o += 1) {
            const d = delta[o];
            if (d === 0) continue;
            gradB[l][o] += d;
            const row = o * layer.inputs;
            for (let i = 0; i < layer.inputs; i += 1) gradW[l][row + i] += d * input[i];
          }
          if (l > 0) {
            const previous = new Float64Array(layer.inputs);
            for (let o = 0; o < layer.outputs; o += 1) {
              const row = o * layer.inputs;
              for (let i = 0; i < layer.inputs; i += 1) previous[i] += layer.weights[row + i] * delta[o];
            }
            // ReLU derivative: no gradient through units that were off.
            for (let i = 0; i < previous.length; i += 1) if (input[i] <= 0) previous[i] = 0;
            delta = previous;
          }
        }
      }
      layers.forEach((layer, l) => {
        const step = learningRate / batch.length;
        for (let k = 0; k < layer.weights.length; k += 1) {
          layer.weights[k] -= step * gradW[l][k] + learningRate * l2 * layer.weights[k];
        }
        for (let o = 0; o < layer.bias.length; o += 1) layer.bias[o] -= step * gradB[l][o];
      });
    }
    const { loss, accuracy } = scoreLayers(layers, inputs, targets);
    onEpoch({ epoch, loss, train_accuracy: accuracy });
  }
  return { classes, inputSize, layers };
}

function scoreLayers(layers, inputs, targets) {
  let loss = 0;
  let correct = 0;
  inputs.forEach((x, i) => {
    const probabilities = forward(layers, x)[layers.length];
    loss += crossEntropy(probabilities, targets[i]);
    if (argmax(probabilities) === targets[i]) correct += 1;
  });
  return { loss: loss / inputs.length, accuracy: correct / inputs.length };
}

export function argmax(values) {
  let best = 0;
  for (let k = 1; k < values.length; k += 1) if (values[k] > values[best]) best = k;
  return best;
}

/** The JSON document of a trained model; `extra` carries provenance (training parameters, metrics). */
export function serializeModel(trained, extra) {
  return {
    format: MODEL_FORMAT,
    ...extra,
    classes: trained.classes,
    input_size: trained.inputSize,
    hidden_units: trained.layers.length > 1 ? trained.layers[0].outputs : 0,
    activation: 'relu',
    layers: trained.layers.map((layer) => ({
      inputs: layer.inputs,
      outputs: layer.outputs,
      weights: Array.from(layer.weights),
      bias: Array.from(layer.bias),
    })),
  };
}

/** Loads and checks a model.json written by `serializeModel`. */
export function loadModel(path) {
  let document;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read model ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (document?.format !== MODEL_FORMAT || !Array.isArray(document.layers) || !Array.isArray(document.classes)) {
    throw new Error(`${path} is not a ${MODEL_FORMAT} model`);
  }
  const layers = document.layers.map((layer) => ({
    inputs: layer.inputs,
    outputs: layer.outputs,
    weights: Float64Array.from(layer.weights),
    bias: Float64Array.from(layer.bias),
  }));
  return { document, layers, classes: document.classes, inputSize: document.input_size };
}

/** True when `document` looks like a model file (used to tell models from other JSON in an input). */
export function isModelDocument(document) {
  return document?.format === MODEL_FORMAT;
}

/** Class probabilities for one row of features (already scaled to 0..1). */
export function predictProbabilities(model, features) {
  if (features.length !== model.inputSize) {
    throw new Error(`expected ${model.inputSize} features, got ${features.length}`);
  }
  return Array.from(forward(model.layers, Float64Array.from(features))[model.layers.length]);
}

/**
 * Scales raw pixels (0..pixel_max, the scale of the original data set) to the 0..1 features the model
 * was trained on; `preprocessing.pixel_max` in the model records that scale.
 */
export function featuresFromPixels(model, pixels) {
  const pixelMax = model.document.preprocessing?.pixel_max ?? 16;
  return pixels.map((value) => value / pixelMax);
}

/** Accuracy, macro F1, mean cross-entropy and confusion matrix (rows: true class, columns: predicted). */
export function evaluate(model, features, labels) {
  const k = model.classes.length;
  const confusion = Array.from({ length: k }, () => new Array(k).fill(0));
  const classIndex = new Map(model.classes.map((c, i) => [c, i]));
  let loss = 0;
  let correct = 0;
  features.forEach((row, n) => {
    const truth = classIndex.get(labels[n]);
    if (truth === undefined) throw new Error(`label ${labels[n]} is not one of the model's classes`);
    const probabilities = predictProbabilities(model, row);
    const predicted = argmax(probabilities);
    loss += crossEntropy(probabilities, truth);
    if (predicted === truth) correct += 1;
    confusion[truth][predicted] += 1;
  });
  let f1Sum = 0;
  for (let c = 0; c < k; c += 1) {
    const truePositives = confusion[c][c];
    const predictedCount = confusion.reduce((sum, row) => sum + row[c], 0);
    const actualCount = confusion[c].reduce((sum, v) => sum + v, 0);
    const precision = predictedCount === 0 ? 0 : truePositives / predictedCount;
    const recall = actualCount === 0 ? 0 : truePositives / actualCount;
    f1Sum += precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }
  return {
    accuracy: correct / features.length,
    macro_f1: f1Sum / k,
    loss: loss / features.length,
    confusion_matrix: confusion,
    n: features.length,
  };
}

/** Rounds a metric for printing; keeps JSON short without changing any decision made on it. */
export function round(value, digits = 6) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
