import { describe, expect, it } from 'vitest';
import { hfToGgufName, parseTensorName } from '../../../src/core/model/names.ts';
import { aggregate, buildScanMatrix, worstTensors } from '../../../src/core/model/groups.ts';
import type { ScanRow } from '../../../src/core/model/scan.ts';

describe('parseTensorName', () => {
  const cases: [string, number | null, string, string, number | null][] = [
    ['model.layers.12.self_attn.q_proj.weight', 12, 'q', 'attention', null],
    ['model.layers.0.self_attn.k_proj.weight', 0, 'k', 'attention', null],
    ['model.layers.3.self_attn.v_proj.bias', 3, 'v', 'attention', null],
    ['model.layers.3.self_attn.o_proj.weight', 3, 'o', 'attention', null],
    ['model.layers.5.mlp.gate_proj.weight', 5, 'gate', 'mlp', null],
    ['model.layers.5.mlp.up_proj.weight', 5, 'up', 'mlp', null],
    ['model.layers.5.mlp.down_proj.weight', 5, 'down', 'mlp', null],
    ['model.layers.7.mlp.experts.gate_up_proj', 7, 'gate_up', 'experts', null],
    ['model.layers.7.mlp.experts.down_proj', 7, 'down', 'experts', null],
    ['model.layers.7.mlp.router.weight', 7, 'router', 'mlp', null],
    ['model.layers.2.block_sparse_moe.experts.3.w1.weight', 2, 'gate', 'experts', 3],
    ['model.layers.2.block_sparse_moe.experts.3.w2.weight', 2, 'down', 'experts', 3],
    ['model.layers.2.block_sparse_moe.experts.3.w3.weight', 2, 'up', 'experts', 3],
    ['model.layers.2.block_sparse_moe.gate.weight', 2, 'router', 'mlp', null],
    ['model.embed_tokens.weight', null, 'embeddings', 'embeddings', null],
    ['lm_head.weight', null, 'lm_head', 'embeddings', null],
    ['model.norm.weight', null, 'norms', 'norms', null],
    ['model.layers.4.input_layernorm.weight', 4, 'norms', 'norms', null],
    ['model.layers.4.post_attention_layernorm.weight', 4, 'norms', 'norms', null],
    ['blk.9.attn_q.weight', 9, 'q', 'attention', null],
    ['blk.9.attn_k.weight', 9, 'k', 'attention', null],
    ['blk.9.attn_v.weight', 9, 'v', 'attention', null],
    ['blk.9.attn_output.weight', 9, 'o', 'attention', null],
    ['blk.9.ffn_gate.weight', 9, 'gate', 'mlp', null],
    ['blk.9.ffn_up.weight', 9, 'up', 'mlp', null],
    ['blk.9.ffn_down.weight', 9, 'down', 'mlp', null],
    ['blk.9.ffn_gate_exps.weight', 9, 'gate', 'experts', null],
    ['blk.9.ffn_gate_inp.weight', 9, 'router', 'mlp', null],
    ['blk.9.attn_norm.weight', 9, 'norms', 'norms', null],
    ['token_embd.weight', null, 'embeddings', 'embeddings', null],
    ['output.weight', null, 'lm_head', 'embeddings', null],
    ['output_norm.weight', null, 'norms', 'norms', null],
    ['transformer.h.1.attn.c_attn.weight', 1, 'qkv', 'attention', null],
    ['transformer.h.1.mlp.c_proj.weight', 1, 'down', 'mlp', null],
    ['rope_freqs.weight', null, 'other', 'other', null],
  ];
  for (const [name, layer, module, family, expert] of cases) {
    it(name, () => expect(parseTensorName(name)).toEqual({ layer, module, family, expert }));
  }

  it('maps Hugging Face Llama names to llama.cpp GGUF names', () => {
    expect(hfToGgufName('model.layers.12.self_attn.q_proj.weight')).toBe('blk.12.attn_q.weight');
    expect(hfToGgufName('model.layers.0.self_attn.o_proj.weight')).toBe('blk.0.attn_output.weight');
    expect(hfToGgufName('model.layers.0.mlp.down_proj.weight')).toBe('blk.0.ffn_down.weight');
    expect(hfToGgufName('model.layers.0.post_attention_layernorm.weight')).toBe('blk.0.ffn_norm.weight');
    expect(hfToGgufName('model.embed_tokens.weight')).toBe('token_embd.weight');
    expect(hfToGgufName('lm_head.weight')).toBe('output.weight');
    expect(hfToGgufName('model.layers.2.block_sparse_moe.experts.3.w1.weight')).toBeUndefined();
  });
});

