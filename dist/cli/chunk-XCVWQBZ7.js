import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{d as e}from"./chunk-D7LFJ6MZ.js";import{a as n}from"./chunk-7DWOQENF.js";import{randomBytes as a}from"node:crypto";import{mkdirSync as u,renameSync as f,rmSync as g,writeFileSync as w}from"node:fs";import{mkdir as y,rename as p,rm as S,writeFile as l}from"node:fs/promises";import{dirname as m,join as d,basename as v}from"node:path";var $=a(4).toString("hex"),c=0;function s(r){return c+=1,d(m(r),`.${v(r)}.${process.pid}.${$}${c.toString(16)}.tmp`)}n(s,"tmpSibling");async function x(r,t){await y(m(r),{recursive:!0});let i=s(r);try{await l(i,typeof t=="string"?e(t):t),await p(i,r)}catch(o){throw await S(i,{force:!0}),o}}n(x,"writeFileAtomic");async function P(r,t){await x(r,`${JSON.stringify(t,null,2)}
`)}n(P,"writeJsonAtomic");function j(r,t){u(m(r),{recursive:!0});let i=s(r);try{w(i,e(t)),f(i,r)}catch(o){throw g(i,{force:!0}),o}}n(j,"writeFileAtomicSync");export{x as a,P as b,j as c};
