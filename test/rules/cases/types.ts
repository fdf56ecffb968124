/**
 * Promtool unit-test cases as data. Each alert has at least one case where it
 * fires, with its full label set, and one where it must stay quiet.
 */

export interface InputSeries {
  series: string;
  values: string;
}

export interface ExpectedAlert {
  /** Every label the alert carries, severity included. */
  labels: Record<string, string>;
  /** `$value` as the alert's annotations print it, such as "92%" or "3m 20s". */
  value?: string;
}

export interface AlertCase {
  alert: string;
  name: string;
  series: InputSeries[];
  /** Evaluation time from the start of the series, such as "10m". */
  at: string;
  /** Alerts expected at `at`; empty means the alert must not fire. */
  expect: ExpectedAlert[];
}

/** A check of recorded series, for what alerts cannot show (such as "no NaN"). */
export interface ExprCase {
  name: string;
  series: InputSeries[];
  at: string;
  expr: string;
  /** Expected samples; empty means the expression must return nothing. */
  samples: Array<{ labels: string; value: number }>;
}

export interface PackCases {
  /** Rendered rule files the cases load. */
  files: string[];
  cases: AlertCase[];
  exprs?: ExprCase[];
}

export const s = (series: string, values: string): InputSeries => ({ series, values });

export function fires(alert: string, name: string, at: string, series: InputSeries[], expect: ExpectedAlert[]): AlertCase {
  return { alert, name, at, series, expect };
}

export function quiet(alert: string, name: string, at: string, series: InputSeries[]): AlertCase {
  return { alert, name, at, series, expect: [] };
}
