import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a,b,c,d,e}from"./chunk-7M7CZTTF.js";import"./chunk-YRNLSI6S.js";import"./chunk-QQYD5A7K.js";import"./chunk-WVKTSYOR.js";import"./chunk-D7ZCDSRX.js";import"./chunk-LUDJF4TQ.js";import"./chunk-WJX4UIDM.js";import"./chunk-UUHE6EUL.js";import"./chunk-GBM5RRSS.js";import"./chunk-R3ACUHWY.js";import"./chunk-BJHQAN6Z.js";import"./chunk-3SEPBZB4.js";import"./chunk-VDOOMNMX.js";import"./chunk-MUBHABDW.js";import"./chunk-2XY77REW.js";import"./chunk-KMAIAR26.js";import"./chunk-VSJQBLQU.js";import"./chunk-YYKMUCKQ.js";export{b as decisionArtifactName,e as decisionFileName,d as downloadDecisionArtifact,a as loadWorkflowRunCandidates,c as uploadDecisionArtifact};
