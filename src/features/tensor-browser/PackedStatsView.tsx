/**
 * Stored-scale statistics of a packed tensor once read (DecodedTensor.packedInfo):
 * the E8M0 scale-exponent histogram (MX formats) as bars, and how often
 * elements sit at the element format's max. Props only.
 */
import type { PackedStats } from '../../core/io/types.ts';

export interface PackedStatsViewProps {
  stats: PackedStats;
  /** elements per scale block, for the "one per block" reference (omit when not a 1-D block) */
  blockElements?: number;
}

/** Histogram entries in exponent order; the NaN scale (code 255) last. */
export function exponentBins(h: Record<string, number>): { label: string; exp: number | null; count: number }[] {
  return Object.entries(h)
    .map(([k, count]) => ({ label: k === 'nan' ? 'NaN' : `2^${k}`, exp: k === 'nan' ? null : Number(k), count }))
    .sort((a, b) => (a.exp === null ? 1 : b.exp === null ? -1 : a.exp - b.exp));
}

export function PackedStatsView({ stats, blockElements }: PackedStatsViewProps) {
  const bins = stats.scaleExpHistogram ? exponentBins(stats.scaleExpHistogram) : [];
  const blocks = bins.reduce((n, b) => n + b.count, 0);
  const maxCount = bins.reduce((m, b) => Math.max(m, b.count), 0);
  const mode = bins.reduce<(typeof bins)[number] | null>((m, b) => (!m || b.count > m.count ? b : m), null);
  const barW = 18, gap = 4, h = 70, labelH = 28;
  const width = bins.length * (barW + gap);
  return (
    <div className="packed-stats" aria-label="stored scale statistics">
      <p>
        <strong>{(stats.atMaxFraction * 100).toFixed(2)}%</strong> of elements are stored at the format's largest code
        ({stats.atMaxCount.toLocaleString('en')} elements)
        {blockElements ? `; a block's largest element often lands there, and one per block would be ${(100 / blockElements).toFixed(2)}%.` : '.'}
      </p>
      {bins.length > 0 && (
        <figure className="exp-hist">
          <figcaption>
            E8M0 scale exponents over {blocks.toLocaleString('en')} blocks: {bins[0].label} … {bins[bins.length - 1].label}
            {mode ? `, most often ${mode.label} (${mode.count.toLocaleString('en')} blocks)` : ''}
          </figcaption>
          <svg width={width} height={h + labelH} role="img" aria-label={bins.map((b) => `${b.label}: ${b.count}`).join(', ')}>
            {bins.map((b, i) => {
              const bh = maxCount ? Math.max(1, (b.count / maxCount) * h) : 0;
              const x = i * (barW + gap);
              return (
                <g key={b.label}>
                  <rect x={x} y={h - bh} width={barW} height={bh} className={b.exp === null ? 'exp-bar exp-nan' : 'exp-bar'}>
                    <title>{`${b.label}: ${b.count} blocks`}</title>
                  </rect>
                  <text x={x + barW / 2} y={h + 12} textAnchor="middle" className="axis-text">{b.exp === null ? 'NaN' : b.exp}</text>
                </g>
              );
            })}
            <text x={0} y={h + 26} className="axis-text">exponent</text>
          </svg>
        </figure>
      )}
    </div>
  );
}
