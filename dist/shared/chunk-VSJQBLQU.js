import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as t}from"./chunk-YYKMUCKQ.js";var e=class extends Error{static{t(this,"ConfigurationError")}name="ConfigurationError"},r=class extends Error{static{t(this,"OutcomeFailure")}name="OutcomeFailure"};function s(n){if(n instanceof Error)return n.message;if(typeof n=="string")return n;try{return JSON.stringify(n)??String(n)}catch{return String(n)}}t(s,"getErrorMessage");export{e as a,r as b,s as c};
