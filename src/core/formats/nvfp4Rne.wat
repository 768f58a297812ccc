;; NVFP4 RNE quantization (nvfp4.ts's row kernel) in WebAssembly SIMD, for
;; tensors whose rows are whole blocks (cols a multiple of 16), so the blocks
;; are consecutive runs of 16 elements. Built into nvfp4RneWasm.ts by
;; `npm run wasm`; a test checks that the committed bytes are this file's.
;;
;; blocks(nb, g, scalesOnly): quantizes nb blocks of X in place and returns
;; the number of saturated elements; with scalesOnly ≠ 0 it only writes the
;; block scales (X, the counts and the result are then left as they are / 0). Per block, as nvfp4.ts (the same operations, so the
;; same bits; tested):
;;   amax = largest finite |x| (as bits), s: v = f32(f32(amax / 6) / g),
;;   m = E4M3_MAGIC[exponent of v], S = f32((min(v, 448) + m − m) · g)
;;   (float64, as the JS; S = 0 when g = 0);
;;   S = 0: x̂ = ±0 with the sign of x, NaN stays NaN;
;;   else y = f32(x / S) (f32x4.div: float32 operands make the double-rounded
;;   float64 quotient the correctly rounded one), a = min(|y|, 6),
;;   q = a rounded to the E2M1 grid (spacing 0.5 below 2, 1 below 4, 2 above,
;;   by y's magnitude as the JS table by y's exponent), x̂ = f32(±q · S) with
;;   y's sign; saturated = count of |y| > 6 or non-finite y, less the
;;   non-finite x.
;;
;; Memory (bytes):
;;   0     f64[256] E4M3 magic table by float32 exponent (blockCommon.ts elementMagic; written by the caller)
;;   2048  f32[1024] block scales S (out)
;;   6144  u16[1024] saturated elements per block (out)
;;   8192  f32[16384] x in, x̂ out
(module
  (memory (export "mem") 2)
  (func (export "blocks") (param $nb i32) (param $g f64) (param $scalesOnly i32) (result i32)
    (local $b i32) (local $p i32) (local $j i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $amax v128) (local $bad v128) (local $a v128)
    (local $amaxBits i32) (local $nonFinite i32) (local $f f32) (local $m f64) (local $S f32)
    (local $Sv v128) (local $y v128) (local $q v128) (local $mag v128) (local $sat v128)
    (local $satBlock i32) (local $satTotal i32)
    (block $done
      (br_if $done (i32.eqz (local.get $nb)))
      (loop $block
        (local.set $p (i32.add (i32.const 8192) (i32.shl (local.get $b) (i32.const 6))))
        (local.set $v0 (v128.load (local.get $p)))
        (local.set $v1 (v128.load offset=16 (local.get $p)))
        (local.set $v2 (v128.load offset=32 (local.get $p)))
        (local.set $v3 (v128.load offset=48 (local.get $p)))
        ;; finite amax bits and the count of non-finite x
        (local.set $amax (i32x4.splat (i32.const 0)))
        (local.set $bad (i32x4.splat (i32.const 0)))
        (local.set $a (v128.and (local.get $v0) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
        (local.set $mag (i32x4.gt_u (local.get $a) (v128.const i32x4 0x7f7fffff 0x7f7fffff 0x7f7fffff 0x7f7fffff)))
        (local.set $bad (i32x4.sub (local.get $bad) (local.get $mag)))
        (local.set $amax (i32x4.max_u (local.get $amax) (v128.andnot (local.get $a) (local.get $mag))))
        (local.set $a (v128.and (local.get $v1) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
        (local.set $mag (i32x4.gt_u (local.get $a) (v128.const i32x4 0x7f7fffff 0x7f7fffff 0x7f7fffff 0x7f7fffff)))
        (local.set $bad (i32x4.sub (local.get $bad) (local.get $mag)))
        (local.set $amax (i32x4.max_u (local.get $amax) (v128.andnot (local.get $a) (local.get $mag))))
        (local.set $a (v128.and (local.get $v2) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
        (local.set $mag (i32x4.gt_u (local.get $a) (v128.const i32x4 0x7f7fffff 0x7f7fffff 0x7f7fffff 0x7f7fffff)))
        (local.set $bad (i32x4.sub (local.get $bad) (local.get $mag)))
        (local.set $amax (i32x4.max_u (local.get $amax) (v128.andnot (local.get $a) (local.get $mag))))
        (local.set $a (v128.and (local.get $v3) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
        (local.set $mag (i32x4.gt_u (local.get $a) (v128.const i32x4 0x7f7fffff 0x7f7fffff 0x7f7fffff 0x7f7fffff)))
        (local.set $bad (i32x4.sub (local.get $bad) (local.get $mag)))
        (local.set $amax (i32x4.max_u (local.get $amax) (v128.andnot (local.get $a) (local.get $mag))))
        (local.set $amax (i32x4.max_u (local.get $amax) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $amax) (local.get $amax))))
        (local.set $amax (i32x4.max_u (local.get $amax) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $amax) (local.get $amax))))
        (local.set $amaxBits (i32x4.extract_lane 0 (local.get $amax)))
        (local.set $nonFinite (i32.add
          (i32.add (i32x4.extract_lane 0 (local.get $bad)) (i32x4.extract_lane 1 (local.get $bad)))
          (i32.add (i32x4.extract_lane 2 (local.get $bad)) (i32x4.extract_lane 3 (local.get $bad)))))
        ;; block scale S (float64 operations of the JS kernel)
        (local.set $S (f32.const 0))
        (if (f64.ne (local.get $g) (f64.const 0))
          (then
            (local.set $f (f32.demote_f64 (f64.div
              (f64.promote_f32 (f32.demote_f64 (f64.div (f64.promote_f32 (f32.reinterpret_i32 (local.get $amaxBits))) (f64.const 6))))
              (local.get $g))))
            (local.set $m (f64.load (i32.shl (i32.and (i32.shr_u (i32.reinterpret_f32 (local.get $f)) (i32.const 23)) (i32.const 0xff)) (i32.const 3))))
            (local.set $S (f32.demote_f64 (f64.mul
              (f64.sub (f64.add (f64.min (f64.promote_f32 (local.get $f)) (f64.const 448)) (local.get $m)) (local.get $m))
              (local.get $g))))))
        (f32.store offset=2048 (i32.shl (local.get $b) (i32.const 2)) (local.get $S))
        (local.set $satBlock (i32.const 0))
        (if (local.get $scalesOnly) (then) (else
        (if (f32.eq (local.get $S) (f32.const 0))
          (then
            ;; ±0 by the sign of x; NaN stays NaN
            (local.set $j (i32.const 0))
            (loop $zero
              (local.set $y (v128.load (i32.add (local.get $p) (local.get $j))))
              (v128.store (i32.add (local.get $p) (local.get $j))
                (v128.bitselect (local.get $y)
                  (v128.and (local.get $y) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))
                  (f32x4.ne (local.get $y) (local.get $y))))
              (local.set $j (i32.add (local.get $j) (i32.const 16)))
              (br_if $zero (i32.lt_u (local.get $j) (i32.const 64)))))
          (else
            (local.set $Sv (f32x4.splat (local.get $S)))
            (local.set $sat (i32x4.splat (i32.const 0)))
            (local.set $j (i32.const 0))
            (loop $elems
              (local.set $y (f32x4.div (v128.load (i32.add (local.get $p) (local.get $j))) (local.get $Sv)))
              (local.set $mag (v128.and (local.get $y) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
              (local.set $sat (i32x4.sub (local.get $sat)
                (i32x4.gt_u (local.get $mag) (v128.const i32x4 0x40c00000 0x40c00000 0x40c00000 0x40c00000))))
              ;; magic 1.5 · 2^23 · spacing: 0.5 below 2, 1 below 4, else 2 (a NaN lane gives NaN whatever it picks)
              (local.set $q (v128.bitselect
                (v128.const f32x4 6291456 6291456 6291456 6291456)
                (v128.bitselect
                  (v128.const f32x4 12582912 12582912 12582912 12582912)
                  (v128.const f32x4 25165824 25165824 25165824 25165824)
                  (f32x4.lt (local.get $mag) (v128.const f32x4 4 4 4 4)))
                (f32x4.lt (local.get $mag) (v128.const f32x4 2 2 2 2))))
              (local.set $a (f32x4.min (local.get $mag) (v128.const f32x4 6 6 6 6)))
              (local.set $a (f32x4.sub (f32x4.add (local.get $a) (local.get $q)) (local.get $q)))
              (v128.store (i32.add (local.get $p) (local.get $j))
                (f32x4.mul
                  (v128.or (local.get $a) (v128.and (local.get $y) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)))
                  (local.get $Sv)))
              (local.set $j (i32.add (local.get $j) (i32.const 16)))
              (br_if $elems (i32.lt_u (local.get $j) (i32.const 64))))
            (local.set $satBlock (i32.sub
              (i32.add
                (i32.add (i32x4.extract_lane 0 (local.get $sat)) (i32x4.extract_lane 1 (local.get $sat)))
                (i32.add (i32x4.extract_lane 2 (local.get $sat)) (i32x4.extract_lane 3 (local.get $sat))))
              (local.get $nonFinite)))))))
        (i32.store16 offset=6144 (i32.shl (local.get $b) (i32.const 1)) (local.get $satBlock))
        (local.set $satTotal (i32.add (local.get $satTotal) (local.get $satBlock)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br_if $block (i32.lt_u (local.get $b) (local.get $nb)))))
    (local.get $satTotal)))
