import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{e}from"./chunk-HA5PSTW5.js";import"./chunk-KJ5LDIWT.js";import"./chunk-CVP36IHB.js";import"./chunk-5FMM7D7D.js";import"./chunk-XXFMMH2Q.js";import"./chunk-543TYIFA.js";import"./chunk-W75X5O5P.js";import"./chunk-G4ZLGACR.js";import"./chunk-JRYCDGJ7.js";import"./chunk-GLG7J37A.js";import"./chunk-D7LFJ6MZ.js";import"./chunk-7DWOQENF.js";var t=e("reject","reject a Kubernetes canary: remove it, the serving version keeps all traffic","Takes the canary out of the Service, removes it and gives the serving Deployment its former size.");export{t as command};
