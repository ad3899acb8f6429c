// A model server for the deploy tests: answers with its model file's `name`. The model file also sets
// its faults, like a broken new version would have them:
//   "healthy": false      the health check answers 500      "healthStatus": 404   it answers that status
//   "predictStatus": 500  every other request answers that   "crashAfter": N       exits on request N+1
//   "exitOn": "/crash"    a request to that path exits at once "hang": true         /predict never answers
//   "delayMs": D          each answer waits D ms             "serial": true        one request at a time
//   "coldRequests": N     the first N requests are cold, like a model loaded lazily: their answer says
//                         "cold": true and waits "coldMs" more; with "coldFailFile": PATH they answer 503
//                         instead when PATH exists as the server starts
//   "failStartsFile": PATH  while PATH exists, the server exits 5 as it starts (a model that cannot load);
//                         a number N in it fails the next N starts only (counting down)
import { createServer } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const model = JSON.parse(readFileSync(process.env.MODEL_PATH ?? 'model.json', 'utf8'));
if (model.failStartsFile !== undefined && existsSync(model.failStartsFile)) {
  const left = readFileSync(model.failStartsFile, 'utf8').trim();
  if (/^\d+$/.test(left)) {
    if (Number(left) > 0) writeFileSync(model.failStartsFile, String(Number(left) - 1));
  }
  if (!/^\d+$/.test(left) || Number(left) > 0) {
    process.stderr.write(`cannot load the model: ${model.failStartsFile} says ${left}\n`);
    process.exit(5);
  }
}
let answered = 0;
let received = 0;
let queue = Promise.resolve();
const coldFails = model.coldFailFile !== undefined && existsSync(model.coldFailFile);
const server = createServer((request, response) => {
  if (model.exitOn !== undefined && request.url === model.exitOn) process.exit(3); // a crash
  if (request.url === '/healthz') {
    const status = model.healthStatus ?? (model.healthy === false ? 500 : 200);
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: status === 200 ? 'ok' : 'broken' }));
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    if (model.crashAfter !== undefined && answered >= model.crashAfter) process.exit(4);
    if (model.hang) return; // never answers
    const cold = received < (model.coldRequests ?? 0);
    received += 1;
    if (cold && coldFails) {
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end('{"error":"model not loaded yet"}');
      return;
    }
    const body = Buffer.concat(chunks);
    const reply = () => {
      answered += 1;
      let parsed;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        parsed = undefined;
      }
      const instances = parsed && Array.isArray(parsed.instances) ? parsed.instances : undefined;
      const text = JSON.stringify(
        instances
          ? { model: model.name, predictions: instances.map((_, i) => ({ prediction: i % 10, confidence: 0.9 })) }
          : { model: model.name, received: body.length, prediction: 7, ...(cold ? { cold: true } : {}) },
      );
      const status = model.predictStatus ?? 200;
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    };
    const delay = (model.delayMs ?? 0) + (cold ? model.coldMs ?? 0 : 0);
    if (model.serial) {
      queue = queue.then(() => new Promise((done) => setTimeout(() => { reply(); done(); }, delay)));
    } else if (delay > 0) setTimeout(reply, delay);
    else reply();
  });
});
server.listen(Number(process.env.PORT ?? 8000), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
