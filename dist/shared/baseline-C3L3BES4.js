import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as b,b as c,c as d}from"./chunk-MECX5WIG.js";import"./chunk-NWP6J37P.js";import"./chunk-VDOOMNMX.js";import"./chunk-MUBHABDW.js";import{l as a}from"./chunk-HGI5DHMU.js";import"./chunk-2XY77REW.js";import"./chunk-KMAIAR26.js";import"./chunk-VSJQBLQU.js";import"./chunk-YYKMUCKQ.js";export{c as baselineFromModelRegistry,b as baselineFromRegistry,a as parseBaselineModel,d as registryBaselineRequest};
