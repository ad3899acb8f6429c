import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as o,b as n,d as a}from"./chunk-FKBOJBQD.js";import"./chunk-KJ5LDIWT.js";import"./chunk-CVP36IHB.js";import"./chunk-5FMM7D7D.js";import"./chunk-XXFMMH2Q.js";import"./chunk-543TYIFA.js";import"./chunk-W75X5O5P.js";import"./chunk-G4ZLGACR.js";import"./chunk-JRYCDGJ7.js";import"./chunk-GLG7J37A.js";import"./chunk-D7LFJ6MZ.js";import{h as t}from"./chunk-7DWOQENF.js";import{parseArgs as i}from"node:util";var m=`Usage: mlops reject [FILE] [--deployment NAME] [--endpoint NAME] [options]

Takes the canary out of the Service, removes it and gives the serving Deployment its former size.
Canaries run on Kubernetes only (\`mlops deploy --target kubernetes --strategy canary --manual-promote\`).

${n}`,u={summary:"reject a Kubernetes canary: remove it, the serving version keeps all traffic",usage:m,async run(s){let{values:e,positionals:r}=i({args:s,allowPositionals:!0,options:o});if(r.length>1)throw new t(`expected at most one pipeline file, got ${r.join(" ")}`);if(e.target!==void 0&&e.target!=="kubernetes")throw new t("reject works on Kubernetes canaries: --target kubernetes (a local endpoint has no canary)");return a("reject",e,r[0])}};export{u as command};
