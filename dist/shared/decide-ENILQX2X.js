import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a,b,c}from"./chunk-IOOS3WUY.js";import"./chunk-KI62GKG2.js";import"./chunk-N7WSAPKA.js";import"./chunk-U75QPGWV.js";import"./chunk-WVKTSYOR.js";import"./chunk-D7ZCDSRX.js";import"./chunk-LUDJF4TQ.js";import"./chunk-WJX4UIDM.js";import"./chunk-UUHE6EUL.js";import"./chunk-GBM5RRSS.js";import"./chunk-R3ACUHWY.js";import"./chunk-BJHQAN6Z.js";import"./chunk-VDOOMNMX.js";import"./chunk-2NLLQOO3.js";import"./chunk-2XY77REW.js";import"./chunk-KMAIAR26.js";import"./chunk-VSJQBLQU.js";import"./chunk-YYKMUCKQ.js";export{b as decide,a as resolveBaseline,c as winnerFiles};
