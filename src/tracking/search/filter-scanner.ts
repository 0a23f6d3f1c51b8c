/**
 * The front end shared by Gyre's search filter languages (runs and experiments): a cursor with the
 * lexical rules for keywords, identifiers, quoted strings, numbers, comparators and IN lists, and
 * the AND/OR/parentheses skeleton each language fills with its own comparisons. Sharing it keeps
 * quoting, escaping, precedence and the wording of errors the same in every search box; each
 * language only decides which identifiers exist and which comparators apply to them.
 */
import { invalidArgument } from '../../core/errors.js';
import type { ListOperator, LogicalExpr, NumericOperator, StringOperator } from './filter-ast.js';

/** Reports a syntax error at a character offset; throws, never returns. */
export type Fail = (message: string, offset: number) => never;

export type Comparator = NumericOperator | StringOperator | ListOperator;

/** How one language spells `<type>.<key>`. */
export interface IdentifierSyntax<T extends string> {
  /** Every accepted prefix spelling, lower-case, mapped to the entity type it means. */
  prefixes: Readonly<Record<string, T>>;
  /** The canonical prefixes, as listed in error messages. */
  validPrefixes: string;
  /** An identifier quoted when none was found, e.g. `metrics.rmse`. */
  example: string;
}

/** `<type>.<key>`, with the type resolved through the language's prefix table. */
export interface Identifier<T extends string> {
  type: T;
  key: string;
  /** Where the key starts, for errors about the key. */
  offset: number;
}

/** A lone word where an identifier was expected; the language decides what it names. */
export interface BareWord {
  type: null;
  key: string;
  offset: number;
}

const BARE_KEY_CHAR = /[A-Za-z0-9_\-./]/;
const WORD_CHAR = /[A-Za-z0-9_]/;
const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NUMERIC_OPERATORS = '=, !=, >, >=, <, <=';
const STRING_OPERATORS = '=, !=, LIKE, ILIKE, IN, NOT IN';
// Parentheses recurse; a bound keeps hostile input from overflowing the stack.
const MAX_DEPTH = 64;

/** Looks a spelling up in a vocabulary table without reaching the prototype (`constructor`, …). */
export function lookup<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A cursor over one input string. */
export class Scanner {
  pos = 0;

  constructor(
    readonly text: string,
    readonly fail: Fail,
  ) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  /** Consumes `word` (case-insensitive) if it stands alone here, e.g. AND but not ANDROID. */
  keyword(word: string): boolean {
    this.skipSpace();
    const end = this.pos + word.length;
    if (this.text.slice(this.pos, end).toUpperCase() !== word) return false;
    if (WORD_CHAR.test(this.text[end] ?? '')) return false;
    this.pos = end;
    return true;
  }

