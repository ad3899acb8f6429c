import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{b as u}from"./chunk-G4ZLGACR.js";import{k as a}from"./chunk-55MOYGTI.js";import{a as p}from"./chunk-7DWOQENF.js";import{parseArgs as l}from"node:util";var f=`Usage: mlops runs [--json] [--project-dir DIR]

Lists the runs recorded in the project folder (default: .mlops in the repository), oldest first.

Options:
  --json              print the run summaries as JSON
  --project-dir DIR   the project folder (default: .mlops in the repository)`;function g(e,n){if(e===void 0)return"-";let r=Date.parse(n??new Date().toISOString())-Date.parse(e);if(!Number.isFinite(r))return"-";let t=r/1e3;return t<60?`${t.toFixed(1)}s`:`${Math.floor(t/60)}m ${(t%60).toFixed(0)}s`}p(g,"formatDuration");function c(e){let n=Object.values(e.nodes);return{id:e.id,pipeline:e.pipeline,status:e.status,createdAt:e.createdAt,finishedAt:e.finishedAt??null,nodes:n.length,executions:n.reduce((r,t)=>r+t.executions.filter(o=>!o.reusedFrom).length,0),reused:n.reduce((r,t)=>r+t.executions.filter(o=>o.reusedFrom).length,0)}}p(c,"summary");var R={summary:"list recorded pipeline runs",usage:f,async run(e){let{values:n}=l({args:e,options:{json:{type:"boolean",default:!1},"project-dir":{type:"string"}}}),r=await a(u(n["project-dir"]));if(n.json)return process.stdout.write(`${JSON.stringify(r.map(c),null,2)}
`),0;if(r.length===0)return process.stdout.write(`no runs in ${u(n["project-dir"])}
`),0;let t=r.map(s=>{let i=c(s);return[s.id,s.pipeline,s.status,g(s.createdAt,s.finishedAt),`${String(i.executions)} run, ${String(i.reused)} reused`]}),o=["RUN","PIPELINE","STATUS","DURATION","EXECUTIONS"],m=o.map((s,i)=>Math.max(s.length,...t.map(d=>(d[i]??"").length)));for(let s of[o,...t])process.stdout.write(`${s.map((i,d)=>i.padEnd(m[d]??0)).join("  ").trimEnd()}
`);return 0}};export{g as a,R as b};
