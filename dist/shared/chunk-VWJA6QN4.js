import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as s}from"./chunk-VSJQBLQU.js";import{a as c}from"./chunk-YYKMUCKQ.js";function d(p){let a=p.trim();if(a==="")return{};if(a.startsWith("{")){let r;try{r=JSON.parse(a)}catch(t){throw new s(`parameters: not valid JSON (${t instanceof Error?t.message:String(t)})`)}if(typeof r!="object"||r===null||Array.isArray(r))throw new s("parameters: the JSON must be an object of name: value");return r}let o={};return a.split(/\r?\n/).forEach((r,t)=>{let e=r.trim();if(e===""||e.startsWith("#"))return;let i=e.indexOf("="),l=i===-1?"":e.slice(0,i).trim();if(l==="")throw new s(`parameters line ${t+1}: expected name=value, got "${e}"`);let m=e.slice(i+1).trim(),u=m;try{let n=JSON.parse(m);(n===null||["number","boolean","string"].includes(typeof n)||Array.isArray(n))&&(u=n)}catch{}o[l]=u}),o}c(d,"parseParameterOverrides");export{d as a};
