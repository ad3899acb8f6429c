import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a,b,c,d,e,f,g}from"./chunk-PE3WR3W3.js";import"./chunk-3SEPBZB4.js";import"./chunk-MUBHABDW.js";import"./chunk-VSJQBLQU.js";import"./chunk-YYKMUCKQ.js";export{b as MODEL_COPY_DIR,a as MODEL_IMAGE_DIR,c as modelContentHash,f as modelCopyScript,d as modelImageReference,e as sha256Manifest,g as writeModelImageContext};
