/**
 * The format explorer's block view (issue 4): one block of real values and
 * what each scale rule does to it. Every number comes from the real
 * quantizers (quantize(), with the rule expressed as options), run on the
 * block as a 1×n tensor, so the view can never disagree with the metrics.
 *
 * Rules (DOMAIN.md §3):
 *  - `absmax`:    float32 scale amax / max
 *  - `pow2`:      absmax scale rounded up to a power of two (never clips)
 *  - `e8m0-floor`: OCP MX rule 2^(floor(log2 amax) − emax), may clip
 *  - `e8m0-ceil`:  smallest power of two that does not clip
 *  - `nvfp4`:     E4M3 block scale × float32 tensor scale (needs the tensor amax)
 *  - `format`:    the focused format's own scaling, whatever it is
 */
import { getFormat, type FormatId } from '../formats/registry.ts';
import { castElement, elementMax, isIntId, isMinifloatId, type CastElementId } from '../formats/elementCast.ts';
import type { MxFormatId } from '../formats/mx.ts';
import { quantize } from '../quant/quantize.ts';
import type { QuantOptions } from '../quant/options.ts';

export type BlockRule = 'absmax' | 'pow2' | 'e8m0-floor' | 'e8m0-ceil' | 'nvfp4' | 'format';

export const BLOCK_RULE_LABELS: Record<BlockRule, string> = {
  absmax: 'absmax, float32 scale',
  pow2: 'absmax rounded up to 2^k',
  'e8m0-floor': 'E8M0, OCP floor rule',
  'e8m0-ceil': 'E8M0, ceil rule',
  nvfp4: 'NVFP4 two-level (E4M3 × f32)',
  format: 'this format',
};

export interface BlockRuleResult {
  rule: BlockRule;
  /** the float32 scale used for the block (NaN when the block spans several scale blocks) */
  scale: number;
  /** every scale the block uses, in order (NVFP4 on a 32-block: two 16-blocks) */
  scales: number[];
  /** scaled values y = f32(x / scale), where each element lands on the element grid */
  y: Float32Array;
  /** x̂ in the original space */
  xhat: Float32Array;
  /** 1 where |y| > element max before the cast (the element saturates) */
  saturated: Uint8Array;
  saturatedCount: number;
  /** max |y| over the block: how far the largest element lands on the element grid */
  peak: number;
  /** Σ(x̂ − x)² over the block (float64) */
  sqErr: number;
}

export interface BlockViewResult {
  /** the element format whose grid y lands on (null: not a plain cast, e.g. NF4) */
  element: CastElementId | null;
  elementMax: number;
  blockSize: number;
  /** the block's values, float32 */
  x: Float32Array;
  /** finite absmax of the block */
  amax: number;
  rules: BlockRuleResult[];
}

/**
 * The element grid and the rules worth comparing for a focused format:
 * plain-cast elements (ints, FP4/6/8) get every rule that fits them; MXINT8
 * gets its two E8M0 rules; NF4 / Q8_0 / Q4_0 show their own scaling only.
 */
export function blockRulesFor(format: FormatId): { element: CastElementId | null; rules: BlockRule[]; blockSize: number } {
  const spec = getFormat(format);
  const blockSize = spec.blockSize ?? 32;
  const el = spec.element;
  if (format === 'mxint8') return { element: null, rules: ['e8m0-floor', 'e8m0-ceil'], blockSize };
  if ((isIntId(el) || isMinifloatId(el)) && el !== 'bf16' && el !== 'fp16') {
    const rules: BlockRule[] = ['absmax', 'pow2'];
    if (MX_OF_ELEMENT[el]) rules.push('e8m0-floor', 'e8m0-ceil');
    if (el === 'fp4_e2m1') rules.push('nvfp4');
    return { element: el, rules, blockSize };
  }
  if (spec.kind === 'block') return { element: null, rules: ['format'], blockSize };
  // int4_asym, bf16, fp16: no shared block scale to compare
  return { element: null, rules: [], blockSize };
}

