import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a}from"./chunk-2QW37HNU.js";import"./chunk-7IAJUL35.js";import"./chunk-MUBHABDW.js";import"./chunk-HGI5DHMU.js";import"./chunk-3MQNSYQG.js";import"./chunk-KMAIAR26.js";import"./chunk-VSJQBLQU.js";import"./chunk-YYKMUCKQ.js";export{a as LocalRegistry};
