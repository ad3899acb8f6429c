import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{e}from"./chunk-WQRPQ2Z5.js";import"./chunk-CWEWWXBL.js";import"./chunk-2IZIT63Z.js";import"./chunk-5FMM7D7D.js";import"./chunk-XXFMMH2Q.js";import"./chunk-7Y5CKGDI.js";import"./chunk-W75X5O5P.js";import"./chunk-G4ZLGACR.js";import"./chunk-55MOYGTI.js";import"./chunk-XCVWQBZ7.js";import"./chunk-D7LFJ6MZ.js";import"./chunk-7DWOQENF.js";var a=e("promote","promote a Kubernetes canary: its version replaces the serving one (rolling, with automatic rollback)",`Gives the running canary's model version to the Deployment that serves (a rolling update, checked
through the Service's Endpoints, rolled back automatically on failure) and removes the canary.`);export{a as command};
