#!/usr/bin/env node
import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as o,h as i,i as m}from"./chunk-7DWOQENF.js";var a="0.1.0";var d={validate:o(()=>import("./validate-UMWMWUCE.js"),"validate"),graph:o(()=>import("./graph-BWKVYBP6.js"),"graph"),run:o(()=>import("./run-3M26HIJK.js"),"run"),exec:o(()=>import("./exec-HJWTBEQ4.js"),"exec"),runs:o(()=>import("./runs-HKFF3BAK.js"),"runs"),show:o(()=>import("./show-YF7UABOB.js"),"show"),logs:o(()=>import("./logs-2P4DPA7Y.js"),"logs"),reproduce:o(()=>import("./reproduce-Z2QNM55B.js"),"reproduce"),init:o(()=>import("./init-GVTAUASC.js"),"init"),compile:o(()=>import("./compile-3RGRQ77U.js"),"compile"),compare:o(()=>import("./compare-2AX3R25Z.js"),"compare"),report:o(()=>import("./report-MTY6QM3Y.js"),"report"),profile:o(()=>import("./profile-7CP77OPY.js"),"profile"),drift:o(()=>import("./drift-3K6V2MF5.js"),"drift"),deploy:o(()=>import("./deploy-XRZ5ENOD.js"),"deploy"),endpoints:o(()=>import("./endpoints-57P4ME45.js"),"endpoints"),rollback:o(()=>import("./rollback-2RBWC4X3.js"),"rollback"),promote:o(()=>import("./promote-ETMIHKE3.js"),"promote"),reject:o(()=>import("./reject-TFUSX3ZM.js"),"reject"),models:o(()=>import("./models-GOPOYCLK.js"),"models"),trigger:o(()=>import("./trigger-JDNULIHY.js"),"trigger"),ui:o(()=>import("./ui-3YZO5VPB.js"),"ui"),store:o(()=>import("./store-KS7KXNGX.js"),"store")};function h(e){let r=Math.max(...e.map(([n])=>n.length));return["mlops: run valohai.yaml pipelines locally and on GitHub Actions","","Usage: mlops <command> [options]","","Commands:",...e.map(([n,t])=>`  ${n.padEnd(r)}  ${t}`),"","Run `mlops <command> --help` for the options of one command."].join(`
`)}o(h,"helpText");function g(e){let r=e?.code;return typeof r=="string"&&r.startsWith("ERR_PARSE_ARGS")}o(g,"isUsageError");async function l(e){let[r,...n]=e;try{if(r===void 0||r==="--help"||r==="-h"||r==="help"){let c=[];for(let[u,f]of Object.entries(d))c.push([u,(await f()).command.summary]);return process.stdout.write(`${h(c)}
`),r===void 0?2:0}if(r==="--version"||r==="-V")return process.stdout.write(`${a}
`),0;let t=d[r];if(!t)return process.stderr.write(`mlops: unknown command '${r}'. Run 'mlops --help' to list the commands.
`),2;let{command:s}=await t();return n.includes("--help")||n.includes("-h")?(process.stdout.write(`${s.usage}
`),0):await s.run(n)}catch(t){if(g(t))return process.stderr.write(`mlops: ${m(t)}. Run 'mlops ${r??""} --help' for the options.
`),2;let s=t instanceof i?"mlops: ":"mlops: internal error: ";return process.stderr.write(`${s}${m(t)}
`),!(t instanceof i)&&process.env.MLOPS_DEBUG&&t instanceof Error&&process.stderr.write(`${t.stack??""}
`),1}}o(l,"main");process.stdout.on("error",e=>{throw e.code==="EPIPE"&&process.exit(0),e});var p=!1;process.once("beforeExit",()=>{p||(process.stderr.write(`mlops: internal error: the command stopped before it finished
`),process.exitCode=1)});l(process.argv.slice(2)).then(e=>{p=!0,process.exitCode=e},()=>{p=!0,process.exitCode=1});
