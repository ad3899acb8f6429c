import { createRequire as __mlopsCreateRequire } from 'node:module';
import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';
import { dirname as __mlopsDirname } from 'node:path';
const require = __mlopsCreateRequire(import.meta.url);
const __filename = __mlopsFileURLToPath(import.meta.url);
const __dirname = __mlopsDirname(__filename);
import{a as i}from"./chunk-VSJQBLQU.js";import{a as u}from"./chunk-YYKMUCKQ.js";import{resolve as c}from"node:path";function E(t){let o=t.GITHUB_RUN_ATTEMPT?.trim()||"1",r=Number(o);if(!Number.isSafeInteger(r)||r<1)throw new i(`GITHUB_RUN_ATTEMPT must be a positive integer, got "${o}"`);let e=t.RUNNER_TEMP?.trim();if(!e)throw new i("RUNNER_TEMP is not set: this action runs on a GitHub Actions runner");let n={workspace:c(t.GITHUB_WORKSPACE?.trim()||process.cwd()),tempDir:c(e),runAttempt:r},m=t.GITHUB_RUN_ID?.trim();m&&(n.runId=m);let s=t.GITHUB_SHA?.trim();return s&&(n.commit=s),n}u(E,"runnerEnvironment");export{E as a};
