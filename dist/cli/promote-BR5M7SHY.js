import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as n,b as r,d as a}from"./chunk-FKBOJBQD.js";import"./chunk-KJ5LDIWT.js";import"./chunk-CVP36IHB.js";import"./chunk-5FMM7D7D.js";import"./chunk-XXFMMH2Q.js";import"./chunk-543TYIFA.js";import"./chunk-W75X5O5P.js";import"./chunk-G4ZLGACR.js";import"./chunk-JRYCDGJ7.js";import"./chunk-GLG7J37A.js";import"./chunk-D7LFJ6MZ.js";import{h as t}from"./chunk-7DWOQENF.js";import{parseArgs as i}from"node:util";var m=`Usage: mlops promote [FILE] [--deployment NAME] [--endpoint NAME] [options]

Gives the running canary's model version to the Deployment that serves (a rolling update, checked
through the Service's Endpoints, rolled back automatically on failure) and removes the canary.
Canaries run on Kubernetes only (\`mlops deploy --target kubernetes --strategy canary --manual-promote\`).

${r}`,c={summary:"promote a Kubernetes canary: its version replaces the serving one (rolling, with automatic rollback)",usage:m,async run(s){let{values:e,positionals:o}=i({args:s,allowPositionals:!0,options:n});if(o.length>1)throw new t(`expected at most one pipeline file, got ${o.join(" ")}`);if(e.target!==void 0&&e.target!=="kubernetes")throw new t("promote works on Kubernetes canaries: --target kubernetes (a local endpoint has no canary)");return a("promote",e,o[0])}};export{c as command};
