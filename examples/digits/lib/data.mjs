// Reading and writing the digits CSV files: numbers only, comma-separated, optional header row.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Number of pixels in one 8x8 image. */
export const PIXELS = 64;

/** Largest pixel value of the source data (4x4 blocks of a 32x32 bitmap: 0..16). */
export const PIXEL_MAX = 16;

/** Reads a CSV (gzip-compressed or not, detected by its magic bytes) into rows of numbers. */
export function readNumericCsv(path) {
  let bytes = readFileSync(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const lines = bytes.toString('utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
  const rows = [];
  lines.forEach((line, index) => {
    const cells = line.split(',');
    const numbers = cells.map((cell) => Number(cell.trim()));
    if (numbers.some((n, i) => cells[i].trim() === '' || !Number.isFinite(n))) {
      // A header is the only non-numeric line allowed.
      if (index === 0) return;
      throw new Error(`${path}:${index + 1}: expected comma-separated numbers`);
    }
    rows.push(numbers);
  });
  return rows;
}

/**
 * Splits rows into features and labels. Rows of PIXELS + 1 columns end with the label; rows of PIXELS
 * columns have none (labels are then undefined).
 */
export function splitLabelled(rows, path, { requireLabels }) {
  const features = [];
  const labels = [];
  rows.forEach((row, index) => {
    if (row.length === PIXELS + 1) {
      features.push(row.slice(0, PIXELS));
      labels.push(row[PIXELS]);
    } else if (row.length === PIXELS && !requireLabels) {
      features.push(row);
      labels.push(undefined);
    } else {
      const expected = requireLabels ? `${PIXELS + 1} (64 pixels and a label)` : `${PIXELS} or ${PIXELS + 1}`;
      throw new Error(`${path}: row ${index + 1} has ${row.length} columns, expected ${expected}`);
    }
  });
  return { features, labels };
}

/** A CSV header naming the pixel columns, with `label` at the end when asked. */
export function csvHeader(withLabel) {
  const names = Array.from({ length: PIXELS }, (_, i) => `p${i}`);
  if (withLabel) names.push('label');
  return names.join(',');
}

/** Shortest text that reads back as the same number, trimmed to 6 decimals for the normalised pixels. */
export function formatNumber(value) {
  return String(Math.round(value * 1e6) / 1e6);
}
