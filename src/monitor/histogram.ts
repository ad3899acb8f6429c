/**
 * A bounded, mergeable, single-pass histogram: equal bins whose width is a power of two, aligned at
 * multiples of the width (bin k holds [k·w, (k+1)·w)). When a value falls outside the current span
 * and the span would exceed `maxBins`, the width doubles and neighbouring bins merge, so memory never
 * exceeds `maxBins` counts however many values are added, and two histograms can be merged by
 * coarsening the finer one. Counts are exact; resolution ends between (max − min)/maxBins and
 * 2·(max − min)/maxBins. Quantiles read from it interpolate inside one bin, so they are exact to within
 * one bin width (a few outliers far from the bulk widen every bin; the profile says its width).
 */

export const DEFAULT_MAX_BINS = 4096;

export interface HistogramJson {
  /** Left edge of the first bin. */
  start: number;
  width: number;
  counts: number[];
}

export class AdaptiveHistogram {
  width: number;
  /** Bin index (in units of `width`) of counts[0]. */
  offset = 0;
  counts = new Float64Array(0);
  total = 0;

  constructor(
    initialWidth: number,
    readonly maxBins = DEFAULT_MAX_BINS,
  ) {
    this.width = initialWidth;
  }

  /** A width giving about maxBins/2 bins across [min, max] (the span can still grow afterwards). */
  static forRange(min: number, max: number, maxBins = DEFAULT_MAX_BINS): AdaptiveHistogram {
    const span = max - min;
    const scale = span > 0 ? span / (maxBins / 2) : Math.max(Math.abs(min), 1) / 1024;
    return new AdaptiveHistogram(2 ** Math.ceil(Math.log2(scale)), maxBins);
  }

  add(value: number, count = 1): void {
    let index = Math.floor(value / this.width);
    if (this.counts.length === 0) {
      this.offset = index;
      this.counts = new Float64Array(1);
    } else if (index < this.offset || index >= this.offset + this.counts.length) {
      this.extendTo(index);
      index = Math.floor(value / this.width);
    }
    this.counts[index - this.offset]! += count;
    this.total += count;
  }

  private extendTo(index: number): void {
    let low = Math.min(this.offset, index);
    let high = Math.max(this.offset + this.counts.length - 1, index);
    let shift = 0;
    while (high - low + 1 > this.maxBins) {
      shift++;
      low = Math.floor(low / 2);
      high = Math.floor(high / 2);
    }
    const factor = 2 ** shift;
    const next = new Float64Array(high - low + 1);
    for (let i = 0; i < this.counts.length; i++) {
      const count = this.counts[i] ?? 0;
      if (count !== 0) next[Math.floor((this.offset + i) / factor) - low]! += count;
    }
    this.width *= factor;
    this.offset = low;
    this.counts = next;
  }

  /** Left edge of bin i. */
  edge(i: number): number {
    return (this.offset + i) * this.width;
  }

  toJSON(): HistogramJson {
    // Leading and trailing empty bins carry no information.
    let first = 0;
    let last = this.counts.length - 1;
    while (first < last && this.counts[first] === 0) first++;
    while (last > first && this.counts[last] === 0) last--;
    return { start: this.edge(first), width: this.width, counts: Array.from(this.counts.subarray(first, last + 1)) };
  }
}

/** Read-only view of a stored histogram: CDF and quantiles by linear interpolation inside a bin. */
export class HistogramView {
  readonly cumulative: Float64Array;
  readonly total: number;

  constructor(
    readonly json: HistogramJson,
    readonly min: number,
    readonly max: number,
  ) {
    this.cumulative = new Float64Array(json.counts.length + 1);
    for (let i = 0; i < json.counts.length; i++) this.cumulative[i + 1] = (this.cumulative[i] ?? 0) + (json.counts[i] ?? 0);
    this.total = this.cumulative[json.counts.length] ?? 0;
  }

  get bins(): number {
    return this.json.counts.length;
  }

  edge(i: number): number {
    return this.json.start + i * this.json.width;
  }

  /** Bin of a value; -1 below the first edge, `bins` at or above the last. */
  binOf(value: number): number {
    const index = Math.floor((value - this.json.start) / this.json.width);
    return index < 0 ? -1 : index >= this.bins ? this.bins : index;
  }

  /** Share of values ≤ x, assuming values spread evenly inside a bin (and inside [min, max]). */
  cdf(x: number): number {
    if (this.total === 0) return 0;
    if (x < this.min) return 0;
    if (x >= this.max) return 1;
    const position = (x - this.json.start) / this.json.width;
    const index = Math.floor(position);
    if (index < 0) return 0;
    if (index >= this.bins) return 1;
    // The outer bins hold values only inside [min, max]: interpolate over that part.
    const low = Math.max(this.edge(index), this.min);
    const high = Math.min(this.edge(index + 1), this.max);
    const fraction = high > low ? Math.min(1, Math.max(0, (x - low) / (high - low))) : 1;
    const below = this.cumulative[index] ?? 0;
    return (below + fraction * (this.json.counts[index] ?? 0)) / this.total;
  }

  /** The value below which a share p of the values lie. */
  quantile(p: number): number {
    if (this.total === 0) return Number.NaN;
    const target = p * this.total;
    let low = 0;
    let high = this.bins - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.cumulative[middle + 1] ?? 0) >= target) high = middle;
      else low = middle + 1;
    }
    const count = this.json.counts[low] ?? 0;
    const before = this.cumulative[low] ?? 0;
    const left = Math.max(this.edge(low), this.min);
    const right = Math.min(this.edge(low + 1), this.max);
    const fraction = count > 0 ? Math.min(1, Math.max(0, (target - before) / count)) : 0;
    return Math.min(this.max, Math.max(this.min, left + fraction * (right - left)));
  }
}
