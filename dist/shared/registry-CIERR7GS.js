import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a}from"./chunk-RJOVEHYR.js";import"./chunk-NTR7R52L.js";import"./chunk-A4ID5ENC.js";import"./chunk-XLPFFXKW.js";import"./chunk-HGI5DHMU.js";import"./chunk-2XY77REW.js";import"./chunk-KMAIAR26.js";import"./chunk-HEO2P4X2.js";import"./chunk-VSJQBLQU.js";import"./chunk-YYKMUCKQ.js";export{a as releasesRegistry};
