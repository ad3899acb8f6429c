import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as E,e as w,h as $,i as j,j as v,m as A,n as P,o as x}from"./chunk-DJBBJBB5.js";import"./chunk-HMK4I7E7.js";import"./chunk-5SJHMJS3.js";import"./chunk-WBPVQMXW.js";import"./chunk-UL4GNVFD.js";import"./chunk-TKOIAOJG.js";import"./chunk-5FMM7D7D.js";import"./chunk-XXFMMH2Q.js";import"./chunk-7Y5CKGDI.js";import"./chunk-W75X5O5P.js";import{a as h,b as y}from"./chunk-G4ZLGACR.js";import"./chunk-55MOYGTI.js";import"./chunk-XCVWQBZ7.js";import"./chunk-D7LFJ6MZ.js";import{a as g,h as m}from"./chunk-7DWOQENF.js";import{dirname as N,resolve as b}from"node:path";import{parseArgs as k}from"node:util";var R=`Usage: mlops exec [FILE] --step NAME [options]

Runs one step of FILE (default ./valohai.yaml) as a one-node run, printing its output as it runs.

Options:
  --step NAME            the step to run
  --param NAME=VALUE     a parameter value (repeatable)
  --input NAME=PATH|URL  files for an input instead of its defaults (repeatable)
  --reuse                take the result of an identical earlier execution instead of running
  --container[=ENGINE]   run the step in its image with docker or podman (default: the first on PATH),
                         its folders mounted at /valohai/{inputs,outputs,config,repository}
  --project-dir DIR      where runs and the artifact store live (default: .mlops next to FILE)`;function L(n,o){let e=n.replace(/[^A-Za-z0-9_-]+/g,"-"),t={file:o,line:1,col:1};return{node:e,pipeline:{name:`step:${n}`,nodes:[{type:"execution",name:e,step:n,actions:[],onError:"stop-all",edgeMergeMode:"replace",position:t}],edges:[],parameters:[],reuseExecutions:!1,position:t}}}g(L,"singleStepPipeline");var z={summary:"run one step of the pipeline file",usage:R,async run(n){let o=P(n),{values:e,positionals:t}=k({args:o.argv,options:{step:{type:"string"},param:{type:"string",multiple:!0,default:[]},input:{type:"string",multiple:!0,default:[]},reuse:{type:"boolean",default:!1},"project-dir":{type:"string"}},allowPositionals:!0});if(t.length>1)throw new m(`exec takes one file, got ${t.length}`);let s=t[0]??"valohai.yaml",r=await j(s),a=e.step;if(a===void 0||!r.steps.has(a))throw new m(`choose a step with --step NAME (steps in ${s}: ${[...r.steps.keys()].join(", ")||"none"})`);let{pipeline:p,node:c}=L(a,r.file);r.pipelines.set(p.name,p);let f={};for(let[l,u]of Object.entries(E(e.param)))f[`${c}.${l}`]=u;let d={};for(let[l,u]of Object.entries($(e.input,"--input")))d[`${c}.${l}`]=u.map(v);let C=h(N(b(s))),M=o.container===void 0?void 0:await w(o.container),i=await A({config:r,pipeline:p.name,repositoryDir:C,projectDir:y(e["project-dir"],s,!0),parameters:f,inputs:d,reuse:e.reuse,jobs:1,streamLines:!0,container:M});return process.stdout.write(`run ${i.id}: ${i.status}${i.reason?` (${i.reason})`:""}
`),x(i)}};export{z as command};
