import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as l,b as a,c as f,e as p}from"./chunk-KJ5LDIWT.js";import{b as i}from"./chunk-G4ZLGACR.js";import{a as o}from"./chunk-7DWOQENF.js";import{existsSync as y}from"node:fs";import{resolve as c}from"node:path";var j={...l,target:{type:"string"},deployment:{type:"string"},endpoint:{type:"string"},"project-dir":{type:"string"},json:{type:"boolean",default:!1}},N=`Where:
  FILE                    the pipeline file declaring the endpoint (default ./valohai.yaml)
  --deployment NAME       the deployment (default: the file's only one)
  --endpoint NAME         the endpoint (default: the only one)
  --target local|kubernetes   (default: local when a local endpoint runs, else the file's deploy target kind)
${a}
Other:
  --project-dir DIR       the project folder (default: .mlops in the repository)
  --json                  print the result as JSON`;async function I(e,t){if(e.target!==void 0)return e.target==="kubernetes";let r=c(t??"valohai.yaml");if(!y(r))return!1;try{return(await p({projectDir:i(void 0,r,!0),file:r,...e.deployment?{deployment:e.deployment}:{},...e.endpoint?{endpoint:e.endpoint}:{}})).request.target.kind==="kubernetes"}catch{return!1}}o(I,"isKubernetes");async function S(e,t,r){let n=o(s=>typeof t[s]=="string"?t[s]:void 0,"text"),d=c(r??"valohai.yaml"),m=await p({projectDir:i(n("project-dir"),d,!0),file:d,target:"kubernetes",...n("deployment")?{deployment:n("deployment")}:{},...n("endpoint")?{endpoint:n("endpoint")}:{}}),{operateKubernetesFromCli:u}=await import("./cli-CPMKLIOW.js");return u(e,m,t.json===!0,f(t))}o(S,"runKubernetesOperation");export{j as a,N as b,I as c,S as d};
