;; Stochastic rounding (DOMAIN.md §4) of scaled runs in WebAssembly SIMD:
;; stochasticKernels.ts's cast and mulberry32 draw, four elements at a time,
;; with the same bits (tested against the JavaScript kernels and the fixtures),
;; and the fused metrics + error-bucket pass (histogram.ts accumulateErrorPass)
;; over the same memory, so a window just cast can be measured where it lies
;; (stochasticSimd.ts observeCastWindows, errorPassSimd.ts).
;; Built into stochasticRunsWasm.ts by `npm run wasm`; a test checks that the
;; committed bytes are this file's.
;;
;; runs(nRuns, width, divide, seed, drawStart, loField, hiField, manBits, max, satOnY, rne):
;; quantizes nRuns consecutive runs of `width` elements of X into OUT (X is left
;; as it was; width a multiple of 4) and returns the number of saturated elements. Run k has its
;; own input scale SIN[k] and output scale MUL[k] (float32). With rne != 0 the
;; cast rounds to nearest, ties to even (the RNE kernels of scalarKernels.ts
;; and mx.ts; seed and drawStart unused): for |y| < max
;;   x̂ = f32(±((|y| + M) − M) · MUL[k]), M = 1.5·2^23·q in float32 with q the
;;   spacing of |y|'s binade (|y| < 2^22·q, so the sum's spacing is q: the add
;;   rounds |y| to a multiple of q, ties to even, and the subtract is exact),
;;   y's sign kept (−0 stays −0); |y| ≥ max, NaN and saturated as below.
;; Stochastic (rne = 0), per element, with the flat draw index
;; i = drawStart + (offset in X):
;;   d = mulberry32 draw i (state seed + (i + 1)·0x6D2B79F5, rng.ts's mix)
;;   y = f32(x / SIN[k]) when divide, else f32(x · SIN[k]) (float32 operands:
;;       the correctly rounded float32 op is the JS's rounded float64 one)
;;   a = |y|, f = a's float32 exponent field; the grid spacing in that binade
;;       q = 2^(clamp(f, loField, hiField) − manBits − 127) and 1/q, made from
;;       bits (stochasticKernels.ts's quantumOf/invQuantumOf tables; tested equal)
;;   lo = floor(a/q)·q, frac = (a − lo)/q (exact, as the JS; computed as a·(1/q) −
;;       floor(a·(1/q)), the same value: every step is exact)
;;   round |y| up to lo + q when
;;     y ≥ 0 (sign bit clear): u < frac             ⇔ d < ceil(frac·2^32)
;;     y < 0:                  u ≥ fl64(1 − frac)   ⇔ d > ~floor(R), where
;;       R = frac·2^32 rounded to a multiple of 2^−21, ties to even: 1 − frac
;;       rounded to float64 is exactly 1 − R/2^32 (its spacing in [½, 1) is
;;       2^−53; above ½ frac·2^32 is an integer, R = it); u < (2^32 − R)/2^32
;;       for an integer draw d is d ≤ 2^32 − 1 − floor(R) = ~floor(R) (u32),
;;       i.e. ~d < floor(R): both signs are one compare k < T of the integer
;;       k = d xor sign (u32) with T = frac·2^32 (y ≥ 0: d < ceil(F) ⇔ d < F) or
;;       floor(R), made exactly in float32 from k's 16-bit halves (see runs).
;;       First, cheaper: with h = k >>> 8 (exact in float32) and G = frac·2^24,
;;       up = h < G whenever h + 1 ≤ G or h ≥ G (for both signs; see runs); only
;;       the vectors with a lane in between (h < G < h + 1, one draw in 2^24)
;;       take the exact compare above
;;   x̂ = f32(±(lo or lo + q) · MUL[k]) with y's sign (−0 stays −0)
;;   |y| ≥ max (not NaN): x̂ = f32(±max · MUL[k]); NaN: NaN
;;   saturated: |y| > max and |t| finite, t = y when satOnY, else x
;;
;; mxScales(nRuns, width, emax, ceil, max): the OCP MX block exponents of
;; the nRuns consecutive runs of `width` elements of X (width a positive multiple of 4),
;; e8m0.ts's rules from each run's finite amax (NaN/±Inf skipped; amax 0 or an
;; f32(amax / max) of 0 gives −127; E clamped to [−127, 127]):
;;   floor (ceil = 0): E = floor(log2(amax)) − emax       (OCP MX v1.0 §6.3)
;;   ceil  (ceil ≠ 0): E = ceil(log2(f32(amax / max)))
;; log2 taken exactly from the float32 bits, subnormals included. Writes
;; SIN[k] = 2^−E and MUL[k] = 2^E (exact float32: 2^−127 is the subnormal
;; 0x00400000) and EXP[k] = E, ready for `runs` on the same X.
;;
;; Memory (bytes):
;;   0      f32[4096] SIN: input scale per run
;;   16384  f32[4096] MUL: output scale per run
;;   32768  u32[4096] SAT: saturated elements per run (out)
;;   49152  f32[16384] X: x in (of runs, mxScales, absmax and pass)
;;   114688 i32[4096] EXP: block exponent per run (out of mxScales)
;;   131072 u32[4096] AMAX: float32 bits of each run's finite amax (out of absmax)
;;   147456 f32[16384] OUT: x̂ (out of runs; x̂ in of pass)
;;   212992 f64[16] SUMS: pass's running sums: Σx² lanes 0-3, Σx̂², Σe², Σx·x̂ (loaded and stored by each call)
;;   213120 f64[2]  MAXE: pass's running max |e| (two lanes, loaded and stored)
;;   213136 i32[4]  FINITE: pass's finite elements of the call, each counted twice (stored)
;;   214016 u32[32769] BUCKETS: pass's error buckets (added to; the caller zeroes them)
;;   345104 v128[15] CONSTS: runs' loop constants (written by each call)
;;
;; absmax(nRuns, width): AMAX[k] = bits of max |x| over the finite x of run k of
;; X (width a positive multiple of 4; NaN/±Inf skipped, +0 when none): scales.ts
;; groupAbsmax per run. Magnitude bits compare as the magnitudes do.
;;
;; pass(n): the metrics + error-bucket pass over n (a multiple of 4, ≤ 16384)
;; elements, x at X and x̂ at OUT. Same float64 operations, in the same order,
;; as metrics.ts sumsChunk: each element e = x̂ − x with x, x̂ finite adds x²,
;; x̂², e², x·x̂ into lane (i mod 4) of its sum (i counted from the first
;; element, a multiple of 4), a non-finite one adds +0 (a lane that starts at
;; +0 never turns −0, so this equals leaving it out). The float32 error
;; f32(x̂ − x) (f32x4.sub: float32 operands make the double-rounded f64 → f32
;; difference the correctly rounded one) picks the bucket bits >>> 17; a
;; non-finite element goes to the spare bucket 32768 instead.
;; A call whose x and x̂ are all finite (the usual case; a scan of their
;; magnitude bits decides) runs a loop without the masks: it adds the same
;; values in the same order and counts all n elements.
(module
  (memory (export "mem") 6)
  ;; float32 bits of 2^n, n in [−127, 127]
  (func $pow2Bits (param $n i32) (result i32)
    (if (result i32) (i32.ge_s (local.get $n) (i32.const -126))
      (then (i32.shl (i32.add (local.get $n) (i32.const 127)) (i32.const 23)))
      (else (i32.const 0x00400000))))
  ;; floor(log2(v)) of a positive finite float32 from its magnitude bits (e8m0.ts floorLog2Bits)
  (func $floorLog2 (param $v i32) (result i32)
    (if (result i32) (i32.ge_u (local.get $v) (i32.const 0x00800000))
      (then (i32.sub (i32.shr_u (local.get $v) (i32.const 23)) (i32.const 127)))
      (else (i32.sub (i32.const -118) (i32.clz (local.get $v))))))
  ;; float32 bits of the finite amax of `width` elements at byte p (NaN/±Inf count as 0)
  (func $runAmax (param $p i32) (param $width i32) (result i32)
    (local $end i32) (local $m v128) (local $a v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $width) (i32.const 2))))
    (loop $vec
      (local.set $a (v128.and (v128.load (local.get $p)) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
      (local.set $m (i32x4.max_s (local.get $m) (v128.andnot (local.get $a)
        (i32x4.gt_s (local.get $a) (v128.const i32x4 0x7f7fffff 0x7f7fffff 0x7f7fffff 0x7f7fffff)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $vec (i32.lt_u (local.get $p) (local.get $end))))
    (local.set $m (i32x4.max_s (local.get $m)
      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $m) (local.get $m))))
    (local.set $m (i32x4.max_s (local.get $m)
      (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $m) (local.get $m))))
    (i32x4.extract_lane 0 (local.get $m)))
  (func (export "absmax") (param $nRuns i32) (param $width i32)
    (local $r i32)
    (block $done
      (br_if $done (i32.eqz (local.get $nRuns)))
      (loop $run
        (i32.store offset=131072 (i32.shl (local.get $r) (i32.const 2))
          (call $runAmax (i32.add (i32.const 49152) (i32.mul (i32.mul (local.get $r) (local.get $width)) (i32.const 4))) (local.get $width)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $run (i32.lt_u (local.get $r) (local.get $nRuns))))))
  (func (export "mxScales")
    (param $nRuns i32) (param $width i32) (param $emax i32) (param $ceil i32) (param $max f32)
    (local $r i32) (local $p i32)
    (local $bits i32) (local $v i32) (local $e i32)
    (local.set $p (i32.const 49152))
    (block $done
      (br_if $done (i32.eqz (local.get $nRuns)))
      (loop $run
        (local.set $bits (call $runAmax (local.get $p) (local.get $width)))
        (local.set $p (i32.add (local.get $p) (i32.shl (local.get $width) (i32.const 2))))
        (if (local.get $ceil)
          (then
            (local.set $v (i32.and (i32.reinterpret_f32
              (f32.div (f32.reinterpret_i32 (local.get $bits)) (local.get $max))) (i32.const 0x7fffffff)))
            (local.set $e (if (result i32) (i32.eqz (local.get $v))
              (then (i32.const -127))
              (else (i32.add (call $floorLog2 (local.get $v))
                ;; + 1 unless v is a power of two
                (if (result i32) (i32.ge_u (local.get $v) (i32.const 0x00800000))
                  (then (i32.ne (i32.and (local.get $v) (i32.const 0x007fffff)) (i32.const 0)))
                  (else (i32.ne (i32.and (local.get $v) (i32.sub (local.get $v) (i32.const 1))) (i32.const 0)))))))))
          (else
            (local.set $e (if (result i32) (i32.eqz (local.get $bits))
              (then (i32.const -127))
              (else (i32.sub (call $floorLog2 (local.get $bits)) (local.get $emax)))))))
        (if (i32.lt_s (local.get $e) (i32.const -127)) (then (local.set $e (i32.const -127))))
        (if (i32.gt_s (local.get $e) (i32.const 127)) (then (local.set $e (i32.const 127))))
        (i32.store (i32.shl (local.get $r) (i32.const 2)) (call $pow2Bits (i32.sub (i32.const 0) (local.get $e))))
        (i32.store offset=16384 (i32.shl (local.get $r) (i32.const 2)) (call $pow2Bits (local.get $e)))
        (i32.store offset=114688 (i32.shl (local.get $r) (i32.const 2)) (local.get $e))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $run (i32.lt_u (local.get $r) (local.get $nRuns))))))
  (func (export "runs")
    (param $nRuns i32) (param $width i32) (param $divide i32) (param $seed i32) (param $drawStart i32)
    (param $loField i32) (param $hiField i32) (param $manBits i32) (param $max f32) (param $satOnY i32)
    (param $rne i32)
    (result i32)
    (local $r i32) (local $p i32) (local $end i32) (local $satTotal i32) (local $satRun i32)
    (local $st v128) (local $t v128) (local $d v128)
    (local $sIn v128) (local $mul v128) (local $maxV v128) (local $satSel v128)
    (local $loV v128) (local $hiV v128) (local $manV v128)
    (local $x v128) (local $y v128) (local $a v128) (local $qf v128) (local $q v128)
    (local $ai v128) (local $fl v128) (local $F v128) (local $res v128) (local $sign v128) (local $neg v128)
    (local $sat v128) (local $k v128) (local $G v128) (local $hf v128) (local $up v128)
    (local $cAbs v128) (local $c23 v128) (local $cHalfMan v128) (local $c1 v128) (local $c61 v128) (local $cStep v128) (local $c254 v128) (local $cLo16 v128) (local $cP21 v128) (local $cM21 v128) (local $cP16 v128) (local $cInf v128) (local $cP24 v128) (local $cOne v128) (local $cP8 v128)
    ;; lanes j = 0..3 hold the states of draws drawStart + j: seed + (drawStart + 1 + j)·G
    (local.set $st (i32x4.add
      (i32x4.splat (i32.add (local.get $seed)
        (i32.mul (i32.add (local.get $drawStart) (i32.const 1)) (i32.const 0x6d2b79f5))))
      (v128.const i32x4 0 0x6d2b79f5 0xda56f3ea 0x47826ddf)))
    (local.set $maxV (f32x4.splat (local.get $max)))
    (local.set $satSel (i32x4.splat (i32.sub (i32.const 0) (i32.ne (local.get $satOnY) (i32.const 0)))))
    (local.set $loV (i32x4.splat (local.get $loField)))
    (local.set $hiV (i32x4.splat (local.get $hiField)))
    (local.set $manV (i32x4.splat (local.get $manBits)))
    ;; the loop's constants, stored and loaded back through CONSTS (see the header): V8's
    ;; optimizing compiler rebuilds every v128.const in the loop each iteration (three
    ;; instructions on x64, a local holding one included), but keeps a loaded value in a
    ;; register or a spill slot (stochastic runs ~15% faster in Node 20)
    (v128.store (i32.const 345104) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)) (local.set $cAbs (v128.load (i32.const 345104)))
    (v128.store (i32.const 345120) (v128.const i32x4 23 23 23 23)) (local.set $c23 (v128.load (i32.const 345120)))
    (v128.store (i32.const 345136) (v128.const i32x4 0x00400000 0x00400000 0x00400000 0x00400000)) (local.set $cHalfMan (v128.load (i32.const 345136)))
    (v128.store (i32.const 345152) (v128.const i32x4 1 1 1 1)) (local.set $c1 (v128.load (i32.const 345152)))
    (v128.store (i32.const 345168) (v128.const i32x4 61 61 61 61)) (local.set $c61 (v128.load (i32.const 345168)))
    (v128.store (i32.const 345184) (v128.const i32x4 0xb4ade7d4 0xb4ade7d4 0xb4ade7d4 0xb4ade7d4)) (local.set $cStep (v128.load (i32.const 345184)))
    (v128.store (i32.const 345200) (v128.const i32x4 254 254 254 254)) (local.set $c254 (v128.load (i32.const 345200)))
    (v128.store (i32.const 345216) (v128.const f32x4 0x1p24 0x1p24 0x1p24 0x1p24)) (local.set $cP24 (v128.load (i32.const 345216)))
    (v128.store (i32.const 345232) (v128.const i32x4 0xffff 0xffff 0xffff 0xffff)) (local.set $cLo16 (v128.load (i32.const 345232)))
    (v128.store (i32.const 345248) (v128.const f32x4 0x1p21 0x1p21 0x1p21 0x1p21)) (local.set $cP21 (v128.load (i32.const 345248)))
    (v128.store (i32.const 345264) (v128.const f32x4 0x1p-21 0x1p-21 0x1p-21 0x1p-21)) (local.set $cM21 (v128.load (i32.const 345264)))
    (v128.store (i32.const 345280) (v128.const f32x4 0x1p16 0x1p16 0x1p16 0x1p16)) (local.set $cP16 (v128.load (i32.const 345280)))
    (v128.store (i32.const 345296) (v128.const f32x4 inf inf inf inf)) (local.set $cInf (v128.load (i32.const 345296)))
    (v128.store (i32.const 345312) (v128.const f32x4 1 1 1 1)) (local.set $cOne (v128.load (i32.const 345312)))
    (v128.store (i32.const 345328) (v128.const f32x4 0x1p8 0x1p8 0x1p8 0x1p8)) (local.set $cP8 (v128.load (i32.const 345328)))
    (local.set $p (i32.const 49152))
    (block $done
      (br_if $done (i32.eqz (local.get $nRuns)))
      (loop $run
        (local.set $sIn (v128.load32_splat (i32.shl (local.get $r) (i32.const 2))))
        (local.set $mul (v128.load32_splat offset=16384 (i32.shl (local.get $r) (i32.const 2))))
        (local.set $sat (v128.const i32x4 0 0 0 0))
        (local.set $end (i32.add (local.get $p) (i32.shl (local.get $width) (i32.const 2))))
        (block $runDone
          (br_if $runDone (i32.ge_u (local.get $p) (local.get $end)))
          (loop $vec
            ;; y, |y|, y's sign bit and the exponent field of y's grid spacing
            (local.set $x (v128.load (local.get $p)))
            (local.set $y (if (result v128) (local.get $divide)
              (then (f32x4.div (local.get $x) (local.get $sIn)))
              (else (f32x4.mul (local.get $x) (local.get $sIn)))))
            (local.set $a (v128.and (local.get $y) (local.get $cAbs)))
            (local.set $sign (v128.xor (local.get $y) (local.get $a)))
            (local.set $qf (i32x4.sub
              (i32x4.min_s (i32x4.max_s (i32x4.shr_u (local.get $a) (i32.const 23)) (local.get $loV)) (local.get $hiV))
              (local.get $manV)))
            (if (local.get $rne)
              (then
                ;; M = 1.5·2^23·q: exponent field qf + 23, the top mantissa bit set
                (local.set $q (v128.or
                  (i32x4.shl (i32x4.add (local.get $qf) (local.get $c23)) (i32.const 23))
                  (local.get $cHalfMan)))
                (local.set $res (v128.or
                  (f32x4.sub (f32x4.add (local.get $a) (local.get $q)) (local.get $q))
                  (local.get $sign))))
              (else
            ;; the draws (rng.ts mix)
            (local.set $t (i32x4.mul
              (v128.xor (local.get $st) (i32x4.shr_u (local.get $st) (i32.const 15)))
              (v128.or (local.get $st) (local.get $c1))))
            (local.set $t (v128.xor
              (i32x4.add (local.get $t) (i32x4.mul
                (v128.xor (local.get $t) (i32x4.shr_u (local.get $t) (i32.const 7)))
                (v128.or (local.get $t) (local.get $c61))))
              (local.get $t)))
            (local.set $d (v128.xor (local.get $t) (i32x4.shr_u (local.get $t) (i32.const 14))))
            (local.set $st (i32x4.add (local.get $st) (local.get $cStep)))
            ;; y's grid neighbours: a/q = a·iq and its floor, both exact (iq a power of two,
            ;; a/q < 2^24); lo = floor(a/q)·q
            (local.set $q (i32x4.shl (local.get $qf) (i32.const 23)))
            (local.set $ai (f32x4.mul (local.get $a)
              (i32x4.shl (i32x4.sub (local.get $c254) (local.get $qf)) (i32.const 23))))
            (local.set $fl (f32x4.floor (local.get $ai)))
            ;; G = frac · 2^24, frac = a/q − floor(a/q): exact (Sterbenz, or a/q itself below 1)
            (local.set $G (f32x4.mul (f32x4.sub (local.get $ai) (local.get $fl)) (local.get $cP24)))
            (local.set $neg (i32x4.shr_s (local.get $y) (i32.const 31)))
            (local.set $k (v128.xor (local.get $d) (local.get $neg)))
            ;; up = k < T (header), first as h < G with h = k >>> 8 (k = 256·h + l, l < 256) and F = 256·G.
            ;; R rounds F to the 2^−21 grid, on which every integer lies, so m ≤ F ≤ m' for integers
            ;; m, m' gives m ≤ R ≤ m'.
            ;;  h ≥ G: the integer k ≥ 256·h ≥ F, so k ≥ ceil(F) ≥ R ≥ floor(R): not k < F, not k < floor(R)
            ;;  h + 1 ≤ G: k < m = 256·(h + 1) ≤ F ≤ R, so k < F and k < m ≤ floor(R)
            ;; h < 2^24 and h + 1 are exact in float32, so both tests are; a lane between them
            ;; (h < G < h + 1) sends its vector to the exact compare
            (local.set $hf (f32x4.convert_i32x4_s (i32x4.shr_u (local.get $k) (i32.const 8))))
            (local.set $up (f32x4.lt (local.get $hf) (local.get $G)))
            (if (v128.any_true (v128.and (local.get $up) (f32x4.lt (local.get $G) (f32x4.add (local.get $hf) (local.get $cOne)))))
              (then
                ;; k < T exactly, T = F (y ≥ 0) or floor(R) (y < 0), through k = hi·2^16 + lo:
                ;; k < T ⇔ lo < fl(T − hi·2^16). The difference D = T − hi·2^16 is a multiple of T's
                ;; spacing (2^16 is one), so in (0, 2^16) it has at most 24 bits and fl(D) = D; else
                ;; fl(D) ≤ 0 ≤ lo or fl(D) ≥ 2^16 > lo (rounding is monotone)
                (local.set $F (f32x4.mul (local.get $G) (local.get $cP8)))
                (local.set $up (f32x4.lt
                  (f32x4.convert_i32x4_s (v128.and (local.get $k) (local.get $cLo16)))
                  (f32x4.sub
                    (v128.bitselect
                      (f32x4.floor (f32x4.mul
                        (f32x4.nearest (f32x4.mul (local.get $F) (local.get $cP21)))
                        (local.get $cM21)))
                      (local.get $F)
                      (local.get $neg))
                    (f32x4.mul
                      (f32x4.convert_i32x4_s (i32x4.shr_u (local.get $k) (i32.const 16)))
                      (local.get $cP16)))))))
            (local.set $res (v128.or
              (f32x4.add (f32x4.mul (local.get $fl) (local.get $q)) (v128.and (local.get $q) (local.get $up)))
              (local.get $sign)))))
            ;; |y| ≥ max: ±max; else res, a NaN for a NaN y (floor(a/q) is NaN, and so the RNE sum)
            (local.set $res (v128.bitselect
              (v128.or (local.get $maxV) (local.get $sign))
              (local.get $res)
              (f32x4.ge (local.get $a) (local.get $maxV))))
            (local.set $sat (i32x4.sub (local.get $sat) (v128.and
              (f32x4.gt (local.get $a) (local.get $maxV))
              (f32x4.lt
                (v128.bitselect (local.get $a) (v128.and (local.get $x) (local.get $cAbs)) (local.get $satSel))
                (local.get $cInf)))))
            (v128.store offset=98304 (local.get $p) (f32x4.mul (local.get $res) (local.get $mul)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br_if $vec (i32.lt_u (local.get $p) (local.get $end)))))
        (local.set $satRun (i32.add
          (i32.add (i32x4.extract_lane 0 (local.get $sat)) (i32x4.extract_lane 1 (local.get $sat)))
          (i32.add (i32x4.extract_lane 2 (local.get $sat)) (i32x4.extract_lane 3 (local.get $sat)))))
        (i32.store offset=32768 (i32.shl (local.get $r) (i32.const 2)) (local.get $satRun))
        (local.set $satTotal (i32.add (local.get $satTotal) (local.get $satRun)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $run (i32.lt_u (local.get $r) (local.get $nRuns)))))
    (local.get $satTotal))
  (func (export "pass") (param $n i32)
    (local $p i32) (local $end i32) (local $k i32)
    (local $va v128) (local $vb v128)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128) (local $d0 v128) (local $d1 v128)
    (local $m0 v128) (local $m1 v128) (local $idx v128)
    (local $sx0 v128) (local $sx1 v128) (local $sh0 v128) (local $sh1 v128)
    (local $se0 v128) (local $se1 v128) (local $sxh0 v128) (local $sxh1 v128)
    (local $mx v128) (local $cnt v128) (local $big v128)
    (local.set $sx0 (v128.load (i32.const 212992)))
    (local.set $sx1 (v128.load (i32.const 213008)))
    (local.set $sh0 (v128.load (i32.const 213024)))
    (local.set $sh1 (v128.load (i32.const 213040)))
    (local.set $se0 (v128.load (i32.const 213056)))
    (local.set $se1 (v128.load (i32.const 213072)))
    (local.set $sxh0 (v128.load (i32.const 213088)))
    (local.set $sxh1 (v128.load (i32.const 213104)))
    (local.set $mx (v128.load (i32.const 213120)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (br_if $done (i32.eqz (local.get $end)))
      ;; the largest magnitude bits of x and x̂: all finite when none is above 0x7f7fffff
      (loop $scan
        (local.set $big (i32x4.max_u (local.get $big) (i32x4.max_u
          (v128.and (v128.load offset=49152 (local.get $p)) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))
          (v128.and (v128.load offset=147456 (local.get $p)) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br_if $scan (i32.lt_u (local.get $p) (local.get $end))))
      (local.set $p (i32.const 0))
      (if (i32.eqz (v128.any_true (i32x4.gt_u (local.get $big) (v128.const i32x4 0x7f7fffff 0x7f7fffff 0x7f7fffff 0x7f7fffff))))
        (then
          ;; each element counted twice: n/2 in each lane
          (local.set $cnt (i32x4.splat (i32.shr_u (local.get $n) (i32.const 1))))
          (loop $fast
            (local.set $va (v128.load offset=49152 (local.get $p)))
            (local.set $vb (v128.load offset=147456 (local.get $p)))
            (local.set $a0 (f64x2.promote_low_f32x4 (local.get $va)))
            (local.set $a1 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $va) (local.get $va))))
            (local.set $b0 (f64x2.promote_low_f32x4 (local.get $vb)))
            (local.set $b1 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $vb) (local.get $vb))))
            (local.set $d0 (f64x2.sub (local.get $b0) (local.get $a0)))
            (local.set $d1 (f64x2.sub (local.get $b1) (local.get $a1)))
            (local.set $sx0 (f64x2.add (local.get $sx0) (f64x2.mul (local.get $a0) (local.get $a0))))
            (local.set $sh0 (f64x2.add (local.get $sh0) (f64x2.mul (local.get $b0) (local.get $b0))))
            (local.set $se0 (f64x2.add (local.get $se0) (f64x2.mul (local.get $d0) (local.get $d0))))
            (local.set $sxh0 (f64x2.add (local.get $sxh0) (f64x2.mul (local.get $a0) (local.get $b0))))
            (local.set $sx1 (f64x2.add (local.get $sx1) (f64x2.mul (local.get $a1) (local.get $a1))))
            (local.set $sh1 (f64x2.add (local.get $sh1) (f64x2.mul (local.get $b1) (local.get $b1))))
            (local.set $se1 (f64x2.add (local.get $se1) (f64x2.mul (local.get $d1) (local.get $d1))))
            (local.set $sxh1 (f64x2.add (local.get $sxh1) (f64x2.mul (local.get $a1) (local.get $b1))))
            (local.set $mx (f64x2.pmax (local.get $mx) (f64x2.abs (local.get $d0))))
            (local.set $mx (f64x2.pmax (local.get $mx) (f64x2.abs (local.get $d1))))
            (local.set $idx (i32x4.shl (i32x4.shr_u (f32x4.sub (local.get $vb) (local.get $va)) (i32.const 17)) (i32.const 2)))
            (local.set $k (i32x4.extract_lane 0 (local.get $idx)))
            (i32.store offset=214016 (local.get $k) (i32.add (i32.load offset=214016 (local.get $k)) (i32.const 1)))
            (local.set $k (i32x4.extract_lane 1 (local.get $idx)))
            (i32.store offset=214016 (local.get $k) (i32.add (i32.load offset=214016 (local.get $k)) (i32.const 1)))
            (local.set $k (i32x4.extract_lane 2 (local.get $idx)))
            (i32.store offset=214016 (local.get $k) (i32.add (i32.load offset=214016 (local.get $k)) (i32.const 1)))
            (local.set $k (i32x4.extract_lane 3 (local.get $idx)))
            (i32.store offset=214016 (local.get $k) (i32.add (i32.load offset=214016 (local.get $k)) (i32.const 1)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br_if $fast (i32.lt_u (local.get $p) (local.get $end))))
          (br $done)))
      (loop $group
        (local.set $va (v128.load offset=49152 (local.get $p)))
        (local.set $vb (v128.load offset=147456 (local.get $p)))
        ;; elements 0, 1 (lanes 0, 1) and 2, 3 (lanes 2, 3) as float64
        (local.set $a0 (f64x2.promote_low_f32x4 (local.get $va)))
        (local.set $a1 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $va) (local.get $va))))
        (local.set $b0 (f64x2.promote_low_f32x4 (local.get $vb)))
        (local.set $b1 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $vb) (local.get $vb))))
        (local.set $d0 (f64x2.sub (local.get $b0) (local.get $a0)))
        (local.set $d1 (f64x2.sub (local.get $b1) (local.get $a1)))
        ;; all ones where e − e = 0, i.e. x and x̂ finite and e finite
        (local.set $m0 (f64x2.eq (f64x2.sub (local.get $d0) (local.get $d0)) (v128.const f64x2 0 0)))
        (local.set $m1 (f64x2.eq (f64x2.sub (local.get $d1) (local.get $d1)) (v128.const f64x2 0 0)))
        (local.set $a0 (v128.and (local.get $a0) (local.get $m0)))
        (local.set $b0 (v128.and (local.get $b0) (local.get $m0)))
        (local.set $d0 (v128.and (local.get $d0) (local.get $m0)))
        (local.set $a1 (v128.and (local.get $a1) (local.get $m1)))
        (local.set $b1 (v128.and (local.get $b1) (local.get $m1)))
        (local.set $d1 (v128.and (local.get $d1) (local.get $m1)))
        (local.set $sx0 (f64x2.add (local.get $sx0) (f64x2.mul (local.get $a0) (local.get $a0))))
        (local.set $sh0 (f64x2.add (local.get $sh0) (f64x2.mul (local.get $b0) (local.get $b0))))
        (local.set $se0 (f64x2.add (local.get $se0) (f64x2.mul (local.get $d0) (local.get $d0))))
        (local.set $sxh0 (f64x2.add (local.get $sxh0) (f64x2.mul (local.get $a0) (local.get $b0))))
        (local.set $sx1 (f64x2.add (local.get $sx1) (f64x2.mul (local.get $a1) (local.get $a1))))
        (local.set $sh1 (f64x2.add (local.get $sh1) (f64x2.mul (local.get $b1) (local.get $b1))))
        (local.set $se1 (f64x2.add (local.get $se1) (f64x2.mul (local.get $d1) (local.get $d1))))
        (local.set $sxh1 (f64x2.add (local.get $sxh1) (f64x2.mul (local.get $a1) (local.get $b1))))
        ;; |e| ≥ +0 and never NaN here, so the pseudo-max is the max
        (local.set $mx (f64x2.pmax (local.get $mx) (f64x2.abs (local.get $d0))))
        (local.set $mx (f64x2.pmax (local.get $mx) (f64x2.abs (local.get $d1))))
        (local.set $cnt (i32x4.sub (i32x4.sub (local.get $cnt) (local.get $m0)) (local.get $m1)))
        ;; bucket byte offsets: 4·(bits(f32(x̂ − x)) >>> 17), or 4·32768 for a non-finite element
        (local.set $idx (v128.bitselect
          (i32x4.shl (i32x4.shr_u (f32x4.sub (local.get $vb) (local.get $va)) (i32.const 17)) (i32.const 2))
          (v128.const i32x4 131072 131072 131072 131072)
          (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $m0) (local.get $m1))))
        (local.set $k (i32x4.extract_lane 0 (local.get $idx)))
        (i32.store offset=214016 (local.get $k) (i32.add (i32.load offset=214016 (local.get $k)) (i32.const 1)))
        (local.set $k (i32x4.extract_lane 1 (local.get $idx)))
        (i32.store offset=214016 (local.get $k) (i32.add (i32.load offset=214016 (local.get $k)) (i32.const 1)))
        (local.set $k (i32x4.extract_lane 2 (local.get $idx)))
        (i32.store offset=214016 (local.get $k) (i32.add (i32.load offset=214016 (local.get $k)) (i32.const 1)))
        (local.set $k (i32x4.extract_lane 3 (local.get $idx)))
        (i32.store offset=214016 (local.get $k) (i32.add (i32.load offset=214016 (local.get $k)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br_if $group (i32.lt_u (local.get $p) (local.get $end)))))
    (v128.store (i32.const 212992) (local.get $sx0))
    (v128.store (i32.const 213008) (local.get $sx1))
    (v128.store (i32.const 213024) (local.get $sh0))
    (v128.store (i32.const 213040) (local.get $sh1))
    (v128.store (i32.const 213056) (local.get $se0))
    (v128.store (i32.const 213072) (local.get $se1))
    (v128.store (i32.const 213088) (local.get $sxh0))
    (v128.store (i32.const 213104) (local.get $sxh1))
    (v128.store (i32.const 213120) (local.get $mx))
    (v128.store (i32.const 213136) (local.get $cnt))))
