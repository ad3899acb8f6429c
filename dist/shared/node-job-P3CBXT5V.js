import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{e as c,f as d,g as e,h as f,i as g,j as h}from"./chunk-NO5UIORC.js";import"./chunk-BZLMQTQH.js";import"./chunk-V5K4MEMW.js";import"./chunk-PSYEZEZP.js";import{B as a,C as b}from"./chunk-QKPRDHJR.js";import"./chunk-DKYO43NG.js";import"./chunk-U2JCZS2E.js";import"./chunk-YH47VY6D.js";import"./chunk-RE37XUWR.js";import"./chunk-4DSJR6JT.js";import"./chunk-X3CBKE2I.js";import"./chunk-R3YJSPRP.js";import"./chunk-MEVOYVPG.js";import"./chunk-5J5A62HV.js";import"./chunk-2PVHSLT2.js";import"./chunk-EGFYZGOP.js";import"./chunk-LXQUIOFT.js";import"./chunk-YYKMUCKQ.js";export{a as EXECUTION_FILE,c as MAX_METADATA_OUTPUT_BYTES,b as OUTPUTS_PREFIX,d as loadConfig,g as metadataOutput,e as requireContainerImage,f as runNodeJob,h as writeNodeSummary};
