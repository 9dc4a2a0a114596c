/**
 * The markdown report of an evaluation (`outputs/<run>/report.md`): score tables for both seqeval modes,
 * the error analysis tables, examples of every error kind, and links to the figures.
 *
 * @module
 */
import { AVERAGE_ROWS, type TagEvaluation } from "../metrics/mod.ts";
import { type ErrorAnalysis, LENGTH_BUCKETS, type RecallBucket } from "./analyze.ts";
import { ERROR_KINDS } from "./errors.ts";
import { exampleText } from "./examples.ts";

/** A figure of the report: its title and its files relative to the report. */
export interface ReportFigure {
  title: string;
  html: string;
  png?: string;
}

/** What {@link evaluationMarkdown} renders. */
export interface ReportContent {
  title: string;
  /** Lines of context under the title (model, data, date…). */
  notes?: string[];
  strict: TagEvaluation;
  default: TagEvaluation;
  analysis: ErrorAnalysis;
  figures: ReportFigure[];
}

/**
 * Text (type names, entity texts: data) as a markdown table cell: markdown's inline markup characters
 * backslash-escaped — so no cell becomes HTML, a link, code or emphasis — and line breaks as spaces.
 */
function cell(text: string): string {
  return text.replace(/[\\|<>&[\]`*_~]/g, "\\$&").replace(/\n/g, " ");
}

/** A fenced code block of `lines`: its fence longer than any run of backticks inside, so none can end it. */
function codeBlock(info: string, lines: string[]): string[] {
  const longest = Math.max(2, ...(lines.join("\n").match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return [fence + info, ...lines, fence];
}

/** A table cell: data (escaped by {@link cell}), or markdown of the report's own making. */
type TableCell = string | number | { markdown: string };

const cellMarkdown = (c: TableCell) => typeof c === "object" ? c.markdown : cell(String(c));

/** A markdown table; columns whose cells all start with a digit (or are "–") are right-aligned. */
function table(header: string[], rows: TableCell[][]): string {
  const line = (cells: TableCell[]) => `| ${cells.map(cellMarkdown).join(" | ")} |`;
  const numeric = (i: number) => rows.length > 0 && rows.every((row) => /^(\d|–)/.test(cellMarkdown(row[i])));
  const align = header.map((_, i) => (numeric(i) ? "---:" : "---"));
  return [line(header), `| ${align.join(" | ")} |`, ...rows.map(line)].join("\n");
}

function pct(x: number | null): string {
  return x === null || Number.isNaN(x) ? "–" : (x * 100).toFixed(2);
}

function recallCell(bucket: RecallBucket): string {
  return `${pct(bucket.recall)} (${bucket.found}/${bucket.total})`;
}

function scoreTable(evaluation: TagEvaluation): string {
  const rows = Object.entries(evaluation.report).map(([name, row]) => [
    (AVERAGE_ROWS as readonly string[]).includes(name) ? { markdown: `*${cell(name)}*` } : name,
    pct(row.precision),
    pct(row.recall),
    pct(row["f1-score"]),
    row.support,
  ]);
  return table(["", "precision %", "recall %", "F1 %", "support"], rows) +
    `\n\nToken accuracy: ${pct(evaluation.accuracy)} %`;
}

/**
 * Renders the report as markdown.
 *
 * @example
 * ```ts
 * declare const strict: any, lenient: any, analysis: any, figures: any; // the example's inputs
 * const markdown = evaluationMarkdown({ title: "cpu-small on test", strict, default: lenient, analysis, figures });
 * ```
 */
export function evaluationMarkdown(content: ReportContent): string {
  const { analysis } = content;
  const types = analysis.types;
  const out: string[] = [`# ${content.title}`, ""];
  if (content.notes?.length) out.push(...content.notes.map((n) => `- ${n}`), "");

  out.push(
    "## Scores",
    "",
    "Entity-level precision, recall and F1 as seqeval computes them. *Strict* reads tags with the IOB2 scheme " +
      "(an entity starts with B-); *default* is conlleval-compatible (an I- without B- also starts one).",
    "",
    "### Strict (IOB2)",
    "",
    scoreTable(content.strict),
    "",
    "### Default (conlleval-compatible)",
    "",
    scoreTable(content.default),
    "",
  );

  out.push(
    `## Errors (tags read in ${analysis.mode} mode)`,
    "",
    "Gold and predicted entities are grouped by overlap. *boundary*: same type, other extent; *type*: same " +
      "words, other type; *type+boundary*: both; *false positive*: overlaps no gold entity; *false negative*: " +
      "overlaps no prediction.",
    "",
    table(
      ["type", ...ERROR_KINDS],
      ["all", ...types].map((t) => [t, ...ERROR_KINDS.map((k) => analysis.counts[t][k])]),
    ),
    "",
  );

  const confusions = analysis.typeConfusions;
  out.push(
    "### Type confusions",
    "",
    confusions.length === 0 ? "No gold entity was predicted mainly as another type." : table(
      ["gold → predicted", "entities"],
      confusions.map((c) => [`${c.gold} → ${c.predicted}`, c.count]),
    ),
    "",
    "### Entities split into parts / merged",
    "",
    table(
      ["", ...types, "all"],
      [
        [
          "split (one gold entity, several predicted parts)",
          ...types.map((t) => analysis.split.byType[t]),
          analysis.split.count,
        ],
        [
          "merged (one prediction over several gold entities)",
          ...types.map((t) => analysis.merged.byType[t]),
          analysis.merged.count,
        ],
      ],
    ),
    "",
  );

  if (analysis.seenUnseen) {
    const seenUnseen = analysis.seenUnseen;
    out.push(
      "### Recall: entity text seen vs unseen in training",
      "",
      "An entity is *seen* when its lower-cased text is the text of a gold entity in the training split.",
      "",
      table(
        ["type", "seen: recall % (found/total)", "unseen: recall % (found/total)"],
        [...types, "all"].map((t) => [t, recallCell(seenUnseen[t].seen), recallCell(seenUnseen[t].unseen)]),
      ),
      "",
    );
  }

  out.push(
    "### Recall by entity length (words)",
    "",
    table(
      ["type", ...LENGTH_BUCKETS],
      [...types, "all"].map((t) => [
        t,
        ...LENGTH_BUCKETS.map((b) => recallCell(analysis.recallByLength[t][b])),
      ]),
    ),
    "",
    "### Most frequent false positives and false negatives",
    "",
    table(
      ["false positive", "type", "count"],
      analysis.topFalsePositives.map((s) => [s.text, s.type, s.count]),
    ),
    "",
    table(
      ["false negative", "type", "count"],
      analysis.topFalseNegatives.map((s) => [s.text, s.type, s.count]),
    ),
    "",
    "## Examples",
    "",
  );
  for (const kind of ERROR_KINDS) {
    const examples = analysis.examples[kind];
    if (examples.length === 0) continue;
    out.push(
      `### ${kind}`,
      "",
      ...codeBlock("text", examples.map((e) => `${e.docId} #${e.index}\n${exampleText(e)}\n`)),
      "",
    );
  }

  if (content.figures.length) {
    out.push("## Figures", "");
    for (const figure of content.figures) {
      out.push(`### ${figure.title}`, "", `[interactive](${figure.html})`, "");
      if (figure.png) out.push(`![${figure.title}](${figure.png})`, "");
    }
  }
  return out.join("\n");
}
