const p=409,x=[409],j={4409:((P,i,o)=>{o.r(i),o.d(i,{command:()=>E});var c=o(1455),u=o(7975),l=o(9366),n=o(4478),_=o(879);const d=`Usage: mlops logs RUN NODE [--project-dir DIR]

Prints the full log of every execution of NODE in RUN (a task node has several; each is headed by
its execution id). Reused executions print the log of the execution they reuse.`,E={summary:"print a node's execution logs",usage:d,async run(h){const{values:g,positionals:f}=(0,u.parseArgs)({args:h,options:{"project-dir":{type:"string"}},allowPositionals:!0}),[a,s]=f;if(a===void 0||s===void 0)throw new n.j(`logs needs RUN and NODE. ${d}`);const r=await(0,l.Sj)((0,_.cv)(g["project-dir"]),a),e=r.nodes[s];if(!e)throw new n.j(`run ${r.id} has no node ${s} (nodes: ${Object.keys(r.nodes).join(", ")})`);if(e.executions.length===0)return process.stderr.write(`node ${s} has no executions (${e.state}${e.reason?`: ${e.reason}`:""})
`),1;const D=e.executions.length>1;for(const t of e.executions){D&&process.stdout.write(`==> ${t.executionId} (${t.status}) <==
`);try{process.stdout.write(await(0,c.readFile)(t.logPath,"utf8"))}catch(O){process.stderr.write(`cannot read log ${t.logPath}: ${(0,n.u)(O)}
`)}}return 0}}})};export{p as id,x as ids,j as modules};
