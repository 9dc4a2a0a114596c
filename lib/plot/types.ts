/**
 * A plotly figure as plain JSON (`{data, layout}`), the form shown inline in Jupyter
 * (`application/vnd.plotly.v1+json`) and written to HTML/PNG under outputs/.
 *
 * @module
 */

/** One plotly figure. Traces and layout follow plotly.js's JSON schema. */
export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
}
