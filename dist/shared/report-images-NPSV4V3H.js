import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a,b,c,d}from"./chunk-Y66BS6OG.js";import"./chunk-VSJQBLQU.js";import"./chunk-YYKMUCKQ.js";export{a as DEFAULT_IMAGE_BRANCH,c as hostImages,d as imagesMarkdown,b as safeSegment};
