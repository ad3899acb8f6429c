import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{g as l}from"./chunk-C7EGY6KR.js";import{b as a}from"./chunk-XCVWQBZ7.js";import"./chunk-D7LFJ6MZ.js";import{a as o,h as i,i as s}from"./chunk-7DWOQENF.js";import{parseArgs as d}from"node:util";var c=`Usage: mlops profile DATA [-o profile.json] [options]

Streams DATA (.csv/.tsv with a header row, or .jsonl/.ndjson; optionally .gz) once and writes its
reference profile: per column the type, counts, missing share, min/max, mean/std, quantiles, decile
edges, a fine histogram and capped category frequencies. Memory is bounded per column, not by the file.

Options:
  -o, --output FILE        write the profile here (default: print it)
  --categorical COL,...    treat these columns as categories even when their values are numbers
  --label COL              the label column (categorical; with --prediction the profile records accuracy)
  --prediction COL         the model's prediction column (categorical)`;function m(r){return r===void 0?[]:r.split(",").map(e=>e.trim()).filter(e=>e!=="")}o(m,"list");var b={summary:"stream a CSV/JSONL file once and write its reference profile for drift checks",usage:c,async run(r){try{return await f(r)}catch(e){if(!(e instanceof i))throw e;return process.stderr.write(`mlops profile: ${s(e)}
`),2}}};async function f(r){let{values:e,positionals:p}=d({args:r,options:{output:{type:"string",short:"o"},categorical:{type:"string"},label:{type:"string"},prediction:{type:"string"}},allowPositionals:!0}),[n,...u]=p;if(n===void 0||u.length>0)throw new i(`profile takes one data file.
${c}`);let t=await l(n,{categorical:m(e.categorical),...e.label!==void 0?{label:e.label}:{},...e.prediction!==void 0?{prediction:e.prediction}:{}});return e.output!==void 0?(await a(e.output,t),process.stderr.write(`profiled ${t.rows} rows, ${t.columns.length} columns → ${e.output}
`)):process.stdout.write(`${JSON.stringify(t,null,2)}
`),0}o(f,"profile");export{b as command};
