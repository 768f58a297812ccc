/**
 * NF4 (QLoRA NormalFloat-4) codebook: the 16 values bitsandbytes uses
 * (bitsandbytes/functional.py get_4bit_type('nf4')), ascending, code k ↔ value k.
 * Stored as float32, exactly as bitsandbytes holds them in a float32 tensor.
 */
export const NF4_CODEBOOK: Float32Array = new Float32Array([
  -1.0,
  -0.6961928009986877,
  -0.5250730514526367,
  -0.39491748809814453,
  -0.28444138169288635,
  -0.18477343022823334,
  -0.09105003625154495,
  0.0,
  0.07958029955625534,
  0.16093020141124725,
  0.24611230194568634,
  0.33791524171829224,
  0.44070982933044434,
  0.5626170039176941,
  0.7229568362236023,
  1.0,
]);
