import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as r}from"./chunk-O6YW2PLV.js";import{f}from"./chunk-BCQXGNT2.js";import{a as t}from"./chunk-VSJQBLQU.js";import{a as o}from"./chunk-YYKMUCKQ.js";var d=["off",...r,"auto"];function C(n){let e=f(n,d,"off");return e==="off"?void 0:e}o(C,"containerInput");async function N(n,e,u=process.env.PATH){if(n===void 0)return;let{findContainerRuntime:a}=await import("./container-63ESBHVX.js");try{return await a(n,u)}catch(i){if(!(i instanceof t))throw i;let s=n==="auto"?r:[n];throw new t(`${e}: needs ${s.join(" or ")} on PATH; none found (GitHub-hosted Ubuntu runners have docker; or set ${e}: off)`)}}o(N,"containerRuntimeFor");export{C as a,N as b};
