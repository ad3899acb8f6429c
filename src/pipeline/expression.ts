/**
 * A small, safe expression language for `stop-condition` and pipeline node-action `if` (no eval):
 * comparisons (`> >= < <= == !=`, `in`, `not in`, `is`, `is not`, chained like Python), `and`/`or`/`not` (also `&&`, `||`, `!`),
 * arithmetic (`+ - * / // % **`), parentheses, list literals, numbers, quoted strings, true/false/null (also Python's True/False/None),
 * and names: `metadata.x`, `parameter.x` / `parameters.x`, or a bare `x` (metadata first, then parameters,
 * which is how stop-conditions such as `loss < 0.1` are written). `metadata["val-acc"]` reaches keys
 * that are not identifiers.
 */

export interface ExpressionScope {
  metadata: Record<string, unknown>;
  parameters: Record<string, unknown>;
}

type Node =
  | { kind: 'literal'; value: unknown }
  | { kind: 'name'; path: string[] }
  | { kind: 'list'; items: Node[] }
  | { kind: 'not'; operand: Node }
  | { kind: 'negate'; operand: Node }
  | { kind: 'logical'; op: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'compare'; first: Node; rest: { op: CompareOp; operand: Node }[] }
  | { kind: 'arithmetic'; op: ArithmeticOp; left: Node; right: Node };

type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=' | 'in' | 'not in' | 'is' | 'is not';
type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '**' | '//';

type Token =
  | { type: 'number'; value: number; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: 'word'; value: string; at: number }
  | { type: 'op'; value: string; at: number }
  | { type: 'end'; at: number };

/** A syntax error, with the character position it was found at. */
export class ExpressionSyntaxError extends Error {
  override name = 'ExpressionSyntaxError';
}

/** A value that cannot be computed yet (a name with no value, mismatched types): the condition is false. */
class EvaluationProblem extends Error {
  override name = 'EvaluationProblem';
}

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '**', '//', '<', '>', '!', '(', ')', '[', ']', ',', '.', '+', '-', '*', '/', '%'];
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
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
        if (source[j] === '\\' && j + 1 < source.length) j += 1;
        value += source[j];
      }
      if (j >= source.length) throw new ExpressionSyntaxError(`unterminated string starting at position ${i + 1}`);
      tokens.push({ type: 'string', value, at: i });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((candidate) => rest.startsWith(candidate));
    if (!op) throw new ExpressionSyntaxError(`unexpected character ${JSON.stringify(ch)} at position ${i + 1}`);
    tokens.push({ type: 'op', value: op, at: i });
    i += op.length;
  }
  tokens.push({ type: 'end', at: source.length });
  return tokens;
}

