/**
 * What a tensor is, from its name alone: layer (block) index, module type and
 * family, for the common checkpoint naming schemes:
 *   Hugging Face   model.layers.12.self_attn.q_proj.weight, mlp.gate_proj / up_proj /
 *                  down_proj, gpt-oss mlp.experts.gate_up_proj, Mixtral
 *                  block_sparse_moe.experts.3.w1 (w1 gate, w3 up, w2 down), embed_tokens,
 *                  lm_head, *norm*; GPT-2/NeoX (transformer.h.N.attn.c_attn, query_key_value)
 *   GGUF (llama.cpp) blk.12.attn_q.weight, attn_output, ffn_gate / ffn_up / ffn_down
 *                  (…_exps for stacked experts), ffn_gate_inp, token_embd, output, *_norm
 * Unknown names give module 'other' (never an error).
 */

export type ModuleType =
  | 'q' | 'k' | 'v' | 'o' | 'qkv' | 'kv'
  | 'gate' | 'up' | 'down' | 'gate_up' | 'router'
  | 'embeddings' | 'lm_head' | 'norms' | 'other';

/** Coarser grouping for the scan table. Expert weights are 'experts' whatever their module. */
export type ModuleFamily = 'attention' | 'mlp' | 'experts' | 'embeddings' | 'norms' | 'other';

export interface TensorRole {
  /** block/layer index, or null for tensors outside the repeated blocks */
  layer: number | null;
  module: ModuleType;
  family: ModuleFamily;
  /** expert index for per-expert tensors (Mixtral experts.N), else null; stacked experts are null */
  expert: number | null;
}

/** Display order of module types (attention, then MLP, then the rest). */
export const MODULE_ORDER: readonly ModuleType[] = [
  'embeddings', 'q', 'k', 'v', 'qkv', 'kv', 'o', 'router', 'gate', 'up', 'gate_up', 'down', 'norms', 'lm_head', 'other',
];

const LAYER_RE = /(?:^|\.)(?:layers|layer|h|blk|blocks|block|decoder\.layers|encoder\.layers)\.(\d+)(?:\.|$)/;
const EXPERT_RE = /(?:^|\.)experts\.(\d+)(?:\.|$)/;

/** Rules tried in order on the part of the name after the layer index (or the whole name). */
const MODULE_RULES: ReadonlyArray<[RegExp, ModuleType]> = [
  [/norm|(?:^|\.)ln_?\w*(?:\.|$)|layernorm/i, 'norms'],
  [/embed_tokens|token_embd|wte|word_embeddings|embed_in|(?:^|\.)tok_embeddings/, 'embeddings'],
  [/(?:^|\.)lm_head|(?:^|\.)output\.weight$|(?:^|\.)embed_out/, 'lm_head'],
  [/q_a_proj|q_b_proj|q_proj|attn_q(?:\.|$)|(?:^|\.)wq(?:\.|$)|\.query(?:\.|$)/, 'q'],
  [/k_proj|attn_k(?:\.|$)|(?:^|\.)wk(?:\.|$)|\.key(?:\.|$)/, 'k'],
  [/v_proj|attn_v(?:\.|$)|(?:^|\.)wv(?:\.|$)|\.value(?:\.|$)/, 'v'],
  [/kv_a_proj|kv_b_proj|attn_kv/, 'kv'],
  [/qkv_proj|query_key_value|attn_qkv|c_attn|Wqkv/, 'qkv'],
  [/o_proj|attn_output|(?:^|\.)wo(?:\.|$)|out_proj|attn\.c_proj|attention\.dense/, 'o'],
  [/ffn_gate_inp|(?:^|\.)router(?:\.|$)|block_sparse_moe\.gate(?:\.|$)|mlp\.gate\.weight|mlp\.gate$/, 'router'],
  [/gate_up_proj/, 'gate_up'],
  [/gate_proj|ffn_gate|(?:^|\.)w1(?:\.|$)/, 'gate'],
  [/up_proj|ffn_up|(?:^|\.)w3(?:\.|$)|dense_h_to_4h|c_fc|fc1/, 'up'],
  [/down_proj|ffn_down|(?:^|\.)w2(?:\.|$)|dense_4h_to_h|mlp\.c_proj|fc2/, 'down'],
];

const FAMILY: Record<ModuleType, ModuleFamily> = {
  q: 'attention', k: 'attention', v: 'attention', o: 'attention', qkv: 'attention', kv: 'attention',
  gate: 'mlp', up: 'mlp', down: 'mlp', gate_up: 'mlp', router: 'mlp',
  embeddings: 'embeddings', lm_head: 'embeddings', norms: 'norms', other: 'other',
};

export function parseTensorName(name: string): TensorRole {
  const lm = LAYER_RE.exec(name);
  const layer = lm ? Number(lm[1]) : null;
  const rest = lm ? name.slice(lm.index + lm[0].length) : name;
  let module: ModuleType = 'other';
  for (const [re, m] of MODULE_RULES) {
    if (re.test(rest)) {
      module = m;
      break;
    }
  }
  const em = EXPERT_RE.exec(name);
  const isExpert = /(?:^|\.)experts(?:\.|$)|_exps(?:\.|$)/.test(name) && module !== 'router';
  const family: ModuleFamily = isExpert ? 'experts' : FAMILY[module];
  return { layer, module, family, expert: em ? Number(em[1]) : null };
}

/**
 * The llama.cpp (GGUF) name of a Hugging Face Llama-family tensor name, or
 * undefined when there is no 1:1 counterpart (e.g. per-expert Mixtral tensors,
 * which GGUF stacks). Used to match an original checkpoint to a GGUF release.
 */
export function hfToGgufName(name: string): string | undefined {
  const n = name.replace(/^model\.language_model\./, 'model.');
  const fixed: Record<string, string> = {
    'model.embed_tokens.weight': 'token_embd.weight',
    'lm_head.weight': 'output.weight',
    'model.norm.weight': 'output_norm.weight',
  };
  if (n in fixed) return fixed[n];
  const m = /^model\.layers\.(\d+)\.(.+)\.(weight|bias)$/.exec(n);
  if (!m) return undefined;
  const map: Record<string, string> = {
    'self_attn.q_proj': 'attn_q', 'self_attn.k_proj': 'attn_k', 'self_attn.v_proj': 'attn_v', 'self_attn.o_proj': 'attn_output',
    'mlp.gate_proj': 'ffn_gate', 'mlp.up_proj': 'ffn_up', 'mlp.down_proj': 'ffn_down',
    input_layernorm: 'attn_norm', post_attention_layernorm: 'ffn_norm',
    'self_attn.q_norm': 'attn_q_norm', 'self_attn.k_norm': 'attn_k_norm',
    'block_sparse_moe.gate': 'ffn_gate_inp', 'mlp.gate': 'ffn_gate_inp',
  };
  const g = map[m[2]];
  return g ? `blk.${m[1]}.${g}.${m[3]}` : undefined;
}
