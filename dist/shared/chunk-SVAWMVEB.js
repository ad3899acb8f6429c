import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{e as r,f as u}from"./chunk-X3CBKE2I.js";import{f}from"./chunk-DCH4NQSF.js";import{a as t}from"./chunk-LXQUIOFT.js";import{a as o}from"./chunk-YYKMUCKQ.js";var s=["off",...r,"auto"];function m(n){let e=f(n,s,"off");return e==="off"?void 0:e}o(m,"containerInput");async function N(n,e,d=process.env.PATH){if(n!==void 0)try{return await u(n,d)}catch(i){if(!(i instanceof t))throw i;let a=n==="auto"?r:[n];throw new t(`${e}: needs ${a.join(" or ")} on PATH; none found (GitHub-hosted Ubuntu runners have docker; or set ${e}: off)`)}}o(N,"containerRuntimeFor");export{m as a,N as b};
