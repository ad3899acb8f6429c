/**
 * A syntax check for `stop-condition` expressions, in the spirit of valohai-yaml's `leval` check: the
 * expression must be comparisons and boolean operations of identifiers (dotted names allowed),
 * numbers, strings and literals. Returns an error message with the 0-based offset, or undefined.
 */
export interface ExpressionProblem {
  message: string;
  offset: number;
}

type TokenKind = 'number' | 'string' | 'name' | 'op' | 'lparen' | 'rparen' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  offset: number;
}

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '%', '**', '//'];
const COMPARISON_WORDS = new Set(['in', 'is']);
const BOOLEAN_WORDS = new Set(['and', 'or', 'not']);

class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', text: number[0], offset: i });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*/.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], offset: i });
      i += name[0].length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const end = text.indexOf(ch, i + 1);
      if (end === -1) throw new ExpressionSyntaxError('unterminated string', i);
      tokens.push({ kind: 'string', text: text.slice(i, end + 1), offset: i });
      i = end + 1;
      continue;
    }
    if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '(' ? 'lparen' : 'rparen', text: ch, offset: i });
      i++;
      continue;
    }
    const operator = [...OPERATORS].sort((a, b) => b.length - a.length).find((op) => rest.startsWith(op));
    if (operator) {
      tokens.push({ kind: 'op', text: operator, offset: i });
      i += operator.length;
      continue;
    }
    throw new ExpressionSyntaxError(`unexpected character \`${ch}\``, i);
  }
  tokens.push({ kind: 'end', text: '', offset: text.length });
  return tokens;
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index] ?? { kind: 'end', text: '', offset: 0 };
  }

  private next(): Token {
    const token = this.peek();
    this.index++;
    return token;
  }

  parse(): void {
    if (this.peek().kind === 'end') throw new ExpressionSyntaxError('empty expression', 0);
    this.orExpression();
    const token = this.peek();
    if (token.kind !== 'end') throw new ExpressionSyntaxError(`unexpected \`${token.text}\``, token.offset);
  }

  private orExpression(): void {
    this.andExpression();
    while (this.peek().kind === 'name' && this.peek().text === 'or') {
      this.next();
      this.andExpression();
    }
  }

  private andExpression(): void {
    this.notExpression();
    while (this.peek().kind === 'name' && this.peek().text === 'and') {
      this.next();
      this.notExpression();
    }
  }

  private notExpression(): void {
    if (this.peek().kind === 'name' && this.peek().text === 'not') {
      this.next();
      this.notExpression();
      return;
    }
    this.comparison();
  }

  private comparison(): void {
    this.arithmetic();
    for (;;) {
      const token = this.peek();
      const isComparisonOp = token.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(token.text);
      const isWord = token.kind === 'name' && COMPARISON_WORDS.has(token.text);
      if (!isComparisonOp && !isWord) return;
      this.next();
      if (isWord && this.peek().kind === 'name' && this.peek().text === 'not') this.next();
      this.arithmetic();
    }
  }

  private arithmetic(): void {
    this.unary();
    while (this.peek().kind === 'op' && ['+', '-', '*', '/', '%', '**', '//'].includes(this.peek().text)) {
      this.next();
      this.unary();
    }
  }

  private unary(): void {
    const token = this.peek();
    if (token.kind === 'op' && (token.text === '-' || token.text === '+')) {
      this.next();
      this.unary();
      return;
    }
    this.atom();
  }

  private atom(): void {
    const token = this.next();
    switch (token.kind) {
      case 'number':
      case 'string':
        return;
      case 'name':
        if (BOOLEAN_WORDS.has(token.text) || COMPARISON_WORDS.has(token.text)) {
          throw new ExpressionSyntaxError(`unexpected \`${token.text}\``, token.offset);
        }
        return;
      case 'lparen':
        this.orExpression();
        if (this.next().kind !== 'rparen') throw new ExpressionSyntaxError('missing `)`', token.offset);
        return;
      case 'end':
        throw new ExpressionSyntaxError('expression ends too early', token.offset);
      default:
        throw new ExpressionSyntaxError(`unexpected \`${token.text}\``, token.offset);
    }
  }
}

export function checkExpression(text: string): ExpressionProblem | undefined {
  try {
    new Parser(tokenize(text)).parse();
    return undefined;
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return { message: error.message, offset: error.offset };
    throw error;
  }
}
