const y=904,E=[904],w={8904:((_,r,s)=>{s.r(r),s.d(r,{command:()=>f});var c=s(7975),g=s(300),p=s(7479),v=s(4478);const l=`Usage: mlops validate [FILE] [--json]

Checks a pipeline file (default ./valohai.yaml) and prints every problem as
file:line:col: severity: message. Exit code 0 when valid or warnings only, 1 on errors.

Options:
  --json    print {file, valid, errors, warnings, diagnostics[]} for machines`,f={summary:"check a pipeline file and print every problem with file:line:col",usage:l,async run(h){const{values:m,positionals:o}=(0,c.parseArgs)({args:h,options:{json:{type:"boolean",default:!1}},allowPositionals:!0});if(o.length>1)throw new v.j(`validate takes one file, got ${o.length}. ${l}`);const t=o[0]??"valohai.yaml",i=await(0,g.fH)(t),n=i.diagnostics.filter(e=>e.severity==="error"),a=i.diagnostics.filter(e=>e.severity==="warning");if(m.json)process.stdout.write(`${JSON.stringify({file:t,valid:n.length===0,errors:n.length,warnings:a.length,diagnostics:i.diagnostics},null,2)}
`);else{for(const d of i.diagnostics)(d.severity==="error"?process.stderr:process.stdout).write(`${(0,p.xy)(d)}
`);const e=n.length>0?"invalid":"valid";process.stdout.write(`${t}: ${e} (${n.length} error(s), ${a.length} warning(s))
`)}return n.length>0?1:0}}})};export{y as id,E as ids,w as modules};
