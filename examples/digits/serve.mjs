// Endpoint `predict-digit`: a small HTTP server around model.json.
//   GET  /healthz  -> {"status":"ok","model_id":...}
//   POST /predict  {"pixels":[64 numbers 0..16]}      -> {"prediction":d,"confidence":p,"probabilities":[...]}
//                  {"instances":[[64 numbers], ...]}  -> {"predictions":[{...}, ...]}
// Configuration: MODEL_PATH (default model.json, where the endpoint's `files` entry puts it),
// PORT (default 8000; 0 picks a free port), HOST (default 0.0.0.0, as Valohai endpoints require).
import { createServer } from 'node:http';
import { PIXELS } from './lib/data.mjs';
import { argmax, featuresFromPixels, loadModel, predictProbabilities, round } from './lib/model.mjs';

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_INSTANCES = 1000;

class RequestError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function predictOne(model, pixels, where) {
  if (!Array.isArray(pixels) || pixels.length !== PIXELS) {
    throw new RequestError(400, `${where} must be an array of ${PIXELS} numbers`);
  }
  if (!pixels.every((value) => typeof value === 'number' && Number.isFinite(value))) {
    throw new RequestError(400, `${where} must contain only finite numbers`);
  }
  const probabilities = predictProbabilities(model, featuresFromPixels(model, pixels));
  const best = argmax(probabilities);
  return {
    prediction: model.classes[best],
    confidence: round(probabilities[best]),
    probabilities: probabilities.map((p) => round(p)),
  };
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RequestError(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

async function handle(model, request) {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/healthz' || path === '/health') {
    if (request.method !== 'GET') throw new RequestError(405, 'use GET');
    return { status: 'ok', model_id: model.document.model_id ?? null };
  }
  if (path === '/predict') {
    if (request.method !== 'POST') throw new RequestError(405, 'use POST with a JSON body');
    let body;
    try {
      body = JSON.parse(await readBody(request));
    } catch (error) {
      if (error instanceof RequestError) throw error;
      throw new RequestError(400, 'body must be JSON: {"pixels":[64 numbers]} or {"instances":[[64 numbers], ...]}');
    }
    if (Array.isArray(body?.instances)) {
      if (body.instances.length > MAX_INSTANCES) throw new RequestError(413, `at most ${MAX_INSTANCES} instances`);
      return { predictions: body.instances.map((pixels, i) => predictOne(model, pixels, `instances[${i}]`)) };
    }
    if (body && 'pixels' in body) return predictOne(model, body.pixels, 'pixels');
    throw new RequestError(400, 'expected {"pixels":[64 numbers]} or {"instances":[[64 numbers], ...]}');
  }
  throw new RequestError(404, `no route ${path}; try GET /healthz or POST /predict`);
}

function main() {
  const modelPath = process.env.MODEL_PATH || 'model.json';
  let model;
  try {
    model = loadModel(modelPath);
  } catch (error) {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    return;
  }
  const port = Number(process.env.PORT ?? 8000);
  const host = process.env.HOST || '0.0.0.0';
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`error: PORT must be a port number, got '${process.env.PORT}'\n`);
    process.exitCode = 1;
    return;
  }

  const server = createServer((request, response) => {
    handle(model, request)
      .then((result) => send(response, 200, result))
      .catch((error) => {
        const status = error instanceof RequestError ? error.status : 500;
        if (status === 500) process.stderr.write(`error: ${error instanceof Error ? error.stack : String(error)}\n`);
        send(response, status, { error: status === 500 ? 'internal error' : error.message });
      });
  });
  server.on('error', (error) => {
    process.stderr.write(`error: cannot serve on ${host}:${port}: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(port, host, () => {
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    process.stdout.write(`predict-digit: serving ${model.document.model_id ?? modelPath} on http://${host}:${actualPort}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function send(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

main();
