import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as h}from"./chunk-HMGVQWAR.js";import"./chunk-D7LFJ6MZ.js";import{a as p,h as e,i as l}from"./chunk-7DWOQENF.js";import{parseArgs as E}from"node:util";function g(n){let o=/^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(n.trim());if(!o?.[1]||!o[2])throw new e(`'${n}' is not a repository (owner/name)`);return{owner:o[1],repo:o[2]}}p(g,"parseRepository");async function m(n,o){if(o.kind==="repository"){if(o.eventType===""||o.eventType.length>100)throw new e("the event type must be 1 to 100 characters");if(o.payload&&Object.keys(o.payload).length>10)throw new e("client_payload may have at most 10 top-level keys");await n.rest.repos.createDispatchEvent({owner:o.owner,repo:o.repo,event_type:o.eventType,...o.payload?{client_payload:o.payload}:{}});return}await n.rest.actions.createWorkflowDispatch({owner:o.owner,repo:o.repo,workflow_id:o.workflow,ref:o.ref,...o.inputs?{inputs:o.inputs}:{}})}p(m,"dispatch");var c=`Usage: mlops trigger --repo OWNER/NAME (--event-type TYPE [--payload JSON] | --workflow FILE [--ref REF] [--input NAME=VALUE]...)

Starts training on GitHub: a repository_dispatch event (POST /repos/{owner}/{repo}/dispatches) that
workflows with \`on: repository_dispatch: types: [TYPE]\` react to, or a workflow_dispatch of one
workflow file on a ref. The token comes from GITHUB_TOKEN or GH_TOKEN (needs contents: write for
repository_dispatch, actions: write for workflow_dispatch).

Options:
  --repo OWNER/NAME   the repository (default: GITHUB_REPOSITORY)
  --event-type TYPE   repository_dispatch event type, e.g. retrain
  --payload JSON      client_payload object (at most 10 top-level keys)
  --workflow FILE     workflow file name or id, e.g. mlops-pipeline.yml
  --ref REF           branch or tag for workflow_dispatch (default: main)
  --input NAME=VALUE  a workflow_dispatch input (repeatable)
  --api-url URL       the REST API (default: GITHUB_API_URL or https://api.github.com)`,U={summary:"start training on GitHub (repository_dispatch or workflow_dispatch)",usage:c,async run(n){let{values:o,positionals:k}=E({args:n,options:{repo:{type:"string"},"event-type":{type:"string"},payload:{type:"string"},workflow:{type:"string"},ref:{type:"string",default:"main"},input:{type:"string",multiple:!0,default:[]},"api-url":{type:"string"}},allowPositionals:!0});if(k.length>0)throw new e(`trigger takes no arguments.
${c}`);let f=o.repo??process.env.GITHUB_REPOSITORY;if(!f)throw new e("give --repo OWNER/NAME");let{owner:s,repo:a}=g(f),y=process.env.GITHUB_TOKEN||process.env.GH_TOKEN;if(!y)throw new e("set GITHUB_TOKEN (or GH_TOKEN) to a token that may dispatch workflows");if(o["event-type"]===void 0==(o.workflow===void 0))throw new e(`give --event-type or --workflow.
${c}`);let r;if(o["event-type"]!==void 0){if(r={kind:"repository",owner:s,repo:a,eventType:o["event-type"]},o.payload!==void 0){let t;try{t=JSON.parse(o.payload)}catch(i){throw new e(`--payload is not JSON: ${l(i)}`)}if(typeof t!="object"||t===null||Array.isArray(t))throw new e("--payload must be a JSON object");r.payload=t}}else{let t={};for(let i of o.input){let w=i.indexOf("=");if(w<=0)throw new e(`--input expects NAME=VALUE, got ${JSON.stringify(i)}`);t[i.slice(0,w)]=i.slice(w+1)}r={kind:"workflow",owner:s,repo:a,workflow:o.workflow??"",ref:o.ref,...o.input.length>0?{inputs:t}:{}}}let d=o["api-url"]??process.env.GITHUB_API_URL,u=h({token:y,...d?{baseUrl:d}:{},log:p(t=>process.stderr.write(`${t}
`),"log")});try{await m(u,r)}catch(t){throw t instanceof e?t:new e(`GitHub refused the dispatch: ${l(t)}`)}return process.stdout.write(r.kind==="repository"?`dispatched repository_dispatch '${r.eventType}' to ${s}/${a}
`:`dispatched workflow ${r.workflow} on ${r.ref} of ${s}/${a}
`),0}};export{U as command};