const MX_OF_ELEMENT: Partial<Record<CastElementId, MxFormatId>> = {
  fp4_e2m1: 'mxfp4', fp6_e2m3: 'mxfp6_e2m3', fp6_e3m2: 'mxfp6_e3m2', fp8_e4m3: 'mxfp8_e4m3', fp8_e5m2: 'mxfp8_e5m2',
};

function optionsFor(rule: BlockRule, format: FormatId, element: CastElementId | null, base: Omit<QuantOptions, 'format'>): QuantOptions | null {
  const row = { ...base, granularity: { kind: 'row' as const }, clip: undefined };
  switch (rule) {
    case 'absmax': return element ? { ...row, format: element, scale: 'absmax' } : null;
    case 'pow2': return element ? { ...row, format: element, scale: 'pow2' } : null;
    case 'e8m0-floor':
    case 'e8m0-ceil': {
      const mx = element ? MX_OF_ELEMENT[element] : undefined;
      const f: FormatId | undefined = format === 'mxint8' ? 'mxint8' : mx;
      return f ? { ...row, format: f, scaleRule: rule === 'e8m0-floor' ? 'floor' : 'ceil' } : null;
    }
    case 'nvfp4': return { ...row, format: 'nvfp4' };
    case 'format': return { ...row, format };
  }
}

/**
 * Analyse `x` (one block, float32) under each rule. `tensorAmax` is the finite
 * absmax of the whole tensor (NVFP4's per-tensor scale). Rules that do not
 * apply to the element are skipped.
 */
export function analyzeBlock(
  x: Float32Array, format: FormatId, tensorAmax: number, base: Omit<QuantOptions, 'format'>,
): BlockViewResult {
  const { element, rules, blockSize } = blockRulesFor(format);
  const n = x.length;
  const t = { data: x, rows: 1, cols: n, shape: [n] };
  let amax = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]);
    if (a > amax && a !== Infinity) amax = a;
  }
  const out: BlockRuleResult[] = [];
  for (const rule of rules) {
    const opts = optionsFor(rule, format, element, base);
    if (!opts) continue;
    const res = quantize(t, opts, undefined, { rowOffset: 0, tensorAmax });
    const scales = res.scales ? Array.from(res.scales) : [];
    const scale = scales.length === 1 ? scales[0] : NaN;
    const sub = scales.length ? Math.ceil(n / scales.length) : n;
    // the grid the element lands on: mxint8 elements are int8 codes / 64
    const gridMax = opts.format === 'mxint8' ? 127 / 64 : element ? elementMax(element) : getFormat(format).max ?? NaN;
    const y = new Float32Array(n);
    const saturated = new Uint8Array(n);
    let satCount = 0;
    let sqErr = 0;
    let peak = 0;
    for (let i = 0; i < n; i++) {
      const si = scales[Math.floor(i / sub)];
      y[i] = si !== undefined && Number.isFinite(si) && si !== 0 ? Math.fround(x[i] / si) : NaN;
      if (Math.abs(y[i]) > gridMax && Number.isFinite(y[i])) {
        saturated[i] = 1;
        satCount++;
      }
      if (Math.abs(y[i]) > peak && Number.isFinite(y[i])) peak = Math.abs(y[i]);
      const d = res.xhat[i] - x[i];
      if (Number.isFinite(d)) sqErr += d * d;
    }
    out.push({ rule, scale, scales, y, xhat: res.xhat, saturated, saturatedCount: scales.length ? satCount : res.saturated, peak, sqErr });
  }
  const emax = format === 'mxint8' ? 127 / 64 : element ? elementMax(element) : getFormat(format).max ?? NaN;
  return { element, elementMax: emax, blockSize, x, amax, rules: out };
}

/** Where an element with scaled value y lands on the element grid (RNE + saturate). */
export function landOnGrid(element: CastElementId, y: number): number {
  return castElement(element, y);
}
