import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as m}from"./chunk-NWP6J37P.js";import{a as u}from"./chunk-HGI5DHMU.js";import{a}from"./chunk-VSJQBLQU.js";import{a as t}from"./chunk-YYKMUCKQ.js";async function M(r,e,n="production"){return l(new m(r),e,n)}t(M,"baselineFromRegistry");async function l(r,e,n="production"){let o=await r.models(),i=e!==void 0?u(e):o.length===1?o[0]:void 0;if(i===void 0||!o.includes(i))return;let d=(await r.aliases(i))[n];if(!d)return;let s=(await r.versions(i)).find(c=>c.version===d.version);if(s)return{source:`registry ${i}@${n}`,label:`${n} (${i} v${s.version})`,metrics:s.metrics}}t(l,"baselineFromModelRegistry");function h(r,e,n="production"){return{kind:"model",name:e!==void 0?`${e}@${n}`:`${n} model`,lookup:t(async()=>{let o=r();if(e===void 0){let i=await o.models();if(i.length>1)throw new a(`the registry holds several models (${i.join(", ")}): name the one to compare with (--baseline-model, the baseline-model input or MLOPS_MODEL)`)}return l(o,e,n)},"lookup")}}t(h,"registryBaselineRequest");export{M as a,l as b,h as c};
