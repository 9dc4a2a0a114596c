// @ts-check
/**
 * The one palette of entity types: every highlight (corpus documents, BIO tables, error examples, the web
 * page, notebook 05) and every figure that colours by type takes its colours from here, so Chemical looks
 * the same in every notebook, report and page. Plain JavaScript with JSDoc types: the browser page imports
 * this file as Deno does.
 *
 * @module
 */

/**
 * Colours of one entity type: a light `background` for marked text (dark text stays readable on it) and a
 * saturated `line` of the same hue for bars and lines in figures.
 *
 * @typedef {{ background: string, line: string }} EntityColors
 */

/**
 * Colours by entity type, for one corpus or model (built by {@link paletteFor}): every view and figure of
 * that corpus takes the same one, so a type looks the same everywhere.
 *
 * @typedef {Readonly<Record<string, EntityColors>>} Palette
 */

/**
 * Colours of BC5CDR's two types; other types get a stable colour derived from their name
 * ({@link entityColors}), or distinct colours as a set ({@link paletteFor}).
 *
 * @type {Readonly<Record<string, EntityColors>>}
 */
export const ENTITY_PALETTE = Object.freeze({
  Chemical: Object.freeze({ background: "#cce5ff", line: "#1f78b4" }),
  Disease: Object.freeze({ background: "#ffd6cc", line: "#e6550d" }),
});

/**
 * The colours of an entity type: from {@link ENTITY_PALETTE}, else a hue hashed from the name (the same
 * type always gets the same colour, in Deno and in the browser).
 *
 * @example
 * ```ts
 * entityColors("Chemical"); // { background: "#cce5ff", line: "#1f78b4" }
 * entityColors("Gene").background; // "hsl(…, 80%, 88%)"
 * ```
 * @param {string} type
 * @returns {EntityColors}
 */
export function entityColors(type) {
  if (Object.hasOwn(ENTITY_PALETTE, type)) return ENTITY_PALETTE[type];
  let hue = 0;
  for (const c of type) hue = (hue * 31 + (c.codePointAt(0) ?? 0)) % 360;
  return { background: `hsl(${hue}, 80%, 88%)`, line: `hsl(${hue}, 60%, 40%)` };
}

/**
 * CIE L*a*b* (D65) → sRGB channels in [0, 1], or undefined when the colour is outside the sRGB gamut.
 *
 * @param {number} lightness
 * @param {number} a
 * @param {number} b
 * @returns {number[] | undefined}
 */
function labToRgb(lightness, a, b) {
  const fy = (lightness + 16) / 116, fx = fy + a / 500, fz = fy - b / 200;
  /** @param {number} t */
  const inverse = (t) => (t ** 3 > 216 / 24389 ? t ** 3 : (116 * t - 16) / (24389 / 27));
  const [x, y, z] = [0.95047 * inverse(fx), inverse(fy), 1.08883 * inverse(fz)];
  const linear = [
    3.2404542 * x - 1.5371385 * y - 0.4985314 * z,
    -0.969266 * x + 1.8760108 * y + 0.041556 * z,
    0.0556434 * x - 0.2040259 * y + 1.0572252 * z,
  ];
  if (linear.some((c) => c < 0 || c > 1)) return undefined;
  return linear.map((c) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055));
}

/** @param {number[]} rgb */
const toHex = (rgb) => "#" + rgb.map((c) => Math.round(c * 255).toString(16).padStart(2, "0")).join("");

/** How much darker a type's line is than its background (L*), and how much more saturated. */
const LINE_DARKER = 44, LINE_SATURATION = 1.25;

/**
 * The palette's sequence: light background colours in the sRGB gamut (L* 78–92, so black text keeps a
 * contrast above 7:1) whose darker line colours are in the gamut too, ordered by farthest-point sampling in
 * CIE L*a*b* — each next colour is the candidate farthest from all chosen so far — so that the first n are
 * spread as far apart as this greedy order allows, for every n.
 *
 * @type {{ lab: number[], colors: EntityColors }[]}
 */
