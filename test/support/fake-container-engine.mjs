// A stand-in for the `docker` / `podman` CLI in tests: records every call and emulates `run` on the
// host. Usage (through the wrapper test/support/container-engine.ts writes):
//   node fake-container-engine.mjs ENGINE DIR ARGS...
// DIR gets `calls.jsonl` (one {engine, args, env?} per call) and `<container name>.pid` while it runs.
//
// `run` parses --rm, --name, -v SRC:DST[:ro], -w, -e NAME[=VALUE], --user, --userns=…, then IMAGE and the
// command; it runs the command on the host with `/valohai/...` paths (in the command, the workdir and
// variable values) mapped back to the mounted host folders, and only the -e variables plus an image
// PATH in its environment (files mounted into a PATH folder are found on it). Like a real engine client it ignores SIGTERM (the container's PID 1 would),
// so only `stop`/`kill` end the "container". Image `missing` fails like an image that cannot be pulled;
// image `slow-pull` takes two seconds before the container exists. `image inspect` finds every image
// but `missing` and `pull-me:*` (until `pull`ed); `pull` of `missing` is refused.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

const [engine, dir, command, ...args] = process.argv.slice(2);
const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function record(entry) {
  appendFileSync(join(dir, 'calls.jsonl'), `${JSON.stringify({ engine, args: [command, ...args], ...entry })}\n`);
}

function fail(message, code = 125) {
  process.stderr.write(`Error: ${message}\n`);
  process.exit(code);
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function stop(name, signals) {
  let pid;
  try {
    pid = Number(readFileSync(join(dir, `${name}.pid`), 'utf8'));
  } catch {
    fail(`No such container: ${name}`, 1);
  }
  for (const [signal, waitMs] of signals) {
    try {
      process.kill(-pid, signal);
    } catch {
      // gone
    }
    for (let waited = 0; alive(pid) && waited < waitMs; waited += 20) await sleep(20);
    if (!alive(pid)) break;
  }
  process.stdout.write(`${name}\n`);
}

async function run() {
  const mounts = [];
  const env = {};
  let name;
  let workdir = '/';
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-')) break;
    if (arg === '--rm' || arg === '--init' || arg.startsWith('--userns=')) continue;
    const value = args[++i];
    if (value === undefined) fail(`flag needs an argument: ${arg}`);
    if (arg === '--name') name = value;
    else if (arg === '-w') workdir = value;
    else if (arg === '--user') continue;
    else if (arg === '-v') {
      const [source, target] = value.split(':');
      mounts.push({ source, target });
    } else if (arg === '-e') {
      const eq = value.indexOf('=');
      if (eq >= 0) env[value.slice(0, eq)] = value.slice(eq + 1);
      else if (process.env[value] !== undefined) env[value] = process.env[value];
    } else fail(`unknown flag: ${arg}`);
  }
  const [image, ...cmd] = args.slice(i);
  record({ env });
  if (image === undefined || cmd.length === 0) fail('"run" requires an image and a command');
  if (image === 'missing') fail(`Unable to find image '${image}' locally`);
  // Like a real client it does not die of SIGTERM (a running one proxies it to the container).
  process.on('SIGTERM', () => record({ received: 'SIGTERM' }));
  // Image `slow-pull`: two seconds before the container exists, as while an image is pulled.
  if (image === 'slow-pull') await sleep(2000);
  mounts.sort((a, b) => b.target.length - a.target.length);
  const toHost = (text) => {
    for (const { source, target } of mounts) {
      if (text === target || text.startsWith(`${target}/`)) return source + text.slice(target.length);
    }
    return text;
  };
  // A file mounted into a folder of the image's PATH (the toolkit's /usr/local/bin/mlops) is found
  // there: emulated by a folder of links put first on the PATH.
  const pathDirs = IMAGE_PATH.split(':');
  const linked = mounts.filter(({ target }) => pathDirs.includes(dirname(target)));
  let path = IMAGE_PATH;
  let links;
  if (linked.length > 0) {
    links = mkdtempSync(join(tmpdir(), 'fake-engine-path-'));
    for (const { source, target } of linked) symlinkSync(source, join(links, basename(target)));
    path = `${links}:${IMAGE_PATH}`;
  }
  const childEnv = { PATH: path };
  for (const [key, value] of Object.entries(env)) childEnv[key] = toHost(value);
  const child = spawn(toHost(cmd[0]), cmd.slice(1).map(toHost), {
    cwd: toHost(workdir),
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pidFile = name === undefined ? undefined : join(dir, `${name}.pid`);
  if (pidFile) writeFileSync(pidFile, String(child.pid));
  child.stdout.pipe(process.stdout);
  child.stderr.pipe(process.stderr);
  child.on('error', (error) => fail(error.message, 127));
  child.on('close', (code, signal) => {
    if (pidFile) rmSync(pidFile, { force: true });
    if (links) rmSync(links, { recursive: true, force: true });
    process.exitCode = code ?? 128 + (signal === 'SIGKILL' ? 9 : 15);
  });
}

if (command === 'run') await run();
else if (command === 'stop') {
  record({});
  const seconds = args[0] === '-t' ? Number(args[1]) : 10;
  await stop(args.at(-1), [
    ['SIGTERM', seconds * 1000],
    ['SIGKILL', 5000],
  ]);
} else if (command === 'kill') {
  record({});
  await stop(args.at(-1), [['SIGKILL', 5000]]);
} else if (command === 'image' && args[0] === 'inspect') {
  // Every image is present but `missing` (cannot be pulled) and `pull-me:*` until pulled.
  record({});
  const image = args.at(-1);
  const present = image !== 'missing' && (!image.startsWith('pull-me') || existsSync(join(dir, `pulled-${image}`)));
  if (!present) fail(`No such image: ${image}`, 1);
  process.stdout.write(`sha256:${Buffer.from(image).toString('hex')}\n`);
} else if (command === 'pull') {
  record({});
  const image = args.at(-1);
  if (image === 'missing') fail(`pull access denied for ${image}, repository does not exist`, 1);
  process.stdout.write(`${image}: Pulling from library\n`);
  // `pull-me:slow` takes two seconds, like a large image.
  if (image.endsWith(':slow')) await sleep(2000);
  process.stdout.write(`Status: Downloaded newer image for ${image}\n`);
  writeFileSync(join(dir, `pulled-${image}`), '');
} else if (command === 'rm') {
  // `rm -f NAME`: kills the container when it still runs; like Docker, an unknown name is an error.
  record({});
  const name = args.at(-1);
  let pid;
  try {
    pid = Number(readFileSync(join(dir, `${name}.pid`), 'utf8'));
  } catch {
    fail(`No such container: ${name}`, 1);
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone
  }
  process.stdout.write(`${name}\n`);
} else {
  record({});
  fail(`unknown command: ${command}`);
}
