/** The `hide=` URL key (teacher links): parse, serialize, default, validation against the fixed list. */
import { describe, expect, it } from 'vitest';
import { decodeConfig, encodeConfig } from '../../../src/state/url/codec.ts';
import { defaultConfig, HIDEABLE_CONTROLS } from '../../../src/state/config.ts';
import { SCHEMA_BY_KEY } from '../../../src/state/url/schema.ts';

describe('hide= in the URL schema', () => {
  it('defaults to nothing hidden and is omitted from links', () => {
    expect(defaultConfig().hide).toEqual([]);
    expect(encodeConfig(defaultConfig())).toBe('');
    expect(decodeConfig('').config.hide).toEqual([]);
  });

  it('round-trips a list of control ids (deduplicated, in table order)', () => {
    const { config, ignored } = decodeConfig('?v=1&hide=transform,granularity,transform');
    expect(ignored).toEqual([]);
    expect(config.hide).toEqual(['granularity', 'transform']);
    expect(encodeConfig(config)).toBe('?v=1&hide=granularity,transform');
  });

  it('every id of the fixed list is a URL key of the control it hides', () => {
    for (const id of HIDEABLE_CONTROLS) expect(SCHEMA_BY_KEY.has(id)).toBe(true);
    const all = HIDEABLE_CONTROLS.join(',');
    expect(decodeConfig(`?hide=${all}`).config.hide).toEqual([...HIDEABLE_CONTROLS]);
  });

  it.each([
    ['?hide=copy-link', 'hide='],
    ['?hide=transform,<script>', 'hide='],
    ['?hide=', 'hide='],
    ['?hide=,,,', 'hide='],
  ])('rejects %s with a notice and hides nothing', (q, expected) => {
    const { config, ignored } = decodeConfig(q);
    expect(ignored.join('\n')).toContain(expected);
    expect(config.hide).toEqual([]);
  });

  it('the rest of the link still applies when hide= is bad', () => {
    const { config } = decodeConfig('?format=int8&hide=nope');
    expect(config.format).toBe('int8');
    expect(config.hide).toEqual([]);
  });
});
