import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as d,f as p}from"./chunk-MGHANW2Z.js";import"./chunk-PZX5RSEL.js";import"./chunk-2IZIT63Z.js";import"./chunk-HMK4I7E7.js";import"./chunk-5FMM7D7D.js";import"./chunk-XXFMMH2Q.js";import{b as a}from"./chunk-G4ZLGACR.js";import"./chunk-55MOYGTI.js";import"./chunk-XCVWQBZ7.js";import"./chunk-D7LFJ6MZ.js";import"./chunk-7DWOQENF.js";import{parseArgs as g}from"node:util";var v=`Usage: mlops endpoints [--json] [--project-dir DIR]

Lists the local endpoints: URL, the version serving, and every version with its model and status.

Options:
  --json              print the endpoint states as JSON
  --project-dir DIR   the project folder (default: .mlops in the repository)`,D={summary:"list local endpoints and their versions",usage:v,async run(l){let{values:o}=g({args:l,options:{json:{type:"boolean",default:!1},"project-dir":{type:"string"}}}),i=a(o["project-dir"]),r=await p(i),n=r?await r.endpoints():(await d(i)).endpoints.map(t=>({...t,active:void 0}));if(o.json)return process.stdout.write(`${JSON.stringify({daemon:r!==void 0,endpoints:n},null,2)}
`),0;if(n.length===0)return process.stdout.write(`no local endpoints
`),0;for(let t of n){let c=t.active===void 0?"not serving":`v${t.active} serving at ${t.url}`;process.stdout.write(`${t.deployment}/${t.endpoint}: ${c}
`);for(let e of t.versions){let u=e.source.kind==="run"?`run ${e.source.runId} node ${e.source.node}`:`folder ${e.source.path}`,m=e.replicas&&e.replicas.length>0?`  ${e.replicas.length} replica${e.replicas.length===1?"":"s"}`:"",f=e.restarts?`  ${e.restarts} restart${e.restarts===1?"":"s"}`:"";process.stdout.write(`  v${e.number}  ${e.status.padEnd(8)}  model ${e.modelVersion}  ${u}${m}${f}
`),e.reason&&process.stdout.write(`      ${e.status==="failed"?"rejected":"note"}: ${e.reason.split(`
`)[0]??""}
`);let s=e.degraded;if(s&&e.status!=="failed"&&e.status!=="stopped"){let $=s.failures>0?`, ${s.failures} failed start${s.failures===1?"":"s"}${s.lastFailure?`, last: ${s.lastFailure}`:""}`:"";process.stdout.write(`      degraded: ${s.replicas} of min ${s.minReplicas} replicas running${$}
`)}}}return 0}};export{D as command};
