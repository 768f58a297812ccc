/** Lesson text with live numbers: each `{token}` becomes a <span data-fact> showing the current value. */
import { useMemo } from 'react';
import { useAppStore } from '../../state/store.ts';
import { selectMetrics, selectResult, selectTensor } from '../../state/selectors.ts';
import { JOB, type HeatmapCompareResult } from '../../state/resultTypes.ts';
import { evalFact, parseTemplate, type FactSources, type FactValue } from './facts.ts';

const selectHeatmap = selectResult<HeatmapCompareResult>(JOB.heatmap);

export function useFactSources(): FactSources {
  const tensor = useAppStore(selectTensor);
  const metrics = useAppStore(selectMetrics);
  const heatmap = useAppStore(selectHeatmap);
  const transform = useAppStore((s) => s.config.transform);
  return useMemo(() => ({ tensor, metrics, heatmap, transform }), [tensor, metrics, heatmap, transform]);
}

function Fact({ token, value }: { token: string; value: FactValue }) {
  if (value.state === 'ok') {
    return (
      <span className={`fact${value.stale ? ' stale' : ''}`} data-fact={token} data-state="ok">
        {value.text}
      </span>
    );
  }
  if (value.state === 'pending') {
    return (
      <span className="fact fact-pending" data-fact={token} data-state="pending" aria-busy="true">
        …
      </span>
    );
  }
  return (
    <span className="fact fact-missing" data-fact={token} data-state="missing" title={value.why}>
      n/a<span className="visually-hidden"> ({value.why})</span>
    </span>
  );
}

/** One paragraph (or sentence) of lesson text. */
export function LiveText({ text, sources, as: Tag = 'p' }: { text: string; sources: FactSources; as?: 'p' | 'span' }) {
  const segments = parseTemplate(text);
  return (
    <Tag>
      {segments.map((s, i) => (s.kind === 'text' ? s.text : <Fact key={i} token={s.token} value={evalFact(s.token, sources)} />))}
    </Tag>
  );
}

/** Why some numbers are missing, once per reason (under the lesson). */
export function missingReasons(texts: readonly string[], sources: FactSources): string[] {
  const out = new Set<string>();
  for (const t of texts) {
    for (const s of parseTemplate(t)) {
      if (s.kind !== 'fact') continue;
      const v = evalFact(s.token, sources);
      if (v.state === 'missing') out.add(v.why);
    }
  }
  return [...out];
}
