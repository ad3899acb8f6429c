import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as e}from"./chunk-YYKMUCKQ.js";async function u(t,o,l){let{deployToKubernetes:s,finishCanary:n,rollbackKubernetes:p}=await import("./apply-IWID7HB7.js");return{testsCandidate:!1,deploy:e(()=>s(t,o),"deploy"),rollback:e(()=>p(t,o),"rollback"),finish:e(r=>n(t,o,r),"finish"),liveUrl:e(r=>r.outcome==="canary"?void 0:l,"liveUrl")}}e(u,"kubernetesTarget");export{u as kubernetesTarget};
