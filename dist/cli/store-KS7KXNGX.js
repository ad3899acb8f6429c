import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{b as j,d as m}from"./chunk-XXFMMH2Q.js";import{b as w}from"./chunk-G4ZLGACR.js";import{c as b,d as v,f as l}from"./chunk-55MOYGTI.js";import"./chunk-XCVWQBZ7.js";import"./chunk-D7LFJ6MZ.js";import{a as c,h as y}from"./chunk-7DWOQENF.js";import{parseArgs as N}from"node:util";import{readdir as h,readFile as k,rm as $,stat as R}from"node:fs/promises";import{join as f}from"node:path";var F=/^[0-9a-f]{64}$/,T=/[0-9a-f]{64}/g,S=3600*1e3;async function x(i){let o=[],r=f(i.root,"sha256"),n;try{n=await h(r)}catch{return o}for(let s of n.sort()){let e;try{e=await h(f(r,s))}catch{continue}for(let t of e.sort())F.test(t)&&t.startsWith(s)&&o.push(t)}return o}c(x,"listObjects");async function O(i,o){let r=await x(i),n={objects:r.length,bytes:0,corrupt:[]};for(let[s,e]of r.entries()){let t=await j(i.pathOf(e));if(n.bytes+=t.size,t.sha256!==e){let d=await i.quarantine(e);n.corrupt.push({sha256:e,actual:t.sha256,...d!==void 0?{movedTo:d}:{}})}o?.(s+1,r.length)}return n}c(O,"verifyStore");async function g(i,o){let r=[],n;try{n=await h(i,{withFileTypes:!0})}catch{return r}for(let s of n){let e=f(i,s.name);o.has(e)||(s.isDirectory()?r.push(...await g(e,o)):s.isFile()&&r.push(e))}return r}c(g,"walkFiles");async function G(i){let o=l(i),r=new Set([o.storeDir,o.downloadCacheDir]),n=new Set;for(let s of await g(o.root,r)){if(!/\.(json|jsonl|ndjson)$/.test(s)||s.includes(`${f("executions","")}`))continue;let e;try{e=await k(s,"utf8")}catch{continue}for(let t of e.matchAll(T))n.add(t[0])}return n}c(G,"referencedObjects");async function z(i){let o=l(i).runsDir,r=[],n;try{n=await h(o)}catch{return r}for(let s of n){let e=await v(f(o,s));e&&e.final===void 0&&b(e)&&r.push(s)}return r}c(z,"liveRuns");async function A(i,o){let r=l(i),n=[...await g(f(r.storeDir,"tmp"),new Set),...(await g(r.root,new Set([f(r.storeDir,"sha256"),f(r.storeDir,"quarantine")]))).filter(e=>/\/\.[^/]*\.\d+\.[0-9a-f]+\.tmp$/.test(e))],s=[];for(let e of new Set(n)){let t=await R(e).catch(()=>{});t&&o-t.mtimeMs>S&&s.push(e)}return s}c(A,"abandonedTemps");async function C(i,o={}){let r=o.now??Date.now(),n=new m(l(i).storeDir),s=o.dryRun===!0,e=await z(i),t={objects:0,removed:[],keptYoung:0,temps:[],liveRuns:e,dryRun:s},d=await x(n);if(t.objects=d.length,e.length===0){let p=await G(i);for(let a of d){if(p.has(a))continue;let u=await R(n.pathOf(a)).catch(()=>{});if(u){if(r-u.ctimeMs<S){t.keptYoung++;continue}s||await $(n.pathOf(a),{force:!0}),t.removed.push({sha256:a,size:u.size})}}}if(t.temps=await A(i,r),!s)for(let p of t.temps)await $(p,{force:!0});return t}c(C,"collectGarbage");var D=`Usage: mlops store verify|gc [--dry-run] [--json] [--project-dir DIR]

Keeps the content store (.mlops/store) true and small.

  verify     re-hashes every stored file; one whose bytes no longer match its name is moved to
             store/quarantine/ (never handed out again) and the exit code is 1
  gc         removes stored files no run record, reuse entry, registered model or deployment refers
             to, and temporary files left by killed processes; files added in the last hour are kept,
             and no stored file is removed while a run is going

Options:
  --dry-run           gc: list what would be removed, remove nothing
  --json              print the report as JSON
  --project-dir DIR   the project folder (default: .mlops in the repository)`;function P(i){return`${(i/1024/1024).toFixed(1)} MiB`}c(P,"mib");var L={summary:"verify the content store, or remove what nothing refers to",usage:D,async run(i){let{values:o,positionals:r}=N({args:i,options:{"dry-run":{type:"boolean",default:!1},json:{type:"boolean",default:!1},"project-dir":{type:"string"}},allowPositionals:!0}),[n,...s]=r;if(n!=="verify"&&n!=="gc"||s.length>0)throw new y(`store takes verify or gc, got ${JSON.stringify(r.join(" "))}. ${D}`);let e=w(o["project-dir"]);if(n==="verify"){let a=await O(new m(l(e).storeDir));if(o.json)process.stdout.write(`${JSON.stringify(a,null,2)}
`);else{for(let u of a.corrupt)process.stdout.write(`CORRUPT ${u.sha256}: its bytes hash to ${u.actual}; moved to ${u.movedTo??"(gone)"}
`);process.stdout.write(`${a.objects} stored files (${P(a.bytes)}) verified: ${a.corrupt.length} corrupt
`)}return a.corrupt.length===0?0:1}let t=await C(e,{dryRun:o["dry-run"]});if(o.json)return process.stdout.write(`${JSON.stringify(t,null,2)}
`),0;let d=t.dryRun?"would remove":"removed";t.liveRuns.length>0&&process.stdout.write(`runs in progress (${t.liveRuns.join(", ")}): no stored file removed; run gc when they end
`);let p=t.removed.reduce((a,u)=>a+u.size,0);return process.stdout.write(`${d} ${t.removed.length} of ${t.objects} stored files (${P(p)}) and ${t.temps.length} abandoned temporary files${t.keptYoung>0?`; kept ${t.keptYoung} added in the last hour`:""}
`),0}};export{L as command};
