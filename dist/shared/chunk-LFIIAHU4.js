import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a}from"./chunk-VSJQBLQU.js";import{a as n}from"./chunk-YYKMUCKQ.js";var e=["auto","link","warn"];function h(r,i="valohai-paths"){let o=r.trim()||"auto",t=e.find(s=>s===o);if(t===void 0)throw new a(`input "${i}" must be one of ${e.join(", ")}, got "${o}"`);return t}n(h,"parseValohaiPathsMode");export{h as a};
