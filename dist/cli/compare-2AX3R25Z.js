import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{c as a,d as b,e as c}from"./chunk-F46ACKPO.js";import"./chunk-HMGVQWAR.js";import"./chunk-WBPVQMXW.js";import"./chunk-UL4GNVFD.js";import"./chunk-TKOIAOJG.js";import"./chunk-XXFMMH2Q.js";import"./chunk-7Y5CKGDI.js";import"./chunk-W75X5O5P.js";import"./chunk-G4ZLGACR.js";import"./chunk-55MOYGTI.js";import"./chunk-XCVWQBZ7.js";import"./chunk-D7LFJ6MZ.js";import"./chunk-7DWOQENF.js";export{c as command,b as ruleOptions,a as ruleOverridesFromOptions};
