/**
 * Config ⇄ URL query. `decodeConfig` never throws and never loops over
 * unbounded input: a bad part falls back to its default and is listed in
 * `ignored` (plain text, already shortened; React escapes it when shown).
 */
import { defaultConfig, type Config } from '../config.ts';
import { MIGRATIONS, SCHEMA_BY_KEY, URL_SCHEMA, URL_VERSION } from './schema.ts';

/** Longest query we look at; anything beyond is cut (and reported). */
export const MAX_QUERY_CHARS = 4096;
const MAX_PARAMS = 64;

export interface DecodeResult {
  config: Config;
  /** one line per ignored part, e.g. `size=99999 (valid sizes: 256, …)` */
  ignored: string[];
}

/** Printable, bounded version of untrusted text for a notice. */
export function shorten(text: string, max = 40): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function splitQuery(query: string): [string, string][] {
  const q = query.startsWith('?') ? query.slice(1) : query;
  const out: [string, string][] = [];
  for (const part of q.split('&')) {
    if (part === '') continue;
    if (out.length >= MAX_PARAMS) break;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawVal = eq < 0 ? '' : part.slice(eq + 1);
    out.push([safeDecode(rawKey), safeDecode(rawVal)]);
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s; // malformed %-escape: keep the raw text, the parser will reject it
  }
}

export function decodeConfig(query: string, base: Config = defaultConfig()): DecodeResult {
  const ignored: string[] = [];
  const config: Config = { ...base, formats: [...base.formats] };
  let text = query;
  if (text.length > MAX_QUERY_CHARS) {
    text = text.slice(0, MAX_QUERY_CHARS);
    ignored.push(`the link was longer than ${MAX_QUERY_CHARS} characters; the rest was cut`);
  }
  let params = splitQuery(text);
  if (params.length >= MAX_PARAMS) ignored.push(`more than ${MAX_PARAMS} parameters; the rest were ignored`);

  const vParam = params.find(([k]) => k === 'v');
  let version = vParam ? Number(vParam[1]) : params.some(([k]) => k.includes('_')) ? 0 : URL_VERSION;
  if (!Number.isInteger(version) || version < 0) {
    ignored.push(`v=${shorten(vParam?.[1] ?? '')} (not a version number; read as v=${URL_VERSION})`);
    version = URL_VERSION;
  } else if (version > URL_VERSION) {
    ignored.push(`v=${version} is newer than this app (v=${URL_VERSION}); read what it understands`);
    version = URL_VERSION;
  }
  for (let v = version; v < URL_VERSION; v++) params = MIGRATIONS[v]?.(params) ?? params;

  const seen = new Set<string>();
  for (const [key, raw] of params) {
    if (key === 'v') continue;
    const d = SCHEMA_BY_KEY.get(key);
    if (!d) {
      ignored.push(`unknown setting "${shorten(key, 24)}"`);
      continue;
    }
    if (seen.has(key)) {
      ignored.push(`${key} given twice; the first was used`);
      continue;
    }
    seen.add(key);
    try {
      (config as unknown as Record<string, unknown>)[d.field] = d.parse(raw);
    } catch (e) {
      ignored.push(`${key}=${shorten(raw)} (${(e as Error).message})`);
    }
  }
  // cross-field checks that depend on the sample size
  if (config.file === null && config.row >= config.size) {
    ignored.push(`row=${config.row} (the sample has ${config.size} rows)`);
    config.row = base.row;
  }
  if (config.tensor !== null && config.file === null) {
    ignored.push('tensor names a tensor but no file was given');
    config.tensor = null;
  }
  return { config, ignored };
}

/** Keeps `,` and `:` readable in links; everything else is percent-encoded. */
function encodeValue(v: string): string {
  return encodeURIComponent(v).replace(/%2C/gi, ',').replace(/%3A/gi, ':');
}

/** The query string for `config` ("" when everything is at its default). */
export function encodeConfig(config: Config, defaults: Config = defaultConfig()): string {
  const parts: string[] = [];
  for (const d of URL_SCHEMA) {
    const value = config[d.field];
    const s = d.serialize(value as never);
    if (s === '' || s === d.serialize(defaults[d.field] as never)) continue;
    parts.push(`${d.key}=${encodeValue(s)}`);
  }
  return parts.length ? `?v=${URL_VERSION}&${parts.join('&')}` : '';
}
