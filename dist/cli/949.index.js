export const id = 949;
export const ids = [949];
export const modules = {

/***/ 4879:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A$: () => (/* binding */ HistogramView),
/* harmony export */   ed: () => (/* binding */ DEFAULT_MAX_BINS),
/* harmony export */   lX: () => (/* binding */ AdaptiveHistogram)
/* harmony export */ });
/**
 * A bounded, mergeable, single-pass histogram: equal bins whose width is a power of two, aligned at
 * multiples of the width (bin k holds [k·w, (k+1)·w)). When a value falls outside the current span
 * and the span would exceed `maxBins`, the width doubles and neighbouring bins merge, so memory never
 * exceeds `maxBins` counts however many values are added, and two histograms can be merged by
 * coarsening the finer one. Counts are exact; resolution ends between (max − min)/maxBins and
 * 2·(max − min)/maxBins. Quantiles read from it interpolate inside one bin, so they are exact to within
 * one bin width (a few outliers far from the bulk widen every bin; the profile says its width).
 */
const DEFAULT_MAX_BINS = 4096;
class AdaptiveHistogram {
    maxBins;
    width;
    /** Bin index (in units of `width`) of counts[0]. */
    offset = 0;
    counts = new Float64Array(0);
    total = 0;
    constructor(initialWidth, maxBins = DEFAULT_MAX_BINS) {
        this.maxBins = maxBins;
        this.width = initialWidth;
    }
    /** A width giving about maxBins/2 bins across [min, max] (the span can still grow afterwards). */
    static forRange(min, max, maxBins = DEFAULT_MAX_BINS) {
        const span = max - min;
        const scale = span > 0 ? span / (maxBins / 2) : Math.max(Math.abs(min), 1) / 1024;
        return new AdaptiveHistogram(2 ** Math.ceil(Math.log2(scale)), maxBins);
    }
    add(value, count = 1) {
        let index = Math.floor(value / this.width);
        if (this.counts.length === 0) {
            this.offset = index;
            this.counts = new Float64Array(1);
        }
        else if (index < this.offset || index >= this.offset + this.counts.length) {
            this.extendTo(index);
            index = Math.floor(value / this.width);
        }
        this.counts[index - this.offset] += count;
        this.total += count;
    }
    extendTo(index) {
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
            if (count !== 0)
                next[Math.floor((this.offset + i) / factor) - low] += count;
        }
        this.width *= factor;
        this.offset = low;
        this.counts = next;
    }
    /** Left edge of bin i. */
    edge(i) {
        return (this.offset + i) * this.width;
    }
    toJSON() {
        // Leading and trailing empty bins carry no information.
        let first = 0;
        let last = this.counts.length - 1;
        while (first < last && this.counts[first] === 0)
            first++;
        while (last > first && this.counts[last] === 0)
            last--;
        return { start: this.edge(first), width: this.width, counts: Array.from(this.counts.subarray(first, last + 1)) };
    }
}
/** Read-only view of a stored histogram: CDF and quantiles by linear interpolation inside a bin. */
class HistogramView {
    json;
    min;
    max;
    cumulative;
    total;
    constructor(json, min, max) {
        this.json = json;
        this.min = min;
        this.max = max;
        this.cumulative = new Float64Array(json.counts.length + 1);
        for (let i = 0; i < json.counts.length; i++)
            this.cumulative[i + 1] = (this.cumulative[i] ?? 0) + (json.counts[i] ?? 0);
        this.total = this.cumulative[json.counts.length] ?? 0;
    }
    get bins() {
        return this.json.counts.length;
    }
    edge(i) {
        return this.json.start + i * this.json.width;
    }
    /** Bin of a value; -1 below the first edge, `bins` at or above the last. */
    binOf(value) {
        const index = Math.floor((value - this.json.start) / this.json.width);
        return index < 0 ? -1 : index >= this.bins ? this.bins : index;
    }
    /** Share of values ≤ x, assuming values spread evenly inside a bin (and inside [min, max]). */
    cdf(x) {
        if (this.total === 0)
            return 0;
        if (x < this.min)
            return 0;
        if (x >= this.max)
            return 1;
        const position = (x - this.json.start) / this.json.width;
        const index = Math.floor(position);
        if (index < 0)
            return 0;
        if (index >= this.bins)
            return 1;
        // The outer bins hold values only inside [min, max]: interpolate over that part.
        const low = Math.max(this.edge(index), this.min);
        const high = Math.min(this.edge(index + 1), this.max);
        const fraction = high > low ? Math.min(1, Math.max(0, (x - low) / (high - low))) : 1;
        const below = this.cumulative[index] ?? 0;
        return (below + fraction * (this.json.counts[index] ?? 0)) / this.total;
    }
    /** The value below which a share p of the values lie. */
    quantile(p) {
        if (this.total === 0)
            return Number.NaN;
        const target = p * this.total;
        let low = 0;
        let high = this.bins - 1;
        while (low < high) {
            const middle = (low + high) >> 1;
            if ((this.cumulative[middle + 1] ?? 0) >= target)
                high = middle;
            else
                low = middle + 1;
        }
        const count = this.json.counts[low] ?? 0;
        const before = this.cumulative[low] ?? 0;
        const left = Math.max(this.edge(low), this.min);
        const right = Math.min(this.edge(low + 1), this.max);
        const fraction = count > 0 ? Math.min(1, Math.max(0, (target - before) / count)) : 0;
        return Math.min(this.max, Math.max(this.min, left + fraction * (right - left)));
    }
}


