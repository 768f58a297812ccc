/**
 * The ONE table between the URL and the Config (ARCHITECTURE rule 6): each key
 * has parse (throws a plain Error saying what is valid), serialize and the
 * Config field it fills; a value equal to the default is omitted. Key names are
 * the CLI flag names (DOMAIN.md §7). Adding a setting = one row here.
 */
import { ALL_FORMAT_IDS, isFormatId, type FormatId } from '../../core/formats/registry.ts';
import {
  formatGranularity, parseClip, parseGranularity, parseRounding, parseScaleOption, parseScaleRule, parseSeed,
} from '../../core/quant/options.ts';
import { parseOutlierQuantile } from '../../core/transforms/outliers.ts';
import { parseTransform } from '../../core/transforms/parse.ts';
import { parseVariant } from '../../core/model/scan.ts';
import { SAMPLE_KINDS, SAMPLE_SIZES, isSampleKind, isSampleSize } from '../../core/samples/samples.ts';
import { HIDEABLE_CONTROLS, MAX_COMPARE, type Config, type HideableControl } from '../config.ts';

export const URL_VERSION = 1;

export interface KeyDef<F extends keyof Config = keyof Config> {
  key: string;
  field: F;
  parse(raw: string): Config[F];
  serialize(value: Config[F]): string;
}

function parseFormat(raw: string): FormatId {
  if (isFormatId(raw)) return raw;
  throw new Error(`unknown format; valid: ${ALL_FORMAT_IDS.join(', ')}`);
}

function parseFormatList(raw: string): FormatId[] {
  const ids = raw.split(',').filter((s) => s !== '');
  if (ids.length < 1 || ids.length > MAX_COMPARE) throw new Error(`give 1 to ${MAX_COMPARE} formats separated by commas`);
  const out: FormatId[] = [];
  for (const id of ids) {
    const f = parseFormat(id);
    if (!out.includes(f)) out.push(f);
  }
  return out;
}

function parseIndex(max: number) {
  return (raw: string): number => {
    if (!/^[0-9]{1,7}$/.test(raw) || Number(raw) > max) throw new Error(`must be a whole number from 0 to ${max}`);
    return Number(raw);
  };
}

function oneOf<T extends string>(valid: readonly T[]) {
  return (raw: string): T => {
    if ((valid as readonly string[]).includes(raw)) return raw as T;
    throw new Error(`valid: ${valid.join(', ')}`);
  };
}

/**
 * Transform text (DOMAIN.md §5). Checked by shape here so a link never carries
 * nonsense; the worker reports parameter errors (e.g. a G that does not divide
 * the channel count) as a job error.
 */
const TRANSFORM_RE = /^(none|smooth(:(0(\.[0-9]+)?|1(\.0+)?))?|(random-)?hadamard:[1-9][0-9]{0,5}|awq(:(0(\.[0-9]+)?|1(\.0+)?))?|svdquant:[1-9][0-9]{0,4}(:(0(\.[0-9]+)?|1(\.0+)?))?)$/;
function parseTransformText(raw: string): string {
  if (raw.length > 40 || !TRANSFORM_RE.test(raw)) {
    throw new Error('valid: none, smooth[:α], hadamard:G, random-hadamard:G, awq[:α], svdquant:RANK[:α] (0 ≤ α ≤ 1)');
  }
  parseTransform(raw); // the shape is right; this throws the reason in one sentence (e.g. G not a power of two)
  return raw;
}

