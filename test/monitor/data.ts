/**
 * Deterministic generated tabular data for the drift tests and the bench: 20 columns of known
 * distributions, and a way to shift chosen columns on purpose.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** mulberry32: a small seeded PRNG, so every run generates the same file. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const COLUMNS = [
  ...Array.from({ length: 15 }, (_, i) => `num_${i}`),
  'int_15',
  'cat_16',
  'cat_17',
  'bin_18',
  'exp_19',
] as const;

/** The columns `drift: true` changes: a mean shift, a category mix change, a scale change. */
export const DRIFTED_COLUMNS = ['num_3', 'cat_16', 'exp_19'];

const CATEGORIES_16 = ['red', 'green', 'blue', 'black', 'white'];
const WEIGHTS_16 = [0.4, 0.25, 0.15, 0.12, 0.08];
const WEIGHTS_16_DRIFTED = [0.1, 0.15, 0.2, 0.25, 0.3];

function pick(weights: readonly number[], u: number): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i] ?? 0;
    if (u < sum) return i;
  }
  return weights.length - 1;
}

export interface GenerateOptions {
  rows: number;
  seed: number;
  drift?: boolean;
}

/** Writes the CSV (header + rows) to `path`. */
export async function writeCsv(path: string, options: GenerateOptions): Promise<void> {
  const next = random(options.seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const out = createWriteStream(path);
  out.write(`${COLUMNS.join(',')}\n`);
  let chunk = '';
  for (let row = 0; row < options.rows; row++) {
    const cells: string[] = [];
    for (let i = 0; i < 15; i++) {
      let value = i * 2 + (1 + i / 10) * normal();
      if (options.drift && i === 3) value += 0.5 * (1 + i / 10);
      cells.push(value.toFixed(4));
    }
    cells.push(String(Math.floor(next() * 101)));
    cells.push(CATEGORIES_16[pick(options.drift ? WEIGHTS_16_DRIFTED : WEIGHTS_16, next())] ?? 'red');
    cells.push(`c${Math.floor(next() * 20)}`);
    cells.push(next() < 0.3 ? '1' : '0');
    const exponential = -Math.log(1 - next()) * (options.drift ? 1.5 : 1);
    cells.push(exponential.toFixed(4));
    chunk += `${cells.join(',')}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
