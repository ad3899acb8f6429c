export const id = 395;
export const ids = [395];
export const modules = {

/***/ 7479:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cs: () => (/* binding */ hasErrors),
/* harmony export */   au: () => (/* binding */ didYouMean),
/* harmony export */   b9: () => (/* binding */ DiagnosticSink),
/* harmony export */   h0: () => (/* binding */ closestMatch),
/* harmony export */   xy: () => (/* binding */ formatDiagnostic)
/* harmony export */ });
/* unused harmony export editDistance */
/** `file:line:col: error: message (hint: …)`, the shape compilers and editors understand. */
function formatDiagnostic(d) {
    const { file, line, col } = d.position;
    const hint = d.hint ? ` (hint: ${d.hint})` : '';
    return `${file}:${line}:${col}: ${d.severity}: ${d.message}${hint}`;
}
function hasErrors(diagnostics) {
    return diagnostics.some((d) => d.severity === 'error');
}
/** Collects diagnostics in the order they are found. */
class DiagnosticSink {
    items = [];
    add(severity, code, position, message, hint) {
        const diagnostic = { severity, code, message, position };
        if (hint)
            diagnostic.hint = hint;
        this.items.push(diagnostic);
    }
    error(code, position, message, hint) {
        this.add('error', code, position, message, hint);
    }
    warning(code, position, message, hint) {
        this.add('warning', code, position, message, hint);
    }
    get hasErrors() {
        return hasErrors(this.items);
    }
}
/** Levenshtein distance, for "did you mean" hints. */
function editDistance(a, b) {
    const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = previous[0] ?? 0;
        previous[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = previous[j] ?? 0;
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + cost);
            diagonal = above;
        }
    }
    return previous[b.length] ?? 0;
}
/** The closest candidate when it is close enough to be a plausible typo. */
function closestMatch(word, candidates) {
    let best;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    const allowed = Math.max(1, Math.floor(word.length / 3));
    return best !== undefined && bestDistance <= allowed && bestDistance < word.length ? best : undefined;
}
function didYouMean(word, candidates) {
    const match = closestMatch(word, candidates);
    return match === undefined ? undefined : `did you mean \`${match}\`?`;
}


/***/ }),

/***/ 4129:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F9: () => (/* binding */ evaluateCondition),
/* harmony export */   l4: () => (/* binding */ checkExpression)
/* harmony export */ });
/* unused harmony exports ExpressionSyntaxError, evaluateExpression */
/**
 * A small, safe expression language for `stop-condition` and pipeline node-action `if` (no eval):
 * comparisons (`> >= < <= == !=`, `in`, `not in`, `is`, `is not`, chained like Python), `and`/`or`/`not` (also `&&`, `||`, `!`),
 * arithmetic (`+ - * / // % **`), parentheses, list literals, numbers, quoted strings, true/false/null (also Python's True/False/None),
 * and names: `metadata.x`, `parameter.x` / `parameters.x`, or a bare `x` (metadata first, then parameters,
 * which is how stop-conditions such as `loss < 0.1` are written). `metadata["val-acc"]` reaches keys
 * that are not identifiers.
 */
/** A syntax error, with the character position it was found at. */
class ExpressionSyntaxError extends Error {
    name = 'ExpressionSyntaxError';
}
/** A value that cannot be computed yet (a name with no value, mismatched types): the condition is false. */
class EvaluationProblem extends Error {
    name = 'EvaluationProblem';
}
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '**', '//', '<', '>', '!', '(', ')', '[', ']', ',', '.', '+', '-', '*', '/', '%'];
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;
function tokenize(source) {
    const tokens = [];
    let i = 0;
    while (i < source.length) {
        const rest = source.slice(i);
        const ch = source[i] ?? '';
        if (/\s/.test(ch)) {
            i += 1;
            continue;
        }
        const number = NUMBER.exec(rest);
        if (number) {
            tokens.push({ type: 'number', value: Number(number[0]), at: i });
            i += number[0].length;
            continue;
        }
        const word = WORD.exec(rest);
        if (word) {
            tokens.push({ type: 'word', value: word[0], at: i });
            i += word[0].length;
            continue;
        }
        if (ch === '"' || ch === "'") {
            let value = '';
            let j = i + 1;
            for (; j < source.length && source[j] !== ch; j += 1) {
                if (source[j] === '\\' && j + 1 < source.length)
                    j += 1;
                value += source[j];
            }
            if (j >= source.length)
                throw new ExpressionSyntaxError(`unterminated string starting at position ${i + 1}`);
            tokens.push({ type: 'string', value, at: i });
            i = j + 1;
            continue;
        }
        const op = OPERATORS.find((candidate) => rest.startsWith(candidate));
        if (!op)
            throw new ExpressionSyntaxError(`unexpected character ${JSON.stringify(ch)} at position ${i + 1}`);
        tokens.push({ type: 'op', value: op, at: i });
        i += op.length;
    }
    tokens.push({ type: 'end', at: source.length });
    return tokens;
}
const KEYWORD_VALUES = new Map([
    ['true', true],
    ['True', true],
    ['false', false],
    ['False', false],
    ['null', null],
    ['None', null],
]);
const RESERVED = new Set(['and', 'or', 'not', 'in', 'is']);
class Parser {
    tokens;
    position = 0;
    constructor(tokens) {
        this.tokens = tokens;
    }
    peek() {
        return this.tokens[this.position] ?? { type: 'end', at: 0 };
    }
    next() {
        const token = this.peek();
        this.position += 1;
        return token;
    }
    isOp(...values) {
        const token = this.peek();
        return token.type === 'op' && values.includes(token.value);
    }
    peekAhead(offset, word) {
        const token = this.tokens[this.position + offset];
        return token?.type === 'word' && token.value === word;
    }
    isWord(value) {
        const token = this.peek();
        return token.type === 'word' && token.value === value;
    }
    parseAll() {
        const node = this.parseOr();
        const token = this.peek();
        if (token.type !== 'end')
            throw new ExpressionSyntaxError(`unexpected ${describe(token)} at position ${token.at + 1}`);
        return node;
    }
    parseOr() {
        let left = this.parseAnd();
        while (this.isWord('or') || this.isOp('||')) {
            this.next();
            left = { kind: 'logical', op: 'or', left, right: this.parseAnd() };
        }
        return left;
    }
    parseAnd() {
        let left = this.parseNot();
        while (this.isWord('and') || this.isOp('&&')) {
            this.next();
            left = { kind: 'logical', op: 'and', left, right: this.parseNot() };
        }
        return left;
    }
    parseNot() {
        if (this.isWord('not') || this.isOp('!')) {
            this.next();
            return { kind: 'not', operand: this.parseNot() };
        }
        return this.parseComparison();
    }
    parseComparison() {
        const first = this.parseSum();
        const rest = [];
        for (;;) {
            let op;
            if (this.isOp('<', '<=', '>', '>=', '==', '!='))
                op = this.next().value;
            else if (this.isWord('in')) {
                this.next();
                op = 'in';
            }
            else if (this.isWord('is')) {
                this.next();
                op = this.isWord('not') ? (this.next(), 'is not') : 'is';
            }
            else if (this.isWord('not') && this.peekAhead(1, 'in')) {
                this.next();
                this.next();
                op = 'not in';
            }
            else
                break;
            rest.push({ op, operand: this.parseSum() });
        }
        return rest.length === 0 ? first : { kind: 'compare', first, rest };
    }
    parseSum() {
        let left = this.parseProduct();
        while (this.isOp('+', '-')) {
            const op = this.next();
            left = { kind: 'arithmetic', op: op.value, left, right: this.parseProduct() };
        }
        return left;
    }
    parseProduct() {
        let left = this.parseUnary();
        while (this.isOp('*', '/', '%', '//')) {
            const op = this.next();
            left = { kind: 'arithmetic', op: op.value, left, right: this.parseUnary() };
        }
        return left;
    }
    parseUnary() {
        if (this.isOp('-')) {
            this.next();
            return { kind: 'negate', operand: this.parseUnary() };
        }
        if (this.isOp('+')) {
            this.next();
            return this.parseUnary();
        }
        return this.parsePower();
    }
    /** `**` binds tighter than a unary minus on its left and is right-associative, as in Python. */
    parsePower() {
        const base = this.parsePrimary();
        if (!this.isOp('**'))
            return base;
        this.next();
        return { kind: 'arithmetic', op: '**', left: base, right: this.parseUnary() };
    }
    parsePrimary() {
        const token = this.next();
        if (token.type === 'number' || token.type === 'string')
            return { kind: 'literal', value: token.value };
        if (token.type === 'op' && token.value === '[') {
            const items = [];
            while (!this.isOp(']')) {
                items.push(this.parseOr());
                if (this.isOp(','))
                    this.next();
                else if (!this.isOp(']')) {
                    const found = this.peek();
                    throw new ExpressionSyntaxError(`expected "," or "]" at position ${found.at + 1}, found ${describe(found)}`);
                }
            }
            this.next();
            return { kind: 'list', items };
        }
        if (token.type === 'op' && token.value === '(') {
            const inner = this.parseOr();
            const close = this.next();
            if (close.type !== 'op' || close.value !== ')') {
                throw new ExpressionSyntaxError(`expected ")" at position ${close.at + 1}, found ${describe(close)}`);
            }
            return inner;
        }
        if (token.type === 'word') {
            if (KEYWORD_VALUES.has(token.value))
                return { kind: 'literal', value: KEYWORD_VALUES.get(token.value) };
            if (RESERVED.has(token.value))
                throw new ExpressionSyntaxError(`unexpected "${token.value}" at position ${token.at + 1}`);
            const path = [token.value];
            for (;;) {
                if (this.isOp('.')) {
                    this.next();
                    const part = this.next();
                    // After a dot any word or number is a key part: `metadata.epoch.1`.
                    if (part.type === 'word')
                        path.push(part.value);
                    else if (part.type === 'number' && Number.isInteger(part.value))
                        path.push(String(part.value));
                    else
                        throw new ExpressionSyntaxError(`expected a name after "." at position ${part.at + 1}`);
                }
                else if (this.isOp('[')) {
                    this.next();
                    const key = this.next();
                    if (key.type !== 'string' && key.type !== 'number') {
                        throw new ExpressionSyntaxError(`expected a quoted key after "[" at position ${key.at + 1}`);
                    }
                    path.push(String(key.value));
                    const close = this.next();
                    if (close.type !== 'op' || close.value !== ']')
                        throw new ExpressionSyntaxError(`expected "]" at position ${close.at + 1}`);
                }
                else
                    break;
            }
            return { kind: 'name', path };
        }
        throw new ExpressionSyntaxError(token.type === 'end' ? 'the expression ends too early' : `unexpected ${describe(token)} at position ${token.at + 1}`);
    }
}
function describe(token) {
    if (token.type === 'end')
        return 'end of expression';
    return `"${String(token.value)}"`;
}
const parsedCache = new Map();
function parse(expr) {
    const cached = parsedCache.get(expr);
    if (cached)
        return cached;
    if (expr.trim() === '')
        throw new ExpressionSyntaxError('the expression is empty');
    const node = new Parser(tokenize(expr)).parseAll();
    if (parsedCache.size > 1000)
        parsedCache.clear();
    parsedCache.set(expr, node);
    return node;
}
/** A syntax error message for `expr`, or undefined when it parses. */
function checkExpression(expr) {
    try {
        parse(expr);
        return undefined;
    }
    catch (error) {
        if (error instanceof ExpressionSyntaxError)
            return error.message;
        throw error;
    }
}
function isRecord(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}
/** Finds `parts` in `object`, preferring the longest dotted key (`val.acc` as one key before nesting). */
function lookup(object, parts) {
    if (parts.length === 0)
        return { found: true, value: object };
    if (!isRecord(object))
        return { found: false };
    for (let length = parts.length; length >= 1; length -= 1) {
        const key = parts.slice(0, length).join('.');
        if (Object.hasOwn(object, key)) {
            const found = lookup(object[key], parts.slice(length));
            if (found.found)
                return found;
        }
    }
    return { found: false };
}
function resolveName(path, scope) {
    const [root = '', ...rest] = path;
    let result;
    if (root === 'metadata')
        result = lookup(scope.metadata, rest);
    else if (root === 'parameter' || root === 'parameters')
        result = lookup(scope.parameters, rest);
    else {
        result = lookup(scope.metadata, path);
        if (!result.found)
            result = lookup(scope.parameters, path);
    }
    if (!result.found)
        throw new EvaluationProblem(`${path.join('.')} has no value`);
    return result.value;
}
function truthy(value) {
    if (value === null || value === undefined || value === false || value === 0 || value === '')
        return false;
    if (Array.isArray(value))
        return value.length > 0;
    if (isRecord(value))
        return Object.keys(value).length > 0;
    return !Number.isNaN(value);
}
function asNumber(value) {
    if (typeof value === 'number')
        return value;
    if (typeof value === 'boolean')
        return value ? 1 : 0;
    if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
        return Number(value);
    return undefined;
}
function contains(container, item) {
    if (Array.isArray(container))
        return container.some((element) => compare(item, '==', element));
    if (typeof container === 'string' && typeof item === 'string')
        return container.includes(item);
    if (isRecord(container) && typeof item === 'string')
        return Object.hasOwn(container, item);
    throw new EvaluationProblem(`cannot look for ${JSON.stringify(item)} in ${JSON.stringify(container)}`);
}
function compare(left, op, right) {
    if (op === 'in')
        return contains(right, left);
    if (op === 'not in')
        return !contains(right, left);
    if (op === 'is')
        return left === right;
    if (op === 'is not')
        return left !== right;
    // Numbers meet numbers, numeric text and booleans (Python's True == 1); text meets text.
    const numeric = typeof left === 'number' || typeof right === 'number';
    const leftValue = numeric ? asNumber(left) : left;
    const rightValue = numeric ? asNumber(right) : right;
    if (op === '==')
        return leftValue !== undefined && leftValue === rightValue;
    if (op === '!=')
        return leftValue === undefined || leftValue !== rightValue;
    const comparable = (typeof leftValue === 'number' && typeof rightValue === 'number') ||
        (typeof leftValue === 'string' && typeof rightValue === 'string');
    if (!comparable)
        throw new EvaluationProblem(`cannot order ${JSON.stringify(left)} and ${JSON.stringify(right)}`);
    const l = leftValue;
    const r = rightValue;
    switch (op) {
        case '<':
            return l < r;
        case '<=':
            return l <= r;
        case '>':
            return l > r;
        case '>=':
            return l >= r;
    }
}
function arithmetic(op, left, right) {
    if (op === '+' && typeof left === 'string' && typeof right === 'string')
        return left + right;
    const l = asNumber(left);
    const r = asNumber(right);
    if (l === undefined || r === undefined)
        throw new EvaluationProblem(`cannot compute ${JSON.stringify(left)} ${op} ${JSON.stringify(right)}`);
    switch (op) {
        case '+':
            return l + r;
        case '-':
            return l - r;
        case '*':
            return l * r;
        case '/':
            if (r === 0)
                throw new EvaluationProblem('division by zero');
            return l / r;
        case '%':
            if (r === 0)
                throw new EvaluationProblem('division by zero');
            // Python's modulo takes the divisor's sign.
            return ((l % r) + r) % r;
        case '//':
            if (r === 0)
                throw new EvaluationProblem('division by zero');
            return Math.floor(l / r);
        case '**':
            return l ** r;
    }
}
function evaluateNode(node, scope) {
    switch (node.kind) {
        case 'literal':
            return node.value;
        case 'name':
            return resolveName(node.path, scope);
        case 'list':
            return node.items.map((item) => evaluateNode(item, scope));
        case 'not':
            return !truthy(evaluateNode(node.operand, scope));
        case 'negate': {
            const value = asNumber(evaluateNode(node.operand, scope));
            if (value === undefined)
                throw new EvaluationProblem('cannot negate a non-number');
            return -value;
        }
        case 'logical': {
            // Python semantics: the deciding operand's value, and the right side only when needed.
            const left = evaluateNode(node.left, scope);
            if (node.op === 'and')
                return truthy(left) ? evaluateNode(node.right, scope) : left;
            return truthy(left) ? left : evaluateNode(node.right, scope);
        }
        case 'compare': {
            let left = evaluateNode(node.first, scope);
            for (const { op, operand } of node.rest) {
                const right = evaluateNode(operand, scope);
                if (!compare(left, op, right))
                    return false;
                left = right;
            }
            return true;
        }
        case 'arithmetic':
            return arithmetic(node.op, evaluateNode(node.left, scope), evaluateNode(node.right, scope));
    }
}
/**
 * The value of `expr`. Throws `ExpressionSyntaxError` for bad syntax; returns undefined when a name has
 * no value yet or types do not fit (e.g. `loss < 0.1` before any `loss` was printed).
 */
