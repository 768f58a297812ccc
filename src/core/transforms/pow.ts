/**
 * float32 ** exponent, as DOMAIN §5 writes `max|X[:,j]|^α` on float32 data.
 *
 * Reading chosen (and matched bit-exactly by test/fixtures/gen/gen_transforms.py):
 *   powF32(x, α) = f32( pow(x, f32(α)) computed in float64 )
 * i.e. the correctly rounded float32 power with the exponent rounded to
 * float32, which is what numpy does for `float32_array ** python_float` under
 * NEP 50 (the Python float is cast to float32) up to the accuracy of the
 * library powf. numpy's own float32 power is NOT portable: on AVX-512 CPUs it
 * calls SVML powf (≤ 1 ULP; on our CI machine ~20% of results differ from the
 * correctly rounded value by 1 ULP), elsewhere glibc powf. No JS code can
 * reproduce both, so the fixture computes the power in float64 and rounds
 * once. Exponents 0.5 (numpy's fast path uses sqrt), 0 and 1 are exact in
 * both readings.
 */
export function powF32(x: number, alpha: number): number {
  const e = Math.fround(alpha);
  if (e === 0.5) return Math.fround(Math.sqrt(x));
  if (e === 1) return Math.fround(x);
  return Math.fround(Math.pow(x, e));
}
