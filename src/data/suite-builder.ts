/**
 * Builds expectation suites in TypeScript, checked by the same rules as suite files.
 *
 * @example
 * const s = suite('adult')
 *   .columnSet(['age', 'workclass', 'Y'])
 *   .notNull('age')
 *   .between('age', { min: 17, max: 90 })
 *   .inSet('Y', ['<=50K', '>50K'], { severity: 'warn' })
 *   .build();
 */
import type { ColumnType } from './entities.js';
import type { Expectation, ExpectationSuite, Severity } from './expectations.js';
import { checkSuite } from './suite-parser.js';

interface Opts {
  severity?: Severity;
  notes?: string;
}
interface MostlyOpts extends Opts {
  mostly?: number;
}
interface RangeOpts extends Opts {
  min?: number | string;
  max?: number | string;
  strictMin?: boolean;
  strictMax?: boolean;
}

export class SuiteBuilder {
  private readonly expectations: Expectation[] = [];

  constructor(private readonly name: string) {}

  private add(e: Expectation): this {
    this.expectations.push(e);
    return this;
  }

  columnExists(column: string, o: Opts = {}): this {
    return this.add({ type: 'expect_column_to_exist', column, ...o });
  }
  columnType(column: string, dataType: ColumnType, o: Opts = {}): this {
    return this.add({ type: 'expect_column_values_to_be_of_type', column, dataType, ...o });
  }
  notNull(column: string, o: MostlyOpts = {}): this {
    return this.add({ type: 'expect_column_values_to_not_be_null', column, ...o });
  }
  between(column: string, o: RangeOpts & MostlyOpts): this {
    return this.add({ type: 'expect_column_values_to_be_between', column, ...o });
  }
  inSet(column: string, values: (string | number | boolean)[], o: MostlyOpts = {}): this {
    return this.add({ type: 'expect_column_values_to_be_in_set', column, values, ...o });
  }
  matches(column: string, regex: string, o: MostlyOpts = {}): this {
    return this.add({ type: 'expect_column_values_to_match_regex', column, regex, ...o });
  }
  unique(column: string, o: MostlyOpts = {}): this {
    return this.add({ type: 'expect_column_values_to_be_unique', column, ...o });
  }
  compoundUnique(columns: string[], o: Opts = {}): this {
    return this.add({ type: 'expect_compound_columns_to_be_unique', columns, ...o });
  }
  rowCountBetween(o: { min?: number; max?: number } & Opts): this {
    return this.add({ type: 'expect_table_row_count_to_be_between', ...o });
  }
  meanBetween(column: string, o: RangeOpts): this {
    return this.add({ type: 'expect_column_mean_to_be_between', column, ...o });
  }
  quantileBetween(column: string, quantile: number, o: RangeOpts): this {
    return this.add({ type: 'expect_column_quantile_to_be_between', column, quantile, ...o });
  }
  columnSet(columns: string[], o: Opts & { exactOrder?: boolean } = {}): this {
    return this.add({ type: 'expect_table_columns_to_match_set', columns, ...o });
  }

  /** Checks every expectation as a suite file would be checked; throws INVALID_ARGUMENT naming the bad one. */
  build(): ExpectationSuite {
    return checkSuite(JSON.parse(JSON.stringify({ name: this.name, expectations: this.expectations })), `suite '${this.name}'`);
  }
}

/** Starts a suite. @example const s = suite('adult').notNull('age').build() */
export function suite(name: string): SuiteBuilder {
  return new SuiteBuilder(name);
}
