import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a,f as d}from"./chunk-7FKK4MZI.js";import"./chunk-VI5BEDH3.js";import"./chunk-CVP36IHB.js";import"./chunk-F5J3A4W6.js";import"./chunk-5FMM7D7D.js";import"./chunk-XXFMMH2Q.js";import{b as i}from"./chunk-G4ZLGACR.js";import"./chunk-JRYCDGJ7.js";import"./chunk-GLG7J37A.js";import"./chunk-D7LFJ6MZ.js";import"./chunk-7DWOQENF.js";import{parseArgs as f}from"node:util";var $=`Usage: mlops endpoints [--json] [--project-dir DIR]

Lists the local endpoints: URL, the version serving, and every version with its model and status.

Options:
  --json              print the endpoint states as JSON
  --project-dir DIR   the project folder (default: .mlops in the repository)`,w={summary:"list local endpoints and their versions",usage:$,async run(p){let{values:n}=f({args:p,options:{json:{type:"boolean",default:!1},"project-dir":{type:"string"}}}),r=i(n["project-dir"]),s=await d(r),o=s?await s.endpoints():(await a(r)).endpoints.map(t=>({...t,active:void 0}));if(n.json)return process.stdout.write(`${JSON.stringify({daemon:s!==void 0,endpoints:o},null,2)}
`),0;if(o.length===0)return process.stdout.write(`no local endpoints
`),0;for(let t of o){let c=t.active===void 0?"not serving":`v${t.active} serving at ${t.url}`;process.stdout.write(`${t.deployment}/${t.endpoint}: ${c}
`);for(let e of t.versions){let l=e.source.kind==="run"?`run ${e.source.runId} node ${e.source.node}`:`folder ${e.source.path}`,m=e.replicas&&e.replicas.length>0?`  ${e.replicas.length} replica${e.replicas.length===1?"":"s"}`:"",u=e.restarts?`  ${e.restarts} restart${e.restarts===1?"":"s"}`:"";process.stdout.write(`  v${e.number}  ${e.status.padEnd(8)}  model ${e.modelVersion}  ${l}${m}${u}
`),e.reason&&process.stdout.write(`      ${e.status==="failed"?"rejected":"note"}: ${e.reason.split(`
`)[0]??""}
`)}}return 0}};export{w as command};
