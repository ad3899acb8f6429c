/**
 * The reference and current distributions of a column, binned for display, stored with each column of a
 * drift verdict (`distribution`) so that a report or the UI can draw them overlaid without the data. Sizes
 * are bounded whatever the data: at most DISPLAY_BINS bins (neighbouring bins of the reference histogram
 * grid added together) or DISPLAY_CATEGORIES categories plus one bucket for the rest. Counts, not shares
 * (n_ref and n_cur are beside them). Verdicts written before this field have no `distribution`.
 */
import type { NumericColumnProfile } from './profile.js';
import type { CurrentNumeric } from './scan.js';

export const DISPLAY_BINS = 30;
export const DISPLAY_CATEGORIES = 20;

export interface BinnedDistribution {
  kind: 'bins';
  /** Bin edges, one more than the bins; bin i holds [edges[i], edges[i+1]). */
  edges: number[];
  reference: number[];
  current: number[];
  /** Current values below the first edge, and at or above the last (the reference has none there). */
  currentBelow: number;
  currentAbove: number;
}

export interface CategoryDistribution {
  kind: 'categories';
  /** Category names (values as text for a numeric column with few values); `rest` names the last bucket. */
  categories: string[];
  reference: number[];
  current: number[];
  /** What the last bucket holds, when there is one: other categories, or values the reference never had. */
  rest?: string;
}

export type ColumnDistribution = BinnedDistribution | CategoryDistribution;

/** The reference histogram's grid, DISPLAY_BINS bins at most, with the current counts on the same grid. */
export function binnedDistribution(reference: NumericColumnProfile, current: CurrentNumeric): BinnedDistribution {
  const { start, width, counts } = reference.histogram;
  const group = Math.max(1, Math.ceil(counts.length / DISPLAY_BINS));
  const bins = Math.ceil(counts.length / group);
  const edges: number[] = [];
  const referenceCounts = new Array<number>(bins).fill(0);
  const currentCounts = new Array<number>(bins).fill(0);
  for (let i = 0; i <= bins; i++) edges.push(start + i * group * width);
  for (let i = 0; i < counts.length; i++) {
    const bin = Math.floor(i / group);
    referenceCounts[bin] = (referenceCounts[bin] ?? 0) + (counts[i] ?? 0);
    currentCounts[bin] = (currentCounts[bin] ?? 0) + (current.bins[i] ?? 0);
  }
  return { kind: 'bins', edges, reference: referenceCounts, current: currentCounts, currentBelow: current.under, currentAbove: current.over };
}

/**
 * Categories in the order given, cut to the DISPLAY_CATEGORIES most frequent in either sample (reference
 * first); the last input bucket (`rest`) and everything cut go into one bucket named `rest`.
 */
export function categoryDistribution(names: readonly string[], reference: readonly number[], current: readonly number[], rest: string | undefined): CategoryDistribution {
  const named = rest === undefined ? names.length : names.length - 1;
  const order = Array.from({ length: named }, (_, i) => i).sort((a, b) => Math.max(reference[b] ?? 0, current[b] ?? 0) - Math.max(reference[a] ?? 0, current[a] ?? 0) || a - b);
  const kept = new Set(order.slice(0, DISPLAY_CATEGORIES));
  const result: CategoryDistribution = { kind: 'categories', categories: [], reference: [], current: [] };
  let restReference = rest === undefined ? 0 : (reference[named] ?? 0);
  let restCurrent = rest === undefined ? 0 : (current[named] ?? 0);
  for (let i = 0; i < named; i++) {
    if (kept.has(i)) {
      result.categories.push(names[i] ?? '');
      result.reference.push(reference[i] ?? 0);
      result.current.push(current[i] ?? 0);
    } else {
      restReference += reference[i] ?? 0;
      restCurrent += current[i] ?? 0;
    }
  }
  const cut = named > kept.size;
  if (rest !== undefined || cut) {
    const label = rest ?? 'other categories';
    result.categories.push(label);
    result.reference.push(restReference);
    result.current.push(restCurrent);
    result.rest = label;
  }
  return result;
}
