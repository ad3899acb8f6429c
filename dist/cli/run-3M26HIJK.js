import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{g as a,h as b,i as c,j as d,k as e,l as f,m as g,n as h,o as i,p as j}from"./chunk-DJBBJBB5.js";import"./chunk-HMK4I7E7.js";import"./chunk-5SJHMJS3.js";import"./chunk-WBPVQMXW.js";import"./chunk-UL4GNVFD.js";import"./chunk-TKOIAOJG.js";import"./chunk-5FMM7D7D.js";import"./chunk-XXFMMH2Q.js";import"./chunk-7Y5CKGDI.js";import"./chunk-W75X5O5P.js";import"./chunk-G4ZLGACR.js";import"./chunk-55MOYGTI.js";import"./chunk-XCVWQBZ7.js";import"./chunk-D7LFJ6MZ.js";import"./chunk-7DWOQENF.js";export{d as absoluteUnlessUrl,j as command,i as exitCodeOf,c as loadConfigOrExplain,e as mapValues,f as parseJobs,b as parseMultiPairs,a as parsePairs,g as runWithProgress,h as takeContainerFlag};
