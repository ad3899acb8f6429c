import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{e as a}from"./chunk-NTR7R52L.js";import{e as c}from"./chunk-A4ID5ENC.js";import{t as n}from"./chunk-HEO2P4X2.js";import{a as t}from"./chunk-VSJQBLQU.js";import{a as s}from"./chunk-YYKMUCKQ.js";function g(e,o=process.env){let r=/^([^/\s]+)\/([^/\s]+)$/.exec(o.GITHUB_REPOSITORY??"");if(!r?.[1]||!r[2])throw new t("GITHUB_REPOSITORY is not OWNER/NAME: cannot read the releases registry");if(e==="")throw new t('input "github-token" is required to read the production model from the releases registry');n(e);let i=o.GITHUB_API_URL,m=c({token:e,...i?{baseUrl:i}:{}});return new a(m,{owner:r[1],repo:r[2]})}s(g,"releasesRegistry");export{g as a};
