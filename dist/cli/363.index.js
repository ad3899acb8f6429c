const I=363,U=[363],$={3363:((x,f,e)=>{e.r(f),e.d(f,{command:()=>j});var E=e(6760),P=e(7975),_=e(4478),n=e(582),O=e(2067),v=e(1878),m=e(879);const A=`Usage: mlops exec [FILE] --step NAME [options]

Runs one step of FILE (default ./valohai.yaml) as a one-node run, printing its output as it runs.

Options:
  --step NAME            the step to run
  --param NAME=VALUE     a parameter value (repeatable)
  --input NAME=PATH|URL  files for an input instead of its defaults (repeatable)
  --reuse                take the result of an identical earlier execution instead of running
  --container[=ENGINE]   run the step in its image with docker or podman (default: the first on PATH),
                         its folders mounted at /valohai/{inputs,outputs,config,repository}
  --project-dir DIR      where runs and the artifact store live (default: .mlops next to FILE)`;function D(o,a){const t=o.replace(/[^A-Za-z0-9_-]+/g,"-"),s={file:a,line:1,col:1};return{node:t,pipeline:{name:`step:${o}`,nodes:[{type:"execution",name:t,step:o,actions:[],onError:"stop-all",edgeMergeMode:"replace",position:s}],edges:[],parameters:[],reuseExecutions:!1,position:s}}}const j={summary:"run one step of the pipeline file",usage:A,async run(o){const a=(0,n.takeContainerFlag)(o),{values:t,positionals:s}=(0,P.parseArgs)({args:a.argv,options:{step:{type:"string"},param:{type:"string",multiple:!0,default:[]},input:{type:"string",multiple:!0,default:[]},reuse:{type:"boolean",default:!1},"project-dir":{type:"string"}},allowPositionals:!0});if(s.length>1)throw new _.j(`exec takes one file, got ${s.length}`);const p=s[0]??"valohai.yaml",i=await(0,n.loadConfigOrExplain)(p),l=t.step;if(l===void 0||!i.steps.has(l))throw new _.j(`choose a step with --step NAME (steps in ${p}: ${[...i.steps.keys()].join(", ")||"none"})`);const{pipeline:u,node:g}=D(l,i.file);i.pipelines.set(u.name,u);const M={};for(const[c,d]of Object.entries((0,v.N_)(t.param)))M[`${g}.${c}`]=d;const h={};for(const[c,d]of Object.entries((0,n.parseMultiPairs)(t.input,"--input")))h[`${g}.${c}`]=d.map(n.absoluteUnlessUrl);const y=(0,m.Hn)((0,E.dirname)((0,E.resolve)(p))),L=a.container===void 0?void 0:await(0,O.nW)(a.container),r=await(0,n.runWithProgress)({config:i,pipeline:u.name,repositoryDir:y,projectDir:(0,m.cv)(t["project-dir"],p,!0),parameters:M,inputs:h,reuse:t.reuse,jobs:1,streamLines:!0,container:L});return process.stdout.write(`run ${r.id}: ${r.status}${r.reason?` (${r.reason})`:""}
`),(0,n.exitCodeOf)(r)}}})};export{I as id,U as ids,$ as modules};
