import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{b as a}from"./chunk-G4ZLGACR.js";import{i as d}from"./chunk-55MOYGTI.js";import"./chunk-XCVWQBZ7.js";import"./chunk-D7LFJ6MZ.js";import{h as n,i}from"./chunk-7DWOQENF.js";import{readFile as g}from"node:fs/promises";import{parseArgs as h}from"node:util";var c=`Usage: mlops logs RUN NODE [--project-dir DIR]

Prints the full log of every execution of NODE in RUN (a task node has several; each is headed by
its execution id). Reused executions print the log of the execution they reuse.`,N={summary:"print a node's execution logs",usage:c,async run(u){let{values:m,positionals:l}=h({args:u,options:{"project-dir":{type:"string"}},allowPositionals:!0}),[s,o]=l;if(s===void 0||o===void 0)throw new n(`logs needs RUN and NODE. ${c}`);let r=await d(a(m["project-dir"]),s),e=r.nodes[o];if(!e)throw new n(`run ${r.id} has no node ${o} (nodes: ${Object.keys(r.nodes).join(", ")})`);if(e.executions.length===0)return process.stderr.write(`node ${o} has no executions (${e.state}${e.reason?`: ${e.reason}`:""})
`),1;let p=e.executions.length>1;for(let t of e.executions){p&&process.stdout.write(`==> ${t.executionId} (${t.status}) <==
`);try{process.stdout.write(await g(t.logPath,"utf8"))}catch(f){process.stderr.write(`cannot read log ${t.logPath}: ${i(f)}
`)}}return 0}};export{N as command};
