import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{b as a,c as b,d as c,e as d,f as e,g as f,h as g,i as h,j as i,k as j,l as k,m as l,n as m,o as n,p as o,q as p}from"./chunk-TG6A5XAZ.js";import"./chunk-RZGYVGOY.js";import"./chunk-D23JVPAS.js";import"./chunk-PE3WR3W3.js";import"./chunk-BJHQAN6Z.js";import"./chunk-3SEPBZB4.js";import"./chunk-VDOOMNMX.js";import"./chunk-MUBHABDW.js";import"./chunk-DJLBWDAJ.js";import"./chunk-2XY77REW.js";import"./chunk-KMAIAR26.js";import"./chunk-VSJQBLQU.js";import"./chunk-YYKMUCKQ.js";export{e as ANNOTATION,a as DEFAULT_KUBERNETES_OPTIONS,d as LABEL,k as annotationsFor,l as deploymentManifest,f as dnsLabel,n as hpaManifest,b as kubernetesOptions,c as kubernetesOptionsFor,i as labelsFor,p as pdbManifest,o as previewServiceManifest,h as previewServiceName,g as resourceName,j as selectorFor,m as serviceManifest};
