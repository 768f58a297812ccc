/**
 * Matching an original checkpoint's tensors to a quantized release's (issue 7).
 *
 * The readers already present packed tensors under their logical name
 * (X_blocks + X_scales → X, P.weight_packed + scales → P.weight, an F8 tensor with
 * X_scale_inv → X), so most tensors match by name. Rules, in order:
 *   1. same name;
 *   2. GGUF release: the llama.cpp name of the original (names.ts hfToGgufName:
 *      blk.N.attn_q ↔ model.layers.N.self_attn.q_proj, token_embd ↔ embed_tokens, …);
 *   3. the name with a leading "model." added or removed.
 * Stored parts of packed tensors are not listed. Release tensors left over are
 * `auxiliary` when they look like scales/zero points (…_scale, …_scale_inv,
 * …_scales, global_scale, zero_point, g_idx), otherwise `extraInRelease`.
 * A name match with a different shape is `mismatched` (never fatal).
 */
import type { TensorFile, TensorInfo } from '../io/types.ts';
import type { Granularity } from '../quant/options.ts';
import type { FormatId } from '../formats/registry.ts';
import { hfToGgufName } from './names.ts';
import { isFloatingDtype, packedPartNames } from './scan.ts';

export interface MatchedPair {
  original: TensorInfo;
  release: TensorInfo;
  /** how the names were matched, in words */
  rule: string;
}

export interface CheckpointMatch {
  pairs: MatchedPair[];
  /** floating original tensors with no counterpart in the release */
  missingInRelease: string[];
  /** release tensors with no counterpart in the original (not scale-like) */
  extraInRelease: string[];
  /** matched by name, but the shapes differ (or one side cannot be decoded) */
  mismatched: { original: string; release: string; reason: string }[];
  /** scale / zero-point tensors of the release with no original counterpart */
  auxiliary: string[];
}

const AUX_RE = /(?:_scale|_scale_inv|_scales|global_scale|input_scale|zero_point|_zp|g_idx|_blocks|weight_packed|weight_shape)$/;

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

export function matchCheckpoints(original: TensorFile, release: TensorFile): CheckpointMatch {
  const relParts = packedPartNames(release.tensors);
  const rel = new Map(release.tensors.filter((t) => !relParts.has(t.name)).map((t) => [t.name, t]));
  const origParts = packedPartNames(original.tensors);
  const used = new Set<string>();
  const out: CheckpointMatch = { pairs: [], missingInRelease: [], extraInRelease: [], mismatched: [], auxiliary: [] };
  for (const o of original.tensors) {
    if (origParts.has(o.name) || !isFloatingDtype(o.dtype)) continue;
    const candidates: [string | undefined, string][] = [[o.name, 'same name']];
    if (release.format === 'gguf') candidates.push([hfToGgufName(o.name), 'llama.cpp (GGUF) name']);
    candidates.push([o.name.startsWith('model.') ? o.name.slice(6) : `model.${o.name}`, 'name without/with "model."']);
    let hit: [TensorInfo, string] | undefined;
    for (const [n, rule] of candidates) {
      const r = n === undefined ? undefined : rel.get(n);
      if (r && !used.has(r.name)) {
        hit = [r, rule];
        break;
      }
    }
    if (!hit) {
      out.missingInRelease.push(o.name);
      continue;
    }
    const [r, rule] = hit;
    used.add(r.name);
    const why = o.notDecoded ? `the original cannot be decoded (${o.notDecoded})`
      : r.notDecoded ? `the release cannot be decoded (${r.notDecoded})`
      : !same(o.shape, r.shape) ? `shapes differ: [${o.shape.join(', ')}] vs [${r.shape.join(', ')}]`
      : undefined;
    if (why) out.mismatched.push({ original: o.name, release: r.name, reason: why });
    else out.pairs.push({ original: o, release: r, rule: r.packed ? `${rule}, packed ${r.packed.kind} (${r.packed.parts.join(' + ') || r.dtype})` : rule });
  }
  for (const r of rel.values()) {
    if (used.has(r.name)) continue;
    if (AUX_RE.test(r.name) || !isFloatingDtype(r.dtype)) out.auxiliary.push(r.name);
    else out.extraInRelease.push(r.name);
  }
  return out;
}

