/**
 * float.exposed-style bit layout: one toggle button per bit (sign, exponent,
 * mantissa, or integer/codebook bits); flipping bits shows the value they
 * encode. Works for every element grid and for the E8M0 / E4M3 scales.
 */
import type { GridInfo } from '../../core/explorer/grids.ts';
import { codeBits, decodeCode, encodeValue, intOfCode } from '../../core/explorer/grids.ts';
import { fmtValue } from './format.ts';

export interface BitEditorProps {
  info: GridInfo;
  value: number;
  onChange(value: number, code: number): void;
  code?: number;
}

type Field = 'sign' | 'exponent' | 'mantissa' | 'integer' | 'index';

function fieldOf(info: GridInfo, bit: number, n: number): Field {
  const L = info.layout;
  if (L.kind !== 'float') return L.kind === 'int' ? 'integer' : 'index';
  const fromTop = n - 1 - bit;
  if (fromTop < L.signBits) return 'sign';
  if (fromTop < L.signBits + L.expBits) return 'exponent';
  return 'mantissa';
}

function explain(info: GridInfo, code: number, value: number): string {
  const L = info.layout;
  if (L.kind === 'int') {
    const signed = intOfCode(L, code);
    if (Number.isNaN(value)) return `code ${signed} is not used (the format is symmetric: −${L.max}…${L.max})`;
    if (L.offset !== undefined) return `offset binary: stored ${code} − ${L.offset} = ${signed}`;
    if (L.min >= 0) return `unsigned integer ${code} (x = scale · (${code} − zero point))`;
    return L.step === 1 ? `two's-complement integer ${signed}` : `integer ${signed} × 2^−6 = ${fmtValue(value)}`;
  }
  if (L.kind === 'codebook') return `codebook entry ${code} of 16 = ${fmtValue(value)}`;
  const man = code & ((1 << L.manBits) - 1);
  const exp = (code >>> L.manBits) & ((1 << L.expBits) - 1);
  const sign = L.signBits && code >>> (L.expBits + L.manBits) & 1 ? '−' : '';
  if (Number.isNaN(value)) return 'NaN (this bit pattern is reserved)';
  if (!Number.isFinite(value)) return `${sign}infinity`;
  if (L.manBits === 0) return `2^(${exp} − ${L.bias}) = 2^${exp - L.bias}`;
  if (exp === 0) return `${sign}0.${man.toString(2).padStart(L.manBits, '0')}₂ × 2^${1 - L.bias} (subnormal) = ${fmtValue(value)}`;
  return `${sign}1.${man.toString(2).padStart(L.manBits, '0')}₂ × 2^(${exp} − ${L.bias}) = ${fmtValue(value)}`;
}

export function BitEditor({ info, value, onChange, code: codeProp }: BitEditorProps) {
  const n = codeBits(info);
  const code = codeProp ?? Math.max(0, encodeValue(info, value));
  const decoded = decodeCode(info, code);
  const bits = Array.from({ length: n }, (_, k) => n - 1 - k);
  return (
    <div className="biteditor">
      <div className="bits" role="group" aria-label={`Bits of ${info.label}, most significant first`}>
        {bits.map((b) => {
          const on = ((code >>> b) & 1) === 1;
          const field = fieldOf(info, b, n);
          return (
            <button
              key={b}
              type="button"
              className={`bit bit-${field}`}
              aria-pressed={on}
              aria-label={`${field} bit ${b}`}
              onClick={() => {
                const next = (code ^ (1 << b)) >>> 0;
                onChange(decodeCode(info, next), next);
              }}
            >
              {on ? '1' : '0'}
            </button>
          );
        })}
      </div>
      <p className="bit-legend" aria-hidden="true">
        {info.layout.kind === 'float' ? (
          <>
            {info.layout.signBits ? <span className="key bit-sign">sign</span> : null}
            <span className="key bit-exponent">exponent ({info.layout.expBits}, bias {info.layout.bias})</span>
            {info.layout.manBits ? <span className="key bit-mantissa">mantissa ({info.layout.manBits})</span> : null}
          </>
        ) : (
          <span className={`key bit-${info.layout.kind === 'int' ? 'integer' : 'index'}`}>{info.layout.kind === 'int' ? 'integer' : 'codebook index'} ({n} bits)</span>
        )}
      </p>
      <p className="bit-value" aria-live="polite">
        code 0x{code.toString(16).padStart(Math.ceil(n / 4), '0')} → <strong>{fmtValue(decoded)}</strong>{' '}
        <span className="bit-explain">({explain(info, code, decoded)})</span>
      </p>
    </div>
  );
}
