/**
 * Regenerates src/deploy/kubernetes/openapi-subset.json: the strict schemas of the kinds `mlops deploy`
 * generates, from the official Kubernetes OpenAPI in ../shared/peers/kubernetes-openapi/swagger.json
 * (test/deploy/openapi.test.ts fails when the committed file differs from what this writes).
 *
 *   node --import tsx scripts/kubernetes-openapi-subset.ts [path/to/swagger.json]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_ROOTS, strictDefinitions, type OpenApiDefinitions } from '../src/deploy/kubernetes/openapi.js';

const root = join(import.meta.dirname, '..');
const source = process.argv[2] ?? join(root, '../shared/peers/kubernetes-openapi/swagger.json');
const swagger = JSON.parse(await readFile(source, 'utf8')) as OpenApiDefinitions;
const target = join(root, 'src/deploy/kubernetes/openapi-subset.json');
await writeFile(target, `${JSON.stringify(strictDefinitions(swagger, MANIFEST_ROOTS), null, 1)}\n`);
process.stdout.write(`wrote ${target}\n`);