function evaluateExpression(expr, scope) {
    const node = parse(expr);
    try {
        return evaluateNode(node, scope);
    }
    catch (error) {
        if (error instanceof EvaluationProblem)
            return undefined;
        throw error;
    }
}
/** Whether `expr` holds. False while a referenced value is missing. Throws `ExpressionSyntaxError` on bad syntax. */
function evaluateCondition(expr, scope) {
    return truthy(evaluateExpression(expr, scope));
}


/***/ }),

/***/ 7095:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   El: () => (/* binding */ dependencies),
/* harmony export */   jB: () => (/* binding */ pipelineToMermaid),
/* harmony export */   u8: () => (/* binding */ findCycle)
/* harmony export */ });
/* unused harmony export topologicalWaves */
/**
 * The pipeline as a DAG: node → the nodes it waits for. Every edge (data, parameter, dependency,
 * deployment) orders its target after its source.
 */
function dependencies(pipeline) {
    const upstream = new Map();
    for (const node of pipeline.nodes)
        upstream.set(node.name, new Set());
    for (const edge of pipeline.edges) {
        const targets = upstream.get(edge.target.node);
        // A self-edge is kept: it is a cycle, and findCycle reports it.
        if (targets && upstream.has(edge.source.node))
            targets.add(edge.source.node);
    }
    return upstream;
}
/**
 * A cycle as the list of node names, first name repeated at the end (`[a, b, a]`), or undefined.
 * Iterative DFS so a long chain cannot overflow the stack.
 */
function findCycle(upstream) {
    const state = new Map();
    for (const start of upstream.keys()) {
        if (state.has(start))
            continue;
        const path = [];
        const stack = [];
        const enter = (node) => {
            state.set(node, 'visiting');
            path.push(node);
            stack.push({ node, next: (upstream.get(node) ?? new Set()).values() });
        };
        enter(start);
        while (stack.length > 0) {
            const frame = stack[stack.length - 1];
            if (!frame)
                break;
            const step = frame.next.next();
            if (step.done) {
                state.set(frame.node, 'done');
                stack.pop();
                path.pop();
                continue;
            }
            const dependency = step.value;
            const seen = state.get(dependency);
            if (seen === 'visiting') {
                // `path` runs downstream→upstream; reverse to show the data flow direction.
                const cycle = path.slice(path.indexOf(dependency));
                cycle.reverse();
                // Start at the node declared first, so the same cycle always prints the same way.
                const order = [...upstream.keys()];
                const first = cycle.reduce((best, name, i) => (order.indexOf(name) < order.indexOf(cycle[best] ?? '') ? i : best), 0);
                const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
                return [...rotated, rotated[0] ?? dependency];
            }
            if (seen === undefined && upstream.has(dependency))
                enter(dependency);
        }
    }
    return undefined;
}
/** Nodes grouped in waves: each wave depends only on earlier waves. Throws on a cycle. */
function topologicalWaves(pipeline) {
    const upstream = dependencies(pipeline);
    const remaining = new Map([...upstream].map(([node, deps]) => [node, new Set(deps)]));
    const waves = [];
    while (remaining.size > 0) {
        // Declaration order within a wave keeps plans stable.
        const wave = pipeline.nodes.map((n) => n.name).filter((name, i, all) => all.indexOf(name) === i && remaining.get(name)?.size === 0);
        if (wave.length === 0) {
            const cycle = findCycle(remaining);
            throw new Error(`pipeline "${pipeline.name}" has a cycle: ${(cycle ?? [...remaining.keys()]).join(' -> ')}`);
        }
        waves.push(wave);
        for (const name of wave)
            remaining.delete(name);
        for (const deps of remaining.values())
            for (const name of wave)
                deps.delete(name);
    }
    return waves;
}
/** Mermaid-safe ID: letters, digits and `_` only, unique per name. */
function mermaidIds(nodes) {
    const ids = new Map();
    const used = new Set();
    for (const node of nodes) {
        if (ids.has(node.name))
            continue;
        const base = `n_${node.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
        let id = base;
        for (let i = 2; used.has(id); i++)
            id = `${base}_${i}`;
        used.add(id);
        ids.set(node.name, id);
    }
    return ids;
}
/** Text inside a quoted Mermaid label: `"` and markup-significant characters as HTML entities. */
function mermaidText(text) {
    return text.replace(/[&"<>#|]/g, (ch) => `#${ch.charCodeAt(0)};`);
}
function nodeLabel(node) {
    switch (node.type) {
        case 'execution':
            return `${node.name}<br/>step: ${node.step}`;
        case 'task':
            return `${node.name}<br/>task: ${node.task ?? node.step}`;
        case 'deployment':
            return `${node.name}<br/>deployment: ${node.deployment}`;
    }
}
function edgeLabel(edge) {
    if (edge.source.type === 'dependency' && edge.target.type === 'dependency')
        return 'after';
    return `${edge.source.type}:${edge.source.key} → ${edge.target.type}:${edge.target.key}`;
}
/** A Mermaid `flowchart LR` of the pipeline; labels are quoted so any name renders. */
function pipelineToMermaid(pipeline) {
    const ids = mermaidIds(pipeline.nodes);
    const lines = ['flowchart LR'];
    for (const node of pipeline.nodes) {
        const id = ids.get(node.name);
        if (!id || lines.some((line) => line.startsWith(`  ${id}[`) || line.startsWith(`  ${id}{{`) || line.startsWith(`  ${id}[(`)))
            continue;
        const label = `"${mermaidText(nodeLabel(node)).replace(/#60;br\/#62;/g, '<br/>')}"`;
        // Shapes tell kinds apart: rectangle execution, hexagon task, cylinder deployment.
        lines.push(node.type === 'task' ? `  ${id}{{${label}}}` : node.type === 'deployment' ? `  ${id}[(${label})]` : `  ${id}[${label}]`);
    }
    for (const edge of pipeline.edges) {
        const from = ids.get(edge.source.node);
        const to = ids.get(edge.target.node);
        if (!from || !to)
            continue;
        lines.push(`  ${from} -->|"${mermaidText(edgeLabel(edge))}"| ${to}`);
    }
    return `${lines.join('\n')}\n`;
}


/***/ }),

/***/ 9395:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  fH: () => (/* binding */ loadPipelineFile)
});

// UNUSED EXPORTS: MAX_FILE_BYTES, MAX_NESTING_DEPTH, loadPipelineText

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./build/pipeline/diagnostics.js
var diagnostics = __webpack_require__(7479);
;// CONCATENATED MODULE: ./build/pipeline/duration.js
/**
 * Durations as valohai-yaml reads them (`utils/duration.py`): an integer is seconds; a string is a
 * sequence of `<number><suffix>` where only the suffix's first letter counts (s, m, h, d, w).
 */
const SUFFIX_SECONDS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const PART = /([.\d]+)\s*([a-zA-Z]*)/g;
class DurationError extends Error {
    name = 'DurationError';
}
/** Seconds, or undefined for "not set" (null or a blank string). Throws DurationError when malformed. */
function parseDuration(value) {
    if (value === null || value === undefined)
        return undefined;
    if (typeof value === 'number') {
        if (!Number.isInteger(value) || value <= 0)
            throw new DurationError(`duration ${value} must be a positive whole number of seconds`);
        return value;
    }
    if (typeof value !== 'string')
        throw new DurationError(`duration must be seconds or a string like "1h 30m", got ${typeof value}`);
    const text = value.trim();
    if (text === '')
        return undefined;
    let total = 0;
    let consumed = '';
    for (const match of text.matchAll(PART)) {
        const [whole, digits = '', suffix = ''] = match;
        const amount = Number(digits);
        if (!Number.isFinite(amount))
            throw new DurationError(`"${whole}" is not a number in duration "${text}"`);
        // A bare number inside a string means seconds; valohai-yaml crashes on it, which helps nobody.
        const unit = suffix === '' ? 's' : suffix[0]?.toLowerCase() ?? 's';
        const seconds = SUFFIX_SECONDS[unit];
        if (seconds === undefined)
            throw new DurationError(`unknown duration suffix in "${whole}" (use s, m, h, d or w)`);
        total += amount * seconds;
        consumed += whole;
    }
    const leftover = text.replace(PART, '').replace(/[\s,]+/g, '');
    if (leftover !== '')
        throw new DurationError(`cannot read "${leftover}" in duration "${text}" (write e.g. "1h 30m 5s")`);
    if (!(total > 0) || consumed === '')
        throw new DurationError(`could not read a positive duration from "${text}"`);
    return Math.round(total);
}

;// CONCATENATED MODULE: ./build/pipeline/socket.js
const EDGE_TYPES = [
    'output',
    'input',
    'parameter',
    'metadata',
    'file',
    'deployment',
    'environment-variable',
    'dependency',
];
/** Plural spellings used by Valohai's docs and real files (FORMAT §3.3); accepted as the singular. */
const PLURAL_EDGE_TYPES = {
    outputs: 'output',
    inputs: 'input',
    parameters: 'parameter',
};
class SocketSyntaxError extends Error {
    name = 'SocketSyntaxError';
}
/**
 * Splits `<node>.<type>.<key>` on the first two dots, like Python's `str.split(".", 2)`: node names and
 * types cannot contain dots, keys can (`model.pb`, `predict-digit.model`).
 */
function parseSocket(text) {
    const first = text.indexOf('.');
    const second = first === -1 ? -1 : text.indexOf('.', first + 1);
    if (first === -1 || second === -1) {
        const parts = first === -1 ? 1 : 2;
        throw new SocketSyntaxError(`socket \`${text}\` must have 3 parts \`<node>.<type>.<key>\` (it has ${parts})`);
    }
    return { node: text.slice(0, first), rawType: text.slice(first + 1, second), key: text.slice(second + 1) };
}
/** The canonical edge type for a written type, or undefined when it is not one. */
function normaliseEdgeType(rawType) {
    if (EDGE_TYPES.includes(rawType))
        return { type: rawType, plural: false };
    const singular = PLURAL_EDGE_TYPES[rawType];
    return singular ? { type: singular, plural: true } : undefined;
}
function formatSocket(socket) {
    return `${socket.node}.${socket.type}.${socket.key}`;
}

;// CONCATENATED MODULE: ./build/pipeline/build.js



