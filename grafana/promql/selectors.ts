/**
 * What a PromQL expression reads: the metric names it selects and the label names it groups by
 * or matches on. Enough of PromQL's lexical structure for dashboard queries (selectors, label
 * matchers, range windows, aggregations with `by`/`without`, functions, binary operators,
 * Grafana's `$__` variables); an identifier that is neither a known function nor a keyword is
 * taken as a metric name, so a misspelt function shows up as an unknown metric rather than being
 * ignored.
 *
 * @module
 */

/** Aggregation operators and functions a dashboard may call (PromQL's, as of Prometheus 3). */
const FUNCTIONS = new Set([
  "sum",
  "min",
  "max",
  "avg",
  "count",
  "stddev",
  "stdvar",
  "topk",
  "bottomk",
  "quantile",
  "count_values",
  "group",
  "rate",
  "irate",
  "increase",
  "delta",
  "idelta",
  "deriv",
  "histogram_quantile",
  "histogram_count",
  "histogram_sum",
  "histogram_avg",
  "histogram_fraction",
  "clamp",
  "clamp_min",
  "clamp_max",
  "abs",
  "ceil",
  "floor",
  "round",
  "vector",
  "scalar",
  "time",
  "timestamp",
  "absent",
  "absent_over_time",
  "changes",
  "resets",
  "label_replace",
  "label_join",
  "sort",
  "sort_desc",
  "avg_over_time",
  "min_over_time",
  "max_over_time",
  "sum_over_time",
  "count_over_time",
  "last_over_time",
  "quantile_over_time",
  "predict_linear",
]);

/** Keywords that are not metric names (`by`/`without`/`on`/`ignoring` take a label list). */
const LABEL_LIST_KEYWORDS = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
]);
const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset", "inf", "nan"]);

/** The metric names and label names one expression uses. */
export interface PromqlUse {
  /** Metric names selected, in order of first use. */
  metrics: string[];
  /** Label names in `by (...)`, `without (...)`, `on (...)`, `ignoring (...)` and in matchers. */
  labels: string[];
}

const TOKEN =
  /\s+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|[A-Za-z_:][A-Za-z0-9_:]*|\d+(?:\.\d+)?(?:e[+-]?\d+)?[smhdwy]?|=~|!~|!=|==|>=|<=|[-+*/%^(){}[\],=<>]/gy;

/** Parses `expr`; throws on a character it cannot read or unbalanced brackets. */
export function promqlUses(expr: string): PromqlUse {
  const metrics: string[] = [];
  const labels: string[] = [];
  const add = (list: string[], name: string) => list.includes(name) || list.push(name);
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(expr);
    if (!match) throw new Error(`cannot read PromQL at ${at}: ${expr.slice(at, at + 20)}`);
    if (!/^\s+$/.test(match[0])) tokens.push(match[0]);
  }
  const stack: string[] = [];
  let labelList = false; // inside the parentheses after by/without/on/ignoring
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const next = tokens[i + 1];
    const inBraces = stack.at(-1) === "{";
    const inWindow = stack.at(-1) === "[";
    if ("({[".includes(token)) {
      stack.push(token);
      if (token === "(" && LABEL_LIST_KEYWORDS.has(tokens[i - 1]?.toLowerCase())) labelList = true;
      continue;
    }
    if (")}]".includes(token)) {
      const open = stack.pop();
      if (open !== { ")": "(", "}": "{", "]": "[" }[token]) {
        throw new Error(`unbalanced ${token} in PromQL: ${expr}`);
      }
      if (token === ")") labelList = false;
      continue;
    }
    if (!/^[A-Za-z_:]/.test(token) || inWindow) continue;
    if (labelList || inBraces) {
      if (labelList || ["=", "!=", "=~", "!~"].includes(next)) add(labels, token);
      continue;
    }
    const word = token.toLowerCase();
    if (LABEL_LIST_KEYWORDS.has(word) || KEYWORDS.has(word)) continue;
    // An aggregation may put its `by (...)` before its argument: `sum by (sink) (x)`.
    if (next === "(" || LABEL_LIST_KEYWORDS.has(next?.toLowerCase())) {
      if (!FUNCTIONS.has(token)) throw new Error(`unknown PromQL function ${token} in ${expr}`);
      continue;
    }
    add(metrics, token);
  }
  if (stack.length > 0) throw new Error(`unclosed ${stack.at(-1)} in PromQL: ${expr}`);
  return { metrics, labels };
}
