// Keeps each action's README in step with its action.yml: the inputs and outputs tables between
// <!-- inputs:start --> / <!-- inputs:end --> and <!-- outputs:start --> / <!-- outputs:end --> are
// generated from action.yml. Also checks that every action runs on node24 from dist/<name>/index.js.
//
//   node scripts/check-action-docs.mjs           exit 1 and list every drift or problem
//   node scripts/check-action-docs.mjs --write   rewrite the tables in place
//   node scripts/check-action-docs.mjs --root DIR   check another checkout (used by the tests)
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { parse } from 'yaml';

const args = process.argv.slice(2);
const write = args.includes('--write');
const rootIndex = args.indexOf('--root');
const root = resolve(rootIndex === -1 ? '.' : (args[rootIndex + 1] ?? '.'));

/** Markdown table cell: pipes escaped, line breaks as <br>. */
function cell(value) {
  return String(value ?? '')
    .trim()
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

function code(value) {
  return value === undefined || value === '' ? '' : `\`${String(value).replace(/`/g, "'")}\``;
}

function inputsTable(inputs) {
  const rows = Object.entries(inputs ?? {}).map(
    ([name, spec]) =>
      `| \`${name}\` | ${cell(spec?.description)} | ${spec?.required === true ? 'yes' : 'no'} | ${cell(code(spec?.default))} |`,
  );
  if (rows.length === 0) return '_This action has no inputs._';
  return ['| Input | Description | Required | Default |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function outputsTable(outputs) {
  const rows = Object.entries(outputs ?? {}).map(([name, spec]) => `| \`${name}\` | ${cell(spec?.description)} |`);
  if (rows.length === 0) return '_This action has no outputs._';
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}

/** Replaces the text between the markers; undefined when the markers are missing. */
function replaceSection(text, marker, body) {
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1 || to < from) return undefined;
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

/** Every action: the folders of actions/ with an action.yml, and the root action. */
function findActions() {
  const found = [];
  const actionsDir = join(root, 'actions');
  if (existsSync(actionsDir)) {
    for (const name of readdirSync(actionsDir).sort()) {
      const file = join(actionsDir, name, 'action.yml');
      if (existsSync(file)) found.push({ file, readme: join(actionsDir, name, 'README.md'), bundle: name, requireReadme: true });
    }
  }
  const rootAction = join(root, 'action.yml');
  if (existsSync(rootAction)) {
    // The root action's tables live in the project README, only where the markers have been placed.
    found.push({ file: rootAction, readme: join(root, 'README.md'), bundle: 'run', requireReadme: false });
  }
  return found;
}

const problems = [];
const rewritten = [];
for (const action of findActions()) {
  const shown = relative(root, action.file);
  let spec;
  try {
    spec = parse(readFileSync(action.file, 'utf8'));
  } catch (error) {
    problems.push(`${shown}: not valid YAML (${error instanceof Error ? error.message : String(error)})`);
    continue;
  }
  if (spec?.runs?.using !== 'node24') problems.push(`${shown}: runs.using must be node24 (is ${JSON.stringify(spec?.runs?.using)})`);
  const main = spec?.runs?.main;
  const expected = `dist/${action.bundle}/index.js`;
  const resolvedMain =
    typeof main === 'string' ? posix.normalize(posix.join(relative(root, dirname(action.file)).split('\\').join('/') || '.', main)) : undefined;
  if (resolvedMain !== expected) problems.push(`${shown}: runs.main must point to ${expected} (is ${JSON.stringify(main)})`);

  if (!existsSync(action.readme)) {
    if (action.requireReadme) problems.push(`${shown}: missing ${relative(root, action.readme)}`);
    continue;
  }
  const readme = readFileSync(action.readme, 'utf8');
  const withInputs = replaceSection(readme, 'inputs', inputsTable(spec?.inputs));
  const withBoth = withInputs === undefined ? undefined : replaceSection(withInputs, 'outputs', outputsTable(spec?.outputs));
  if (withBoth === undefined) {
    if (action.requireReadme) {
      problems.push(`${relative(root, action.readme)}: missing <!-- inputs:start/end --> or <!-- outputs:start/end --> markers`);
    }
    continue;
  }
  if (withBoth === readme) continue;
  if (write) {
    writeFileSync(action.readme, withBoth);
    rewritten.push(relative(root, action.readme));
  } else {
    problems.push(`${relative(root, action.readme)}: inputs/outputs tables differ from ${shown}; run node scripts/check-action-docs.mjs --write`);
  }
}

for (const file of rewritten) console.log(`rewrote ${file}`);
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exitCode = 1;
} else if (!write) {
  console.log('action docs are up to date');
}