const TOP_LEVEL_KINDS = ['step', 'task', 'endpoint', 'pipeline', 'blueprint', 'deployment', 'x-mlops'];
const DEFAULT_MLOPS = {
    runners: { default: 'ubuntu-latest' },
    containers: 'host',
    deployTargets: {},
};
function isData(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}
function str(value) {
    return typeof value === 'string' ? value : undefined;
}
function strings(value) {
    if (typeof value === 'string')
        return [value];
    if (Array.isArray(value))
        return value.filter((v) => typeof v === 'string');
    return [];
}
function list(value) {
    return Array.isArray(value) ? value : [];
}
function toParameterValue(value) {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        return value;
    if (Array.isArray(value)) {
        const items = value.map(toParameterValue);
        return items.every((v) => v !== undefined) ? items : undefined;
    }
    return undefined;
}
/** The kind of a top-level item: valohai-yaml checks keys in this order and the first one wins. */
function itemKind(item) {
    return TOP_LEVEL_KINDS.find((kind) => kind in item);
}
class ConfigBuilder {
    source;
    sink;
    origins = new WeakMap();
    constructor(source, sink) {
        this.source = source;
        this.sink = sink;
    }
    pos(path) {
        return this.source.position(path);
    }
    remember(object, path) {
        this.origins.set(object, path);
        return object;
    }
    build(items) {
        const config = {
            file: this.source.file,
            steps: new Map(),
            pipelines: new Map(),
            endpoints: new Map(),
            tasks: new Map(),
            deployments: new Map(),
            mlops: { ...DEFAULT_MLOPS, runners: { ...DEFAULT_MLOPS.runners }, deployTargets: {} },
        };
        let mlopsSeen = false;
        items.forEach((item, index) => {
            if (!isData(item))
                return;
            const kind = itemKind(item);
            if (!kind)
                return;
            const data = item[kind];
            if (!isData(data))
                return;
            const path = [index, kind];
            const named = (map, value, what) => {
                if (map.has(value.name)) {
                    this.sink.warning('duplicate-name', this.pos([...path, 'name']), `Duplicate ${what} name: ${value.name}. The later one wins.`, `rename one of the ${what}s named "${value.name}"`);
                    map.delete(value.name);
                }
                map.set(value.name, value);
            };
            switch (kind) {
                case 'step':
                    named(config.steps, this.step(data, path), 'step');
                    break;
                case 'task':
                    named(config.tasks, this.task(data, path), 'task');
                    break;
                case 'endpoint':
                    named(config.endpoints, this.endpoint(data, path), 'endpoint');
                    break;
                case 'pipeline':
                case 'blueprint':
                    named(config.pipelines, this.pipeline(data, path), 'pipeline');
                    break;
                case 'deployment':
                    named(config.deployments, this.deployment(data, path), 'deployment');
                    break;
                case 'x-mlops':
                    if (mlopsSeen) {
                        this.sink.warning('duplicate-mlops', this.source.position([index, kind], 'key'), 'more than one `x-mlops` item; the last one wins', 'merge them into one `- x-mlops:` item');
                    }
                    mlopsSeen = true;
                    config.mlops = this.mlops(data, path);
                    break;
            }
        });
        // A blueprint node runs the blueprint's step (model.ts promises `step` is always the step to run);
        // tasks may be declared after the pipeline, so this is done once everything is read.
        for (const pipeline of config.pipelines.values()) {
            for (const node of pipeline.nodes) {
                if (node.type === 'task' && node.step === '' && node.task !== undefined) {
                    node.step = config.tasks.get(node.task)?.step ?? '';
                }
            }
        }
        return config;
    }
    step(data, path) {
        const known = new Set([
            'name', 'image', 'command', 'parameters', 'inputs', 'outputs', 'environment', 'environment-variables',
            'environment-variable-groups', 'mounts', 'time-limit', 'no-output-timeout', 'stop-condition', 'source-path', 'description',
        ]);
        const extra = {};
        for (const [key, value] of Object.entries(data))
            if (!known.has(key))
                extra[key] = value;
        const step = {
            name: str(data.name) ?? '',
            image: str(data.image) ?? '',
            command: strings(data.command),
            parameters: list(data.parameters).map((p, i) => this.parameter(p, [...path, 'parameters', i])),
            inputs: list(data.inputs).map((p, i) => this.input(p, [...path, 'inputs', i])),
            outputs: list(data.outputs).filter(isData).map((o) => {
                const output = { name: str(o.name) ?? '' };
                const description = str(o.description);
                if (description !== undefined)
                    output.description = description;
                return output;
            }),
            environmentVariables: list(data['environment-variables']).map((v) => this.environmentVariable(v)),
            environmentVariableGroups: strings(data['environment-variable-groups']),
            mounts: list(data.mounts).map((m) => this.mount(m)),
            extra,
            position: this.pos(path),
        };
        const environment = str(data.environment);
        if (environment !== undefined)
            step.environment = environment;
        const timeLimit = this.duration(data['time-limit'], [...path, 'time-limit']);
        if (timeLimit !== undefined)
            step.timeLimit = timeLimit;
        const noOutputTimeout = this.duration(data['no-output-timeout'], [...path, 'no-output-timeout']);
        if (noOutputTimeout !== undefined)
            step.noOutputTimeout = noOutputTimeout;
        const stopCondition = str(data['stop-condition']);
        if (stopCondition !== undefined)
            step.stopCondition = stopCondition;
        const sourcePath = str(data['source-path']);
        if (sourcePath !== undefined)
            step.sourcePath = sourcePath;
        const description = str(data.description);
        if (description !== undefined)
            step.description = description;
        return this.remember(step, path);
    }
    duration(value, path) {
        try {
            return parseDuration(value);
        }
        catch (error) {
            if (!(error instanceof DurationError))
                throw error;
            this.sink.error('bad-duration', this.pos(path), `\`${String(path[path.length - 1])}\`: ${error.message}`, 'write seconds (e.g. 3600) or a duration like "1h 30m"');
            return undefined;
        }
    }
    parameter(value, path) {
        const data = isData(value) ? value : {};
        const type = (str(data.type) ?? 'string');
        const multiple = (str(data.multiple) ?? 'none');
        const parameter = {
            name: str(data.name) ?? '',
            type,
            optional: type === 'flag' ? true : data.optional === true,
            multiple,
            multipleSeparator: str(data['multiple-separator']) ?? ',',
            position: this.pos(path),
        };
        if ('default' in data) {
            const converted = toParameterValue(data.default);
            if (converted === undefined) {
                this.sink.warning('bad-default', this.pos([...path, 'default']), `parameter "${parameter.name}": a default must be a value or a list of values, not a mapping; it is ignored`);
            }
            else {
                // A multiple parameter's default is always a list (valohai-yaml wraps a single value).
                parameter.default = multiple !== 'none' && converted !== null && !Array.isArray(converted) ? [converted] : converted;
            }
        }
        for (const [key, field] of [['pass-as', 'passAs'], ['pass-true-as', 'passTrueAs'], ['pass-false-as', 'passFalseAs'], ['description', 'description'], ['category', 'category']]) {
            const text = str(data[key]);
            if (text !== undefined)
                parameter[field] = text;
        }
        if (Array.isArray(data.choices)) {
            const choices = toParameterValue(data.choices);
            if (Array.isArray(choices))
                parameter.choices = choices;
        }
        if (typeof data.min === 'number')
            parameter.min = data.min;
        if (typeof data.max === 'number')
            parameter.max = data.max;
        return this.remember(parameter, path);
    }
    input(value, path) {
        const data = isData(value) ? value : {};
        const keep = data['keep-directories'];
        const keepDirectories = keep === true ? 'full' : keep === false || keep === undefined ? 'none' : keep;
        const input = {
            name: str(data.name) ?? '',
            default: strings(data.default),
            optional: data.optional === true,
            keepDirectories,
            download: data.download === 'on-demand' ? 'on-demand' : 'always',
            position: this.pos(path),
        };
        const filename = str(data.filename);
        if (filename !== undefined)
            input.filename = filename;
        const description = str(data.description);
        if (description !== undefined)
            input.description = description;
        return this.remember(input, path);
    }
    environmentVariable(value) {
        const data = isData(value) ? value : {};
        const variable = { name: str(data.name) ?? '', optional: data.optional !== false };
        const defaultValue = str(data.default);
        if (defaultValue !== undefined)
            variable.default = defaultValue;
        const description = str(data.description);
        if (description !== undefined)
            variable.description = description;
        return variable;
    }
    mount(value) {
        if (typeof value === 'string') {
            // valohai-yaml splits on the first `:` (objs/mount.py).
            const colon = value.indexOf(':');
            return { source: value.slice(0, colon), destination: value.slice(colon + 1), readonly: false };
        }
        const data = isData(value) ? value : {};
        return { source: str(data.source) ?? '', destination: str(data.destination) ?? '', readonly: data.readonly === true };
    }
    override(value, path) {
        const data = isData(value) ? value : {};
        const override = {};
        const image = str(data.image);
        if (image !== undefined)
            override.image = image;
        if (data.command !== undefined)
            override.command = strings(data.command);
        if (Array.isArray(data.parameters))
            override.parameters = data.parameters.map((p, i) => this.parameter(p, [...path, 'parameters', i]));
        if (Array.isArray(data.inputs))
            override.inputs = data.inputs.map((p, i) => this.input(p, [...path, 'inputs', i]));
        const environment = str(data.environment);
        if (environment !== undefined)
            override.environment = environment;
        if (Array.isArray(data['environment-variables']))
            override.environmentVariables = data['environment-variables'].map((v) => this.environmentVariable(v));
        if (Array.isArray(data.mounts))
            override.mounts = data.mounts.map((m) => this.mount(m));
        const preset = str(data['runtime-config-preset']);
        if (preset !== undefined)
            override.runtimeConfigPreset = preset;
        return this.remember(override, path);
    }
    actions(value, path) {
        return list(value).map((item, i) => {
            const data = isData(item) ? item : {};
            const action = {
                when: [...new Set(strings(data.when))],
                if: strings(data.if),
                then: strings(data.then),
                position: this.pos([...path, i]),
            };
            return this.remember(action, [...path, i]);
        });
    }
    node(value, path) {
        if (!isData(value))
            return undefined;
        const base = {
            name: str(value.name) ?? '',
            actions: this.actions(value.actions, [...path, 'actions']),
            onError: (str(value['on-error']) ?? 'stop-all'),
            position: this.pos(path),
        };
        let node;
        if (value.type === 'deployment') {
            node = { ...base, type: 'deployment', deployment: str(value.deployment) ?? '', endpoints: strings(value.endpoints), aliases: strings(value.aliases) };
        }
        else {
            const common = {
                ...base,
                step: str(value.step) ?? '',
                edgeMergeMode: (str(value['edge-merge-mode']) ?? 'replace'),
            };
            if (value.type === 'task') {
                node = { ...common, type: 'task' };
                const task = str(value.task);
                if (task !== undefined)
                    node.task = task;
            }
            else {
                node = { ...common, type: 'execution' };
            }
            if (value.override !== undefined)
                node.override = this.override(value.override, [...path, 'override']);
            const commit = str(value.commit);
            if (commit !== undefined)
                node.commit = commit;
        }
        return this.remember(node, path);
    }
    /** Parses one socket, reporting malformed ones; plural types are normalised with a warning. */
    socket(text, path, role, pipeline, quietPlural = false) {
        let parsed;
        try {
            parsed = parseSocket(text);
        }
        catch (error) {
            if (!(error instanceof SocketSyntaxError))
                throw error;
            const parts = text.split('.', 3).length;
            this.sink.error('bad-socket', this.pos(path), `${role === 'source' ? 'Source' : 'Target'} specifier '${text}' must have 3 parts (it has ${parts})`, 'write sockets as `<node>.<type>.<key>`, e.g. `train.output.model.pkl`');
            return undefined;
        }
        const normalised = normaliseEdgeType(parsed.rawType);
        if (!normalised) {
            this.sink.error('bad-edge-type', this.pos(path), `Pipeline ${pipeline} ${role} type ${parsed.rawType} in \`${text}\` is not valid`, (0,diagnostics/* didYouMean */.au)(parsed.rawType, EDGE_TYPES) ?? `edge types are ${EDGE_TYPES.join(', ')}`);
            return undefined;
        }
        if (normalised.plural && !quietPlural) {
            this.sink.warning('plural-edge-type', this.pos(path), `Pipeline ${pipeline} ${role} type \`${parsed.rawType}\` in \`${text}\` is read as \`${normalised.type}\`; valohai-yaml's linter rejects the plural`, `write \`${parsed.node}.${normalised.type}.${parsed.key}\``);
        }
        return { node: parsed.node, type: normalised.type, key: parsed.key };
    }
    edge(value, path, pipeline) {
        let sourceText;
        let targetText;
        let configuration = {};
        let sourcePath;
        let targetPath;
        if (Array.isArray(value)) {
            sourceText = str(value[0]);
            targetText = str(value[1]);
            sourcePath = [...path, 0];
            targetPath = [...path, 1];
            if (value.length !== 2) {
                this.sink.error('edge-shorthand', this.pos(path), `Malformed edge shorthand ${JSON.stringify(value)}`, 'write `[<source socket>, <target socket>]`, exactly 2 items');
                return undefined;
            }
        }
        else if (isData(value)) {
            sourceText = str(value.source);
            targetText = str(value.target);
            if (isData(value.configuration))
                configuration = value.configuration;
            sourcePath = [...path, 'source'];
            targetPath = [...path, 'target'];
        }
        else {
            return undefined;
        }
        if (sourceText === undefined || targetText === undefined)
            return undefined;
        const source = this.socket(sourceText, sourcePath, 'source', pipeline);
        const target = this.socket(targetText, targetPath, 'target', pipeline);
        if (!source || !target)
            return undefined;
        return this.remember({ source, target, configuration, position: this.pos(path) }, path);
    }
    pipelineParameter(value, path, pipeline) {
        if (!isData(value))
            return undefined;
        const name = str(value.name) ?? '';
        if ('target' in value && 'targets' in value) {
            this.sink.error('target-and-targets', this.pos([...path, 'targets']), `Pipeline "${pipeline}" parameter "${name}": set \`target\` or \`targets\`, not both`, 'move the `target` value into the `targets` list');
        }
        const texts = [...strings(value.target), ...strings(value.targets)];
        const targets = [];
        texts.forEach((text, i) => {
            const targetPath = 'targets' in value ? (Array.isArray(value.targets) ? [...path, 'targets', i] : [...path, 'targets']) : [...path, 'target'];
            // valohai-yaml accepts `parameters` here (it checks `startswith("parameter")`), so no warning.
            const socket = this.socket(text, targetPath, 'target', pipeline, true);
            if (socket)
                targets.push(socket);
        });
        const parameter = { name, targets, position: this.pos(path) };
        if ('default' in value) {
            const converted = toParameterValue(value.default);
            if (converted !== undefined)
                parameter.default = converted;
        }
        const description = str(value.description);
        if (description !== undefined)
            parameter.description = description;
        const category = str(value.category);
        if (category !== undefined)
            parameter.category = category;
        return this.remember(parameter, path);
    }
    pipeline(data, path) {
        const name = str(data.name) ?? '';
        const nodes = list(data.nodes)
            .map((n, i) => this.node(n, [...path, 'nodes', i]))
            .filter((n) => n !== undefined);
        const edges = list(data.edges)
            .map((e, i) => this.edge(e, [...path, 'edges', i], name))
            .filter((e) => e !== undefined);
        const parameters = list(data.parameters)
            .map((p, i) => this.pipelineParameter(p, [...path, 'parameters', i], name))
            .filter((p) => p !== undefined);
        return this.remember({ name, nodes, edges, parameters, reuseExecutions: data['reuse-executions'] === true, position: this.pos(path) }, path);
    }
    task(data, path) {
        const rawType = (str(data.type) ?? 'grid_search').toLowerCase().replace(/-/g, '_');
        const types = ['grid_search', 'random_search', 'manual_search', 'bayesian_tpe', 'distributed'];
        let type = 'grid_search';
        if (types.includes(rawType))
            type = rawType;
        else {
            this.sink.error('bad-task-type', this.pos([...path, 'type']), `task "${str(data.name) ?? ''}": unknown type \`${str(data.type) ?? ''}\``, (0,diagnostics/* didYouMean */.au)(rawType, types) ?? `task types are ${types.join(', ')}`);
        }
        const parameters = list(data.parameters).filter(isData).map((p) => ({
            name: str(p.name) ?? '',
            style: (str(p.style) ?? 'single'),
            rules: isData(p.rules) ? p.rules : {},
        }));
        const parameterSets = [];
        list(data['parameter-sets']).forEach((set) => {
            if (!isData(set))
                return;
            const converted = {};
            for (const [key, value] of Object.entries(set)) {
                const v = toParameterValue(value);
                if (v !== undefined)
                    converted[key] = v;
            }
            parameterSets.push(converted);
        });
        const task = { name: str(data.name) ?? '', step: str(data.step) ?? '', type, parameters, parameterSets, position: this.pos(path) };
        if (typeof data['execution-count'] === 'number')
            task.executionCount = data['execution-count'];
        const onChildError = str(data['on-child-error']);
        if (onChildError !== undefined)
            task.onChildError = onChildError.toLowerCase().replace(/_/g, '-');
        return this.remember(task, path);
    }
    endpoint(data, path) {
        const known = new Set(['name', 'image', 'server-command', 'wsgi', 'port', 'files', 'description']);
        const extra = {};
        for (const [key, value] of Object.entries(data))
            if (!known.has(key))
                extra[key] = value;
        const endpoint = {
            name: str(data.name) ?? '',
            image: str(data.image) ?? '',
            port: typeof data.port === 'number' ? data.port : 8000,
            files: list(data.files).filter(isData).map((f) => {
                const file = { name: str(f.name) ?? '', path: str(f.path) ?? '' };
                const description = str(f.description);
                if (description !== undefined)
                    file.description = description;
                return file;
            }),
            extra,
            position: this.pos(path),
        };
        if (data['server-command'] !== undefined)
            endpoint.serverCommand = strings(data['server-command']);
        const wsgi = str(data.wsgi);
        if (wsgi !== undefined)
            endpoint.wsgi = wsgi;
        const description = str(data.description);
        if (description !== undefined)
            endpoint.description = description;
        return this.remember(endpoint, path);
    }
    deployment(data, path) {
        const defaults = isData(data.defaults) ? data.defaults : {};
        if (typeof defaults.target !== 'string') {
            this.sink.warning('deployment-target', this.pos([...path, 'defaults']), `deployment "${str(data.name) ?? ''}": \`defaults.target\` is missing`, 'set `defaults: {target: <deployment target slug or UUID>}` so the platform can create the deployment');
        }
        return this.remember({ name: str(data.name) ?? '', defaults, position: this.pos(path) }, path);
    }
    mlops(data, path) {
        const runners = { ...DEFAULT_MLOPS.runners };
        if (isData(data.runners)) {
            for (const [key, value] of Object.entries(data.runners)) {
                if (typeof value === 'string')
                    runners[key] = value;
                else if (Array.isArray(value))
                    runners[key] = strings(value);
            }
        }
        const mlops = {
            runners,
            containers: data.containers === 'container' ? 'container' : 'host',
            deployTargets: {},
            position: this.source.position(path, 'key'),
        };
        if (isData(data['deploy-targets'])) {
            for (const [key, value] of Object.entries(data['deploy-targets']))
                if (isData(value))
                    mlops.deployTargets[key] = value;
        }
        const selection = data.selection;
        if (isData(selection)) {
            const goal = (value) => (value === 'min' ? 'min' : 'max');
            const result = {
                metric: str(selection.metric) ?? '',
                goal: goal(selection.goal),
                tieBreakers: list(selection['tie-breakers']).filter(isData).map((t) => ({ metric: str(t.metric) ?? '', goal: goal(t.goal) })),
                constraints: strings(selection.constraints),
            };
            const number = (key) => {
                const value = selection[key];
                const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : undefined;
                return parsed !== undefined && Number.isFinite(parsed) ? parsed : undefined;
            };
            const absolute = number('min-absolute-improvement');
            if (absolute !== undefined)
                result.minAbsoluteImprovement = absolute;
            const relative = number('min-relative-improvement');
            if (relative !== undefined)
                result.minRelativeImprovement = relative;
            const tolerance = number('tolerance');
            if (tolerance !== undefined)
                result.tolerance = tolerance;
            mlops.selection = result;
        }
        return this.remember(mlops, path);
    }
}

