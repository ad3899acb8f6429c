import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a}from"./chunk-N7WSAPKA.js";import"./chunk-R3ACUHWY.js";import"./chunk-VSJQBLQU.js";import"./chunk-YYKMUCKQ.js";export{a as expandFilePatterns};
