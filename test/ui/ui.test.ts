/**
 * Issue 19's acceptance, in a real browser (Debian's chromium through playwright-core) against
 * `mlops ui` over the digits example's run records: runs list, the run page (nine nodes with their
 * states, the three candidates' accuracy), compare ranked as `mlops compare` ranks, models with a
 * registered and promoted version, endpoints with the proxy's metrics, drift checks, a live run whose node
 * states change without a reload, a promote from the UI that `mlops models history` shows, and helpful
 * pages for API errors and an empty project.
 *
 * MLOPS_UI_SCREENSHOTS=DIR also saves a screenshot of each page there (the README's pictures).
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { StoredDecision } from '../../src/compare/compare.js';
import type { AliasEvent } from '../../src/registry/model.js';
import type { DriftVerdict } from '../../src/monitor/drift.js';
import { parseHistory } from '../../src/monitor/history.js';
import { listRuns, loadRun, type RunRecord } from '../../src/store/runs.js';
import { haveChromium, launchChromium } from './browser.js';
import { ACTOR, buildAssets, digitsRepository, mlops, mlopsChild, startUi, type RunningUi } from './fixture.js';

const screenshots = process.env['MLOPS_UI_SCREENSHOTS'];
const EVALUATIONS = ['evaluate-fast', 'evaluate-medium', 'evaluate-slow'];

/** The page's number format (common.ts `num`): four significant digits. */
function shown(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

let assets: string;
let work: string;
let projectDir: string;
let run: RunRecord;
let ui: RunningUi;
let browser: Browser;
let page: Page;
let deployed = false;

async function shoot(name: string): Promise<void> {
  if (!screenshots) return;
  await mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

/** A copy of a stored output with its own name (the drift reader goes by the extension). */
async function storedOutput(node: string, path: string, to: string): Promise<string> {
  const output = run.nodes[node]?.executions[0]?.outputs.find((o) => o.path === path);
  if (!output) throw new Error(`${node} has no output ${path}`);
  await copyFile(join(projectDir, 'store', 'sha256', output.sha256.slice(0, 2), output.sha256), to);
  return to;
}

describe.skipIf(!haveChromium() && !process.env['CI'])('mlops ui in chromium over the digits example', () => {
  beforeAll(async () => {
    [assets, work] = await Promise.all([buildAssets(), digitsRepository()]);
    projectDir = join(work, '.mlops');
    await mlops(work, 'run', 'examples/digits/valohai.yaml', '--pipeline', 'train-and-deploy');
    run = await loadRun(projectDir, 'latest');
    await mlops(work, 'compare', 'examples/digits/valohai.yaml', '--run', run.id);
    await mlops(work, 'models', 'register', '--run', run.id, '--name', 'digits');
    await mlops(work, 'models', 'promote', 'digits@1', '--reason', 'first model');
    await mlops(work, 'models', 'register', '--run', run.id, '--name', 'digits');
    // Two drift checks kept in .mlops/monitoring: the held-out split, then a copy whose right half of
    // every 8×8 image is brightened (so some columns drift and the others do not).
    const profile = await storedOutput('preprocess', 'profile.json', join(work, 'profile.json'));
    const test = await storedOutput('preprocess', 'test.csv', join(work, 'test.csv'));
    // `mlops drift` appends each check to .mlops/monitoring/<pipeline>/history.jsonl (exit 1 means drift).
    await mlops(work, 'drift', '--reference', profile, '--current', test, '--label', 'label', '--pipeline', 'digits').catch(() => '');
    const rows = (await readFile(test, 'utf8')).trim().split('\n');
    const shifted = [rows[0], ...rows.slice(1).map((row) => row.split(',').map((cell, i, all) => (i < all.length - 1 && i % 8 >= 4 ? String(Math.min(1, Number(cell) * 0.5 + 0.4)) : cell)).join(','))].join('\n');
    await writeFile(join(work, 'shifted.csv'), `${shifted}\n`);
    await mlops(work, 'drift', '--reference', profile, '--current', join(work, 'shifted.csv'), '--label', 'label', '--pipeline', 'digits').catch(() => '');
    await mlops(work, 'deploy', '--run', run.id);
    deployed = true;
    ui = await startUi(work, assets);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    if (deployed) await mlops(work, 'deploy', '--stop').catch(() => '');
    await rm(assets, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }, 60_000);

  it('the runs page lists the run with its pipeline, status, who and commit', async () => {
    await page.goto(`${ui.url}/runs`);
    const row = page.locator(`tr[data-run="${run.id}"]`);
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('train-and-deploy');
    expect(text).toContain('succeeded');
    expect(text).toContain(ACTOR);
    expect(text).toContain(run.commit?.slice(0, 8) ?? 'no commit recorded');
    expect(text).toContain('promote');
    await shoot('runs');
  });

  it('the run page shows the nine nodes with their states and the three candidates’ accuracy', async () => {
    await page.goto(`${ui.url}/runs/${run.id}`);
    await page.locator('g.graph-node').first().waitFor();
    const nodes = await page.locator('g.graph-node').evaluateAll((elements) => elements.map((e) => [e.getAttribute('data-node'), e.getAttribute('data-state')]));
    expect(nodes).toHaveLength(9);
    expect(Object.fromEntries(nodes)).toEqual(Object.fromEntries(Object.entries(run.nodes).map(([name, node]) => [name, node.state])));
    for (const node of EVALUATIONS) {
      const accuracy = run.nodes[node]?.executions[0]?.latestMetadata['accuracy'];
      expect(typeof accuracy).toBe('number');
      const cell = page.locator(`tr[data-node="${node}"] [data-metric="accuracy"]`);
      expect(await cell.innerText()).toBe(`accuracy ${shown(accuracy as number)}`);
    }
    expect(await page.locator('.decision').innerText()).toContain('evaluate-slow');
    await shoot('run');
  });

  it('a node opens by keyboard: parameters, metadata chart, outputs with checksums that download verified, the log', async () => {
    await page.goto(`${ui.url}/runs/${run.id}`);
    const node = page.locator('g.graph-node[data-node="train-slow"]');
    await node.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/node=train-slow/);
    const execution = run.nodes['train-slow']?.executions[0];
    const model = execution?.outputs.find((o) => o.path === 'model.json');
    const panel = page.locator('.node-panel');
    await panel.locator('figure.chart').first().waitFor();
    const text = await panel.innerText();
    expect(text).toContain('learning_rate');
    expect(text).toContain(model?.sha256.slice(0, 12) ?? 'no model');
    await panel.locator('.log-text').filter({ hasText: /epoch/ }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: 'Download model.json' }).click()]);
    const saved = join(work, 'downloaded-model.json');
    await download.saveAs(saved);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(await readFile(saved)).digest('hex')).toBe(model?.sha256);
    await page.evaluate(() => document.getElementById('node-title')?.scrollIntoView());
    await shoot('run-node');
  });

  it('the compare page ranks the candidates as `mlops compare` does, with the same verdict', async () => {
    // Now with the registry's production version as the baseline, as the page has it.
    const cli = JSON.parse(await mlops(work, 'compare', 'examples/digits/valohai.yaml', '--run', run.id, '--json')) as StoredDecision;
    await page.goto(`${ui.url}/compare?runs=${run.id}`);
    await page.locator('tr[data-candidate]').first().waitFor();
    const order = await page.locator('tr[data-candidate]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-candidate')));
    expect(order).toEqual(cli.selection.table.map((row) => row.node));
    expect(await page.locator('tr.winner').getAttribute('data-candidate')).toBe(cli.winner?.node);
    expect(await page.locator('#verdict-reason').innerText()).toBe(cli.selection.reason);
    expect(await page.locator('figure.chart').count()).toBe(3);
    // Parameters equal in every candidate are folded (one click away), so the table fits a 1280 px page.
    const scroller = page.locator('.table-scroll');
    expect(await scroller.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const equalParameters = page.getByRole('button', { name: /parameters? equal in every candidate/ });
    const foldedColumns = await page.locator('.compare-table thead th').count();
    await equalParameters.click();
    expect(await page.locator('.compare-table thead th').count()).toBeGreaterThan(foldedColumns);
    expect(await equalParameters.getAttribute('aria-expanded')).toBe('true');
    await equalParameters.click();
    expect(await page.locator('.compare-table thead th').count()).toBe(foldedColumns);
    await shoot('compare');
  });

  it('the models page shows the registered versions, the promoted one, and its lineage', async () => {
    await page.goto(`${ui.url}/models`);
    const model = page.locator('section[data-model="digits"]');
    await model.waitFor();
    expect(await model.locator('[data-alias="production"]').innerText()).toContain('v1');
    expect(await model.locator('tr[data-version="1"]').innerText()).toContain('production');
    expect(await model.locator('tr[data-version="2"]').innerText()).toContain('train-slow');
    expect(await model.locator('.history-table').innerText()).toContain('first model');
  });

  it('a promote from the UI, confirmed in a dialog, shows in `mlops models history`', async () => {
    await page.goto(`${ui.url}/models`);
    await page.locator('tr[data-version="2"]').getByRole('button', { name: 'Promote…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason (kept in the history)').fill('better by eye');
    await shoot('models-confirm');
    await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'production now points at v2' }).waitFor();
    const history = JSON.parse(await mlops(work, 'models', 'history', 'digits', '--json')) as AliasEvent[];
    expect(history.at(-1)).toMatchObject({ action: 'promote', alias: 'production', version: 2, from: 1, by: ACTOR, reason: 'better by eye (from mlops ui)' });
    expect(await page.locator('[data-alias="production"]').innerText()).toContain('v2');
    await shoot('models');
  });

  it('the endpoints page shows the serving version and the proxy’s request count and latency', async () => {
    const endpoints = JSON.parse(await mlops(work, 'endpoints', '--json')) as { endpoints: { url: string }[] };
    const url = endpoints.endpoints[0]?.url ?? '';
    for (let i = 0; i < 20; i++) await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
    await page.goto(`${ui.url}/endpoints`);
    const card = page.locator('section[data-endpoint="digits/predict-digit"]');
    await card.waitFor();
    await card.locator('dl.stats').waitFor();
    const text = await card.innerText();
    expect(text).toContain('v1 at');
    expect(text).toMatch(/Requests\s+2\d/);
    expect(text).toMatch(/p99\s+[\d.]+ ms/);
    // Traffic while the page polls: the rate comes from the change between two scrapes.
    let sending = true;
    const traffic = (async () => {
      for (let i = 0; sending && i < 400; i++) await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
    })();
    await card.locator('figure.chart').waitFor();
    await card.locator('dl.stats').filter({ hasText: /Request rate\s*[\d.]+\/s/ }).waitFor();
    sending = false;
    await traffic;
    expect(await card.locator('tr[data-version="1"]').innerText()).toContain('serving');
    await shoot('endpoints');
  });

  it('the monitoring page shows each drift check, the trend, and the columns as small multiples, drifted first', async () => {
    await page.goto(`${ui.url}/monitoring`);
    await page.locator('#verdict-title').waitFor();
    expect(await page.locator('#verdict-title').innerText()).toMatch(/Check 2: drift/);
    const file = join(projectDir, 'monitoring', 'digits', 'history.jsonl');
    const history = parseHistory(await readFile(file, 'utf8'), file);
    expect(history.map((h) => h.drifted)).toEqual([false, true]);
    expect(await page.locator('.verdict').innerText()).toContain(`share ${shown(history[1]?.share ?? -1)}`);
    expect(await page.locator('select').first().locator('option').count()).toBe(2);
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    const latest = (JSON.parse(lines[1] ?? '{}') as { verdict?: DriftVerdict }).verdict;
    if (!latest) throw new Error('the latest history line holds no verdict');
    const columns = latest.prediction ? [...latest.columns, latest.prediction] : latest.columns;
    const drifted = columns.filter((c) => c.drifted);
    // The brightened right half drifted, the untouched left half did not: both kinds are on the page.
    expect(drifted.length).toBeGreaterThan(0);
    expect(drifted.length).toBeLessThan(columns.length);
    // One small multiple per column, the drifted ones first (each group in the verdict's order).
    const tiles = page.locator('ul.multiples a.multiple');
    await tiles.first().locator('svg.mini-histogram').waitFor();
    const shownTiles = await tiles.evaluateAll((elements) => elements.map((e) => [e.getAttribute('data-column'), e.getAttribute('data-drifted')]));
    expect(shownTiles).toEqual([...drifted, ...columns.filter((c) => !c.drifted)].map((c) => [c.column, String(c.drifted)]));
    expect(await page.locator('ul.multiples svg.mini-histogram').count()).toBe(columns.filter((c) => c.distribution).length);
    // Each labelled with its column, method, score and verdict, and a sentence for screen readers.
    for (const c of [drifted[0], columns.find((x) => !x.drifted)]) {
      if (!c) continue;
      const tile = page.locator(`a.multiple[data-column="${c.column}"]`);
      const text = await tile.innerText();
      expect(text).toContain(c.column);
      expect(text).toContain(`${c.method} ${shown(c.score)}`);
      expect(text).toContain(c.drifted ? 'drift' : 'no drift');
      expect(await tile.locator('svg').getAttribute('aria-hidden')).toBe('true');
      expect(await tile.locator('.visually-hidden').textContent()).toMatch(/largest difference in .*: reference [\d.]+%, current [\d.]+%/);
    }
    await shoot('monitoring');
    // A small multiple opens the large view: overlaid histogram with score and threshold, the counts, the score per check.
    const chosen = drifted[0];
    const distribution = chosen?.distribution;
    if (!chosen || !distribution) throw new Error('the latest check stored no distribution for its drifted column');
    await page.locator(`a.multiple[data-column="${chosen.column}"]`).click();
    const view = page.locator('dialog.column-view[open]');
    const histogram = view.locator(`#column-histogram[data-column="${chosen.column}"]`);
    await histogram.locator('figure.chart canvas').waitFor();
    expect(await view.locator('figure.chart').count()).toBe(2);
    expect(new URL(page.url()).searchParams.get('column')).toBe(chosen.column);
    const said = await histogram.locator('.histogram-decision').innerText();
    expect(said).toContain(`${chosen.method} `);
    expect(said).toContain(shown(chosen.score));
    expect(said).toContain(`${shown(chosen.threshold)}`);
    expect(said).toContain(': drift');
    const counts = await histogram.locator('table.histogram-table tbody tr').evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => Number(cell.textContent))));
    expect(counts).toEqual(distribution.reference.map((count, i) => [count, distribution.current[i]]));
    await shoot('monitoring-column');
    // Esc closes it and gives the focus back to the tile; another tile, by keyboard, opens its own view.
    await page.keyboard.press('Escape');
    await view.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-column'))).toBe(chosen.column);
    const other = columns.find((c) => !c.drifted && c.distribution);
    if (!other) throw new Error('no undrifted column');
    await page.locator(`a.multiple[data-column="${other.column}"]`).focus();
    await page.keyboard.press('Enter');
    await page.locator(`dialog.column-view[open] #column-histogram[data-column="${other.column}"] figure.chart canvas`).waitFor();
    expect(await page.locator('dialog.column-view .histogram-decision').innerText()).toContain(': no drift');
    await page.locator('dialog.column-view button', { hasText: 'Close' }).click();
    await page.locator('dialog.column-view').waitFor({ state: 'detached' });
  });

  it('a live run’s node states change on the page without a reload', async () => {
    const gate = join(work, 'gate');
    await writeFile(
      join(work, 'live.yaml'),
      [
        '- step:',
        '    name: wait-for-gate',
        '    image: node:20-slim',
        `    command: 'while [ ! -f "${gate}" ]; do sleep 0.1; done; echo open > "$VH_OUTPUTS_DIR/gate.txt"'`,
        '    outputs: [{ name: gate.txt }]',
        '- step:',
        '    name: after',
        '    image: node:20-slim',
        '    command: cat "$VH_INPUTS_DIR/gate/gate.txt"',
        '    inputs: [{ name: gate }]',
        '- pipeline:',
        '    name: live',
        '    nodes:',
        '      - { name: wait, type: execution, step: wait-for-gate }',
        '      - { name: after, type: execution, step: after }',
        '    edges:',
        '      - [wait.output.gate.txt, after.input.gate]',
        '',
      ].join('\n'),
    );
    const child = mlopsChild(work, 'run', 'live.yaml', '--pipeline', 'live', '--no-reuse');
    try {
      let live: RunRecord | undefined;
      while (!live || live.nodes['wait']?.state !== 'running') {
        live = (await listRuns(projectDir)).find((r) => r.pipeline === 'live');
        if (child.exitCode !== null) throw new Error(`the live run ended early (${child.exitCode})`);
        await new Promise((done) => setTimeout(done, 100));
      }
      await page.goto(`${ui.url}/runs/${live.id}`);
      await page.locator('g.graph-node[data-node="wait"][data-state="running"]').waitFor();
      expect(await page.locator('g.graph-node[data-node="after"]').getAttribute('data-state')).toBe('pending');
      await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
      await shoot('run-live');
      await writeFile(gate, '');
      await page.locator('g.graph-node[data-node="after"][data-state="succeeded"]').waitFor();
      await page.locator('#run-status').filter({ hasText: 'succeeded' }).waitFor();
      expect(await page.locator('g.graph-node[data-node="wait"]').getAttribute('data-state')).toBe('succeeded');
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    } finally {
      child.kill();
    }
  });

  it('API errors render as pages that say what went wrong', async () => {
    await page.goto(`${ui.url}/runs/no-such-run`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain("no run 'no-such-run'");
    await page.goto(`${ui.url}/compare?runs=no-such-run`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain("no run 'no-such-run'");
    await page.goto(`${ui.url}/nowhere`);
    expect(await page.getByRole('alert').innerText()).toContain('No such page');
  });

  it('an empty project renders a helpful page on every section', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'mlops-ui-empty-'));
    const emptyUi = await startUi(empty, assets, '--project-dir', join(empty, '.mlops'));
    try {
      const expectations: [string, string][] = [
        ['/runs', 'No runs yet'],
        ['/compare', 'Nothing to compare yet'],
        ['/models', 'No models registered'],
        ['/endpoints', 'No local endpoints'],
        ['/monitoring', 'No drift checks yet'],
      ];
      for (const [path, title] of expectations) {
        await page.goto(`${emptyUi.url}${path}`);
        await page.locator('#empty-title').waitFor();
        expect(await page.locator('#empty-title').innerText()).toBe(title);
      }
      await shoot('empty');
    } finally {
      await emptyUi.stop();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
