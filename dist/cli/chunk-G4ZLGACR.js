import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as e}from"./chunk-7DWOQENF.js";import{existsSync as c}from"node:fs";import{dirname as i,join as s,resolve as n}from"node:path";var u=".mlops";function p(o){let t=n(o);for(let r=t;;r=i(r)){if(c(s(r,".git")))return r;if(i(r)===r)return t}}e(p,"repositoryRoot");function m(o,t=process.cwd(),r=!1){if(o!==void 0)return n(o);let f=r?i(n(t)):n(t);return s(p(f),u)}e(m,"projectDirFor");export{p as a,m as b};