/** File identity "name:bytes": printable, no markup characters, bounded. */
function parseFileId(raw: string): string {
  if (raw.length <= 200 && /^[^<>"`\u0000-\u001f\u007f]+:[0-9]{1,15}$/.test(raw)) return raw;
  throw new Error('expected "file name:size in bytes"');
}

function parseTensorName(raw: string): string {
  if (raw.length >= 1 && raw.length <= 300 && !/[<>"`\u0000-\u001f\u007f]/.test(raw)) return raw;
  throw new Error('expected a tensor name (up to 300 printable characters)');
}

/** `hide=` (teacher links): comma-separated control ids from HIDEABLE_CONTROLS, deduplicated, in table order. */
function parseHide(raw: string): HideableControl[] {
  const ids = raw.split(',').filter((s) => s !== '');
  if (ids.length === 0) throw new Error('list control ids separated by commas');
  const bad = ids.filter((id) => !(HIDEABLE_CONTROLS as readonly string[]).includes(id));
  if (bad.length) throw new Error(`valid: ${HIDEABLE_CONTROLS.join(', ')}`);
  return HIDEABLE_CONTROLS.filter((id) => ids.includes(id));
}

const str = (v: unknown): string => String(v);
const nullable = (v: number | null): string => (v === null ? '' : String(v));

/** Largest heatmap index a link may carry (viewport edges, channel). */
const MAX_EXTENT = 9_999_999;

/**
 * Scan variants (issue 7): 1–12 comma-separated ID or ID@GRANULARITY, the
 * CLI's `scan --formats` syntax, checked with the scan's own parser.
 */
function parseScanFormats(raw: string): string[] {
  const items = raw.split(',').filter((s) => s !== '');
  if (items.length < 1 || items.length > 12 || raw.length > 400) throw new Error('give 1 to 12 formats separated by commas, each ID or ID@GRANULARITY (e.g. int4@group:128)');
  const out: string[] = [];
  for (const item of items) {
    const label = parseVariant(item).label;
    if (!out.includes(label)) out.push(label);
  }
  return out;
}

/** Target average bits per element of the recommendation: 1–32, at most 2 decimals. */
function parseTargetBits(raw: string): number {
  const v = Number(raw);
  if (/^[0-9]{1,2}(\.[0-9]{1,2})?$/.test(raw) && v >= 1 && v <= 32) return v;
  throw new Error('valid: average bits per element from 1 to 32 (e.g. 4.5)');
}

/** α of the methods panel: 0 ≤ α ≤ 1, at most 3 decimals (the sliders' step). */
function parseUnitAlpha(raw: string): number {
  if (/^(0(\.[0-9]{1,3})?|1(\.0{1,3})?)$/.test(raw)) return Number(raw);
  throw new Error('valid: a number from 0 to 1 (e.g. 0.5)');
}

function def<F extends keyof Config>(key: string, field: F, parse: (raw: string) => Config[F], serialize: (v: Config[F]) => string = str): KeyDef<F> {
  return { key, field, parse, serialize };
}

/** Key order here is the order in a serialized link. */
export const URL_SCHEMA: readonly KeyDef[] = [
  def('sample', 'sample', (r) => { if (isSampleKind(r)) return r; throw new Error(`valid: ${SAMPLE_KINDS.join(', ')}`); }),
  def('size', 'size', (r) => {
    const n = Number(r);
    if (/^[0-9]{1,5}$/.test(r) && isSampleSize(n)) return n;
    throw new Error(`valid sizes: ${SAMPLE_SIZES.join(', ')}`);
  }),
  def('sample-seed', 'sampleSeed', parseSeed),
  def('file', 'file', parseFileId, (v) => v ?? ''),
  def('tensor', 'tensor', parseTensorName, (v) => v ?? ''),
  def('format', 'format', parseFormat),
  def('formats', 'formats', parseFormatList, (v) => v.join(',')),
  def('granularity', 'granularity', (r) => formatGranularity(parseGranularity(r))),
  def('scale', 'scale', parseScaleOption),
  def('scale-rule', 'scaleRule', parseScaleRule),
  def('clip', 'clip', parseClip, (v) => (v === null ? '' : String(v))),
  def('rounding', 'rounding', parseRounding),
  def('seed', 'seed', parseSeed),
  def('transform', 'transform', parseTransformText),
  def('weight-format', 'weightFormat', parseFormat, (v) => v ?? ''),
  def('row', 'row', parseIndex(4095)),
  def('block', 'block', parseIndex(4095)),
  def('line', 'line', oneOf(['linear', 'log'] as const)),
  def('cmap', 'cmap', oneOf(['viridis', 'cividis'] as const)),
  def('hide', 'hide', parseHide, (v) => v.join(',')),
  def('weight-tensor', 'weightTensor', parseTensorName, (v) => v ?? ''),
  def('outliers', 'outliers', parseOutlierQuantile, (v) => (v === null ? '' : String(v))),
  def('r0', 'r0', parseIndex(MAX_EXTENT), nullable),
  def('r1', 'r1', parseIndex(MAX_EXTENT), nullable),
  def('c0', 'c0', parseIndex(MAX_EXTENT), nullable),
  def('c1', 'c1', parseIndex(MAX_EXTENT), nullable),
  def('colour-scale', 'colourScale', oneOf(['linear', 'log'] as const)),
  def('bar-scale', 'barScale', oneOf(['linear', 'log'] as const)),
  def('error-mode', 'errorMode', oneOf(['abs', 'rel'] as const)),
  def('channel', 'channel', parseIndex(MAX_EXTENT), nullable),
  def('methods-awq', 'methodsAwq', (r) => (r === 'search' ? null : parseUnitAlpha(r)), (v) => (v === null ? 'search' : String(v))),
  def('methods-rank', 'methodsRank', parseIndex(128)),
  def('methods-alpha', 'methodsAlpha', parseUnitAlpha),
  def('scan-formats', 'scanFormats', parseScanFormats, (v) => v.join(',')),
  def('bits', 'targetBits', parseTargetBits),
] as readonly KeyDef[];

export const SCHEMA_BY_KEY: ReadonlyMap<string, KeyDef> = new Map(URL_SCHEMA.map((d) => [d.key, d]));

/**
 * Older links (v=0 or no v with legacy underscore names) are rewritten to v=1
 * names before parsing. Each step takes the params of version n to n+1.
 */
export const MIGRATIONS: Record<number, (params: [string, string][]) => [string, string][]> = {
  0: (params) => params.map(([k, v]) => [k.replace(/_/g, '-'), v] as [string, string]),
};
