import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { projectDirFor } from '../../store/project.js';
import { LocalRegistry } from '../../registry/local.js';
import { modelFromRun } from '../../registry/from-run.js';
import { checkModelName, splitModelReference, type AliasEvent, type ModelVersion } from '../../registry/model.js';
import { ConfigurationError } from '../../util/errors.js';

const usage = `Usage: mlops models <subcommand> [options]

The local model registry (.mlops/registry). REF is [NAME@]SELECTOR: SELECTOR is a version number
(3 or v3), an alias (production), latest, or best:METRIC[:max|min]; NAME may be left out when the
registry holds one model.

Subcommands:
  list [NAME]                       models, or the versions of one model with their aliases
  show REF                          one version: files (sha256), metrics, lineage, tags
  register --run RUN [--name NAME]  the compare winner's model (follows the winner's model input back
                                    to the execution that produced it; --model-input INPUT, default model)
           [--node NODE] [--files GLOB,...]  or the outputs of one node
           [--tag KEY=VALUE]...     (NAME defaults to the run's pipeline name)
  promote REF [--alias production] [--reason TEXT]
  rollback [NAME] [--alias production] [--reason TEXT]   back to the alias's previous version
  pull REF --dest DIR               write the files to DIR, verifying every sha256
  history [NAME]                    every promotion and rollback (who, when, why, from which version)

Options:
  --project-dir DIR   the project folder (default: .mlops in the repository)
  --json              print JSON`;

function parsePairs(values: readonly string[]): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const item of values) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ConfigurationError(`--tag expects KEY=VALUE, got ${JSON.stringify(item)}`);
    pairs[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return pairs;
}

function describeVersion(version: ModelVersion, aliases: string[]): string {
  const metrics = Object.entries(version.metrics)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  const from = version.lineage.node ? ` ${version.lineage.pipeline ?? ''}/${version.lineage.node}` : '';
  return `v${version.version}${aliases.length > 0 ? ` [${aliases.join(', ')}]` : ''}  ${version.createdAt}  ${metrics}${from}`;
}

function describeEvent(event: AliasEvent): string {
  const from = event.from === undefined ? 'unset' : `v${event.from}`;
  return `${event.at}  ${event.action.padEnd(8)}  ${event.alias}: ${from} -> v${event.version}  by ${event.by}${event.reason ? `  (${event.reason})` : ''}`;
}

export const command: CliCommand = {
  summary: 'model registry: list, show, register, promote, rollback, pull, history',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        'project-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        run: { type: 'string' },
        name: { type: 'string' },
        node: { type: 'string' },
        files: { type: 'string' },
        'model-input': { type: 'string' },
        tag: { type: 'string', multiple: true, default: [] },
        alias: { type: 'string', default: 'production' },
        reason: { type: 'string' },
        dest: { type: 'string' },
      },
      allowPositionals: true,
    });
    const [sub, arg, extra] = positionals;
    if (extra !== undefined) throw new ConfigurationError(`too many arguments.\n${usage}`);
    const registry = new LocalRegistry(projectDirFor(values['project-dir']));
    const out = (human: string, json: unknown): void => {
      process.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`);
    };
    const modelName = async (given: string | undefined): Promise<string> => (given !== undefined ? checkModelName(given) : registry.defaultModelName());
    const resolveRef = async (ref: string | undefined): Promise<ModelVersion> => {
      if (ref === undefined) throw new ConfigurationError(`${sub ?? ''} needs a model reference, e.g. digits@production or 3`);
      const parsed = splitModelReference(ref);
      return registry.resolve(parsed.name ?? (await registry.defaultModelName()), parsed.selector);
    };

    switch (sub) {
      case 'list': {
        if (arg === undefined) {
          const names = await registry.models();
          const rows = [];
          for (const name of names) {
            const versions = await registry.versions(name);
            const aliases = await registry.aliases(name);
            rows.push({ name, versions: versions.length, latest: versions.at(-1)?.version ?? null, aliases: Object.fromEntries(Object.entries(aliases).map(([a, e]) => [a, e.version])) });
          }
          out(rows.map((r) => `${r.name}  ${r.versions} version(s)  ${Object.entries(r.aliases).map(([a, v]) => `${a}=v${v}`).join(' ')}`).join('\n') || '(no models)', rows);
          return 0;
        }
        const name = checkModelName(arg);
        const versions = await registry.versions(name);
        const aliases = await registry.aliases(name);
        const aliasesOf = (v: number): string[] => Object.entries(aliases).filter(([, e]) => e.version === v).map(([a]) => a);
        out(versions.map((v) => describeVersion(v, aliasesOf(v.version))).join('\n') || `(model ${name} has no versions)`, { versions, aliases });
        return 0;
      }
      case 'show': {
        const version = await resolveRef(arg);
        const lines = [
          `${version.name} v${version.version}  (${version.createdAt} by ${version.createdBy})`,
          'files:',
          ...version.files.map((f) => `  ${f.path}  ${f.sha256}  ${f.size} bytes`),
          `metrics: ${JSON.stringify(version.metrics)}`,
          `lineage: ${JSON.stringify(version.lineage)}`,
          `tags: ${JSON.stringify(version.tags)}`,
        ];
        out(lines.join('\n'), version);
        return 0;
      }
      case 'register': {
        if (values.run === undefined) throw new ConfigurationError('register needs --run RUN (a run id, a prefix, or latest)');
        const fromRun = await modelFromRun(registry.projectDir, values.run, {
          ...(values.node !== undefined ? { node: values.node } : {}),
          ...(values.files !== undefined ? { files: values.files.split(',').map((f) => f.trim()).filter((f) => f !== '') } : {}),
          ...(values['model-input'] !== undefined ? { modelInput: values['model-input'] } : {}),
        });
        const name = checkModelName(values.name ?? arg ?? fromRun.lineage?.pipeline ?? 'model');
        const version = await registry.register({ ...fromRun, name, tags: { ...parsePairs(values.tag), ...(fromRun.decision ? { decision: fromRun.decision } : {}) } });
        out(`registered ${version.name} v${version.version} from run ${fromRun.runId} (${version.files.map((f) => f.path).join(', ')})`, version);
        return 0;
      }
      case 'promote': {
        const parsed = splitModelReference(arg ?? '');
        const name = parsed.name ?? (await registry.defaultModelName());
        const event = await registry.promote(name, values.alias, parsed.selector, values.reason);
        out(`${name}: ${describeEvent(event)}`, event);
        return 0;
      }
      case 'rollback': {
        const name = await modelName(arg);
        const event = await registry.rollback(name, values.alias, values.reason);
        out(`${name}: ${describeEvent(event)}`, event);
        return 0;
      }
      case 'pull': {
        if (values.dest === undefined) throw new ConfigurationError('pull needs --dest DIR');
        const version = await resolveRef(arg);
        const written = await registry.pull(version, resolve(values.dest));
        out(`${version.name} v${version.version}: ${written.join(', ')} (sha256 verified)`, { version, files: written });
        return 0;
      }
      case 'history': {
        const name = await modelName(arg);
        const events = await registry.history(name);
        out(events.map(describeEvent).join('\n') || `(no promotions of ${name} yet)`, events);
        return 0;
      }
      case undefined:
      default:
        throw new ConfigurationError(`unknown subcommand '${sub ?? ''}'.\n${usage}`);
    }
  },
};
