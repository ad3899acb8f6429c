import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{g as a,h as b,i as c,j as d,k as e,l as f,m as g,n as h,o as i,p as j}from"./chunk-6YPS4ZFB.js";import"./chunk-F5J3A4W6.js";import"./chunk-2FQ4PMFN.js";import"./chunk-VOTV6GMK.js";import"./chunk-3BMC2Q3L.js";import"./chunk-TWR7UF7S.js";import"./chunk-5FMM7D7D.js";import"./chunk-XXFMMH2Q.js";import"./chunk-543TYIFA.js";import"./chunk-W75X5O5P.js";import"./chunk-G4ZLGACR.js";import"./chunk-JRYCDGJ7.js";import"./chunk-GLG7J37A.js";import"./chunk-D7LFJ6MZ.js";import"./chunk-7DWOQENF.js";export{d as absoluteUnlessUrl,j as command,i as exitCodeOf,c as loadConfigOrExplain,e as mapValues,f as parseJobs,b as parseMultiPairs,a as parsePairs,g as runWithProgress,h as takeContainerFlag};
