import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as h}from"../shared/chunk-VWJA6QN4.js";import{e as c,h as w}from"../shared/chunk-BCQXGNT2.js";import{B as m,D as d,E as f,k as l,u as s,w as p}from"../shared/chunk-HEO2P4X2.js";import{a as g}from"../shared/chunk-VSJQBLQU.js";import{a as i}from"../shared/chunk-YYKMUCKQ.js";var k="file",v="pipeline",j="parameters",y="max-waves",A="chunks-per-wave";function P(){let n=s(v).trim();if(n==="")throw new g(`input "${v}" is required: the name of a pipeline in the file`);return{file:s(k).trim()||"valohai.yaml",pipeline:n,parameters:h(s(j)),maxWaves:c(y,8),chunksPerWave:c(A,2)}}i(P,"getInputs");async function I(){await w(async()=>{let n=P(),[{loadConfigOrThrow:x},{planPipeline:W},{planOutputs:$}]=await Promise.all([import("../shared/load-config-ENISZA7P.js"),import("../shared/plan-A4EHDJPW.js"),import("../shared/outputs-GCQ7TG3X.js")]),E=await f(`Load ${n.file}`,async()=>{let r=await x(n.file);for(let t of r.warnings)m(t);return r.config}),e=W(E,n.pipeline,{parameters:n.parameters,maxWaves:n.maxWaves,maxChunks:n.chunksPerWave});for(let r of e.warnings)m(r);let b=$(e,{maxWaves:n.maxWaves,chunksPerWave:n.chunksPerWave});p("pipeline",e.pipeline);for(let[r,t]of Object.entries(b))p(r,t);let u=e.waves.reduce((r,t)=>r+t.reduce((a,o)=>a+o.length,0),0);d(`Pipeline "${e.pipeline}": ${e.nodes.length} nodes, ${u} jobs in ${e.depth} waves`),await l.addHeading(`Pipeline ${e.pipeline}`,2).addRaw(`${e.nodes.length} nodes, ${u} jobs in ${e.depth} waves.

`).addRaw(`
\`\`\`mermaid
${e.mermaid.trimEnd()}
\`\`\`

`).addTable([[{data:"Wave",header:!0},{data:"Jobs",header:!0},{data:"Nodes",header:!0}],...e.waves.map((r,t)=>{let a=r.flat(),o=[...new Set(a.map(T=>T.node))],N=o.slice(0,20).join(", ")+(o.length>20?`, … (${o.length-20} more)`:"");return[String(t),String(a.length),N]})]).write()})}i(I,"run");I();
