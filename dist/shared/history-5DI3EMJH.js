import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as b,b as c,c as d,d as e,e as f,f as g,g as h,h as i,i as j,j as k}from"./chunk-UWXDQL5R.js";import"./chunk-UUOV7L7K.js";import{a}from"./chunk-NGHSGIZK.js";import"./chunk-VSJQBLQU.js";import"./chunk-YYKMUCKQ.js";export{a as HISTORY_DIR,g as appendHistory,c as historyEntry,b as historyFile,f as historyLine,d as parseHistory,i as pressure,e as readHistory,k as renderHistoryMarkdown,j as renderHistoryText,h as sparkline};
