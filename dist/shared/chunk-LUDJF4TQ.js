import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as n}from"./chunk-YYKMUCKQ.js";function r(e){return e.replace(/[.*+?^${}()|[\]\\/-]/g,"\\$&")}n(r,"escapeRegExp");function f(e){let s="",i=0;for(;i<e.length;){let g=e[i]??"";if(i+=1,g==="*"){for(;e[i]==="*";)i+=1;s+="[\\s\\S]*"}else if(g==="?")s+="[\\s\\S]";else if(g==="["){let l=i;for(e[l]==="!"&&(l+=1),e[l]==="]"&&(l+=1);l<e.length&&e[l]!=="]";)l+=1;if(l>=e.length)s+="\\[";else{let c=e.slice(i,l);i=l+1;let t=c.startsWith("!");t&&(c=c.slice(1));let o=c.replace(/\\/g,"\\\\").replace(/\^/g,"\\^").replace(/\[/g,"\\[").replace(/]/g,"\\]");s+=t?`[^${o}]`:c===""?"(?!)":`[${o}]`}}else s+=r(g)}return new RegExp(`^${s}$`)}n(f,"fnmatchRegExp");function h(e){let s=f(e);return i=>s.test(i)}n(h,"fnmatcher");export{h as a};
