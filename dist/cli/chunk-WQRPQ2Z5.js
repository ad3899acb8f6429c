import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as m,b as u,c,e as l}from"./chunk-CWEWWXBL.js";import{b as p}from"./chunk-G4ZLGACR.js";import{a as s,h as a}from"./chunk-7DWOQENF.js";import{existsSync as y}from"node:fs";import{resolve as f}from"node:path";import{parseArgs as h}from"node:util";var b={...m,target:{type:"string"},deployment:{type:"string"},endpoint:{type:"string"},"project-dir":{type:"string"},json:{type:"boolean",default:!1}},E=`Where:
  FILE                    the pipeline file declaring the endpoint (default ./valohai.yaml)
  --deployment NAME       the deployment (default: the file's only one)
  --endpoint NAME         the endpoint (default: the only one)
  --target local|kubernetes   (default: local when a local endpoint runs, else the file's deploy target kind)
${u}
Other:
  --project-dir DIR       the project folder (default: .mlops in the repository)
  --json                  print the result as JSON`;async function I(e,t){if(e.target!==void 0)return e.target==="kubernetes";let r=f(t??"valohai.yaml");if(!y(r))return!1;try{return(await l({projectDir:p(void 0,r,!0),file:r,...e.deployment?{deployment:e.deployment}:{},...e.endpoint?{endpoint:e.endpoint}:{}})).request.target.kind==="kubernetes"}catch{return!1}}s(I,"isKubernetes");async function j(e,t,r){let n=s(d=>typeof t[d]=="string"?t[d]:void 0,"text"),o=f(r??"valohai.yaml"),i=await l({projectDir:p(n("project-dir"),o,!0),file:o,target:"kubernetes",...n("deployment")?{deployment:n("deployment")}:{},...n("endpoint")?{endpoint:n("endpoint")}:{}}),{operateKubernetesFromCli:g}=await import("./cli-2JOQRDY5.js");return g(e,i,t.json===!0,c(t))}s(j,"runKubernetesOperation");function S(e,t,r){return{summary:t,usage:`Usage: mlops ${e} [FILE] [--deployment NAME] [--endpoint NAME] [options]

${r}
Canaries run on Kubernetes only (\`mlops deploy --target kubernetes --strategy canary --manual-promote\`).

${E}`,async run(n){let{values:o,positionals:i}=h({args:n,allowPositionals:!0,options:b});if(i.length>1)throw new a(`expected at most one pipeline file, got ${i.join(" ")}`);if(o.target!==void 0&&o.target!=="kubernetes")throw new a(`${e} works on Kubernetes canaries: --target kubernetes (a local endpoint has no canary)`);return j(e,o,i[0])}}}s(S,"canaryCommand");export{b as a,E as b,I as c,j as d,S as e};