// EXTERNAL MODULE: ./node_modules/ajv/dist/2020.js
var _2020 = __webpack_require__(2210);
;// CONCATENATED MODULE: ./build/pipeline/schema.json
const schema_namespaceObject = /*#__PURE__*/JSON.parse('{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://mlops-actions.local/schemas/valohai-yaml","title":"valohai.yaml (compatible) with the x-mlops extension","description":"Modelled on valohai-yaml\'s schema_data.py (commit 5f71bb7). Custom annotations: x-unknown-keys says whether unknown keys are an error (Valohai rejects them and so do we) or a warning (so newer Valohai files still load); x-messages maps a keyword to the human message used when it fails; x-what names the object in messages.","type":"array","items":{"type":"object","properties":{"step":{"$ref":"#/$defs/step"},"task":{"$ref":"#/$defs/task"},"endpoint":{"$ref":"#/$defs/endpoint"},"pipeline":{"$ref":"#/$defs/pipeline"},"blueprint":{"$ref":"#/$defs/pipeline"},"deployment":{"$ref":"#/$defs/deployment"},"x-mlops":{"$ref":"#/$defs/x-mlops"}}},"$defs":{"string-or-strings":{"type":["string","array"],"items":{"type":"string"}},"step":{"x-what":"step","type":"object","additionalProperties":false,"x-unknown-keys":"warning","required":["name","image","command"],"properties":{"name":{"type":"string"},"image":{"type":"string"},"command":{"$ref":"#/$defs/string-or-strings"},"parameters":{"type":"array","items":{"$ref":"#/$defs/param-item"}},"inputs":{"type":"array","items":{"$ref":"#/$defs/input-item"}},"outputs":{"type":"array","items":{"$ref":"#/$defs/output-item"}},"environment":{"type":"string"},"environment-variables":{"type":"array","items":{"$ref":"#/$defs/environment-variable-item"}},"environment-variable-groups":{"type":"array","items":{"type":"string"}},"mounts":{"type":"array","items":{"$ref":"#/$defs/mount-item"}},"cache-volumes":{"type":"array","items":{"type":"string"}},"resources":{"$ref":"#/$defs/step-resources"},"time-limit":{"type":["integer","string"]},"no-output-timeout":{"type":["integer","string"]},"stop-condition":{"type":"string"},"upload-store":{"type":"string","maxLength":64},"runtime-config-preset":{"type":"string"},"description":{"type":"string"},"icon":{"type":"string"},"category":{"type":"string"},"source-path":{"type":"string"}}},"param-item":{"x-what":"parameter","type":"object","additionalProperties":false,"x-unknown-keys":"warning","required":["name"],"properties":{"name":{"type":"string"},"type":{"type":"string","enum":["flag","float","integer","string"]},"default":{},"optional":{"type":"boolean"},"pass-as":{"type":"string"},"pass-true-as":{"type":"string"},"pass-false-as":{"type":"string"},"multiple":{"type":"string","enum":["none","repeat","separate"]},"multiple-separator":{"type":"string"},"choices":{"type":"array"},"min":{"type":"number"},"max":{"type":"number"},"description":{"type":"string"},"category":{"type":"string"},"widget":{"type":["string","object"],"if":{"type":"object"},"then":{"required":["type"],"properties":{"type":{"type":"string"},"settings":{"type":"object"}}}}}},"input-item":{"x-what":"input","type":"object","additionalProperties":false,"x-unknown-keys":"warning","required":["name"],"properties":{"name":{"type":"string","maxLength":64},"default":{"$ref":"#/$defs/string-or-strings"},"optional":{"type":"boolean"},"filename":{"type":"string"},"keep-directories":{"type":["boolean","string"],"enum":[true,false,"none","full","suffix"]},"download":{"type":"string","enum":["always","on-demand"]},"description":{"type":"string"}}},"output-item":{"x-what":"output","type":"object","additionalProperties":false,"x-unknown-keys":"warning","required":["name"],"properties":{"name":{"type":"string"},"description":{"type":"string"}}},"environment-variable-item":{"x-what":"environment variable","type":"object","additionalProperties":false,"x-unknown-keys":"warning","required":["name"],"properties":{"name":{"type":"string"},"default":{"type":"string"},"optional":{"type":"boolean"},"description":{"type":"string"}}},"mount-item":{"x-what":"mount","type":["string","object"],"if":{"type":"string"},"then":{"pattern":"^/.+:/.+$","x-messages":{"pattern":"a mount string must be `/source:/destination`, both absolute paths"}},"else":{"additionalProperties":false,"x-unknown-keys":"warning","required":["source","destination"],"properties":{"source":{"type":"string"},"destination":{"type":"string","pattern":"^/.+$"},"readonly":{"type":"boolean"},"type":{"type":"string"},"options":{"type":"object"}}}},"min-max":{"type":"object","additionalProperties":false,"x-unknown-keys":"error","properties":{"min":{"type":"number"},"max":{"type":"number"}}},"devices":{"type":"object","additionalProperties":{"type":"number","minimum":1}},"step-resources":{"x-what":"resources","type":"object","additionalProperties":false,"x-unknown-keys":"error","properties":{"cpu":{"$ref":"#/$defs/min-max"},"memory":{"$ref":"#/$defs/min-max"},"devices":{"$ref":"#/$defs/devices"}}},"endpoint":{"x-what":"endpoint","type":"object","additionalProperties":false,"x-unknown-keys":"warning","required":["name","image"],"oneOf":[{"required":["server-command"]},{"required":["wsgi"]}],"properties":{"name":{"type":"string","pattern":"^[a-z][a-z0-9-]+$","x-messages":{"pattern":"endpoint names must be lowercase, start with a letter and contain only letters, digits and dashes (at least 2 characters)"}},"image":{"type":"string"},"server-command":{"$ref":"#/$defs/string-or-strings"},"wsgi":{"type":"string"},"port":{"type":"number","minimum":1025,"maximum":65535},"files":{"type":"array","items":{"$ref":"#/$defs/file-item"}},"description":{"type":"string"},"node-selector":{"type":"string","pattern":"="},"tolerations":{"type":"array","items":{"$ref":"#/$defs/toleration"}},"resources":{"type":"object","additionalProperties":false,"x-unknown-keys":"error","properties":{"cpu":{"$ref":"#/$defs/min-max"},"memory":{"$ref":"#/$defs/min-max"},"ephemeral-storage":{"$ref":"#/$defs/min-max"},"devices":{"$ref":"#/$defs/devices"}}}},"x-messages":{"oneOf":"an endpoint needs exactly one of `server-command` or `wsgi`"}},"file-item":{"x-what":"endpoint file","type":"object","additionalProperties":false,"x-unknown-keys":"warning","required":["name","path"],"properties":{"name":{"type":"string"},"path":{"type":"string"},"description":{"type":"string"}}},"toleration":{"x-what":"toleration","type":"object","additionalProperties":false,"x-unknown-keys":"warning","properties":{"key":{"type":"string"},"operator":{"type":"string","enum":["Exists","Equal"]},"value":{"type":"string"},"effect":{"type":"string","enum":["PreferNoSchedule","NoSchedule","NoExecute"]}},"if":{"properties":{"operator":{"const":"Exists"}},"required":["operator"]},"else":{"required":["key"]}},"pipeline":{"x-what":"pipeline","type":"object","additionalProperties":false,"x-unknown-keys":"warning","required":["name","nodes","edges"],"properties":{"name":{"type":"string"},"nodes":{"type":"array","items":{"$ref":"#/$defs/node"}},"edges":{"type":"array","items":{"$ref":"#/$defs/edge"}},"parameters":{"type":"array","items":{"$ref":"#/$defs/pipeline-param"}},"reuse-executions":{"type":"boolean"}}},"node":{"x-what":"node","type":"object","required":["name","type"],"properties":{"type":{"type":"string","enum":["execution","task","deployment"]}},"allOf":[{"if":{"properties":{"type":{"const":"execution"}},"required":["type"]},"then":{"$ref":"#/$defs/execution-node"}},{"if":{"properties":{"type":{"const":"task"}},"required":["type"]},"then":{"$ref":"#/$defs/task-node"}},{"if":{"properties":{"type":{"const":"deployment"}},"required":["type"]},"then":{"$ref":"#/$defs/deployment-node"}}]},"execution-node":{"x-what":"execution node","type":"object","additionalProperties":false,"x-unknown-keys":"error","required":["name","type","step"],"properties":{"name":{"type":"string"},"type":{"const":"execution"},"step":{"type":"string"},"override":{"$ref":"#/$defs/override"},"actions":{"type":"array","items":{"$ref":"#/$defs/node-action"}},"on-error":{"type":"string","enum":["stop-all","stop-next","continue","retry"]},"edge-merge-mode":{"type":"string","enum":["replace","append"]},"commit":{"type":"string"}}},"task-node":{"x-what":"task node","type":"object","additionalProperties":false,"x-unknown-keys":"error","required":["name","type"],"oneOf":[{"required":["step"]},{"required":["task"]}],"properties":{"name":{"type":"string"},"type":{"const":"task"},"step":{"type":"string"},"task":{"type":"string"},"override":{"$ref":"#/$defs/override"},"actions":{"type":"array","items":{"$ref":"#/$defs/node-action"}},"on-error":{"type":"string","enum":["stop-all","stop-next","continue","retry"]},"edge-merge-mode":{"type":"string","enum":["replace","append"]},"commit":{"type":"string"}},"x-messages":{"oneOf":"a task node needs exactly one of `step` or `task` (the name of a task blueprint)"}},"deployment-node":{"x-what":"deployment node","type":"object","additionalProperties":false,"x-unknown-keys":"error","required":["name","type","deployment"],"properties":{"name":{"type":"string"},"type":{"const":"deployment"},"deployment":{"type":"string"},"endpoints":{"type":"array","items":{"type":"string"}},"aliases":{"type":"array","items":{"type":"string"}},"actions":{"type":"array","items":{"$ref":"#/$defs/node-action"}},"on-error":{"type":"string","enum":["stop-all","stop-next","continue"]}}},"override":{"x-what":"override","type":"object","additionalProperties":false,"x-unknown-keys":"error","properties":{"image":{"type":"string"},"command":{"$ref":"#/$defs/string-or-strings"},"parameters":{"type":"array","items":{"$ref":"#/$defs/param-item"}},"inputs":{"type":"array","items":{"$ref":"#/$defs/input-item"}},"mounts":{"type":"array","items":{"$ref":"#/$defs/mount-item"}},"environment":{"type":"string"},"environment-variables":{"type":"array","items":{"$ref":"#/$defs/environment-variable-item"}},"runtime-config-preset":{"type":"string"}}},"node-action":{"x-what":"node action","type":"object","additionalProperties":false,"x-unknown-keys":"error","required":["when","then"],"properties":{"when":{"$ref":"#/$defs/string-or-strings"},"if":{"$ref":"#/$defs/string-or-strings"},"then":{"$ref":"#/$defs/string-or-strings"}}},"edge":{"x-what":"edge","type":["array","object"],"if":{"type":"array"},"then":{"minItems":2,"maxItems":2,"items":{"type":"string"},"x-messages":{"minItems":"malformed edge shorthand: write `[<source socket>, <target socket>]`, exactly 2 items","maxItems":"malformed edge shorthand: write `[<source socket>, <target socket>]`, exactly 2 items"}},"else":{"additionalProperties":false,"x-unknown-keys":"error","required":["source","target"],"properties":{"source":{"type":"string"},"target":{"type":"string"},"configuration":{"type":"object"}}}},"pipeline-param":{"x-what":"pipeline parameter","type":"object","additionalProperties":false,"x-unknown-keys":"error","required":["name"],"properties":{"name":{"type":"string"},"target":{"type":"string"},"targets":{"$ref":"#/$defs/string-or-strings"},"default":{},"description":{"type":"string"},"category":{"type":"string"}}},"task":{"x-what":"task","type":"object","additionalProperties":false,"x-unknown-keys":"warning","required":["name","step"],"anyOf":[{"required":["parameters"]},{"required":["parameter-sets"]}],"properties":{"name":{"type":"string"},"step":{"type":"string"},"type":{"type":"string"},"description":{"type":"string"},"parameters":{"type":"array","items":{"$ref":"#/$defs/variant-param"}},"parameter-sets":{"type":"array"},"engine":{"type":"string"},"execution-batch-size":{"type":"integer"},"execution-count":{"type":"integer"},"maximum-queued-executions":{"type":"integer"},"on-child-error":{"type":"string"},"optimization-target-metric":{"type":"string"},"optimization-target-value":{"type":"number"},"reuse-children":{"type":"boolean"},"stop-condition":{"type":"string"}},"x-messages":{"anyOf":"a task needs `parameters` or `parameter-sets`"}},"variant-param":{"x-what":"task parameter","type":"object","additionalProperties":false,"x-unknown-keys":"warning","required":["name","rules","style"],"properties":{"name":{"type":"string"},"style":{"type":"string","enum":["linear","logspace","multiple","random","single"]},"rules":{"type":"object","additionalProperties":false,"x-unknown-keys":"warning","properties":{"value":{},"start":{"type":"number"},"end":{"type":"number"},"step":{"type":"number"},"count":{"type":"number"},"base":{"type":"number"},"items":{"type":"array"},"min":{"type":"number"},"max":{"type":"number"},"distribution":{"type":"string"},"seed":{"type":"number"},"integerify":{"type":"boolean"},"numberify":{"type":"boolean"}}}}},"deployment":{"x-what":"deployment","type":"object","additionalProperties":false,"x-unknown-keys":"warning","required":["name"],"properties":{"name":{"type":"string"},"defaults":{"type":"object"}}},"goal":{"type":"string","enum":["max","min"]},"number-ish":{"type":["number","string"],"pattern":"^[-+]?(?:[0-9]+\\\\.?[0-9]*|\\\\.[0-9]+)(?:[eE][-+]?[0-9]+)?$","x-messages":{"pattern":"must be a number"}},"x-mlops":{"x-what":"x-mlops extension","type":"object","additionalProperties":false,"x-unknown-keys":"error","properties":{"runners":{"type":"object","additionalProperties":{"type":["string","array"],"minLength":1,"minItems":1,"items":{"type":"string","minLength":1}}},"containers":{"type":"string","enum":["host","container"]},"selection":{"type":"object","additionalProperties":false,"x-unknown-keys":"error","required":["metric"],"properties":{"metric":{"type":"string","minLength":1},"goal":{"$ref":"#/$defs/goal"},"tie-breakers":{"type":"array","items":{"type":"object","additionalProperties":false,"x-unknown-keys":"error","required":["metric"],"properties":{"metric":{"type":"string","minLength":1},"goal":{"$ref":"#/$defs/goal"}}}},"constraints":{"type":"array","items":{"type":"string"}},"min-absolute-improvement":{"$ref":"#/$defs/number-ish"},"min-relative-improvement":{"$ref":"#/$defs/number-ish"},"tolerance":{"$ref":"#/$defs/number-ish"}}},"deploy-targets":{"type":"object","additionalProperties":{"type":"object","required":["kind"],"properties":{"kind":{"type":"string","minLength":1}}}}}}}}');
;// CONCATENATED MODULE: ./build/pipeline/schema-check.js



