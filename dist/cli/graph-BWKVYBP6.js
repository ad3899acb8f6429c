import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{e as p,g as s}from"./chunk-7Y5CKGDI.js";import{b as a}from"./chunk-W75X5O5P.js";import{h as t}from"./chunk-7DWOQENF.js";import{parseArgs as f}from"node:util";var g="Usage: mlops graph [FILE] --pipeline NAME\n\nPrints the pipeline's DAG as a Mermaid flowchart (paste it into a Markdown ```mermaid block).",M={summary:"print a pipeline as a Mermaid flowchart",usage:g,async run(l){let{values:m,positionals:c}=f({args:l,options:{pipeline:{type:"string",short:"p"}},allowPositionals:!0}),n=c[0]??"valohai.yaml",e=await s(n);for(let d of e.diagnostics)process.stderr.write(`${a(d)}
`);if(!e.config)return 1;let i=[...e.config.pipelines.keys()],o=m.pipeline??(i.length===1?i[0]:void 0);if(o===void 0)throw new t(i.length===0?`${n} declares no pipeline; add a '- pipeline:' item.`:`choose a pipeline with --pipeline NAME (one of: ${i.join(", ")}).`);let r=e.config.pipelines.get(o);if(!r)throw new t(`no pipeline named '${o}' in ${n} (declared: ${i.join(", ")||"none"}).`);return process.stdout.write(`${p(r)}
`),0}};export{M as command};
