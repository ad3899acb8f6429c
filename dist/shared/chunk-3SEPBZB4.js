import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as r}from"./chunk-YYKMUCKQ.js";var e=/[^A-Za-z0-9_@%+=:,./-]/;function n(t){return t===""?"''":e.test(t)?`'${t.replace(/'/g,`'"'"'`)}'`:t}r(n,"shellQuote");export{n as a};
