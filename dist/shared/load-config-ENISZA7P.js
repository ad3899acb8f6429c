import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as e}from"./chunk-OLKHF3A2.js";import"./chunk-D7ZCDSRX.js";import"./chunk-LUDJF4TQ.js";import"./chunk-WJX4UIDM.js";import"./chunk-UUHE6EUL.js";import"./chunk-GBM5RRSS.js";import"./chunk-R3ACUHWY.js";import"./chunk-BJHQAN6Z.js";import{a as r}from"./chunk-VWJA6QN4.js";import"./chunk-VSJQBLQU.js";import"./chunk-YYKMUCKQ.js";export{e as loadConfigOrThrow,r as parseParameterOverrides};
