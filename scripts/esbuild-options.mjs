// esbuild's options for the bundles, shared by scripts/build.mjs and bench/bundles.ts (which bundles the
// cold-start floor, @actions/core reading one input, the same way as the actions).
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const requireHere = createRequire(import.meta.url);

/**
 * ESM output of CommonJS dependencies: their `require()` of Node built-ins and `__dirname` need a real
 * `require` and the file's own folder, which an ES module does not have. Every output file gets them.
 */
const BANNER = [
  "import { createRequire as __mlopsCreateRequire } from 'node:module';",
  "import { fileURLToPath as __mlopsFileURLToPath } from 'node:url';",
  "import { dirname as __mlopsDirname } from 'node:path';",
  'const require = __mlopsCreateRequire(import.meta.url);',
  'const __filename = __mlopsFileURLToPath(import.meta.url);',
  'const __dirname = __mlopsDirname(__filename);',
].join('\n');

/**
 * Imports that dependencies make at their top level but use only inside rarely called functions: @actions/core
 * loads the HTTP client (with Node's http, https, tls) only for OIDC tokens and @actions/exec only for its
 * platform details; @actions/http-client and @actions/github load undici (~400 kB) only to go through an
 * HTTP proxy. Each such import is given a small CommonJS module of getters that requires the real one on
 * first use: esbuild evaluates a bundled CommonJS module, and the modules it requires, only when first
 * required, so an action that never uses them never runs them. The getters list the module's exports as
 * Node sees them at build time.
 */
const LAZY_IMPORTS = [
  { importer: /[\\/]node_modules[\\/]@actions[\\/]core[\\/]/, specifiers: ['@actions/http-client', '@actions/http-client/lib/auth', '@actions/exec'] },
  { importer: /[\\/]node_modules[\\/]@actions[\\/]/, specifiers: ['undici'] },
];

/**
 * Modules the lazy getters load from a file of their own beside the bundle instead of from a chunk. A
 * bundled CommonJS module is not run until required, but its text is still in a chunk that every action
 * loads at start, and undici is 430 kB of it (a third of an action's cold start over bare Node's): as
 * dist/<tree>/undici.cjs it is read only when a proxy is used. The getter finds it through the output
 * file's own folder (`__dirname`, from BANNER); the build checks that every chunk holding a getter has it.
 */
const SEPARATE_FILES = { undici: 'undici.cjs' };

/**
 * Node's networking and process modules, as dependencies import them: an ES module's import of a built-in
 * stays a static import in the bundle (loaded at start even where the importing code is not run), while a
 * CommonJS require runs when reached. Loading http, https, tls, http2 and the like is a large part of a cold
 * start, so dependencies get them through a one-line CommonJS module each.
 */
const LAZY_BUILTINS = new Set(['http', 'https', 'http2', 'tls', 'net', 'dns', 'zlib', 'child_process', 'readline', 'worker_threads', 'perf_hooks', 'diagnostics_channel', 'async_hooks', 'stream/web', 'util/types', 'querystring', 'string_decoder', 'timers', 'assert']);

const lazyImports = {
  name: 'lazy-imports',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^(node:)?[a-z_/0-9]+$/ }, (args) => {
      if (args.namespace === 'lazy-builtin' || args.kind !== 'import-statement') return undefined;
      const name = args.path.replace(/^node:/, '');
      if (!LAZY_BUILTINS.has(name) || !/[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
      return { path: name, namespace: 'lazy-builtin' };
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});\n`,
      loader: 'js',
    }));
    pluginBuild.onResolve({ filter: /.*/ }, (args) => {
      if (args.namespace === 'lazy-import' || args.namespace === 'lazy-builtin') return undefined;
      const lazy = LAZY_IMPORTS.some(({ importer, specifiers }) => importer.test(args.importer) && specifiers.includes(args.path));
      return lazy ? { path: args.path, namespace: 'lazy-import', pluginData: { resolveDir: args.resolveDir } } : undefined;
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-import' }, async (args) => {
      const names = Object.keys(await import(args.path)).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
      const getters = names.map((name) => `  get ${name}() { return load().${name}; },`).join('\n');
      const separate = SEPARATE_FILES[args.path];
      if (separate && createRequire(join(args.pluginData.resolveDir, 'importer.js')).resolve(args.path) !== requireHere.resolve(args.path)) {
        // The separate file is built from this repository's copy: a second version would be silently replaced.
        throw new Error(`${args.importer} resolves another copy of ${args.path} than the one built as ${separate}`);
      }
      // A separate file is required by a path computed at run time, which esbuild leaves as it is.
      const target = separate ? `require('node:path').join(__dirname, ${JSON.stringify(separate)})` : JSON.stringify(args.path);
      return {
        contents: `let loaded;\nconst load = () => (loaded ??= require(${target}));\nmodule.exports = {\n${getters}\n};\n`,
        loader: 'js',
        resolveDir: args.pluginData.resolveDir,
      };
    });
  },
};

/** esbuild's options shared by both trees. */
export function options(entryPoints, outdir, chunkNames) {
  return {
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    // Names of classes and functions stay as written: error kinds are told apart by `error.name`.
    keepNames: true,
    legalComments: 'none',
    charset: 'utf8',
    chunkNames,
    entryNames: '[dir]/[name]',
    banner: { js: BANNER },
    // ESM-first packages (@actions/*, @octokit/*) before their CommonJS builds.
    mainFields: ['module', 'main'],
    conditions: ['node', 'import', 'module'],
    metafile: true,
    logLevel: 'warning',
    sourcemap: false,
    plugins: [lazyImports],
  };
}

/**
 * Writes each SEPARATE_FILES module (one CommonJS file) beside every output file whose lazy getter
 * requires it. Returns the bundled inputs, for the tree's licences.
 */
export async function writeSeparateFiles(metafile) {
  const inputs = {};
  for (const [specifier, fileName] of Object.entries(SEPARATE_FILES)) {
    const folders = Object.entries(metafile.outputs)
      .filter(([, output]) => `lazy-import:${specifier}` in output.inputs)
      .map(([file]) => dirname(file));
    for (const folder of [...new Set(folders)].sort()) {
      const result = await build({
        entryPoints: [requireHere.resolve(specifier)],
        outfile: join(folder, fileName),
        bundle: true,
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        minify: true,
        keepNames: true,
        legalComments: 'none',
        charset: 'utf8',
        metafile: true,
        logLevel: 'warning',
      });
      Object.assign(inputs, result.metafile.inputs);
    }
  }
  return inputs;
}
