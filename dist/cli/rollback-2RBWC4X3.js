import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{f as p}from"./chunk-MGHANW2Z.js";import"./chunk-PZX5RSEL.js";import{a as c,b as m,c as u,d as l}from"./chunk-WQRPQ2Z5.js";import"./chunk-CWEWWXBL.js";import"./chunk-2IZIT63Z.js";import"./chunk-HMK4I7E7.js";import"./chunk-5FMM7D7D.js";import"./chunk-XXFMMH2Q.js";import"./chunk-7Y5CKGDI.js";import"./chunk-W75X5O5P.js";import{b as d}from"./chunk-G4ZLGACR.js";import"./chunk-55MOYGTI.js";import"./chunk-XCVWQBZ7.js";import"./chunk-D7LFJ6MZ.js";import{h as r}from"./chunk-7DWOQENF.js";import{parseArgs as f}from"node:util";var g=`Usage: mlops rollback [FILE] [--deployment NAME] [--endpoint NAME] [--target local|kubernetes] [options]

Local: switches a local endpoint back to the version that served before the current one (started
beside it, health-checked, then given the traffic). Without names, the only local endpoint.
Kubernetes: goes back to the newest earlier model version that served (the revision history kept in
the cluster, skipping versions that failed or were rolled back), so each rollback goes one further
back; in place on a rolling endpoint, through the idle colour on a blue-green one.

${m}`,$={summary:"switch a local endpoint back to its previous version",usage:g,async run(h){let{values:e,positionals:o}=f({args:h,allowPositionals:!0,options:c});if(o.length>1)throw new r(`expected at most one pipeline file, got ${o.join(" ")}`);if(e.target!==void 0&&e.target!=="local"&&e.target!=="kubernetes")throw new r(`--target must be local or kubernetes, got '${e.target}'`);if(e.target==="kubernetes")return l("rollback",e,o[0]);let i=await p(d(e["project-dir"]));if(!i&&e.target===void 0&&await u(e,o[0]))return l("rollback",e,o[0]);if(!i)throw new r("no local deployment is running (start one with `mlops deploy`)");let s=(await i.endpoints()).filter(n=>(e.deployment===void 0||n.deployment===e.deployment)&&(e.endpoint===void 0||n.endpoint===e.endpoint)),t=s[0];if(!t||s.length>1)throw new r(t?`several endpoints match (${s.map(n=>`${n.deployment}/${n.endpoint}`).join(", ")}); give --deployment and --endpoint`:"no local endpoint matches");let a=await i.rollback(t.deployment,t.endpoint);return e.json?process.stdout.write(`${JSON.stringify(a,null,2)}
`):process.stdout.write(`${a.ok?"rolled back: ":"rollback failed: "}${t.deployment}/${t.endpoint} ${a.message}
`),a.ok?0:1}};export{$ as command};
