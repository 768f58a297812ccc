/** The quantization flags shared by `quantize` and `scan` (same names as the URL keys). */
import { CliError, flagString, parseFlag, type FlagSpec, type ParsedArgs } from './args.ts';
import {
  DEFAULT_QUANT_OPTIONS, parseClip, parseGranularity, parseRounding, parseScaleOption, parseScaleRule, parseSeed,
  type QuantOptions,
} from '../core/quant/options.ts';
import { ALL_FORMAT_IDS, isFormatId, type FormatId } from '../core/formats/registry.ts';

export const QUANT_FLAGS: readonly FlagSpec[] = [
  { name: 'granularity' }, { name: 'scale' }, { name: 'scale-rule' }, { name: 'clip' }, { name: 'rounding' }, { name: 'seed' },
];

export function parseQuantFlags(args: ParsedArgs): Omit<QuantOptions, 'format'> {
  const clip = parseFlag(args, 'clip', parseClip);
  return {
    granularity: parseFlag(args, 'granularity', parseGranularity) ?? DEFAULT_QUANT_OPTIONS.granularity,
    scale: parseFlag(args, 'scale', parseScaleOption) ?? DEFAULT_QUANT_OPTIONS.scale,
    scaleRule: parseFlag(args, 'scale-rule', parseScaleRule) ?? DEFAULT_QUANT_OPTIONS.scaleRule,
    rounding: parseFlag(args, 'rounding', parseRounding) ?? DEFAULT_QUANT_OPTIONS.rounding,
    seed: parseFlag(args, 'seed', parseSeed) ?? DEFAULT_QUANT_OPTIONS.seed,
    ...(clip === undefined ? {} : { clip }),
  };
}

export function parseFormatId(value: string, flag: string, allowNone: boolean): FormatId | 'none' {
  if (allowNone && value === 'none') return 'none';
  if (isFormatId(value)) return value;
  throw new CliError(`--${flag}: unknown format "${value}"; valid: ${[...ALL_FORMAT_IDS, ...(allowNone ? ['none'] : [])].join(', ')}`);
}

export function requireFlag(args: ParsedArgs, name: string, example: string): string {
  const v = flagString(args, name);
  if (v === undefined) throw new CliError(`--${name} is required (e.g. --${name} ${example})`);
  return v;
}
