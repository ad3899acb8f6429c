// A model server for the deploy tests: answers with its model file's `name`; a model with
// `"healthy": false` fails its health check (status 500), like a broken new version would; a request
// to `exitOn` makes it exit at once, like a crash.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const model = JSON.parse(readFileSync(process.env.MODEL_PATH ?? 'model.json', 'utf8'));
const server = createServer((request, response) => {
  if (model.exitOn !== undefined && request.url === model.exitOn) process.exit(3); // a crash
  if (request.url === '/healthz') {
    response.writeHead(model.healthy === false ? 500 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: model.healthy === false ? 'broken' : 'ok' }));
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const text = JSON.stringify({ model: model.name, received: Buffer.concat(chunks).length });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  });
});
server.listen(Number(process.env.PORT ?? 8000), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
