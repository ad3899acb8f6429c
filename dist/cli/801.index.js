const _=801,w=[801],y={6801:((h,i,t)=>{t.r(i),t.d(i,{command:()=>p});var l=t(7975),c=t(1108),n=t(4478),d=t(6174);const s=`Usage: mlops profile DATA [-o profile.json] [options]

Streams DATA (.csv/.tsv with a header row, or .jsonl/.ndjson; optionally .gz) once and writes its
reference profile: per column the type, counts, missing share, min/max, mean/std, quantiles, decile
edges, a fine histogram and capped category frequencies. Memory is bounded per column, not by the file.

Options:
  -o, --output FILE        write the profile here (default: print it)
  --categorical COL,...    treat these columns as categories even when their values are numbers
  --label COL              the label column (categorical; with --prediction the profile records accuracy)
  --prediction COL         the model's prediction column (categorical)`;function u(o){return o===void 0?[]:o.split(",").map(e=>e.trim()).filter(e=>e!=="")}const p={summary:"stream a CSV/JSONL file once and write its reference profile for drift checks",usage:s,async run(o){try{return await f(o)}catch(e){if(!(e instanceof n.j))throw e;return process.stderr.write(`mlops profile: ${(0,n.u)(e)}
`),2}}};async function f(o){const{values:e,positionals:m}=(0,l.parseArgs)({args:o,options:{output:{type:"string",short:"o"},categorical:{type:"string"},label:{type:"string"},prediction:{type:"string"}},allowPositionals:!0}),[a,...g]=m;if(a===void 0||g.length>0)throw new n.j(`profile takes one data file.
${s}`);const r=await(0,c.aC)(a,{categorical:u(e.categorical),...e.label!==void 0?{label:e.label}:{},...e.prediction!==void 0?{prediction:e.prediction}:{}});return e.output!==void 0?(await(0,d.q)(e.output,r),process.stderr.write(`profiled ${r.rows} rows, ${r.columns.length} columns → ${e.output}
`)):process.stdout.write(`${JSON.stringify(r,null,2)}
`),0}})};export{_ as id,w as ids,y as modules};
