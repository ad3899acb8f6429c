import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{c as y}from"./chunk-NXTYV5BC.js";import{a as h,c as x}from"./chunk-U75QPGWV.js";import{a as d}from"./chunk-YYKMUCKQ.js";function a(i){return i.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/"/g,"&quot;").replace(/'/g,"&#39;")}d(a,"escapeHtml");function M(i){let t=i.selection.table.filter(n=>n.value!==void 0).slice(0,30);if(t.length===0)return"";let m=t.map(n=>n.value??0),s=i.selection.baseline?.value,u=Math.min(0,...m,s??0),p=Math.max(...m,s??Number.NEGATIVE_INFINITY,u+1e-12),o=48,l=16,c=200,$=t.length*(o+l)+l,e=d(n=>c-(n-u)/(p-u)*c,"y"),b=t.map((n,v)=>{let g=l+v*(o+l),f=e(Math.max(n.value??0,0)),I=e(Math.min(n.value??0,0)),k=n.winner?"#2da44e":n.eligible?"#8c959f":"#d1242f";return`<g><title>${a(`${n.node}: ${h(n.value??0)}`)}</title><rect x="${g}" y="${f.toFixed(1)}" width="${o}" height="${Math.max(I-f,1).toFixed(1)}" fill="${k}"/><text x="${g+o/2}" y="${c+14}" text-anchor="middle" font-size="10">${a(n.node.slice(0,12))}</text></g>`}).join(""),r=s===void 0?"":`<line x1="0" x2="${$}" y1="${e(s).toFixed(1)}" y2="${e(s).toFixed(1)}" stroke="#0969da" stroke-dasharray="4 3"><title>baseline ${a(h(s))}</title></line>`;return`<figure><svg xmlns="http://www.w3.org/2000/svg" width="${$}" height="${c+20}" role="img" aria-label="${a(i.selection.rule.metric)} per candidate">${b}${r}</svg><figcaption>${a(i.selection.rule.metric)} per candidate (green: winner, red: excluded${s===void 0?"":", dashed: baseline"})</figcaption></figure>`}d(M,"barChartSvg");function S(i){let{selection:t}=i,m=[...new Set(t.table.flatMap(e=>Object.keys(e.parameters)))],s=[...new Set([t.rule.metric,...t.table.flatMap(e=>Object.keys(e.metrics).filter(b=>!b.startsWith("_")))])],u=["","Node","Execution","Status",...m,...s,`Δ ${t.rule.metric} vs baseline`,"Note"],p=d(e=>e===void 0?"—":x(e).replace(/^"(.*)"$/,"$1"),"cell"),o=t.table.map(e=>{let b=[e.winner?"🏆":e.rank!==void 0?String(e.rank):"✗",e.node,e.executionId,e.status,...m.map(r=>p(e.parameters[r])),...s.map(r=>p(e.metrics[r])),y(e),e.excluded?`excluded: ${e.excluded}`:e.winner?`winner (${t.decision})`:""];return`<tr class="${e.winner?"winner":e.eligible?"":"excluded"}">${b.map(r=>`<td>${a(r)}</td>`).join("")}</tr>`}).join(`
`),l=t.baseline,c=l?`Baseline (${l.label?`${l.label}, `:""}${l.source}): ${l.value===void 0?`no usable ${t.rule.metric}`:`${t.rule.metric} = ${h(l.value)}`}`:"No baseline: the best candidate is the first model.",$=`Model comparison: ${i.pipeline}${i.runId?` (run ${i.runId})`:""}`;return`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${a($)}</title>
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
<h1>${a($)}</h1>
<p class="decision"><strong>Decision: ${a(t.decision)}</strong>: ${a(t.reason)}</p>
<p>${a(c)}</p>
<table>
<thead><tr>${u.map(e=>`<th>${a(e)}</th>`).join("")}</tr></thead>
<tbody>
${o}
</tbody>
</table>
${M(i)}
</body>
</html>
`}d(S,"renderHtml");export{a,S as b};
