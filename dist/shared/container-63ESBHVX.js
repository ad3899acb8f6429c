import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{e as b,f as c,g as d,h as e,i as f,j as g,k as h,l as i}from"./chunk-Z4TSDW3H.js";import"./chunk-3SEPBZB4.js";import{a}from"./chunk-O6YW2PLV.js";import"./chunk-VSJQBLQU.js";import"./chunk-YYKMUCKQ.js";export{a as CONTAINER_ENGINES,b as CONTAINER_PATHS,f as containerInvocation,e as containerReuseKey,i as ensureImage,d as findContainerRuntime,c as parseContainerChoice,h as removeContainer,g as stopContainer};
