import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as N,b as P,c as q,d as G}from"./chunk-F46ACKPO.js";import"./chunk-HMGVQWAR.js";import{a as A}from"./chunk-WBPVQMXW.js";import{b as K}from"./chunk-UL4GNVFD.js";import{A as B,f as M,h as z,l as T,m as U,o as V}from"./chunk-TKOIAOJG.js";import"./chunk-XXFMMH2Q.js";import"./chunk-7Y5CKGDI.js";import"./chunk-W75X5O5P.js";import{b as C}from"./chunk-G4ZLGACR.js";import{j as O}from"./chunk-55MOYGTI.js";import{a as H}from"./chunk-XCVWQBZ7.js";import"./chunk-D7LFJ6MZ.js";import{a as $,h as L}from"./chunk-7DWOQENF.js";import{existsSync as te}from"node:fs";import{join as ne}from"node:path";import{parseArgs as ie}from"node:util";function s(o){return o.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/"/g,"&quot;").replace(/'/g,"&#39;")}$(s,"escapeHtml");function Z(o){let t=o.selection.table.filter(a=>a.value!==void 0).slice(0,30);if(t.length===0)return"";let r=t.map(a=>a.value??0),e=o.selection.baseline?.value,c=Math.min(0,...r,e??0),d=Math.max(...r,e??Number.NEGATIVE_INFINITY,c+1e-12),p=48,l=16,x=200,f=t.length*(p+l)+l,i=$(a=>x-(a-c)/(d-c)*x,"y"),w=t.map((a,F)=>{let n=l+F*(p+l),m=i(Math.max(a.value??0,0)),b=i(Math.min(a.value??0,0)),v=a.winner?"#2da44e":a.eligible?"#8c959f":"#d1242f";return`<g><title>${s(`${a.node}: ${M(a.value??0)}`)}</title><rect x="${n}" y="${m.toFixed(1)}" width="${p}" height="${Math.max(b-m,1).toFixed(1)}" fill="${v}"/><text x="${n+p/2}" y="${x+14}" text-anchor="middle" font-size="10">${s(a.node.slice(0,12))}</text></g>`}).join(""),h=e===void 0?"":`<line x1="0" x2="${f}" y1="${i(e).toFixed(1)}" y2="${i(e).toFixed(1)}" stroke="#0969da" stroke-dasharray="4 3"><title>baseline ${s(M(e))}</title></line>`;return`<figure><svg xmlns="http://www.w3.org/2000/svg" width="${f}" height="${x+20}" role="img" aria-label="${s(o.selection.rule.metric)} per candidate">${w}${h}</svg><figcaption>${s(o.selection.rule.metric)} per candidate (green: winner, red: excluded${e===void 0?"":", dashed: baseline"})</figcaption></figure>`}$(Z,"barChartSvg");function W(o){let{selection:t}=o,r=[...new Set(t.table.flatMap(i=>Object.keys(i.parameters)))],e=[...new Set([t.rule.metric,...t.table.flatMap(i=>Object.keys(i.metrics).filter(w=>!w.startsWith("_")))])],c=["","Node","Execution","Status",...r,...e,`Δ ${t.rule.metric} vs baseline`,"Note"],d=$(i=>i===void 0?"—":z(i).replace(/^"(.*)"$/,"$1"),"cell"),p=t.table.map(i=>{let w=[i.winner?"🏆":i.rank!==void 0?String(i.rank):"✗",i.node,i.executionId,i.status,...r.map(h=>d(i.parameters[h])),...e.map(h=>d(i.metrics[h])),N(i),i.excluded?`excluded: ${i.excluded}`:i.winner?`winner (${t.decision})`:""];return`<tr class="${i.winner?"winner":i.eligible?"":"excluded"}">${w.map(h=>`<td>${s(h)}</td>`).join("")}</tr>`}).join(`
`),l=t.baseline,x=l?`Baseline (${l.label?`${l.label}, `:""}${l.source}): ${l.value===void 0?`no usable ${t.rule.metric}`:`${t.rule.metric} = ${M(l.value)}`}`:"No baseline: the best candidate is the first model.",f=`Model comparison: ${o.pipeline}${o.runId?` (run ${o.runId})`:""}`;return`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${s(f)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1f2328; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; text-align: left; }
tr.winner { background: #dafbe1; font-weight: 600; }
tr.excluded { color: #57606a; }
.decision { font-size: 1.2rem; }
</style>
</head>
<body>
<h1>${s(f)}</h1>
<p class="decision"><strong>Decision: ${s(t.decision)}</strong>: ${s(t.reason)}</p>
<p>${s(x)}</p>
<table>
<thead><tr>${c.map(i=>`<th>${s(i)}</th>`).join("")}</tr></thead>
<tbody>
${p}
</tbody>
</table>
${Z(o)}
</body>
</html>
`}$(W,"renderHtml");var y=960,ee="font-family='-apple-system,Segoe UI,Helvetica,Arial,sans-serif'";function Y(o,t){let r=[],e="";for(let c of o.split(/\s+/))e!==""&&e.length+c.length+1>t?(r.push(e),e=c):e=e===""?c:`${e} ${c}`;return e!==""&&r.push(e),r}$(Y,"wrap");function D(o,t){return o.length>t?`${o.slice(0,t-1)}…`:o}$(D,"clip");function _(o){let{selection:t}=o,r=[],e=36;r.push(`<text x="24" y="${e}" font-size="22" font-weight="600">Model comparison: ${s(o.pipeline)}${o.runId?` · run ${s(o.runId)}`:""}</text>`),e+=34;let c=t.decision==="promote"?"#1a7f37":t.decision==="hold"?"#9a6700":"#cf222e";r.push(`<rect x="24" y="${e-18}" width="132" height="26" rx="13" fill="${c}"/><text x="90" y="${e}" font-size="14" font-weight="600" fill="#fff" text-anchor="middle">${s(t.decision.toUpperCase())}</text>`);for(let[n,m]of Y(t.reason,92).entries())r.push(`<text x="170" y="${e+n*18}" font-size="14">${s(m)}</text>`);e+=Math.max(1,Y(t.reason,92).length)*18+16;let d=t.rule.metric,p=[...new Set(t.table.flatMap(n=>Object.keys(n.parameters)))].slice(0,4),l=[...new Set([d,...t.rule.tieBreakers.map(n=>n.metric)])].slice(0,3),x=["","Node",...p,...l,`Δ ${d}`,"Note"],f=[30,150,...p.map(()=>84),...l.map(()=>84),150];f.push(Math.max(80,y-48-f.reduce((n,m)=>n+m,0)));let i=26,w=t.table.slice(0,12);r.push(`<rect x="24" y="${e}" width="${y-48}" height="${i}" fill="#f6f8fa" stroke="#d0d7de"/>`);let h=24;x.forEach((n,m)=>{r.push(`<text x="${h+6}" y="${e+17}" font-size="13" font-weight="600">${s(D(n,Math.floor((f[m]??80)/8.2)))}</text>`),h+=f[m]??80}),e+=i;for(let n of w){let m=n.winner?"#dafbe1":"#ffffff";r.push(`<rect x="24" y="${e}" width="${y-48}" height="${i}" fill="${m}" stroke="#d0d7de"/>`);let b=$(g=>g===void 0?"—":z(g).replace(/^"(.*)"$/,"$1"),"cell"),v=[n.winner?"★":n.rank!==void 0?String(n.rank):"✗",n.node,...p.map(g=>b(n.parameters[g])),...l.map(g=>b(n.metrics[g])),N(n),n.excluded?`excluded: ${n.excluded}`:n.winner?"winner":""];h=24,v.forEach((g,I)=>{let S=f[I]??80,j=n.winner&&I===1?" font-weight='600'":"";r.push(`<text x="${h+6}" y="${e+17}" font-size="13"${j}${n.eligible?"":" fill='#57606a'"}>${s(D(g,Math.floor(S/7.6)))}</text>`),h+=S}),e+=i}t.table.length>w.length&&(e+=18,r.push(`<text x="24" y="${e}" font-size="12" fill="#57606a">… ${t.table.length-w.length} more candidates</text>`));let a=t.table.filter(n=>n.value!==void 0).slice(0,12);if(a.length>0){e+=30,r.push(`<text x="24" y="${e}" font-size="15" font-weight="600">${s(d)} per candidate</text>`),e+=12;let n=160,m=a.map(u=>u.value??0),b=t.baseline?.value,v=b===void 0?m:[...m,b],g=Math.max(...v)-Math.min(...v)||Math.abs(Math.max(...v))||1,I=Math.min(...v)-g*.5,S=Math.max(...v)+g*.1,j=$(u=>e+n-(u-I)/(S-I)*n,"scale"),k=Math.min(140,(y-120)/a.length);if(a.forEach((u,J)=>{let R=80+J*k+k*.15,E=j(u.value??0),Q=u.winner?"#2da44e":u.eligible?"#8c959f":"#ff8182";r.push(`<rect x="${R.toFixed(1)}" y="${E.toFixed(1)}" width="${(k*.7).toFixed(1)}" height="${(e+n-E).toFixed(1)}" fill="${Q}"/>`),r.push(`<text x="${(R+k*.35).toFixed(1)}" y="${(E-4).toFixed(1)}" font-size="12" text-anchor="middle">${s(M(u.value??0))}</text>`),r.push(`<text x="${(R+k*.35).toFixed(1)}" y="${e+n+16}" font-size="12" text-anchor="middle">${s(D(u.node,Math.floor(k/7)))}</text>`)}),r.push(`<line x1="72" x2="${y-24}" y1="${e+n}" y2="${e+n}" stroke="#57606a"/>`),b!==void 0){let u=j(b).toFixed(1);r.push(`<line x1="72" x2="${y-24}" y1="${u}" y2="${u}" stroke="#0969da" stroke-dasharray="6 4"/>`),r.push(`<text x="${y-28}" y="${Number(u)-4}" font-size="12" fill="#0969da" text-anchor="end">baseline ${s(M(b))}${t.baseline?.label?` (${s(t.baseline.label)})`:""}</text>`)}e+=n+24}let F=e+16;return`<svg xmlns="http://www.w3.org/2000/svg" width="${y}" height="${F}" viewBox="0 0 ${y} ${F}" ${ee} fill="#1f2328">
<rect width="${y}" height="${F}" fill="#ffffff" stroke="#d0d7de"/>
${r.join(`
`)}
</svg>
`}$(_,"renderSvg");var X=`Usage: mlops report [RUN] [--html FILE] [options]

Prints the comparison report of a run (default: the most recent run in .mlops/runs) as Markdown:
one row per candidate with parameters, metrics and deltas against the baseline, the winner, the
decision and its reason, and Mermaid charts. Uses the decision stored by \`mlops compare --run\`;
when there is none, applies the selection rule of the pipeline file first (and stores it).

Options:
  --html FILE         also write a self-contained HTML page
  --svg FILE          also write the report as an SVG picture (decision, table, chart)
  --file FILE         pipeline file with the selection rule (default ./valohai.yaml)
  --project-dir DIR   the project folder of run records (default: .mlops in the repository)
  --metric, --goal, --tie-breakers, --constraint, --threshold, --min-absolute, --min-relative,
  --tolerance         rule options as for \`mlops compare\`, used only when no decision is stored`,je={summary:"print the comparison report of a run (Markdown, optionally HTML)",usage:X,async run(o){let{values:t,positionals:r}=ie({args:o,options:{html:{type:"string"},svg:{type:"string"},file:{type:"string"},"project-dir":{type:"string"},...G},allowPositionals:!0});if(r.length>1)throw new L(`report takes one run id, got ${r.length}.
${X}`);let e=C(t["project-dir"]),c=await O(e,r[0]??"latest"),d=await V(e,c);if(!d){let l=t.file??"valohai.yaml",x=t.file!==void 0||te(l)?await T(l):void 0,f=U(x,q(t)),i=K(()=>new B(e),void 0);d=(await A({pipeline:"pipeline",rule:f,candidates:{kind:"run",projectDir:e,runId:c},baseline:i})).stored}let p={pipeline:d.pipeline,runId:c,selection:d.selection,links:{runUrl:ne(".mlops","runs",c)},...d.deployments?{deployments:d.deployments}:{}};return process.stdout.write(P(p)),t.html!==void 0&&(await H(t.html,W(p)),process.stderr.write(`HTML report written to ${t.html}
`)),t.svg!==void 0&&(await H(t.svg,_(p)),process.stderr.write(`SVG picture written to ${t.svg}
`)),0}};export{je as command};
