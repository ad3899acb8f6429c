import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as v}from"./chunk-R3ACUHWY.js";import{a as c}from"./chunk-VSJQBLQU.js";import{a,f as j}from"./chunk-YYKMUCKQ.js";var u=j(v(),1);import{readdir as x,stat as F}from"node:fs/promises";import{isAbsolute as w,join as e,relative as P,sep as C}from"node:path";var g=/[*?[\]{}!]/;async function d(n,s){let i;try{i=await x(n,{withFileTypes:!0})}catch{return}for(let t of i)t.isDirectory()?await d(e(n,t.name),s):t.isFile()&&s.push(e(n,t.name))}a(d,"walk");async function A(n,s){let i=new Set;for(let t of n){if(!g.test(t)){let o=w(t)?t:e(s,t);try{if(!(await F(o)).isFile())throw new Error("not a file")}catch{throw new c(`evaluation file ${t} does not exist`)}i.add(o);continue}let r=t.split("/"),f=r.findIndex(o=>g.test(o)),l=r.slice(0,f).join("/")||".",m=w(t)?l||"/":e(s,l),y=r.slice(f).join("/"),b=(0,u.default)(y,{dot:!1}),h=[];await d(m,h);let p=h.filter(o=>b(P(m,o).split(C).join("/")));if(p.length===0)throw new c(`no evaluation file matches ${t}`);for(let o of p)i.add(o)}return[...i].sort()}a(A,"expandFilePatterns");export{A as a};
