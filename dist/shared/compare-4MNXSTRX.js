import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as c,b as d,c as e,d as f,e as g,f as h,g as i,h as j}from"./chunk-KI62GKG2.js";import"./chunk-U75QPGWV.js";import"./chunk-WVKTSYOR.js";import"./chunk-D7ZCDSRX.js";import"./chunk-LUDJF4TQ.js";import"./chunk-WJX4UIDM.js";import"./chunk-UUHE6EUL.js";import"./chunk-GBM5RRSS.js";import"./chunk-R3ACUHWY.js";import"./chunk-BJHQAN6Z.js";import"./chunk-VDOOMNMX.js";import{a,b}from"./chunk-2NLLQOO3.js";import"./chunk-2XY77REW.js";import"./chunk-KMAIAR26.js";import"./chunk-VSJQBLQU.js";import"./chunk-YYKMUCKQ.js";export{c as DECISION_FILE,f as baselineFromRun,j as compareRun,b as parseNumberOption,a as parseTieBreakers,g as readStoredDecision,e as resolveRule,d as ruleFromPipelineFile,i as storeDecision,h as toStoredDecision};