function row(name: string, variant: string, sqnrDb: number, numel: number, signalEnergy: number, extra: Partial<ScanRow> = {}): ScanRow {
  const role = parseTensorName(name);
  const noise = signalEnergy / 10 ** (sqnrDb / 10);
  return {
    name, shape: [numel], dtype: 'BF16', layer: role.layer, module: role.module, family: role.family,
    format: variant as ScanRow['format'], variant, sqnrDb, mse: noise / numel, maxAbsErr: sqnrDb / 100, saturated: 1,
    saturatedFraction: 1 / numel, numel, nonfinite: 0, signalEnergy, bitsPerElement: 4, ...extra,
  };
}

describe('grouping and ranking', () => {
  const rows = [
    row('model.layers.0.self_attn.q_proj.weight', 'int8', 40, 100, 10),
    row('model.layers.0.self_attn.q_proj.weight', 'mxfp4', 20, 100, 10),
    row('model.layers.0.mlp.down_proj.weight', 'int8', 30, 300, 30),
    row('model.layers.0.mlp.down_proj.weight', 'mxfp4', 10, 300, 30),
    row('model.layers.1.self_attn.q_proj.weight', 'int8', 50, 100, 10),
    row('model.layers.1.self_attn.q_proj.weight', 'mxfp4', 25, 100, 10),
    row('model.norm.weight', 'int8', 60, 10, 1),
  ];

  it('aggregates a group by energy ratio, not by averaging dB', () => {
    const a = aggregate(rows.filter((r) => r.layer === 0 && r.variant === 'int8'));
    // noise 10·1e-4 + 30·1e-3 = 0.031 over signal 40
    expect(a.sqnrDb).toBeCloseTo(10 * Math.log10(40 / 0.031), 10);
    expect(a.numel).toBe(400);
    expect(a.tensors).toBe(2);
    expect(a.maxAbsErr).toBe(0.4);
    expect(a.saturatedFraction).toBe(2 / 400);
    expect(aggregate([rows[0]]).sqnrDb).toBeCloseTo(40, 12);
  });

  it('builds layer × format and module × format tables; sorting by a column puts the worst first', () => {
    const byLayer = buildScanMatrix(rows, 'layer');
    expect(byLayer.variants).toEqual(['int8', 'mxfp4']);
    expect(byLayer.rows.map((r) => r.label)).toEqual(['layer 0', 'layer 1', 'norms']);
    expect(byLayer.rows[2].cells[1]).toBeNull(); // the norm was not scanned with mxfp4
    const byModule = buildScanMatrix(rows, 'module');
    expect(byModule.rows.map((r) => r.label)).toEqual(['q', 'down', 'norms']);
    const sorted = buildScanMatrix(rows, 'tensor', { by: 'variant', variant: 'mxfp4', metric: 'sqnrDb' });
    expect(sorted.rows.map((r) => r.tensorName)).toEqual([
      'model.layers.0.mlp.down_proj.weight', 'model.layers.0.self_attn.q_proj.weight', 'model.layers.1.self_attn.q_proj.weight', 'model.norm.weight',
    ]);
  });

  it('lists the worst tensors of a format', () => {
    expect(worstTensors(rows, 'int8', 2).map((r) => r.name)).toEqual(['model.layers.0.mlp.down_proj.weight', 'model.layers.0.self_attn.q_proj.weight']);
    expect(worstTensors(rows, 'int8', 1, 'maxAbsErr')[0].name).toBe('model.norm.weight');
  });
});