const SEQUENCE = (() => {
  /** @type {{ lab: number[], colors: EntityColors }[]} */
  const candidates = [];
  for (const lightness of [92, 85, 78]) {
    for (let chroma = 15; chroma <= 60; chroma += 9) {
      for (let hue = 0; hue < 360; hue += 6) {
        const a = chroma * Math.cos((hue * Math.PI) / 180), b = chroma * Math.sin((hue * Math.PI) / 180);
        const background = labToRgb(lightness, a, b);
        const line = labToRgb(lightness - LINE_DARKER, a * LINE_SATURATION, b * LINE_SATURATION);
        if (background && line) {
          candidates.push({
            lab: [lightness, a, b],
            colors: { background: toHex(background), line: toHex(line) },
          });
        }
      }
    }
  }
  /** @param {number[]} p @param {number[]} q */
  const distance = (p, q) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
  const chosen = [candidates[0]];
  const nearest = candidates.map((c) => distance(c.lab, candidates[0].lab));
  while (chosen.length < 32) {
    let best = 0;
    for (let i = 1; i < candidates.length; i++) if (nearest[i] > nearest[best]) best = i;
    chosen.push(candidates[best]);
    candidates.forEach((c, i) => (nearest[i] = Math.min(nearest[i], distance(c.lab, candidates[best].lab))));
  }
  return chosen;
})();

/**
 * `n` distinct, readable colours, the same first ones for every n: light backgrounds (black text on them
 * keeps a contrast above 7:1) and darker lines of the same hue for figures (above 3:1 on white), spread
 * apart in CIE L*a*b* (tested for n ≤ 24: any two backgrounds, and any two lines, differ by ΔE*ab ≥ 10).
 * Beyond 32 the colours repeat.
 *
 * @example
 * ```ts
 * distinctEntityColors(16).length; // 16
 * distinctEntityColors(2)[0];      // { background: "#…", line: "#…" }
 * ```
 * @param {number} n
 * @returns {EntityColors[]}
 */
export function distinctEntityColors(n) {
  return Array.from({ length: n }, (_, i) => SEQUENCE[i % SEQUENCE.length].colors);
}

/**
 * Colours for a corpus's entity types, distinct from each other: BC5CDR's own colours when every type has
 * one in {@link ENTITY_PALETTE} (so BC5CDR looks the same everywhere), else {@link distinctEntityColors}
 * given out in sorted order — so a type's colour depends on the set of types only, not on the order a caller
 * lists them in (the model's label order, the corpus's, a figure's). Keys keep the order given.
 *
 * @example
 * ```ts
 * paletteFor(["Chemical", "Disease"]).Chemical;   // { background: "#cce5ff", line: "#1f78b4" }
 * Object.keys(paletteFor(["Cancer", "Cell", "Gene_or_gene_product"])).length; // 3, all different
 * ```
 * @param {readonly string[]} types
 * @returns {Record<string, EntityColors>}
 */
export function paletteFor(types) {
  const unique = [...new Set(types)];
  if (unique.every((type) => Object.hasOwn(ENTITY_PALETTE, type))) {
    return Object.fromEntries(unique.map((type) => [type, ENTITY_PALETTE[type]]));
  }
  const sorted = [...unique].sort();
  const colors = distinctEntityColors(sorted.length);
  return Object.fromEntries(unique.map((type) => [type, colors[sorted.indexOf(type)]]));
}

/**
 * The entity types of a model's labels (`B-X`, `I-X`, `E-X`, `S-X`, `L-X`, `U-X` → `X`; `O` has none),
 * sorted: what a tagger can find, the legend of its output, and the key set of its {@link paletteFor}.
 *
 * @example
 * ```ts
 * labelEntityTypes(["O", "B-Disease", "I-Disease", "B-Chemical", "I-Chemical"]); // ["Chemical", "Disease"]
 * ```
 * @param {readonly string[]} labels
 * @returns {string[]}
 */
export function labelEntityTypes(labels) {
  return [
    ...new Set(labels.filter((label) => label !== "O").map((label) => label.replace(/^[BIESLU]-/, ""))),
  ].sort();
}