let compiled;
function validator() {
    if (!compiled) {
        const ajv = new _2020.Ajv2020({ allErrors: true, verbose: true, strict: false });
        for (const keyword of ['x-unknown-keys', 'x-messages', 'x-what'])
            ajv.addKeyword({ keyword });
        compiled = ajv.compile(schema_namespaceObject);
    }
    return compiled;
}
function decodePointer(pointer) {
    if (pointer === '')
        return [];
    return pointer
        .slice(1)
        .split('/')
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
function valueAt(data, path) {
    let current = data;
    for (const segment of path) {
        if (current === null || typeof current !== 'object')
            return undefined;
        current = current[String(segment)];
    }
    return current;
}
/** Python-ish rendering of a value for messages: what the user wrote, as YAML read it. */
function describeValue(value) {
    if (value === null || value === undefined)
        return 'empty (null)';
    if (typeof value === 'string')
        return `the string "${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
    if (typeof value === 'boolean')
        return `the boolean ${value}`;
    if (typeof value === 'number')
        return `the number ${value}`;
    if (Array.isArray(value))
        return 'a list';
    return 'a mapping';
}
const TYPE_WORDS = {
    string: 'a string',
    array: 'a list',
    object: 'a mapping',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    null: 'empty',
};
/** `step "train"`, `pipeline "p"`…: the top-level item a path is in. */
function describeOwner(data, path) {
    const [index, kind, ...rest] = path;
    if (typeof index !== 'number' || typeof kind !== 'string')
        return { owner: 'the file', rest: [...path] };
    const item = valueAt(data, [index, kind]);
    const name = item && typeof item === 'object' ? item.name : undefined;
    const owner = typeof name === 'string' ? `${kind} "${name}"` : `${kind} #${index + 1}`;
    return { owner, rest };
}
function describeRest(data, path, rest) {
    let text = '';
    const offset = path.length - rest.length;
    rest.forEach((segment, i) => {
        if (typeof segment === 'number') {
            const element = valueAt(data, path.slice(0, offset + i + 1));
            const name = element && typeof element === 'object' ? element.name : undefined;
            text += typeof name === 'string' ? `[${segment}] ("${name}")` : `[${segment}]`;
        }
        else {
            text += text === '' ? segment : `.${segment}`;
        }
    });
    return text;
}
function where(data, path) {
    const { owner, rest } = describeOwner(data, path);
    const inner = describeRest(data, path, rest);
    return inner === '' ? owner : `${owner}, \`${inner}\``;
}
function unknownKeyHint(what, key, known) {
    const guess = (0,diagnostics/* didYouMean */.au)(key, known);
    if (guess)
        return guess;
    if ((what === 'execution node' || what === 'task node') && (key === 'parameters' || key === 'inputs')) {
        return `nodes have no \`${key}\`: put them under \`override:\`, or feed values with pipeline parameters and edges`;
    }
    if (what === 'override')
        return 'should it be nested under `parameters` or `inputs`?';
    if (what === 'pipeline parameter' && key === 'type') {
        return 'pipeline parameters take their type from the step parameters they target; remove `type`';
    }
    return known.length > 0 ? `known keys: ${known.join(', ')}` : undefined;
}
/** Drops the sub-errors of a failed oneOf/anyOf (the combined error says it better) and `if` noise. */
function relevantErrors(errors) {
    const combinators = errors
        .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
        .map((e) => `${e.schemaPath}/`);
    return errors.filter((e) => {
        if (e.keyword === 'if')
            return false;
        return !combinators.some((prefix) => e.schemaPath.startsWith(prefix));
    });
}
function checkSchema(data, source, sink) {
    const validate = validator();
    if (validate(data))
        return;
    const seen = new Set();
    for (const error of relevantErrors(validate.errors ?? [])) {
        const path = decodePointer(error.instancePath);
        const parent = (error.parentSchema ?? {});
        const custom = parent['x-messages']?.[error.keyword];
        const value = valueAt(data, path);
        const at = where(data, path);
        let position = source.position(path);
        let message;
        let hint;
        let severity = 'error';
        let code = 'schema';
        const params = error.params;
        switch (error.keyword) {
            case 'additionalProperties': {
                const key = String(params.additionalProperty);
                position = source.keyPosition(path, key);
                severity = parent['x-unknown-keys'] === 'warning' ? 'warning' : 'error';
                code = 'unknown-key';
                const what = parent['x-what'];
                message = `${at}: unknown key \`${key}\`${what ? ` in ${what === 'x-mlops extension' ? 'the x-mlops extension' : `a ${what}`}` : ''}`;
                hint = unknownKeyHint(what, key, Object.keys(parent.properties ?? {}));
                if (severity === 'warning')
                    message += ' (ignored)';
                break;
            }
            case 'required': {
                const missing = String(params.missingProperty);
                position = source.position(path, 'key');
                code = 'missing-key';
                message = `${at}: missing required key \`${missing}\``;
                break;
            }
            case 'type': {
                const expected = String(params.type)
                    .split(',')
                    .map((t) => TYPE_WORDS[t] ?? t)
                    .join(' or ');
                code = 'wrong-type';
                message = `${at} must be ${expected}, not ${describeValue(value)}`;
                if (value === null && String(params.type).includes('object')) {
                    hint = 'the file is valid YAML, but check the indentation: keys meant to be inside may be at the same level';
                }
                else if (typeof value === 'boolean') {
                    hint = 'YAML 1.1 reads yes/no/on/off/true/false as booleans; quote the value';
                }
                else if (typeof value === 'string' && String(params.type).includes('number')) {
                    hint = 'write a plain number without quotes (YAML 1.1 needs a `.` in floats, e.g. `1.0e-4` is still text; use `0.0001`)';
                }
                break;
            }
            case 'enum': {
                const allowed = params.allowedValues.map((v) => String(v));
                code = 'invalid-value';
                message = `${at} must be one of ${allowed.map((v) => `\`${v}\``).join(', ')}, not ${describeValue(value)}`;
                hint = typeof value === 'string' ? (0,diagnostics/* didYouMean */.au)(value, allowed) : undefined;
                break;
            }
            case 'const':
                code = 'invalid-value';
                message = `${at} must be \`${String(params.allowedValue)}\``;
                break;
            case 'pattern':
                code = 'invalid-value';
                message = `${at}: ${custom ?? `${describeValue(value)} does not match \`${String(params.pattern)}\``}${custom ? ` (got "${String(value)}")` : ''}`;
                break;
            case 'maxLength':
                code = 'too-long';
                message = `${at} is too long: ${typeof value === 'string' ? value.length : '?'} characters, at most ${String(params.limit)} allowed`;
                break;
            case 'minLength':
                code = 'too-short';
                message = `${at} must not be empty`;
                break;
            case 'minimum':
            case 'maximum':
                code = 'out-of-range';
                message = `${at} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}, not ${String(value)}`;
                break;
            case 'minItems':
            case 'maxItems':
                code = path.includes('edges') ? 'edge-shorthand' : 'item-count';
                message = `${at}: ${custom ?? `must have ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`}`;
                break;
            case 'oneOf':
            case 'anyOf':
                code = 'schema';
                message = `${at}: ${custom ?? 'is not valid here'}`;
                position = source.position(path, 'key');
                break;
            default:
                message = `${at}: ${error.message ?? 'is not valid'}`;
        }
        const dedupeKey = `${position.line}:${position.col}:${message}`;
        if (seen.has(dedupeKey))
            continue;
        seen.add(dedupeKey);
        sink.add(severity, code, position, message, hint);
    }
}

// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __webpack_require__(4006);
// EXTERNAL MODULE: ./build/pipeline/expression.js
var expression = __webpack_require__(4129);
// EXTERNAL MODULE: ./build/pipeline/graph.js
var graph = __webpack_require__(7095);
// EXTERNAL MODULE: ./build/pipeline/override.js
var override = __webpack_require__(987);
;// CONCATENATED MODULE: ./build/pipeline/yaml-dialect.js

/**
 * Tags that make the `yaml` package (YAML 1.1 mode) read scalars the way PyYAML's `safe_load` does,
 * which is what valohai-yaml uses (FORMAT §1.1).
 */
const FLOAT_TAG = 'tag:yaml.org,2002:float';
const BOOL_TAG = 'tag:yaml.org,2002:bool';
const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';
/** Marks scalars PyYAML would read as a date/datetime; we keep their text (see `pyTimestamp`). */
const TIMESTAMP_FORMAT = 'PY-TIMESTAMP';
/** PyYAML's float resolver: a `.` is required and an exponent needs a sign, so `1e-4` is no float. */
const pyFloat = {
    identify: (value) => typeof value === 'number',
    default: true,
    tag: FLOAT_TAG,
    test: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
    resolve(text) {
        const clean = text.replace(/_/g, '');
        const lower = clean.toLowerCase();
        let value;
        if (lower.endsWith('.nan'))
            value = NaN;
        else if (lower.endsWith('.inf'))
            value = clean.startsWith('-') ? -Infinity : Infinity;
        else
            value = Number.parseFloat(clean);
        const node = new dist/* Scalar */.X5(value);
        // Keep "this was written as a float" for Python-style rendering (`20.0` stays `20.0`).
        const dot = clean.indexOf('.');
        if (dot !== -1)
            node.minFractionDigits = Math.max(1, clean.slice(dot + 1).replace(/[eE].*$/, '').length);
        return node;
    },
};
const pyTrue = {
    identify: (value) => value === true,
    default: true,
    tag: BOOL_TAG,
    test: /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/,
    resolve: () => true,
};
const pyFalse = {
    identify: (value) => value === false,
    default: true,
    tag: BOOL_TAG,
    test: /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
    resolve: () => false,
};
/** PyYAML turns these into `datetime`; we keep the text but remember what PyYAML would have done. */
const pyTimestamp = {
    identify: () => false,
    default: true,
    tag: TIMESTAMP_TAG,
    format: TIMESTAMP_FORMAT,
    test: /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
    resolve: (text) => text,
};
function isReplaced(tag) {
    if (typeof tag !== 'object' || !('tag' in tag))
        return false;
    if (tag.tag === TIMESTAMP_TAG || tag.tag === BOOL_TAG)
        return true;
    // Keep the sexagesimal float (`1:30.5`), which PyYAML also reads; replace the others.
    return tag.tag === FLOAT_TAG && tag.format !== 'TIME';
}
/** `customTags` for `parseDocument` with `version: '1.1'`. */
function pyYamlTags(tags) {
    return [...tags.filter((tag) => !isReplaced(tag)), pyTrue, pyFalse, pyFloat, pyTimestamp];
}

;// CONCATENATED MODULE: ./build/pipeline/semantic.js








/**
 * Checks the schema cannot express: references between items, graph shape, parameter defaults,
 * expressions. Severities follow valohai-yaml's linter (FORMAT §2–§4): what it rejects is an error,
 * what it warns about is a warning; checks it lacks are warnings unless running would surely fail.
 */
const WELL_KNOWN_WHEN = new Set(['node-starting', 'node-complete', 'node-error']);
// `require-approval` is documented by Valohai and used by real files, though valohai-yaml warns on it.
const WELL_KNOWN_THEN = new Set(['noop', 'stop-pipeline', 'error-pipeline', 'require-approval']);
const SOURCE_TYPES = new Set(['output', 'input', 'parameter', 'metadata', 'deployment', 'environment-variable', 'dependency']);
const TARGET_TYPES = new Set(['input', 'parameter', 'file', 'environment-variable', 'dependency']);
class SemanticChecker {
    config;
    origins;
    source;
    sink;
    constructor(config, origins, source, sink) {
        this.config = config;
        this.origins = origins;
        this.source = source;
        this.sink = sink;
    }
    /** Position of `field` inside a model object (falls back to the object itself). */
    at(object, ...field) {
        const path = this.origins.get(object);
        if (!path)
            return 'position' in object ? object.position : { file: this.source.file, line: 1, col: 1 };
        return this.source.position([...path, ...field]);
    }
    run() {
        for (const step of this.config.steps.values())
            this.step(step);
        for (const task of this.config.tasks.values())
            this.task(task);
        for (const pipeline of this.config.pipelines.values())
            this.pipeline(pipeline);
        this.mlops();
    }
    step(step) {
        const preset = step.extra['runtime-config-preset'];
        if (typeof preset === 'string' && step.environment === undefined) {
            this.sink.error('preset-without-environment', this.at(step, 'runtime-config-preset'), `Step "${step.name}", missing "environment". When specifying a runtime config preset, you must also specify an environment.`, 'add `environment: <environment slug>` to the step');
        }
        this.duplicates(step.parameters, (p) => `Step ${step.name}: parameter "${p.name}" is declared twice; the last one wins`);
        this.duplicates(step.inputs, (i) => `Step ${step.name}: input "${i.name}" is declared twice; the last one wins`);
        for (const parameter of step.parameters)
            this.parameter(step.name, parameter);
        if (step.stopCondition !== undefined)
            this.expression(step, 'stop-condition', step.stopCondition, `Step ${step.name}`);
    }
    duplicates(items, message) {
        const seen = new Set();
        for (const item of items) {
            if (seen.has(item.name))
                this.sink.warning('duplicate-name', this.at(item, 'name'), message(item));
            seen.add(item.name);
        }
    }
    expression(owner, field, text, context) {
        const problem = (0,expression/* checkExpression */.l4)(text);
        if (!problem)
            return;
        this.sink.error('bad-expression', this.at(owner, field), `${context}: \`${field}\` "${text}" is not a valid expression: ${problem}`, 'write comparisons like `metric > 0.9`, combined with `and`/`or`; quote strings');
    }
    parameter(stepName, parameter) {
        const context = `Step ${stepName}, parameter ${parameter.name}`;
        const path = this.origins.get(parameter) ?? [];
        if (parameter.type === 'flag' && this.source.has([...path, 'optional'])) {
            this.sink.warning('flag-optional', this.at(parameter, 'optional'), `${context}: \`optional\` has no effect on flag-type parameters`, 'remove `optional`; flags are always optional');
        }
        if (parameter.type !== 'flag' && (parameter.passTrueAs !== undefined || parameter.passFalseAs !== undefined)) {
            this.sink.warning('pass-true-as-non-flag', this.at(parameter, parameter.passTrueAs !== undefined ? 'pass-true-as' : 'pass-false-as'), `${context}: \`pass-true-as\`/\`pass-false-as\` only apply to flags`, 'set `type: flag` or use `pass-as`');
        }
        if (parameter.type === 'flag' && parameter.passAs !== undefined && (parameter.passTrueAs !== undefined || parameter.passFalseAs !== undefined)) {
            this.sink.warning('pass-as-ignored', this.at(parameter, 'pass-as'), `${context}: \`pass-as\` is ignored when \`pass-true-as\` or \`pass-false-as\` is set`, 'remove `pass-as`');
        }
        if (parameter.type === 'flag' && parameter.multiple !== 'none') {
            this.sink.error('flag-multiple', this.at(parameter, 'multiple'), `${context}: flag parameters cannot be \`multiple\``, 'remove `multiple` or change the type');
        }
        if (parameter.default === undefined || parameter.default === null)
            return;
        const scalar = this.source.scalarAt([...path, 'default']);
        if (scalar?.format === TIMESTAMP_FORMAT && parameter.type === 'string') {
            this.sink.warning('default-type', this.at(parameter, 'default'), `${context}: default \`default\` value ${String(parameter.default)} is not a string (PyYAML and so Valohai read it as a date/time)`, `quote it: default: "${String(parameter.default)}"`);
            return;
        }
        const values = parameter.multiple !== 'none' && Array.isArray(parameter.default) ? parameter.default : [parameter.default];
        for (const value of values) {
            const problem = defaultProblem(parameter, value);
            if (problem) {
                this.sink.warning('default-invalid', this.at(parameter, 'default'), `${context}: ${problem.message}`, problem.hint);
                return;
            }
        }
    }
    task(task) {
        const step = this.config.steps.get(task.step);
        if (!step) {
            this.sink.warning('unknown-step', this.at(task, 'step'), `Task "${task.name}": step "${task.step}" does not exist`, (0,diagnostics/* didYouMean */.au)(task.step, this.config.steps.keys()) ?? 'a task blueprint runs a step declared in this file');
        }
        else {
            for (const variant of task.parameters) {
                if (!step.parameters.some((p) => p.name === variant.name)) {
                    const index = task.parameters.indexOf(variant);
                    this.sink.warning('unknown-parameter', this.at(task, 'parameters', index, 'name'), `Task "${task.name}": parameter "${variant.name}" does not exist in step "${step.name}"`, (0,diagnostics/* didYouMean */.au)(variant.name, step.parameters.map((p) => p.name)));
                }
            }
        }
        const path = this.origins.get(task) ?? [];
        const has = (key) => this.source.has([...path, key]);
        if (has('parameter-sets') && task.type !== 'manual_search') {
            this.sink.warning('task-parameter-sets', this.at(task, 'parameter-sets'), `Task "${task.name}": Parameter sets only make sense with manual search`, 'set `type: manual_search` or remove `parameter-sets`');
        }
        for (const key of ['optimization-target-metric', 'optimization-target-value', 'engine']) {
            if (has(key) && task.type !== 'bayesian_tpe') {
                this.sink.warning('task-bayesian-only', this.at(task, key), `Task "${task.name}": ${key.replace(/-/g, '_')} only makes sense for Bayesian TPE tasks`, 'set `type: bayesian_tpe` or remove it');
            }
        }
        const stopCondition = this.source.locate([...path, 'stop-condition']).value;
        if ((0,dist/* isScalar */.jn)(stopCondition) && typeof stopCondition.value === 'string') {
            this.expression(task, 'stop-condition', stopCondition.value, `Task ${task.name}`);
        }
    }
    /** The step a node runs, or undefined (reported) when it does not exist. */
    nodeStep(pipeline, node) {
        if (node.type === 'deployment')
            return undefined;
        const prefix = `Pipeline "${pipeline.name}" node "${node.name}"`;
        let stepName = node.step;
        if (node.type === 'task' && node.task !== undefined) {
            const blueprint = this.config.tasks.get(node.task);
            if (!blueprint) {
                this.sink.error('unknown-task', this.at(node, 'task'), `${prefix} task "${node.task}" does not exist`, (0,diagnostics/* didYouMean */.au)(node.task, this.config.tasks.keys()) ?? 'declare it as a top-level `- task:` item');
                return undefined;
            }
            stepName = blueprint.step;
        }
        const step = this.config.steps.get(stepName);
        if (!step) {
            if (node.commit !== undefined)
                return undefined; // The step lives in another commit or a library.
            this.sink.error('unknown-step', this.at(node, node.type === 'task' && node.task !== undefined ? 'task' : 'step'), `${prefix} step "${stepName}" does not exist`, (0,diagnostics/* didYouMean */.au)(stepName, this.config.steps.keys()) ?? `declared steps: ${[...this.config.steps.keys()].join(', ') || 'none'}`);
        }
        return step;
    }
    pipeline(pipeline) {
        const prefix = `Pipeline "${pipeline.name}"`;
        const nodes = new Map();
        for (const node of pipeline.nodes) {
            if (node.name.includes('.')) {
                this.sink.warning('dotted-node-name', this.at(node, 'name'), `${prefix} node "${node.name}": a name with a dot cannot be used in edges (\`<node>.<type>.<key>\` splits on the first dots)`, `rename it, e.g. "${node.name.replace(/\./g, '-')}"`);
            }
            if (nodes.has(node.name)) {
                this.sink.error('duplicate-node', this.at(node, 'name'), `${prefix} has more than one node named "${node.name}"`, 'node names must be unique within a pipeline');
            }
            else {
                nodes.set(node.name, node);
            }
        }
        if (pipeline.nodes.length === 0)
            this.sink.warning('empty-pipeline', this.at(pipeline, 'nodes'), `${prefix} has no nodes`);
        // The step each node runs, with its override applied.
        const effective = new Map();
        for (const node of nodes.values()) {
            this.actions(pipeline, node);
            if (node.type === 'deployment') {
                this.deploymentNode(pipeline, node);
                continue;
            }
            const step = this.nodeStep(pipeline, node);
            if (!step)
                continue;
            if (node.override)
                this.override(pipeline, node, step);
            effective.set(node.name, (0,override/* applyOverride */.T)(step, node.override));
        }
        this.edges(pipeline, nodes, effective);
        this.pipelineParameters(pipeline, nodes, effective);
        const upstream = (0,graph/* dependencies */.El)(pipeline);
        const cycle = (0,graph/* findCycle */.u8)(upstream);
        if (cycle) {
            const first = pipeline.edges.find((e) => e.source.node === cycle[cycle.length - 2] && e.target.node === cycle[cycle.length - 1]);
            this.sink.error('cycle', first ? first.position : pipeline.position, `${prefix} has a cycle: ${cycle.join(' -> ')}`, 'remove one of these edges; a pipeline must be a DAG');
        }
        if (pipeline.nodes.length > 0 && [...upstream.values()].every((deps) => deps.size > 0)) {
            this.sink.error('no-entry-node', this.at(pipeline, 'nodes'), `${prefix} has no entry node: every node waits for another, so nothing can start`, 'at least one node must have no incoming edges');
        }
    }
    actions(pipeline, node) {
        for (const action of node.actions) {
            const unknownWhen = action.when.filter((w) => !WELL_KNOWN_WHEN.has(w));
            if (unknownWhen.length > 0) {
                this.sink.warning('unknown-when', this.at(action, 'when'), `Pipeline "${pipeline.name}" node "${node.name}": "when" value ${unknownWhen.join(', ')} is not well-known; the action might never run`, (0,diagnostics/* didYouMean */.au)(unknownWhen[0] ?? '', WELL_KNOWN_WHEN) ?? `well-known: ${[...WELL_KNOWN_WHEN].join(', ')}`);
            }
            const unknownThen = action.then.filter((t) => !WELL_KNOWN_THEN.has(t));
            if (unknownThen.length > 0) {
                this.sink.warning('unknown-then', this.at(action, 'then'), `Pipeline "${pipeline.name}" node "${node.name}": "then" value ${unknownThen.join(', ')} is not well-known; the action might do nothing`, (0,diagnostics/* didYouMean */.au)(unknownThen[0] ?? '', WELL_KNOWN_THEN) ?? `well-known: ${[...WELL_KNOWN_THEN].join(', ')}`);
            }
        }
    }
    deploymentNode(pipeline, node) {
        node.endpoints.forEach((endpoint, index) => {
            if (!this.config.endpoints.has(endpoint)) {
                this.sink.error('unknown-endpoint', this.at(node, 'endpoints', index), `Pipeline "${pipeline.name}" node "${node.name}": endpoint "${endpoint}" does not exist`, (0,diagnostics/* didYouMean */.au)(endpoint, this.config.endpoints.keys()) ?? 'declare it as a top-level `- endpoint:` item');
            }
        });
    }
    override(pipeline, node, step) {
        if (node.type === 'deployment' || !node.override)
            return;
        const prefix = `Pipeline "${pipeline.name}" node "${node.name}" step "${step.name}"`;
        const override = node.override;
        override.inputs?.forEach((input, index) => {
            if (!step.inputs.some((i) => i.name === input.name)) {
                this.sink.error('unknown-input', this.at(override, 'inputs', index, 'name'), `${prefix}: input ${input.name} does not exist in step`, (0,diagnostics/* didYouMean */.au)(input.name, step.inputs.map((i) => i.name)) ?? 'an override can only change inputs the step declares');
            }
        });
        override.parameters?.forEach((parameter, index) => {
            if (!step.parameters.some((p) => p.name === parameter.name)) {
                this.sink.error('unknown-parameter', this.at(override, 'parameters', index, 'name'), `${prefix}: parameter ${parameter.name} does not exist in step`, (0,diagnostics/* didYouMean */.au)(parameter.name, step.parameters.map((p) => p.name)) ?? 'an override can only change parameters the step declares');
            }
            else {
                this.parameter(`${step.name} (node ${node.name})`, parameter);
            }
        });
        if (override.runtimeConfigPreset !== undefined && override.environment === undefined) {
            this.sink.error('preset-without-environment', this.at(override, 'runtime-config-preset'), `Pipeline "${pipeline.name}" node "${node.name}" step "${step.name}": missing "environment". When specifying a runtime config preset, you must also specify an environment.`, 'add `environment:` to the same override');
        }
    }
    edges(pipeline, nodes, effective) {
        const filledParameters = new Map();
        for (const edge of pipeline.edges) {
            const shorthand = this.isList(edge);
            const sourceField = shorthand ? 0 : 'source';
            const targetField = shorthand ? 1 : 'target';
            const between = `(between ${edge.source.node} and ${edge.target.node})`;
            let ok = true;
            for (const [socket, field, role] of [[edge.source, sourceField, 'source'], [edge.target, targetField, 'target']]) {
                if (!nodes.has(socket.node)) {
                    ok = false;
                    this.sink.error('unknown-node', this.at(edge, field), `Pipeline "${pipeline.name}" edge ${role} node "${socket.node}" does not exist ${between}`, (0,diagnostics/* didYouMean */.au)(socket.node, nodes.keys()) ?? `nodes: ${[...nodes.keys()].join(', ')}`);
                }
            }
            if (!SOURCE_TYPES.has(edge.source.type)) {
                this.sink.warning('edge-direction', this.at(edge, sourceField), `Pipeline "${pipeline.name}" edge source type ${edge.source.type} ${between} cannot provide data`, `sources are ${[...SOURCE_TYPES].join(', ')}`);
            }
            if (!TARGET_TYPES.has(edge.target.type)) {
                this.sink.warning('edge-direction', this.at(edge, targetField), `Pipeline "${pipeline.name}" edge target type ${edge.target.type} ${between} cannot receive data`, `targets are ${[...TARGET_TYPES].join(', ')}`);
            }
            const globProblem = badGlob(edge.source.key);
            if (globProblem)
                this.sink.error('bad-glob', this.at(edge, sourceField), `Pipeline "${pipeline.name}" edge source key \`${edge.source.key}\`: ${globProblem}`, 'write a path or glob relative to /valohai/outputs, e.g. `model/*.pkl`');
            const targetGlobProblem = edge.target.type === 'input' || edge.target.type === 'parameter' ? badGlob(edge.target.key) : undefined;
            if (targetGlobProblem)
                this.sink.error('bad-glob', this.at(edge, targetField), `Pipeline "${pipeline.name}" edge target key \`${edge.target.key}\`: ${targetGlobProblem}`);
            if (!ok)
                continue;
            // valohai-yaml does not check edge keys (FORMAT §3 "Not checked"): these are warnings.
            const targetStep = effective.get(edge.target.node);
            if (targetStep && edge.target.type === 'input' && !targetStep.inputs.some((i) => i.name === edge.target.key)) {
                this.sink.warning('undeclared-input', this.at(edge, targetField), `Pipeline "${pipeline.name}" edge target ${formatSocket(edge.target)}: step "${targetStep.name}" has no input "${edge.target.key}"`, (0,diagnostics/* didYouMean */.au)(edge.target.key, targetStep.inputs.map((i) => i.name)) ?? 'declare the input in the step, or the files arrive in an input nobody reads');
            }
            if (targetStep && edge.target.type === 'parameter') {
                // Valohai's own examples feed undeclared parameters, so only a likely typo is worth a warning.
                const guess = targetStep.parameters.some((p) => p.name === edge.target.key) ? undefined : (0,diagnostics/* didYouMean */.au)(edge.target.key, targetStep.parameters.map((p) => p.name));
                if (guess) {
                    this.sink.warning('undeclared-parameter', this.at(edge, targetField), `Pipeline "${pipeline.name}" edge target ${formatSocket(edge.target)}: step "${targetStep.name}" has no parameter "${edge.target.key}"`, guess);
                }
                const key = `${edge.target.node}\u0000${edge.target.key}`;
                const count = (filledParameters.get(key) ?? 0) + 1;
                filledParameters.set(key, count);
                if (count === 2) {
                    this.sink.warning('parameter-filled-twice', this.at(edge, targetField), `Pipeline "${pipeline.name}": parameter ${formatSocket(edge.target)} is filled by more than one edge; only one value can win`, 'keep one edge per target parameter');
                }
            }
            const sourceStep = effective.get(edge.source.node);
            const sourceGuess = sourceStep && edge.source.type === 'parameter' && !sourceStep.parameters.some((p) => p.name === edge.source.key) ? (0,diagnostics/* didYouMean */.au)(edge.source.key, sourceStep.parameters.map((p) => p.name)) : undefined;
            if (sourceStep && sourceGuess) {
                this.sink.warning('undeclared-parameter', this.at(edge, sourceField), `Pipeline "${pipeline.name}" edge source ${formatSocket(edge.source)}: step "${sourceStep.name}" has no parameter "${edge.source.key}"`, sourceGuess);
            }
            const targetNode = nodes.get(edge.target.node);
            if (edge.target.type === 'file' && targetNode?.type === 'deployment') {
                const endpointName = edge.target.key.split('.')[0] ?? '';
                if (!targetNode.endpoints.includes(endpointName)) {
                    this.sink.warning('unknown-endpoint', this.at(edge, targetField), `Pipeline "${pipeline.name}" edge target ${formatSocket(edge.target)}: endpoint "${endpointName}" is not among node "${targetNode.name}"'s endpoints`, 'write `<deployment node>.file.<endpoint>.<file name>`');
                }
            }
            else if (edge.target.type === 'file') {
                this.sink.warning('edge-direction', this.at(edge, targetField), `Pipeline "${pipeline.name}" edge target ${formatSocket(edge.target)}: \`file\` targets are for deployment nodes`);
            }
            const sourceNode = nodes.get(edge.source.node);
            if (edge.source.type === 'deployment' && sourceNode?.type !== 'deployment') {
                this.sink.warning('edge-direction', this.at(edge, sourceField), `Pipeline "${pipeline.name}" edge source ${formatSocket(edge.source)}: \`deployment\` sources must be deployment nodes`);
            }
        }
    }
    /** Whether the YAML at the object's (or its field's) path is a list. */
    isList(object, ...field) {
        const path = this.origins.get(object);
        return path !== undefined && (0,dist/* isSeq */.oP)(this.source.locate([...path, ...field]).value);
    }
    pipelineParameters(pipeline, nodes, effective) {
        for (const parameter of pipeline.parameters) {
            const prefix = `Pipeline "${pipeline.name}" parameter "${parameter.name}"`;
            if (parameter.targets.length === 0) {
                this.sink.warning('no-targets', this.at(parameter, 'name'), `${prefix}: no targets.`, 'add `targets: [<node>.parameter.<name>]`, or remove the parameter');
            }
            const path = this.origins.get(parameter) ?? [];
            const field = this.source.has([...path, 'targets']) ? 'targets' : 'target';
            parameter.targets.forEach((target, index) => {
                const at = this.isList(parameter, field) ? this.at(parameter, field, index) : this.at(parameter, field);
                if (target.type !== 'parameter') {
                    this.sink.error('bad-target', at, `${prefix}: target ${formatSocket(target)} is not a parameter`, 'pipeline parameters target `<node>.parameter.<name>`');
                    return;
                }
                const node = nodes.get(target.node);
                if (!node) {
                    this.sink.error('unknown-node', at, `${prefix}: target node "${target.node}" does not exist`, (0,diagnostics/* didYouMean */.au)(target.node, nodes.keys()));
                    return;
                }
                const step = effective.get(target.node);
                if (node.type === 'execution' && step && !step.parameters.some((p) => p.name === target.key)) {
                    this.sink.error('unknown-parameter', at, `${prefix}: parameter ${target.key} does not exist in step "${step.name}" of node "${node.name}"`, (0,diagnostics/* didYouMean */.au)(target.key, step.parameters.map((p) => p.name)));
                }
            });
        }
    }
    mlops() {
        const mlops = this.config.mlops;
        const deploymentNames = new Set();
        for (const pipeline of this.config.pipelines.values()) {
            for (const node of pipeline.nodes)
                if (node.type === 'deployment')
                    deploymentNames.add(node.deployment);
        }
        for (const name of this.config.deployments.keys())
            deploymentNames.add(name);
        for (const name of Object.keys(mlops.deployTargets)) {
            if (!deploymentNames.has(name)) {
                const guess = (0,diagnostics/* closestMatch */.h0)(name, deploymentNames);
                this.sink.warning('unused-deploy-target', this.at(mlops, 'deploy-targets', name), `x-mlops deploy target "${name}" matches no deployment in this file`, guess ? `did you mean \`${guess}\`?` : 'keys of `deploy-targets` are deployment names used by deployment nodes');
            }
        }
        const environments = new Set([...this.config.steps.values()].map((s) => s.environment).filter((e) => e !== undefined));
        for (const name of Object.keys(mlops.runners)) {
            if (name !== 'default' && environments.size > 0 && !environments.has(name)) {
                const guess = (0,diagnostics/* closestMatch */.h0)(name, environments);
                if (guess)
                    this.sink.warning('unused-runner', this.at(mlops, 'runners', name), `x-mlops runner "${name}" matches no step environment`, `did you mean \`${guess}\`?`);
            }
        }
        if (mlops.selection) {
            mlops.selection.constraints.forEach((constraint, index) => {
                const problem = (0,expression/* checkExpression */.l4)(constraint);
                if (problem)
                    this.sink.error('bad-expression', this.at(mlops, 'selection', 'constraints', index), `x-mlops selection constraint "${constraint}" is not a valid expression: ${problem}`, 'write e.g. `accuracy >= 0.9`');
            });
        }
    }
}
/** Why a default does not fit its parameter, mirroring valohai-yaml's value validation. */
function defaultProblem(parameter, value) {
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    switch (parameter.type) {
        case 'string':
            if (typeof value !== 'string') {
                return { message: `default \`default\` value ${shown} is not a string (got ${Array.isArray(value) ? 'a list' : typeof value})`, hint: `quote it (\`"${shown}"\`) or set the parameter's \`type\`` };
            }
            break;
        case 'integer': {
            // Python's int(str(v), 10).
            const text = typeof value === 'number' || typeof value === 'string' ? String(value).trim() : undefined;
            if (text === undefined || !/^[-+]?\d+$/.test(text.replace(/_/g, '')))
                return { message: `default ${shown} is not an integer` };
            break;
        }
        case 'float': {
            const text = typeof value === 'number' || typeof value === 'string' ? String(value).trim() : undefined;
            if (text === undefined || !/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$|^[-+]?(?:inf|infinity|nan)$/i.test(text))
                return { message: `default ${shown} is not a float` };
            break;
        }
        case 'flag':
            if (typeof value !== 'boolean')
                return { message: `default ${shown} is not a boolean`, hint: 'flags take true or false' };
            return undefined;
    }
    if ((parameter.type === 'integer' || parameter.type === 'float') && (typeof value === 'number' || typeof value === 'string')) {
        const number = Number(value);
        if (parameter.min !== undefined && number < parameter.min)
            return { message: `default ${shown} is less than the minimum allowed (${parameter.min})` };
        if (parameter.max !== undefined && number > parameter.max)
            return { message: `default ${shown} is greater than the maximum allowed (${parameter.max})` };
    }
    if (parameter.choices && !parameter.choices.some((choice) => choice === value || (typeof choice === 'number' && typeof value === 'number' && choice === value))) {
        return { message: `default ${shown} is not among the choices (${parameter.choices.map((c) => JSON.stringify(c)).join(', ')})` };
    }
    return undefined;
}
/** A reason the text is not a usable glob, or undefined. */
function badGlob(key) {
    if (key === '')
        return 'the key is empty';
    if (key.startsWith('/'))
        return 'keys are relative to the outputs folder and cannot start with `/`';
    if (key.split('/').includes('..'))
        return '`..` would leave the outputs folder';
    let brackets = 0;
    let braces = 0;
    for (let i = 0; i < key.length; i++) {
        const ch = key[i];
        if (ch === '\\')
            i++;
        else if (ch === '[')
            brackets++;
        else if (ch === ']')
            brackets = Math.max(0, brackets - 1);
        else if (ch === '{')
            braces++;
        else if (ch === '}')
            braces--;
        if (braces < 0)
            return 'a `}` has no matching `{`';
    }
    if (brackets > 0)
        return 'a `[` is never closed';
    if (braces > 0)
        return 'a `{` is never closed';
    try {
        picomatch.makeRe(key);
    }
    catch (error) {
        return `invalid glob (${error instanceof Error ? error.message : String(error)})`;
    }
    return undefined;
}
function checkSemantics(config, origins, source, sink) {
    new SemanticChecker(config, origins, source, sink).run();
}

