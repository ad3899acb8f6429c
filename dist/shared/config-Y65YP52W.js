import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{g as a,h as b,i as c,j as d,k as e,l as f,m as g}from"./chunk-UUOV7L7K.js";import"./chunk-VSJQBLQU.js";import"./chunk-YYKMUCKQ.js";export{d as DEFAULT_CONFIG,c as DEFAULT_THRESHOLDS,a as METHODS,b as isPValueMethod,g as loadDriftConfig,f as loadProfile,e as parseDriftConfig};
