import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as f}from"./chunk-D7ZCDSRX.js";import{a as s,b as p}from"./chunk-BJHQAN6Z.js";import{a as t}from"./chunk-VSJQBLQU.js";import{a as r}from"./chunk-YYKMUCKQ.js";async function c(n){let e=await f(n),o=e.diagnostics.filter(i=>i.severity==="warning").map(s);if(p(e.diagnostics)||!e.config){let i=e.diagnostics.filter(l=>l.severity==="error").map(s);throw new t(`${n} has ${i.length||1} error${i.length>1?"s":""}:
${i.join(`
`)||`${n}:1:1: error: could not be loaded`}`)}return{config:e.config,warnings:o}}r(c,"loadConfigOrThrow");function m(n,e){let o=n.pipelines.get(e);if(!o){let i=[...n.pipelines.keys()];throw new t(`no pipeline named "${e}" in ${n.file}; `+(i.length>0?`pipelines: ${i.join(", ")}`:"the file defines no pipelines"))}return o}r(m,"findPipeline");function w(n,e){let o=n.nodes.find(i=>i.name===e);if(!o)throw new t(`pipeline "${n.name}" has no node "${e}"; its nodes: ${n.nodes.map(i=>i.name).join(", ")}`);return o}r(w,"findNode");export{c as a,m as b,w as c};