const KEYWORD_VALUES = new Map<string, unknown>([
  ['true', true],
  ['True', true],
  ['false', false],
  ['False', false],
  ['null', null],
  ['None', null],
]);
const RESERVED = new Set(['and', 'or', 'not', 'in', 'is']);

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.position] ?? { type: 'end', at: 0 };
  }

  private next(): Token {
    const token = this.peek();
    this.position += 1;
    return token;
  }

  private isOp(...values: string[]): boolean {
    const token = this.peek();
    return token.type === 'op' && values.includes(token.value);
  }

  private peekAhead(offset: number, word: string): boolean {
    const token = this.tokens[this.position + offset];
    return token?.type === 'word' && token.value === word;
  }

  private isWord(value: string): boolean {
    const token = this.peek();
    return token.type === 'word' && token.value === value;
  }

  parseAll(): Node {
    const node = this.parseOr();
    const token = this.peek();
    if (token.type !== 'end') throw new ExpressionSyntaxError(`unexpected ${describe(token)} at position ${token.at + 1}`);
    return node;
  }

  private parseOr(): Node {
    let left = this.parseAnd();
    while (this.isWord('or') || this.isOp('||')) {
      this.next();
      left = { kind: 'logical', op: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Node {
    let left = this.parseNot();
    while (this.isWord('and') || this.isOp('&&')) {
      this.next();
      left = { kind: 'logical', op: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Node {
    if (this.isWord('not') || this.isOp('!')) {
      this.next();
      return { kind: 'not', operand: this.parseNot() };
    }
    return this.parseComparison();
  }

  private parseComparison(): Node {
    const first = this.parseSum();
    const rest: { op: CompareOp; operand: Node }[] = [];
    for (;;) {
      let op: CompareOp;
      if (this.isOp('<', '<=', '>', '>=', '==', '!=')) op = (this.next() as { value: CompareOp }).value;
      else if (this.isWord('in')) {
        this.next();
        op = 'in';
      } else if (this.isWord('is')) {
        this.next();
        op = this.isWord('not') ? (this.next(), 'is not') : 'is';
      } else if (this.isWord('not') && this.peekAhead(1, 'in')) {
        this.next();
        this.next();
        op = 'not in';
      } else break;
      rest.push({ op, operand: this.parseSum() });
    }
    return rest.length === 0 ? first : { kind: 'compare', first, rest };
  }

  private parseSum(): Node {
    let left = this.parseProduct();
    while (this.isOp('+', '-')) {
      const op = this.next() as { value: ArithmeticOp };
      left = { kind: 'arithmetic', op: op.value, left, right: this.parseProduct() };
    }
    return left;
  }

  private parseProduct(): Node {
    let left = this.parseUnary();
    while (this.isOp('*', '/', '%', '//')) {
      const op = this.next() as { value: ArithmeticOp };
      left = { kind: 'arithmetic', op: op.value, left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Node {
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
  private parsePower(): Node {
    const base = this.parsePrimary();
    if (!this.isOp('**')) return base;
    this.next();
    return { kind: 'arithmetic', op: '**', left: base, right: this.parseUnary() };
  }

  private parsePrimary(): Node {
    const token = this.next();
    if (token.type === 'number' || token.type === 'string') return { kind: 'literal', value: token.value };
    if (token.type === 'op' && token.value === '[') {
      const items: Node[] = [];
      while (!this.isOp(']')) {
        items.push(this.parseOr());
        if (this.isOp(',')) this.next();
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
      if (KEYWORD_VALUES.has(token.value)) return { kind: 'literal', value: KEYWORD_VALUES.get(token.value) };
      if (RESERVED.has(token.value)) throw new ExpressionSyntaxError(`unexpected "${token.value}" at position ${token.at + 1}`);
      const path = [token.value];
      for (;;) {
        if (this.isOp('.')) {
          this.next();
          const part = this.next();
          // After a dot any word or number is a key part: `metadata.epoch.1`.
          if (part.type === 'word') path.push(part.value);
          else if (part.type === 'number' && Number.isInteger(part.value)) path.push(String(part.value));
          else throw new ExpressionSyntaxError(`expected a name after "." at position ${part.at + 1}`);
        } else if (this.isOp('[')) {
          this.next();
          const key = this.next();
          if (key.type !== 'string' && key.type !== 'number') {
            throw new ExpressionSyntaxError(`expected a quoted key after "[" at position ${key.at + 1}`);
          }
          path.push(String(key.value));
          const close = this.next();
          if (close.type !== 'op' || close.value !== ']') throw new ExpressionSyntaxError(`expected "]" at position ${close.at + 1}`);
        } else break;
      }
      return { kind: 'name', path };
    }
    throw new ExpressionSyntaxError(
      token.type === 'end' ? 'the expression ends too early' : `unexpected ${describe(token)} at position ${token.at + 1}`,
    );
  }
}

function describe(token: Token): string {
  if (token.type === 'end') return 'end of expression';
  return `"${String(token.value)}"`;
}

const parsedCache = new Map<string, Node>();

function parse(expr: string): Node {
  const cached = parsedCache.get(expr);
  if (cached) return cached;
  if (expr.trim() === '') throw new ExpressionSyntaxError('the expression is empty');
  const node = new Parser(tokenize(expr)).parseAll();
  if (parsedCache.size > 1000) parsedCache.clear();
  parsedCache.set(expr, node);
  return node;
}

/** A syntax error message for `expr`, or undefined when it parses. */
export function checkExpression(expr: string): string | undefined {
  try {
    parse(expr);
    return undefined;
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return error.message;
    throw error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Finds `parts` in `object`, preferring the longest dotted key (`val.acc` as one key before nesting). */
function lookup(object: unknown, parts: string[]): { found: boolean; value?: unknown } {
  if (parts.length === 0) return { found: true, value: object };
  if (!isRecord(object)) return { found: false };
  for (let length = parts.length; length >= 1; length -= 1) {
    const key = parts.slice(0, length).join('.');
    if (Object.hasOwn(object, key)) {
      const found = lookup(object[key], parts.slice(length));
      if (found.found) return found;
    }
  }
  return { found: false };
}

function resolveName(path: string[], scope: ExpressionScope): unknown {
  const [root = '', ...rest] = path;
  let result: { found: boolean; value?: unknown };
  if (root === 'metadata') result = lookup(scope.metadata, rest);
  else if (root === 'parameter' || root === 'parameters') result = lookup(scope.parameters, rest);
  else {
    result = lookup(scope.metadata, path);
    if (!result.found) result = lookup(scope.parameters, path);
  }
  if (!result.found) throw new EvaluationProblem(`${path.join('.')} has no value`);
  return result.value;
}

function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isRecord(value)) return Object.keys(value).length > 0;
  return !Number.isNaN(value);
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

function contains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) return container.some((element) => compare(item, '==', element));
  if (typeof container === 'string' && typeof item === 'string') return container.includes(item);
  if (isRecord(container) && typeof item === 'string') return Object.hasOwn(container, item);
  throw new EvaluationProblem(`cannot look for ${JSON.stringify(item)} in ${JSON.stringify(container)}`);
}

function compare(left: unknown, op: CompareOp, right: unknown): boolean {
  if (op === 'in') return contains(right, left);
  if (op === 'not in') return !contains(right, left);
  if (op === 'is') return left === right;
  if (op === 'is not') return left !== right;
  // Numbers meet numbers, numeric text and booleans (Python's True == 1); text meets text.
  const numeric = typeof left === 'number' || typeof right === 'number';
  const leftValue = numeric ? asNumber(left) : left;
  const rightValue = numeric ? asNumber(right) : right;
  if (op === '==') return leftValue !== undefined && leftValue === rightValue;
  if (op === '!=') return leftValue === undefined || leftValue !== rightValue;
  const comparable =
    (typeof leftValue === 'number' && typeof rightValue === 'number') ||
    (typeof leftValue === 'string' && typeof rightValue === 'string');
  if (!comparable) throw new EvaluationProblem(`cannot order ${JSON.stringify(left)} and ${JSON.stringify(right)}`);
  const l = leftValue as number | string;
  const r = rightValue as number | string;
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

function arithmetic(op: ArithmeticOp, left: unknown, right: unknown): unknown {
  if (op === '+' && typeof left === 'string' && typeof right === 'string') return left + right;
  const l = asNumber(left);
  const r = asNumber(right);
  if (l === undefined || r === undefined) throw new EvaluationProblem(`cannot compute ${JSON.stringify(left)} ${op} ${JSON.stringify(right)}`);
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      if (r === 0) throw new EvaluationProblem('division by zero');
      return l / r;
    case '%':
      if (r === 0) throw new EvaluationProblem('division by zero');
      // Python's modulo takes the divisor's sign.
      return ((l % r) + r) % r;
    case '//':
      if (r === 0) throw new EvaluationProblem('division by zero');
      return Math.floor(l / r);
    case '**':
      return l ** r;
  }
}

function evaluateNode(node: Node, scope: ExpressionScope): unknown {
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
      if (value === undefined) throw new EvaluationProblem('cannot negate a non-number');
      return -value;
    }
    case 'logical': {
      // Python semantics: the deciding operand's value, and the right side only when needed.
      const left = evaluateNode(node.left, scope);
      if (node.op === 'and') return truthy(left) ? evaluateNode(node.right, scope) : left;
      return truthy(left) ? left : evaluateNode(node.right, scope);
    }
    case 'compare': {
      let left = evaluateNode(node.first, scope);
      for (const { op, operand } of node.rest) {
        const right = evaluateNode(operand, scope);
        if (!compare(left, op, right)) return false;
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
export function evaluateExpression(expr: string, scope: ExpressionScope): unknown {
  const node = parse(expr);
  try {
    return evaluateNode(node, scope);
  } catch (error) {
    if (error instanceof EvaluationProblem) return undefined;
    throw error;
  }
}

/** Whether `expr` holds. False while a referenced value is missing. Throws `ExpressionSyntaxError` on bad syntax. */
export function evaluateCondition(expr: string, scope: ExpressionScope): boolean {
  return truthy(evaluateExpression(expr, scope));
}