/***/ }),

/***/ 1108:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $J: () => (/* binding */ parseNumber),
/* harmony export */   aC: () => (/* binding */ profileFile),
/* harmony export */   fP: () => (/* binding */ outlierFences),
/* harmony export */   wr: () => (/* binding */ profileProblem),
/* harmony export */   zV: () => (/* binding */ valueKey)
/* harmony export */ });
/* unused harmony exports TYPE_SAMPLE, CATEGORY_TRACK_LIMIT, CATEGORY_CAP, DISTINCT_LIMIT, QUANTILE_LEVELS */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var _histogram_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4879);
/* harmony import */ var _read_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(973);
/**
 * The reference profile: one streaming pass over the training data, memory bounded per column
 * (a 1 000-value type-inference buffer, an AdaptiveHistogram of at most 4 096 bins, at most 10 000
 * distinct categories), written as JSON. The format is documented in src/monitor/README.md.
 */



/** Rows looked at before a column's type is fixed. */
const TYPE_SAMPLE = 1000;
/** Distinct categories tracked while streaming; later new ones count as "other". */
const CATEGORY_TRACK_LIMIT = 10_000;
/** Categories kept in the profile (the most frequent); the rest are summed as "other". */
const CATEGORY_CAP = 1000;
/** A numeric column with at most this many distinct values keeps exact value counts. */
const DISTINCT_LIMIT = 50;
const QUANTILE_LEVELS = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
/** Number of a text, or undefined when it is not a finite number. */
function parseNumber(text) {
    const value = Number(text);
    return Number.isFinite(value) && text.trim() !== '' ? value : undefined;
}
/** The key under which a numeric value or category is counted (1, 1.0 and 1e0 are one value). */
function valueKey(text) {
    const value = parseNumber(text);
    return value === undefined ? text : String(value);
}
class NumericAccumulator {
    n = 0;
    invalid = 0;
    min = Infinity;
    max = -Infinity;
    mean = 0;
    m2 = 0;
    histogram;
    distinct = new Map();
    constructor(buffered, maxBins) {
        let min = Infinity;
        let max = -Infinity;
        for (const value of buffered) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        this.histogram = buffered.length > 0 ? _histogram_js__WEBPACK_IMPORTED_MODULE_2__/* .AdaptiveHistogram */ .lX.forRange(min, max, maxBins) : new _histogram_js__WEBPACK_IMPORTED_MODULE_2__/* .AdaptiveHistogram */ .lX(1, maxBins);
        for (const value of buffered)
            this.add(value);
    }
    add(value) {
        this.n++;
        if (value < this.min)
            this.min = value;
        if (value > this.max)
            this.max = value;
        // Welford's update: numerically stable mean and variance in one pass.
        const delta = value - this.mean;
        this.mean += delta / this.n;
        this.m2 += delta * (value - this.mean);
        this.histogram.add(value);
        if (this.distinct) {
            const key = String(value);
            this.distinct.set(key, (this.distinct.get(key) ?? 0) + 1);
            if (this.distinct.size > DISTINCT_LIMIT)
                this.distinct = undefined;
        }
    }
}
class CategoricalAccumulator {
    n = 0;
    counts = new Map();
    untracked = 0;
    add(key) {
        this.n++;
        const count = this.counts.get(key);
        if (count !== undefined)
            this.counts.set(key, count + 1);
        else if (this.counts.size < CATEGORY_TRACK_LIMIT)
            this.counts.set(key, 1);
        else
            this.untracked++;
    }
}
class ColumnAccumulator {
    name;
    forceCategorical;
    maxBins;
    missing = 0;
    /** Non-missing texts held until TYPE_SAMPLE of them decide the type. */
    buffer = [];
    numeric;
    categorical;
    constructor(name, forceCategorical, maxBins) {
        this.name = name;
        this.forceCategorical = forceCategorical;
        this.maxBins = maxBins;
    }
    add(cell) {
        if ((0,_read_js__WEBPACK_IMPORTED_MODULE_1__/* .isMissing */ .b2)(cell)) {
            this.missing++;
            return;
        }
        if (this.buffer) {
            this.buffer.push(cell);
            if (this.buffer.length >= TYPE_SAMPLE)
                this.decide();
            return;
        }
        this.addDecided(cell);
    }
    addDecided(cell) {
        if (this.numeric) {
            const value = parseNumber(cell);
            if (value === undefined) {
                this.numeric.invalid++;
                this.missing++;
            }
            else {
                this.numeric.add(value);
            }
        }
        else {
            this.categorical?.add(valueKey(cell));
        }
    }
    decide() {
        const buffer = this.buffer ?? [];
        this.buffer = undefined;
        const numbers = this.forceCategorical ? undefined : buffer.map(parseNumber);
        if (numbers && numbers.length > 0 && numbers.every((value) => value !== undefined)) {
            this.numeric = new NumericAccumulator(numbers, this.maxBins);
        }
        else {
            this.categorical = new CategoricalAccumulator();
            for (const cell of buffer)
                this.categorical.add(valueKey(cell));
        }
    }
    finish(rows) {
        if (this.buffer)
            this.decide();
        const base = { name: this.name, missing: this.missing + (rows - this.seen(rows)), missingShare: 0, n: 0 };
        if (this.numeric) {
            const numeric = this.numeric;
            base.n = numeric.n;
            base.missingShare = rows > 0 ? base.missing / rows : 0;
            const histogram = numeric.histogram.toJSON();
            const view = new _histogram_js__WEBPACK_IMPORTED_MODULE_2__/* .HistogramView */ .A$(histogram, numeric.min, numeric.max);
            const quantiles = {};
            for (const level of QUANTILE_LEVELS)
                quantiles[String(level)] = view.quantile(level);
            const deciles = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => view.quantile(i / 10));
            const fences = outlierFences(quantiles);
            const outliers = numeric.n > 0 ? view.cdf(fences.low) + (1 - view.cdf(fences.high)) : 0;
            const profile = {
                ...base,
                type: 'numeric',
                invalid: numeric.invalid,
                min: numeric.n > 0 ? numeric.min : Number.NaN,
                max: numeric.n > 0 ? numeric.max : Number.NaN,
                mean: numeric.mean,
                std: numeric.n > 1 ? Math.sqrt(numeric.m2 / (numeric.n - 1)) : 0,
                quantiles,
                deciles,
                histogram,
                outlierShare: Math.max(0, outliers),
            };
            if (numeric.distinct)
                profile.distinct = Object.fromEntries(numeric.distinct);
            return profile;
        }
        const categorical = this.categorical ?? new CategoricalAccumulator();
        base.n = categorical.n;
        base.missingShare = rows > 0 ? base.missing / rows : 0;
        const ranked = [...categorical.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
        const kept = ranked.slice(0, CATEGORY_CAP);
        const other = categorical.untracked + ranked.slice(CATEGORY_CAP).reduce((sum, [, count]) => sum + count, 0);
        return {
            ...base,
            type: 'categorical',
            frequencies: Object.fromEntries(kept),
            other,
            distinctCount: categorical.counts.size,
            distinctCapped: categorical.untracked > 0,
        };
    }
    /** Rows this column saw (present or missing); JSON Lines rows before the key first appeared did not. */
    seen(rows) {
        const present = this.missing + (this.numeric ? this.numeric.n + this.numeric.invalid : 0) + (this.categorical?.n ?? 0) + (this.buffer?.length ?? 0);
        return Math.min(rows, present);
    }
}
/** The Tukey fences [q25 − 1.5·IQR, q75 + 1.5·IQR]. */
function outlierFences(quantiles) {
    const q1 = quantiles['0.25'] ?? Number.NaN;
    const q3 = quantiles['0.75'] ?? Number.NaN;
    const iqr = q3 - q1;
    return { low: q1 - 1.5 * iqr, high: q3 + 1.5 * iqr };
}
/** Streams `path` once and returns its profile. */
async function profileFile(path, options = {}) {
    const forced = new Set(options.categorical ?? []);
    if (options.label !== undefined)
        forced.add(options.label);
    if (options.prediction !== undefined)
        forced.add(options.prediction);
    const maxBins = options.maxBins ?? _histogram_js__WEBPACK_IMPORTED_MODULE_2__/* .DEFAULT_MAX_BINS */ .ed;
    const columns = [];
    let labelIndex = -1;
    let predictionIndex = -1;
    let correct = 0;
    let scored = 0;
    let rowsSoFar = 0;
    const rows = await (0,_read_js__WEBPACK_IMPORTED_MODULE_1__/* .readRows */ .aK)(path, {
        columns(names) {
            for (let i = columns.length; i < names.length; i++) {
                const name = names[i] ?? '';
                const column = new ColumnAccumulator(name, forced.has(name), maxBins);
                // A JSON Lines key that appears late was missing from the rows before it.
                column.missing = rowsSoFar;
                columns.push(column);
                if (name === options.label)
                    labelIndex = i;
                if (name === options.prediction)
                    predictionIndex = i;
            }
        },
        row(cells) {
            rowsSoFar++;
            for (let i = 0; i < columns.length; i++)
                columns[i]?.add(cells[i]);
            if (labelIndex >= 0 && predictionIndex >= 0) {
                const label = cells[labelIndex];
                const prediction = cells[predictionIndex];
                if (!(0,_read_js__WEBPACK_IMPORTED_MODULE_1__/* .isMissing */ .b2)(label) && !(0,_read_js__WEBPACK_IMPORTED_MODULE_1__/* .isMissing */ .b2)(prediction)) {
                    scored++;
                    if (valueKey(label) === valueKey(prediction))
                        correct++;
                }
            }
        },
    });
    const profile = {
        format: 'mlops-profile',
        version: 1,
        source: { file: (0,node_path__WEBPACK_IMPORTED_MODULE_0__.basename)(path), format: (0,_read_js__WEBPACK_IMPORTED_MODULE_1__/* .formatOf */ .be)(path) },
        createdAt: new Date().toISOString(),
        rows,
        columns: columns.map((column) => column.finish(rows)),
    };
    if (options.label !== undefined && options.prediction !== undefined && scored > 0) {
        profile.performance = { label: options.label, prediction: options.prediction, accuracy: correct / scored, n: scored };
    }
    return profile;
}
/** Checks that parsed JSON is a profile this version reads; returns a message when it is not. */
function profileProblem(value) {
    if (typeof value !== 'object' || value === null)
        return 'not a JSON object';
    const record = value;
    if (record.format !== 'mlops-profile')
        return 'format is not "mlops-profile" (write one with `mlops profile DATA -o profile.json`)';
    if (record.version !== 1)
        return `version ${String(record.version)} is not supported (expected 1)`;
    if (!Array.isArray(record.columns) || typeof record.rows !== 'number')
        return 'columns or rows are missing';
    return undefined;
}


