// Preload for bench/bundles.ts (`node --import`): the first time the process reads an action input
// (`INPUT_*`, which is how @actions/core's getInput reads them) it prints how long the process has lived
// (wall, from Node's time origin) and how much CPU it has used, then exits at once. What comes before that
// read is an action's cold start: Node booting, the bundle parsed and evaluated, its imports run.
import { performance } from 'node:perf_hooks';

const real = process.env;
process.env = new Proxy(real, {
  get(target, key) {
    if (typeof key === 'string' && key.startsWith('INPUT_')) {
      const cpu = process.cpuUsage();
      process.stdout.write(`\nmlops-bench-inputs-reached ${performance.now().toFixed(2)} ${((cpu.user + cpu.system) / 1000).toFixed(2)}\n`);
      process.reallyExit(0);
    }
    return Reflect.get(target, key);
  },
});
