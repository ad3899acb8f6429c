// Layers read one way: a module imports only from layers beneath it (see ../shared/design/CONVENTIONS.md).
// `npm run lint:layers` (part of `npm run lint`, so CI) fails on any import that points up or sideways.
// util and the thin API adapters sit at the bottom; features at one tier do not import each other; the front
// ends (the GitHub job runtime, the UI server, the actions, the CLI) import features; the CLI serves the UI
// (`mlops ui`), and neither the actions nor the CLI import each other.
const tiers = [
  ['util', 'adapters'],
  ['pipeline'],
  ['store'],
  ['plan'],
  ['exec'],
  ['compare', 'monitor'],
  ['report', 'registry', 'deploy'],
  ['github'],
  ['ui'],
  ['actions', 'cli'],
];
// The adapters wrap other people's APIs (Octokit, the artifact and cache clients, Kubernetes): they may use
// util and the record/store types beneath exec, nothing that runs pipelines or decides anything.
const adapterMay = ['util', 'adapters', 'pipeline', 'store', 'plan'];

const rank = new Map(tiers.flatMap((names, index) => names.map((name) => [name, index])));
const layers = [...rank.keys()];
const forbidden = [];
for (const from of layers) {
  const allowed = from === 'adapters' ? adapterMay : layers.filter((to) => to === from || rank.get(to) < rank.get(from) || (to === 'adapters' && from !== 'util'));
  const denied = layers.filter((to) => !allowed.includes(to));
  if (denied.length === 0) continue;
  forbidden.push({
    name: `layer-${from}`,
    comment: `src/${from} may import only ${allowed.join(', ')} (layers read one way: util → pipeline → store → plan → exec → compare/monitor → report/registry/deploy → github → ui → actions/cli)`,
    severity: 'error',
    from: { path: `^src/${from}/` },
    to: { path: `^src/(${denied.join('|')})/` },
  });
}

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