  readWhile(pattern: RegExp): string {
    const start = this.pos;
    while (this.pos < this.text.length && pattern.test(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** The upcoming token, for error messages. */
  upcoming(): string {
    this.skipSpace();
    const rest = this.text.slice(this.pos);
    const word = /^(?:[A-Za-z0-9_\-./]+|\S)/.exec(rest);
    return word ? word[0] : 'end of input';
  }

  /** Reads a backtick- or double-quoted key: no escapes, since keys rarely contain their quote. */
  quotedKey(): string {
    const quote = this.peek();
    const start = this.pos;
    const close = this.text.indexOf(quote, start + 1);
    if (close < 0) this.fail(`unterminated ${quote}-quoted key`, start);
    this.pos = close + 1;
    return this.text.slice(start + 1, close);
  }

  /**
   * Reads a '…' or "…" string. The quote is escaped by doubling it or by a backslash; `\\` is one
   * backslash; any other backslash is kept, so LIKE patterns can escape `%` and `_` as `\%`, `\_`.
   */
  string(): string {
    const quote = this.peek();
    const start = this.pos;
    let out = '';
    let i = start + 1;
    while (i < this.text.length) {
      const ch = this.text[i];
      const next = this.text[i + 1];
      if (ch === '\\' && (next === quote || next === '\\')) {
        out += next;
        i += 2;
      } else if (ch === quote && next === quote) {
        out += quote;
        i += 2;
      } else if (ch === quote) {
        this.pos = i + 1;
        return out;
      } else {
        out += ch;
        i += 1;
      }
    }
    return this.fail(`unterminated string starting with ${quote}`, start);
  }

  /**
   * Reads `<type>.<key>`, the key bare or quoted. With `allowBare`, a lone word is returned with
   * type null so the caller can treat it as an attribute name (`start_time`, `name`).
   */
  identifier<T extends string>(syntax: IdentifierSyntax<T>, allowBare: false): Identifier<T>;
  identifier<T extends string>(syntax: IdentifierSyntax<T>, allowBare: true): Identifier<T> | BareWord;
  identifier<T extends string>(syntax: IdentifierSyntax<T>, allowBare: boolean): Identifier<T> | BareWord {
    this.skipSpace();
    const offset = this.pos;
    const word = this.readWhile(WORD_CHAR);
    if (this.peek() !== '.') {
      if (word === '') {
        this.fail(`expected an identifier such as ${syntax.example} but found '${this.upcoming()}'`, offset);
      }
      if (allowBare) return { type: null, key: word, offset };
      if (lookup(syntax.prefixes, word.toLowerCase())) {
        this.fail(`missing '.<key>' after '${word}'`, this.pos);
      }
      this.fail(`'${word}' is not an identifier; use <type>.<key> with type one of ${syntax.validPrefixes}`, offset);
    }
    const type = lookup(syntax.prefixes, word.toLowerCase());
    if (!type) {
      this.fail(`unknown type prefix '${word}'; valid prefixes are ${syntax.validPrefixes}`, offset);
    }
    this.pos++;
    const keyOffset = this.pos;
    const quote = this.peek();
    const key = quote === '`' || quote === '"' ? this.quotedKey() : this.readWhile(BARE_KEY_CHAR);
    if (key === '') this.fail(`missing key after '${word}.'`, keyOffset);
    return { type, key, offset: keyOffset };
  }

  /** Reads any comparator of the filter languages; the caller checks it fits the field. */
  comparator(): Comparator {
    this.skipSpace();
    for (const symbol of ['!=', '>=', '<=', '=', '>', '<'] as const) {
      if (this.text.startsWith(symbol, this.pos)) {
        this.pos += symbol.length;
        return symbol;
      }
    }
    if (this.keyword('LIKE')) return 'LIKE';
    if (this.keyword('ILIKE')) return 'ILIKE';
    if (this.keyword('IN')) return 'IN';
    const notOffset = this.pos;
    if (this.keyword('NOT')) {
      if (this.keyword('IN')) return 'NOT IN';
      this.fail(`expected IN after NOT but found '${this.upcoming()}'`, notOffset);
    }
    return this.fail(
      `expected a comparator (${NUMERIC_OPERATORS}, LIKE, ILIKE, IN, NOT IN) but found '${this.upcoming()}'`,
      this.pos,
    );
  }

  /** Reads a number literal compared with `what` (e.g. "metric 'rmse'", named in errors). */
  number(what: string): number {
    this.skipSpace();
    const offset = this.pos;
    if (this.peek() === "'" || this.peek() === '"') {
      this.fail(`${what} is numeric; expected a number, not a quoted string`, offset);
    }
    NUMBER.lastIndex = offset;
    const match = NUMBER.exec(this.text);
    if (!match || BARE_KEY_CHAR.test(this.text[offset + match[0].length] ?? '')) {
      this.fail(`expected a number for ${what} but found '${this.upcoming()}'`, offset);
    }
    this.pos = offset + match[0].length;
    return Number(match[0]);
  }

  /** Reads a quoted string compared with `what`; a bare word is refused with a hint to quote it. */
  quotedString(what: string): string {
    this.skipSpace();
    if (this.peek() !== "'" && this.peek() !== '"') {
      this.fail(`expected a quoted string for ${what} but found '${this.upcoming()}'; quote it with ' or "`, this.pos);
    }
    return this.string();
  }

  /** Reads `('a', "b", …)`: one or more quoted strings compared with `what`. */
  stringList(what: string): string[] {
    this.skipSpace();
    const open = this.pos;
    if (this.peek() !== '(') this.fail(`expected '(' to start the IN list but found '${this.upcoming()}'`, open);
    this.pos++;
    this.skipSpace();
    if (this.peek() === ')') this.fail(`empty IN list; give at least one quoted value`, open);
    const values = [this.quotedString(what)];
    for (;;) {
      this.skipSpace();
      if (this.peek() === ',') {
        this.pos++;
        values.push(this.quotedString(what));
      } else if (this.peek() === ')') {
        this.pos++;
        return values;
      } else {
        return this.fail(`expected ',' or ')' in the IN list opened at offset ${open} but found '${this.upcoming()}'`, this.pos);
      }
    }
  }

  /** Reads a LIKE/ILIKE pattern, refusing one that ends in a lone escape character. */
  likePattern(what: string): string {
    this.skipSpace();
    const offset = this.pos;
    const pattern = this.quotedString(what);
    // A trailing lone escape character is an error on PostgreSQL and silently never matches on
    // SQLite; rejecting it here keeps every evaluator in agreement.
    const trailing = /\\*$/.exec(pattern)![0].length;
    if (trailing % 2 === 1) this.fail(`LIKE pattern ends with an unescaped '\\'; write '\\\\' for a backslash`, offset);
    return pattern;
  }
}

/** The comparison kinds of every filter AST; the connectives `and`/`or` are kept apart from them. */
type ComparisonLike = { kind: 'numeric' | 'string' | 'list' };

function combine<C extends ComparisonLike>(kind: LogicalExpr<C>['kind'], operands: Array<C | LogicalExpr<C>>): C | LogicalExpr<C> {
  if (operands.length === 1) return operands[0];
  return { kind, operands: operands.flatMap((e) => (e.kind === kind ? (e as LogicalExpr<C>).operands : [e])) };
}

function parseOr<C extends ComparisonLike>(s: Scanner, comparison: (s: Scanner) => C, depth: number): C | LogicalExpr<C> {
  const operands = [parseAnd(s, comparison, depth)];
  while (s.keyword('OR')) operands.push(parseAnd(s, comparison, depth));
  return combine('or', operands);
}

function parseAnd<C extends ComparisonLike>(s: Scanner, comparison: (s: Scanner) => C, depth: number): C | LogicalExpr<C> {
  const operands = [parsePrimary(s, comparison, depth)];
  while (s.keyword('AND')) operands.push(parsePrimary(s, comparison, depth));
  return combine('and', operands);
}

function parsePrimary<C extends ComparisonLike>(s: Scanner, comparison: (s: Scanner) => C, depth: number): C | LogicalExpr<C> {
  s.skipSpace();
  if (s.peek() !== '(') return comparison(s);
  const open = s.pos;
  if (depth >= MAX_DEPTH) s.fail(`parentheses nested deeper than ${MAX_DEPTH}`, open);
  s.pos++;
  const inner = parseOr(s, comparison, depth + 1);
  if (s.atEnd()) s.fail(`unbalanced parentheses: '(' is never closed`, open);
  if (s.peek() !== ')') s.fail(`expected AND, OR or ')' but found '${s.upcoming()}'`, s.pos);
  s.pos++;
  return inner;
}

/**
 * Parses a whole filter: comparisons (read by `comparison`) joined by AND and OR, AND binding
 * tighter, grouped by parentheses. Returns null when the filter is absent or blank, which callers
 * treat as "match everything".
 *
 * @example
 * parseBooleanFilter("a = 1 OR (b = 2 AND c = 3)", readMyComparison)
 * @throws GyreError INVALID_ARGUMENT with details `{ filter, offset }` when the text is malformed.
 */
export function parseBooleanFilter<C extends ComparisonLike>(
  text: string | undefined,
  comparison: (s: Scanner) => C,
): C | LogicalExpr<C> | null {
  if (text === undefined || text.trim() === '') return null;
  const fail: Fail = (message, offset) => {
    throw invalidArgument(`Invalid filter at offset ${offset}: ${message}`, { filter: text, offset });
  };
  const s = new Scanner(text, fail);
  const expr = parseOr(s, comparison, 0);
  if (!s.atEnd()) {
    if (s.peek() === ')') fail(`unbalanced parentheses: ')' has no matching '('`, s.pos);
    fail(`unexpected '${s.upcoming()}'; expected AND, OR or the end of the filter`, s.pos);
  }
  return expr;
}

/**
 * Parses one `order_by` clause, `<key> [ASC|DESC]`, the key read by `key`. Direction defaults to
 * ascending. `example` is shown when the clause is empty.
 *
 * @example
 * scanOrderClause('name DESC', 0, 'name DESC', (s) => s.identifier(syntax, true))
 * @throws GyreError INVALID_ARGUMENT with details `{ orderBy, index, offset }`.
 */
export function scanOrderClause<K>(
  clause: string,
  index: number,
  example: string,
  key: (s: Scanner) => K,
): { key: K; ascending: boolean } {
  const fail: Fail = (message, offset) => {
    throw invalidArgument(`Invalid order_by clause ${JSON.stringify(clause)} at offset ${offset}: ${message}`, {
      orderBy: clause,
      index,
      offset,
    });
  };
  const s = new Scanner(clause, fail);
  if (s.atEnd()) fail(`empty clause; expected e.g. ${example}`, 0);
  const parsed = key(s);
  let ascending = true;
  if (!s.atEnd()) {
    const dirOffset = s.pos;
    if (s.keyword('DESC')) ascending = false;
    else if (!s.keyword('ASC')) fail(`invalid direction '${s.upcoming()}'; expected ASC or DESC`, dirOffset);
    if (!s.atEnd()) fail(`unexpected '${s.upcoming()}' after the direction`, s.pos);
  }
  return { key: parsed, ascending };
}

/**
 * The comparator and value after a field, shared by the run and experiment grammars: numeric fields
 * take `= != > >= < <=` and a number, string fields `= != LIKE ILIKE IN NOT IN` and strings.
 */
export function scanComparison<N, S>(
  s: Scanner,
  field: N | S,
  isNumeric: (f: N | S) => f is N,
  what: string,
):
  | { kind: 'numeric'; field: N; op: NumericOperator; value: number }
  | { kind: 'list'; field: S; op: ListOperator; values: string[] }
  | { kind: 'string'; field: S; op: StringOperator; value: string } {
  s.skipSpace();
  const opOffset = s.pos;
  const op = s.comparator();
  if (isNumeric(field)) {
    if (op === 'LIKE' || op === 'ILIKE' || op === 'IN' || op === 'NOT IN') {
      s.fail(`${op} does not apply to numeric ${what}; use ${NUMERIC_OPERATORS}`, opOffset);
    }
    return { kind: 'numeric', field, op: op as NumericOperator, value: s.number(what) };
  }
  const stringField = field as S;
  if (op === 'IN' || op === 'NOT IN') return { kind: 'list', field: stringField, op, values: s.stringList(what) };
  if (op === 'LIKE' || op === 'ILIKE') return { kind: 'string', field: stringField, op, value: s.likePattern(what) };
  if (op !== '=' && op !== '!=') {
    return s.fail(`'${op}' does not apply to string ${what}; use ${STRING_OPERATORS}`, opOffset);
  }
  return { kind: 'string', field: stringField, op, value: s.quotedString(what) };
}