/** The quantscope format that reproduces how a release tensor was stored, or null (full precision). */
export interface OwnFormat {
  format: FormatId;
  granularity?: Granularity;
  /** e.g. "fp8_e4m3@block:128x128" */
  label: string;
  note?: string;
}

export function ownFormatFor(info: TensorInfo): OwnFormat | null {
  const p = info.packed;
  if (p) {
    switch (p.kind) {
      case 'mxfp4':
      case 'gguf-mxfp4': return { format: 'mxfp4', label: 'mxfp4' };
      case 'nvfp4': return { format: 'nvfp4', label: 'nvfp4' };
      case 'q8_0': return { format: 'q8_0', label: 'q8_0' };
      case 'q4_0': return { format: 'q4_0', label: 'q4_0' };
      case 'fp8-block': {
        const f = p.elementFormat === 'fp8_e5m2' ? 'fp8_e5m2' : 'fp8_e4m3';
        return { format: f, granularity: { kind: 'block', rows: 128, cols: 128 }, label: `${f}@block:128x128` };
      }
    }
  }
  switch (info.dtype.toUpperCase()) {
    case 'BF16': return { format: 'bf16', label: 'bf16' };
    case 'F16': case '<F2': return { format: 'fp16', label: 'fp16' };
    case 'F8_E4M3': return { format: 'fp8_e4m3', granularity: { kind: 'tensor' }, label: 'fp8_e4m3@tensor', note: 'stored FP8 without a recognized scale tensor; compared as stored' };
    case 'F8_E5M2': return { format: 'fp8_e5m2', granularity: { kind: 'tensor' }, label: 'fp8_e5m2@tensor', note: 'stored FP8 without a recognized scale tensor; compared as stored' };
    default: return null;
  }
}

/**
 * llama.cpp's convert_hf_to_gguf reorders the rows of Llama-family Q and K
 * weights for its rotary layout: rows viewed as [heads, 2, rows/heads/2] are
 * swapped to [heads, rows/heads/2, 2]. Applying the same permutation to the
 * original's rows makes them comparable with the GGUF tensor. Returns a new array.
 */
export function permuteRowsLikeLlamaCpp(data: Float32Array, rows: number, cols: number, heads: number): Float32Array {
  if (heads <= 0 || rows % (2 * heads) !== 0) throw new Error(`cannot split ${rows} rows into ${heads} heads of rotary pairs`);
  const half = rows / heads / 2;
  const out = new Float32Array(data.length);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < half; i++) {
      for (let j = 0; j < 2; j++) {
        const src = h * 2 * half + j * half + i;
        const dst = h * 2 * half + i * 2 + j;
        out.set(data.subarray(src * cols, src * cols + cols), dst * cols);
      }
    }
  }
  return out;
}

const LLAMA_ARCHS = new Set(['llama', 'mistral', 'granite', 'granitemoe', 'mixtral']);

/** Heads to un-permute for a GGUF release tensor (attn_q / attn_k of a Llama-family arch), else 0. */
export function ggufRotaryHeads(release: TensorFile, releaseName: string): number {
  if (release.format !== 'gguf') return 0;
  const arch = release.metadata['general.architecture'];
  if (!arch || !LLAMA_ARCHS.has(arch)) return 0;
  const heads = Number(release.metadata[`${arch}.attention.head_count`]);
  const kvHeads = Number(release.metadata[`${arch}.attention.head_count_kv`] ?? heads);
  if (/\.attn_q\.weight$/.test(releaseName)) return Number.isInteger(heads) ? heads : 0;
  if (/\.attn_k\.weight$/.test(releaseName)) return Number.isInteger(kvHeads) && kvHeads > 0 ? kvHeads : Number.isInteger(heads) ? heads : 0;
  return 0;
}
