import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{d as e}from"./chunk-KMAIAR26.js";import{a as o}from"./chunk-YYKMUCKQ.js";import{randomBytes as s}from"node:crypto";import{mkdir as a,rename as c,rm as w,writeFile as f}from"node:fs/promises";import{dirname as n,join as p,basename as u}from"node:path";async function y(r,i){await a(n(r),{recursive:!0});let t=p(n(r),`.${u(r)}.${process.pid}.${s(4).toString("hex")}.tmp`);try{await f(t,typeof i=="string"?e(i):i),await c(t,r)}catch(m){throw await w(t,{force:!0}),m}}o(y,"writeFileAtomic");async function v(r,i){await y(r,`${JSON.stringify(i,null,2)}
`)}o(v,"writeJsonAtomic");export{y as a,v as b};
