import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as m}from"./chunk-VSJQBLQU.js";import{a as n}from"./chunk-YYKMUCKQ.js";function u(t){return t.split(/[,\n]/).map(r=>r.trim()).filter(r=>r!=="").map(r=>{let[e="",i="max",o]=r.split(":").map(a=>a.trim());if(e===""||i!=="max"&&i!=="min"||o!==void 0)throw new m(`tie-breaker '${r}' must be '<metric>' or '<metric>:max' or '<metric>:min'`);return{metric:e,goal:i}})}n(u,"parseTieBreakers");function l(t,r){let e=Number(r);if(r.trim()===""||!Number.isFinite(e))throw new m(`${t} must be a number, got '${r}'`);return e}n(l,"parseNumberOption");export{u as a,l as b};
