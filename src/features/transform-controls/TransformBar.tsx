/**
 * The transform of the analysis view (DOMAIN §5) as controls: kind, α for
 * SmoothQuant (slider 0–1), block size G for (randomized) Hadamard (the powers
 * of two that divide the channel count). Writes the same `transform=` text as
 * the URL and the CLI. Props in, callbacks out.
 */
import { Select } from '../../ui/Select.tsx';
import { Slider } from '../../ui/Slider.tsx';

export interface TransformBarProps {
  /** transform text: none | smooth[:α] | hadamard:G | random-hadamard:G | awq… | svdquant… */
  value: string;
  /** the analysed tensor's last axis (valid G divide it); null while unknown */
  cols: number | null;
  /** `continuous` is true while a slider moves (the URL is replaced, not pushed) */
  onChange: (text: string, continuous: boolean) => void;
}

type Kind = 'none' | 'smooth' | 'hadamard' | 'random-hadamard' | 'other';

function kindOf(text: string): Kind {
  const k = text.split(':')[0];
  return k === 'none' || k === 'smooth' || k === 'hadamard' || k === 'random-hadamard' ? k : 'other';
}

/** Powers of two from 2 up to the largest that divides cols. */
export function hadamardBlocks(cols: number): number[] {
  const out: number[] = [];
  for (let g = 2; g <= cols && cols % g === 0; g *= 2) out.push(g);
  return out;
}

export function TransformBar({ value, cols, onChange }: TransformBarProps) {
  const kind = kindOf(value);
  const [, arg] = value.split(':');
  const alpha = kind === 'smooth' && arg !== undefined ? Number(arg) : 0.5;
  const blocks = cols ? hadamardBlocks(cols) : [];
  const g = (kind === 'hadamard' || kind === 'random-hadamard') ? Number(arg) : NaN;
  const defaultG = blocks.includes(64) ? 64 : blocks[blocks.length - 1] ?? 2;
  const smoothText = (a: number) => (a === 0.5 ? 'smooth' : `smooth:${a}`);
  const options = [
    { value: 'none', label: 'none' },
    { value: 'smooth', label: 'SmoothQuant (needs X and W)' },
    { value: 'hadamard', label: 'Hadamard rotation' },
    { value: 'random-hadamard', label: 'Randomized Hadamard' },
    ...(kind === 'other' ? [{ value: 'other', label: `${value} (Methods panel)` }] : []),
  ];
  return (
    <div className="transform-bar" role="group" aria-label="Transform before quantizing">
      <Select
        label="Transform"
        value={kind}
        options={options}
        hint="transform=: applied before quantizing; errors are measured in the original space."
        onChange={(k) => {
          if (k === 'none') onChange('none', false);
          else if (k === 'smooth') onChange(smoothText(alpha), false);
          else if (k === 'hadamard' || k === 'random-hadamard') onChange(`${k}:${Number.isFinite(g) ? g : defaultG}`, false);
        }}
      />
      {kind === 'smooth' && (
        <Slider label="SmoothQuant α" value={alpha} min={0} max={1} step={0.05} format={(a) => a.toFixed(2)}
          hint="α = 0 leaves X alone; α = 1 moves all of the activation's range into the weight."
          onInput={(a) => onChange(smoothText(Math.round(a * 100) / 100), true)} />
      )}
      {(kind === 'hadamard' || kind === 'random-hadamard') && (
        <Select
          label="Block size G"
          value={String(g)}
          options={[
            ...(blocks.includes(g) ? [] : [{ value: String(g), label: `${g} (does not divide ${cols ?? '?'} channels)` }]),
            ...blocks.map((b) => ({ value: String(b), label: b === cols ? `${b} (whole row)` : String(b) })),
          ]}
          hint={kind === 'random-hadamard' ? 'Signs are drawn from the rounding seed (seed=).' : 'Rotates blocks of G channels; larger G spreads an outlier over more channels.'}
          onChange={(v) => onChange(`${kind}:${v}`, false)}
        />
      )}
    </div>
  );
}
