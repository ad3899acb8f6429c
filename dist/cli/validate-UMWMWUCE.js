import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{g as c}from"./chunk-7Y5CKGDI.js";import{b as l}from"./chunk-W75X5O5P.js";import{h as a}from"./chunk-7DWOQENF.js";import{parseArgs as p}from"node:util";var g=`Usage: mlops validate [FILE] [--json]

Checks a pipeline file (default ./valohai.yaml) and prints every problem as
file:line:col: severity: message. Exit code 0 when valid or warnings only, 1 on errors.

Options:
  --json    print {file, valid, errors, warnings, diagnostics[]} for machines`,y={summary:"check a pipeline file and print every problem with file:line:col",usage:g,async run(m){let{values:d,positionals:s}=p({args:m,options:{json:{type:"boolean",default:!1}},allowPositionals:!0});if(s.length>1)throw new a(`validate takes one file, got ${s.length}. ${g}`);let r=s[0]??"valohai.yaml",o=await c(r),e=o.diagnostics.filter(i=>i.severity==="error"),n=o.diagnostics.filter(i=>i.severity==="warning");if(d.json)process.stdout.write(`${JSON.stringify({file:r,valid:e.length===0,errors:e.length,warnings:n.length,diagnostics:o.diagnostics},null,2)}
`);else{for(let t of o.diagnostics)(t.severity==="error"?process.stderr:process.stdout).write(`${l(t)}
`);let i=e.length>0?"invalid":"valid";process.stdout.write(`${r}: ${i} (${e.length} error(s), ${n.length} warning(s))
`)}return e.length>0?1:0}};export{y as command};
