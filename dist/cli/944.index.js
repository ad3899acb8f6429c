const D=944,O=[944],A={4944:((E,c,d)=>{d.r(c),d.d(c,{command:()=>j,formatDuration:()=>p});var m=d(7975),f=d(9366),u=d(879);const h=`Usage: mlops runs [--json] [--project-dir DIR]

Lists the runs recorded in the project folder (default: .mlops in the repository), oldest first.

Options:
  --json              print the run summaries as JSON
  --project-dir DIR   the project folder (default: .mlops in the repository)`;function p(t,o){if(t===void 0)return"-";const s=Date.parse(o??new Date().toISOString())-Date.parse(t);if(!Number.isFinite(s))return"-";const e=s/1e3;return e<60?`${e.toFixed(1)}s`:`${Math.floor(e/60)}m ${(e%60).toFixed(0)}s`}function l(t){const o=Object.values(t.nodes);return{id:t.id,pipeline:t.pipeline,status:t.status,createdAt:t.createdAt,finishedAt:t.finishedAt??null,nodes:o.length,executions:o.reduce((s,e)=>s+e.executions.filter(r=>!r.reusedFrom).length,0),reused:o.reduce((s,e)=>s+e.executions.filter(r=>r.reusedFrom).length,0)}}const j={summary:"list recorded pipeline runs",usage:h,async run(t){const{values:o}=(0,m.parseArgs)({args:t,options:{json:{type:"boolean",default:!1},"project-dir":{type:"string"}}}),s=await(0,f.v)((0,u.cv)(o["project-dir"]));if(o.json)return process.stdout.write(`${JSON.stringify(s.map(l),null,2)}
`),0;if(s.length===0)return process.stdout.write(`no runs in ${(0,u.cv)(o["project-dir"])}
`),0;const e=s.map(n=>{const i=l(n);return[n.id,n.pipeline,n.status,p(n.createdAt,n.finishedAt),`${String(i.executions)} run, ${String(i.reused)} reused`]}),r=["RUN","PIPELINE","STATUS","DURATION","EXECUTIONS"],g=r.map((n,i)=>Math.max(n.length,...e.map(a=>(a[i]??"").length)));for(const n of[r,...e])process.stdout.write(`${n.map((i,a)=>i.padEnd(g[a]??0)).join("  ").trimEnd()}
`);return 0}}})};export{D as id,O as ids,A as modules};