;// CONCATENATED MODULE: ./build/pipeline/source.js

/** The text a mapping key turns into in the loaded data (the `yaml` package's own rule). */
function keyText(key) {
    if ((0,dist/* isScalar */.jn)(key))
        return String(key.value);
    return String(key);
}
/**
 * Maps data paths (as in ajv's instancePath) back to YAML nodes and 1-based line:col positions.
 * Duplicate keys resolve to the last one, matching the loaded data (last wins, like PyYAML).
 */
class SourceMap {
    doc;
    lines;
    file;
    constructor(doc, lines, file) {
        this.doc = doc;
        this.lines = lines;
        this.file = file;
    }
    locate(path) {
        let value = (this.doc.contents ?? undefined);
        let key;
        for (const segment of path) {
            value = this.deref(value);
            if ((0,dist/* isMap */.jh)(value)) {
                const pair = value.items.findLast((candidate) => keyText(candidate.key) === String(segment));
                if (!pair)
                    return { value, key, found: false };
                key = (0,dist/* isPair */.tO)(pair) && pair.key && typeof pair.key === 'object' ? pair.key : undefined;
                value = (pair.value ?? undefined);
                // `key:` with nothing after it: the key is the best place to point at.
                if (!value)
                    return { key, value: undefined, found: segment === path[path.length - 1] };
            }
            else if ((0,dist/* isSeq */.oP)(value)) {
                const index = typeof segment === 'number' ? segment : Number(segment);
                const item = value.items[index];
                if (!item || typeof item !== 'object')
                    return { value, key, found: false };
                key = undefined;
                value = item;
            }
            else {
                return { value, key, found: false };
            }
        }
        return { value: this.deref(value), key, found: true };
    }
    deref(node) {
        if (node && (0,dist/* isAlias */.Vj)(node)) {
            const target = node.resolve(this.doc);
            return (target ?? node);
        }
        return node;
    }
    has(path) {
        return this.locate(path).found;
    }
    /** Position of the value at `path`; falls back to its key, then to the nearest enclosing node. */
    position(path, prefer = 'value') {
        const { value, key } = this.locate(path);
        const emptyValue = value && (0,dist/* isScalar */.jn)(value) && value.value === null && (value.source ?? '') === '';
        const node = prefer === 'key' ? (key ?? value) : emptyValue ? (key ?? value) : (value ?? key);
        return this.at(node?.range?.[0] ?? 0);
    }
    /** Position of a mapping key named `name` inside the object at `path` (for unknown keys). */
    keyPosition(path, name) {
        return this.position([...path, name], 'key');
    }
    at(offset) {
        const { line, col } = this.lines.linePos(offset);
        return { file: this.file, line: Math.max(1, line), col: Math.max(1, col) };
    }
    /** The YAML node at `path`, if it is a scalar: lets checks see how a value was written. */
    scalarAt(path) {
        const { value } = this.locate(path);
        if (!value || !(0,dist/* isScalar */.jn)(value))
            return undefined;
        const result = {};
        if (value.source !== undefined)
            result.source = value.source;
        if (value.type !== undefined)
            result.type = value.type;
        if (value.format !== undefined)
            result.format = value.format;
        return result;
    }
}