/***/ }),

/***/ 973:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   aK: () => (/* binding */ readRows),
/* harmony export */   b2: () => (/* binding */ isMissing),
/* harmony export */   be: () => (/* binding */ formatOf)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_readline__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2862);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8522);
/* harmony import */ var csv_parse__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6070);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4478);
/**
 * Streams the rows of a CSV (header row first) or JSON Lines file, optionally gzip-compressed, to a
 * callback: one pass, one row in memory at a time. The format follows the file name (.csv, .tsv,
 * .jsonl, .ndjson, each optionally .gz).
 */






/** Texts read as a missing value (pandas' default NA strings, the common ones). */
const MISSING = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A', '-NaN', '-nan', '<NA>']);
function isMissing(cell) {
    return cell === undefined || MISSING.has(cell) || MISSING.has(cell.trim());
}
function formatOf(path) {
    const name = path.toLowerCase().replace(/\.gz$/, '');
    if (name.endsWith('.csv'))
        return 'csv';
    if (name.endsWith('.tsv'))
        return 'tsv';
    if (name.endsWith('.jsonl') || name.endsWith('.ndjson'))
        return 'jsonl';
    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`cannot tell the format of ${path}: name it .csv, .tsv, .jsonl or .ndjson (optionally .gz)`);
}
async function open(path) {
    try {
        const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(path);
        if (!info.isFile())
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`${path} is not a file`);
    }
    catch (error) {
        if (error instanceof _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j)
            throw error;
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`cannot read ${path}: ${(0,_util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .getErrorMessage */ .u)(error)}`);
    }
    const stream = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(path, { highWaterMark: 1 << 20 });
    return path.toLowerCase().endsWith('.gz') ? stream.pipe((0,node_zlib__WEBPACK_IMPORTED_MODULE_3__.createGunzip)()) : stream;
}
function jsonCell(value) {
    if (value === null || value === undefined)
        return undefined;
    if (typeof value === 'string')
        return value;
    if (typeof value === 'number' || typeof value === 'boolean')
        return String(value);
    return JSON.stringify(value);
}
/** Reads the whole file into `sink`; resolves to the number of data rows. */
async function readRows(path, sink) {
    const format = formatOf(path);
    const input = await open(path);
    let rows = 0;
    if (format === 'jsonl') {
        const names = [];
        const positions = new Map();
        const lines = (0,node_readline__WEBPACK_IMPORTED_MODULE_2__.createInterface)({ input, crlfDelay: Infinity });
        let lineNumber = 0;
        for await (const line of lines) {
            lineNumber++;
            if (line.trim() === '')
                continue;
            let value;
            try {
                value = JSON.parse(line);
            }
            catch (error) {
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`${path}:${lineNumber}: not JSON (${(0,_util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .getErrorMessage */ .u)(error)})`);
            }
            if (typeof value !== 'object' || value === null || Array.isArray(value))
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`${path}:${lineNumber}: each line must be a JSON object`);
            const record = value;
            let grew = false;
            for (const key of Object.keys(record)) {
                if (!positions.has(key)) {
                    positions.set(key, names.length);
                    names.push(key);
                    grew = true;
                }
            }
            if (grew)
                sink.columns(names);
            const cells = new Array(names.length);
            for (const [key, cell] of Object.entries(record))
                cells[positions.get(key) ?? 0] = jsonCell(cell);
            sink.row(cells);
            rows++;
        }
        return rows;
    }
    const parser = input.pipe((0,csv_parse__WEBPACK_IMPORTED_MODULE_4__/* .parse */ .qg)({ delimiter: format === 'tsv' ? '\t' : ',', bom: true, relax_column_count: true, skip_empty_lines: true }));
    let header = true;
    try {
        for await (const record of parser) {
            if (header) {
                header = false;
                const seen = new Set();
                for (const name of record) {
                    if (seen.has(name))
                        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`${path}: the header names column '${name}' twice`);
                    seen.add(name);
                }
                sink.columns(record);
                continue;
            }
            sink.row(record);
            rows++;
        }
    }
    catch (error) {
        if (error instanceof _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j)
            throw error;
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`${path}: ${(0,_util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .getErrorMessage */ .u)(error)}`);
    }
    if (header)
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`${path} is empty: a CSV file needs a header row`);
    return rows;
}


/***/ }),

/***/ 6174:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ writeFileAtomic),
/* harmony export */   q: () => (/* binding */ writeJsonAtomic)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);



/**
 * Writes a file so that readers see either the old or the whole new content, never a half-written one:
 * write to a temporary sibling, then rename over the target (atomic on one filesystem).
 */
async function writeFileAtomic(path, data) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path), { recursive: true });
    const tmp = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path), `.${(0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(path)}.${process.pid}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(4).toString('hex')}.tmp`);
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(tmp, data);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(tmp, path);
    }
    catch (error) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(tmp, { force: true });
        throw error;
    }
}
async function writeJsonAtomic(path, value) {
    await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}


/***/ })

};
