import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as u}from"./chunk-22KEAVVZ.js";import{b as h}from"./chunk-G4ZLGACR.js";import{i as $}from"./chunk-55MOYGTI.js";import"./chunk-XCVWQBZ7.js";import"./chunk-D7LFJ6MZ.js";import{a as m,h as c}from"./chunk-7DWOQENF.js";import{parseArgs as g}from"node:util";var l=`Usage: mlops show RUN [--json] [--project-dir DIR]

Shows a run: its nodes with states and durations, and each execution's parameters, latest metadata and
outputs (path, size, sha256). RUN is a run id, a unique prefix of one, or "latest".

Options:
  --json              print the whole run record
  --project-dir DIR   the project folder (default: .mlops in the repository)`;function p(a){let r=typeof a=="string"?a:JSON.stringify(a);return r.length>80?`${r.slice(0,77)}...`:r}m(p,"short");var k={summary:"show a run: nodes, states, durations, parameters, metadata, outputs",usage:l,async run(a){let{values:r,positionals:d}=g({args:a,options:{json:{type:"boolean",default:!1},"project-dir":{type:"string"}},allowPositionals:!0}),f=d[0];if(f===void 0||d.length>1)throw new c(`show takes one run id. ${l}`);let t=await $(h(r["project-dir"]),f);if(r.json)return process.stdout.write(`${JSON.stringify(t,null,2)}
`),0;let e=[];e.push(`run ${t.id}  pipeline ${t.pipeline}  ${t.status}  ${u(t.createdAt,t.finishedAt)}`),e.push(`file ${t.file}`),t.reason&&e.push(`reason: ${t.reason}`),e.push(`ran ${t.request?.container?`in containers (${t.request.container})`:"on the host"}`),Object.keys(t.parameters).length>0&&e.push(`parameters: ${p(t.parameters)}`);for(let[n,o]of Object.entries(t.nodes)){e.push(""),e.push(`node ${n}  ${o.state}  ${u(o.startedAt,o.finishedAt)}${o.reason?`  (${o.reason})`:""}`);for(let s of o.executions){let j=s.reusedFrom?`  reused from ${s.reusedFrom.runId}/${s.reusedFrom.executionId}`:"";e.push(`  execution ${s.executionId}  ${s.status}  ${u(s.startedAt,s.finishedAt)}${j}`),s.reason&&e.push(`    reason: ${s.reason}`),s.variant&&e.push(`    variant: ${p(s.variant)}`),Object.keys(s.parameters).length>0&&e.push(`    parameters: ${p(s.parameters)}`);for(let[i,y]of Object.entries(s.latestMetadata))e.push(`    metadata ${i} = ${p(y)}`);for(let i of s.outputs)e.push(`    output ${i.path}  ${i.size} B  sha256:${i.sha256.slice(0,12)}`)}}for(let n of t.deployments??[]){e.push(""),e.push(`deployment ${n.deployment} (node ${n.node})  endpoints ${n.endpoints.join(", ")||"-"}  aliases ${n.aliases.join(", ")||"-"}`);for(let o of n.files)e.push(`  ${o.endpoint}.${o.name} ← ${o.from.node}:${o.from.path}  sha256:${o.sha256.slice(0,12)}`)}return process.stdout.write(`${e.join(`
`)}
`),0}};export{k as command};