;// CONCATENATED MODULE: ./build/pipeline/load.js








/** 50× the largest known valohai.yaml (~10 KB). The `yaml` parser reads ~1 MB/s, so this keeps any load well under a second. */
const MAX_FILE_BYTES = 512 * 1024;
/** Deeper than any sensible pipeline file; stops pathological nesting before recursion does. */
const MAX_NESTING_DEPTH = 64;
function positionOfOffset(text, offset, file) {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < text.length; i++) {
        if (text.charCodeAt(i) === 10) {
            line++;
            lineStart = i + 1;
        }
    }
    return { file, line, col: offset - lineStart + 1 };
}
/** Index of the first control character YAML forbids (or a U+FFFD from a lossy decode), or -1. */
function firstBinaryChar(text) {
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0b && code !== 0x0c) || code === 0xfffd)
            return i;
    }
    return -1;
}
/** Nesting depth of flow collections, counted cheaply before parsing (block nesting is bounded by indentation). */
function flowDepthProblem(text) {
    let depth = 0;
    let quote;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quote) {
            if (ch === quote)
                quote = undefined;
            else if (ch === '\n')
                quote = undefined;
            continue;
        }
        if (ch === '#') {
            const end = text.indexOf('\n', i);
            if (end === -1)
                break;
            i = end;
        }
        else if (ch === '"' || ch === "'") {
            // Only a quote that starts a scalar opens a string; `don't` inside plain text does not.
            const previous = text[i - 1];
            if (previous === undefined || /[\s[{,:]/.test(previous))
                quote = ch;
        }
        else if (ch === '[' || ch === '{') {
            depth++;
            if (depth > MAX_NESTING_DEPTH)
                return i;
        }
        else if (ch === ']' || ch === '}') {
            depth = Math.max(0, depth - 1);
        }
    }
    return undefined;
}
/** Block nesting depth of the parsed document, without recursion. */
function deepestNode(root) {
    if (!root)
        return undefined;
    const stack = [[root, 1]];
    while (stack.length > 0) {
        const [node, depth] = stack.pop();
        if (depth > MAX_NESTING_DEPTH)
            return node;
        if ((0,dist/* isMap */.jh)(node) || (0,dist/* isSeq */.oP)(node)) {
            for (const item of node.items) {
                const child = (0,dist/* isPair */.tO)(item) ? item.value : item;
                if (child && typeof child === 'object' && 'range' in child)
                    stack.push([child, depth + 1]);
            }
        }
    }
    return undefined;
}
/** Plain data from `doc.toJS()`: turns !!set/!!omap/!!binary results into JSON-like values. */
function plain(value) {
    if (value instanceof Map)
        return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), plain(v)]));
    if (value instanceof Set)
        return [...value].map(plain);
    if (value instanceof Uint8Array)
        return Buffer.from(value).toString('base64');
    if (Array.isArray(value))
        return value.map(plain);
    if (value && typeof value === 'object') {
        const result = {};
        for (const [k, v] of Object.entries(value))
            result[k] = plain(v);
        return result;
    }
    return value;
}
/** Loads pipeline YAML text. Never throws for bad input: everything is a diagnostic with line:col. */
function loadPipelineText(text, file) {
    const sink = new diagnostics/* DiagnosticSink */.b9();
    const fail = (code, position, message, hint) => {
        sink.error(code, position, message, hint);
        return { diagnostics: sink.items };
    };
    const start = { file, line: 1, col: 1 };
    // Length in UTF-16 units is at most the UTF-8 byte count, so this cheap test comes first.
    if (text.length > MAX_FILE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) {
        return tooLarge(Buffer.byteLength(text, 'utf8'), file);
    }
    const binary = firstBinaryChar(text);
    if (binary !== -1) {
        return fail('binary', positionOfOffset(text, binary, file), 'file contains binary data or invalid UTF-8, not YAML text', 'check that the path names the pipeline file and that it is saved as UTF-8');
    }
    const deepFlow = flowDepthProblem(text);
    if (deepFlow !== undefined) {
        return fail('too-deep', positionOfOffset(text, deepFlow, file), `document is nested more than ${MAX_NESTING_DEPTH} levels deep`, 'flatten the structure; pipeline files need only a few levels');
    }
    const lineCounter = new dist/* LineCounter */.HN();
    let doc;
    try {
        doc = (0,dist/* parseDocument */.Tp)(text, {
            version: '1.1',
            uniqueKeys: false,
            customTags: pyYamlTags,
            lineCounter,
            prettyErrors: false,
            keepSourceTokens: false,
        });
    }
    catch (error) {
        // The parser reports problems as doc.errors; a throw here means something pathological (e.g. stack depth).
        return fail('yaml-syntax', start, `could not parse YAML: ${error instanceof Error ? error.message : String(error)}`);
    }
    const source = new SourceMap(doc, lineCounter, file);
    const firstError = doc.errors[0];
    if (firstError) {
        const offset = firstError.pos[0];
        const message = firstError.message.split('\n')[0] ?? firstError.message;
        let hint;
        if (/tab/i.test(message) || text.slice(Math.max(0, offset - 40), offset + 1).includes('\t')) {
            hint = 'YAML does not allow tabs for indentation; use spaces';
        }
        else if (firstError.code === 'BAD_INDENT' || /indent/i.test(message)) {
            hint = 'check the indentation of this line against the lines above';
        }
        else if (firstError.code === 'MULTIPLE_DOCS') {
            hint = 'a pipeline file is one YAML document; remove the extra `---`';
        }
        if (firstError.code === 'BLOCK_AS_IMPLICIT_KEY' || firstError.code === 'MULTILINE_IMPLICIT_KEY') {
            // The `yaml` package blames the value before a wrongly indented line; point at that line instead.
            const lineEnd = text.indexOf('\n', offset);
            const next = lineEnd === -1 ? undefined : /[^\s]/.exec(text.slice(lineEnd + 1));
            const at = next ? lineEnd + 1 + next.index : offset;
            return fail('yaml-syntax', source.at(at), 'YAML syntax error: bad indentation: this line is indented deeper than the key above it, which already has a value', 'indent keys of the same mapping to the same column');
        }
        return fail('yaml-syntax', source.at(offset), `YAML syntax error: ${message.replace(/ at line \d+, column \d+:?$/, '')}`, hint);
    }
    for (const warning of doc.warnings) {
        sink.warning('yaml-warning', source.at(warning.pos[0]), warning.message.split('\n')[0] ?? warning.message);
    }
    const deep = deepestNode(doc.contents);
    if (deep) {
        return fail('too-deep', source.at(deep.range?.[0] ?? 0), `document is nested more than ${MAX_NESTING_DEPTH} levels deep`, 'flatten the structure; pipeline files need only a few levels');
    }
    // Duplicate keys: PyYAML keeps the last one silently; we keep the last one and say so.
    (0,dist/* visit */.YR)(doc, {
        Map(_, map) {
            const seen = new Map();
            for (const pair of map.items) {
                const name = keyText(pair.key);
                if (seen.has(name) && pair.key && typeof pair.key === 'object' && 'range' in pair.key) {
                    const keyNode = pair.key;
                    sink.warning('duplicate-key', source.at(keyNode.range?.[0] ?? 0), `duplicate key \`${name}\`; the last one wins (as in PyYAML), the earlier value is ignored`, 'remove or merge the duplicate key');
                }
                seen.set(name, 1);
            }
        },
    });
    let unresolved;
    (0,dist/* visit */.YR)(doc, {
        Alias(_, alias) {
            if (!unresolved && alias.resolve(doc) === undefined)
                unresolved = alias;
        },
    });
    if (unresolved && (0,dist/* isAlias */.Vj)(unresolved)) {
        return fail('yaml-syntax', source.at(unresolved.range?.[0] ?? 0), `YAML syntax error: alias \`*${unresolved.source}\` refers to no anchor`, 'define `&name` on a value before using `*name`');
    }
    let data;
    try {
        data = plain(doc.toJS({ maxAliasCount: 1000 }));
    }
    catch (error) {
        return fail('yaml-syntax', start, `could not load YAML: ${error instanceof Error ? error.message : String(error)}`, 'check aliases (`*name`): they may expand too much or point at nothing');
    }
    // Empty file (or only comments): an empty configuration, as in valohai-yaml.
    if (data === null || data === undefined) {
        const builder = new ConfigBuilder(source, sink);
        return { config: builder.build([]), diagnostics: sink.items };
    }
    if (!Array.isArray(data)) {
        const contents = doc.contents;
        const what = (0,dist/* isMap */.jh)(contents) ? 'a mapping' : (0,dist/* isScalar */.jn)(contents) ? 'a single value' : 'not a list';
        return fail('not-a-list', source.at(contents?.range?.[0] ?? 0), `the top level of a pipeline file must be a list of items (\`- step: …\`), but this is ${what}`, 'start each top-level item with `- ` (e.g. `- step:`)');
    }
    data.forEach((item, index) => {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) {
            sink.error('bad-item', source.position([index]), `top-level item #${index + 1} must be a mapping like \`step: {...}\`, not ${Array.isArray(item) ? 'a list' : item === null ? 'empty' : `the value ${String(item)}`}`, 'each item is one of `- step:`, `- pipeline:`, `- endpoint:`, `- task:`, `- deployment:`');
            return;
        }
        const kind = itemKind(item);
        if (!kind) {
            const keys = Object.keys(item);
            sink.warning('no-parser', source.position([index]), `No parser for ${JSON.stringify(item).slice(0, 80)}: this item is ignored`, keys.length > 0 ? `known item kinds are step, pipeline, endpoint, task, deployment, blueprint, x-mlops (got \`${keys.join('`, `')}\`)` : undefined);
        }
    });
    if (sink.hasErrors)
        return { diagnostics: sink.items };
    checkSchema(data, source, sink);
    // Like valohai-yaml: schema errors stop here, semantic checks would only add noise.
    if (sink.hasErrors)
        return { diagnostics: sink.items };
    const builder = new ConfigBuilder(source, sink);
    const config = builder.build(data);
    checkSemantics(config, builder.origins, source, sink);
    if (sink.hasErrors)
        return { diagnostics: sink.items };
    return { config, diagnostics: sink.items };
}
/** Reads and loads a pipeline file. I/O failures (missing file…) are diagnostics too. */
async function loadPipelineFile(path) {
    const start = { file: path, line: 1, col: 1 };
    try {
        const info = await (0,promises_.stat)(path);
        if (info.size > MAX_FILE_BYTES)
            return tooLarge(info.size, path);
        const bytes = await (0,promises_.readFile)(path);
        let text;
        try {
            text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        }
        catch {
            const bad = firstInvalidUtf8(bytes);
            const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
            const position = positionOfOffset(prefix, prefix.length, path);
            return { diagnostics: [{ severity: 'error', code: 'binary', position, message: 'file contains binary data or invalid UTF-8, not YAML text', hint: 'check that the path names the pipeline file and that it is saved as UTF-8' }] };
        }
        if (text.charCodeAt(0) === 0xfeff)
            text = text.slice(1);
        return loadPipelineText(text, path);
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { diagnostics: [{ severity: 'error', code: 'read-failed', position: start, message: `cannot read the pipeline file: ${message}` }] };
    }
}
function tooLarge(bytes, file) {
    return {
        diagnostics: [
            {
                severity: 'error',
                code: 'file-too-large',
                position: { file, line: 1, col: 1 },
                message: `file is ${(bytes / 1024 / 1024).toFixed(1)} MB; pipeline files are limited to ${MAX_FILE_BYTES / 1024} KB`,
                hint: 'is this really a valohai.yaml? Real ones are a few KB',
            },
        ],
    };
}
/** Offset of the first byte that is not part of a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes) {
    let i = 0;
    while (i < bytes.length) {
        const byte = bytes[i] ?? 0;
        const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
        if (length === 0)
            return i;
        for (let k = 1; k < length; k++) {
            const next = bytes[i + k];
            if (next === undefined || (next & 0xc0) !== 0x80)
                return i;
        }
        i += length;
    }
    return i;
}


/***/ }),

/***/ 987:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ applyOverride)
/* harmony export */ });
/**
 * Merges a list by name: an item of `replacements` replaces the whole item of the same name (keeping
 * its place), new names are appended. This is valohai-yaml's `merge_simple`: the override item's
 * constructor defaults win too, so `inputs: [{name: dataset}]` clears the input's default URLs.
 */
function mergeByName(base, replacements) {
    if (!replacements)
        return [...base];
    const byName = new Map(replacements.map((item) => [item.name, item]));
    const merged = base.map((item) => byName.get(item.name) ?? item);
    const baseNames = new Set(base.map((item) => item.name));
    return [...merged, ...replacements.filter((item) => !baseNames.has(item.name))];
}
/** The step as a node with this override runs it (FORMAT §3.2). Does not modify `step`. */
function applyOverride(step, override) {
    if (!override)
        return step;
    const merged = {
        ...step,
        parameters: mergeByName(step.parameters, override.parameters),
        inputs: mergeByName(step.inputs, override.inputs),
        environmentVariables: mergeByName(step.environmentVariables, override.environmentVariables),
        mounts: override.mounts ? [...override.mounts] : [...step.mounts],
        extra: { ...step.extra },
    };
    if (override.image !== undefined)
        merged.image = override.image;
    if (override.command !== undefined)
        merged.command = [...override.command];
    if (override.environment !== undefined)
        merged.environment = override.environment;
    if (override.runtimeConfigPreset !== undefined)
        merged.extra['runtime-config-preset'] = override.runtimeConfigPreset;
    return merged;
}


/***/ })

};
