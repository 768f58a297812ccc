;; The fused metrics + error-bucket pass (histogram.ts accumulateErrorPass) in
;; WebAssembly SIMD. Built into errorPassWasm.ts by `npm run wasm`
;; (scripts/build-wasm.mjs, wabt); a test checks that the committed bytes are
;; this file's.
;;
;; pass(n): n (a multiple of 4, ≤ 16384) elements of x at X and x̂ at XHAT.
;; Same float64 operations, in the same order, as metrics.ts sumsChunk: each
;; element e = x̂ − x with x, x̂ finite adds x², x̂², e², x·x̂ into lane
;; (i mod 4) of its sum (i counted from the first element, a multiple of 4), a
;; non-finite one adds +0 (a lane that starts at +0 never turns −0, so this
;; equals leaving it out). The float32 error f32(x̂ − x) (f32x4.sub: float32
;; operands make the double-rounded f64 → f32 difference the correctly rounded
;; one) picks the bucket bits >>> 17; a non-finite element goes to the spare
;; bucket 32768 instead.
;; A call whose x and x̂ are all finite (the usual case; a scan of their
;; magnitude bits decides) runs a loop without the masks: it adds the same
;; values in the same order and counts all n elements.
;;
;; Memory (bytes):
;;   0     f64[16] running sums: Σx² lanes 0-3, Σx̂², Σe², Σx·x̂ (loaded and stored by each call)
;;   128   f64[2]  running max |e| (two lanes, loaded and stored)
;;   144   i32[4]  finite elements of this call, each counted twice (stored)
;;   1024  u32[32769] buckets (added to; the caller zeroes them)
;;   135168 f32[16384] x
;;   200704 f32[16384] x̂
(module
  (memory (export "mem") 5)
  (func (export "pass") (param $n i32)
    (local $p i32) (local $end i32) (local $k i32)
    (local $va v128) (local $vb v128)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128) (local $d0 v128) (local $d1 v128)
    (local $m0 v128) (local $m1 v128) (local $idx v128)
    (local $sx0 v128) (local $sx1 v128) (local $sh0 v128) (local $sh1 v128)
    (local $se0 v128) (local $se1 v128) (local $sxh0 v128) (local $sxh1 v128)
    (local $mx v128) (local $cnt v128) (local $big v128)
    (local.set $sx0 (v128.load (i32.const 0)))
    (local.set $sx1 (v128.load (i32.const 16)))
    (local.set $sh0 (v128.load (i32.const 32)))
    (local.set $sh1 (v128.load (i32.const 48)))
    (local.set $se0 (v128.load (i32.const 64)))
    (local.set $se1 (v128.load (i32.const 80)))
    (local.set $sxh0 (v128.load (i32.const 96)))
    (local.set $sxh1 (v128.load (i32.const 112)))
    (local.set $mx (v128.load (i32.const 128)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (br_if $done (i32.eqz (local.get $end)))
      ;; the largest magnitude bits of x and x̂: all finite when none is above 0x7f7fffff
      (loop $scan
        (local.set $big (i32x4.max_u (local.get $big) (i32x4.max_u
          (v128.and (v128.load offset=135168 (local.get $p)) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))
          (v128.and (v128.load offset=200704 (local.get $p)) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br_if $scan (i32.lt_u (local.get $p) (local.get $end))))
      (local.set $p (i32.const 0))
      (if (i32.eqz (v128.any_true (i32x4.gt_u (local.get $big) (v128.const i32x4 0x7f7fffff 0x7f7fffff 0x7f7fffff 0x7f7fffff))))
        (then
          ;; each element counted twice: n/2 in each lane
          (local.set $cnt (i32x4.splat (i32.shr_u (local.get $n) (i32.const 1))))
          (loop $fast
            (local.set $va (v128.load offset=135168 (local.get $p)))
            (local.set $vb (v128.load offset=200704 (local.get $p)))
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
            (i32.store offset=1024 (local.get $k) (i32.add (i32.load offset=1024 (local.get $k)) (i32.const 1)))
            (local.set $k (i32x4.extract_lane 1 (local.get $idx)))
            (i32.store offset=1024 (local.get $k) (i32.add (i32.load offset=1024 (local.get $k)) (i32.const 1)))
            (local.set $k (i32x4.extract_lane 2 (local.get $idx)))
            (i32.store offset=1024 (local.get $k) (i32.add (i32.load offset=1024 (local.get $k)) (i32.const 1)))
            (local.set $k (i32x4.extract_lane 3 (local.get $idx)))
            (i32.store offset=1024 (local.get $k) (i32.add (i32.load offset=1024 (local.get $k)) (i32.const 1)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br_if $fast (i32.lt_u (local.get $p) (local.get $end))))
          (br $done)))
      (loop $group
        (local.set $va (v128.load offset=135168 (local.get $p)))
        (local.set $vb (v128.load offset=200704 (local.get $p)))
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
        (i32.store offset=1024 (local.get $k) (i32.add (i32.load offset=1024 (local.get $k)) (i32.const 1)))
        (local.set $k (i32x4.extract_lane 1 (local.get $idx)))
        (i32.store offset=1024 (local.get $k) (i32.add (i32.load offset=1024 (local.get $k)) (i32.const 1)))
        (local.set $k (i32x4.extract_lane 2 (local.get $idx)))
        (i32.store offset=1024 (local.get $k) (i32.add (i32.load offset=1024 (local.get $k)) (i32.const 1)))
        (local.set $k (i32x4.extract_lane 3 (local.get $idx)))
        (i32.store offset=1024 (local.get $k) (i32.add (i32.load offset=1024 (local.get $k)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br_if $group (i32.lt_u (local.get $p) (local.get $end)))))
    (v128.store (i32.const 0) (local.get $sx0))
    (v128.store (i32.const 16) (local.get $sx1))
    (v128.store (i32.const 32) (local.get $sh0))
    (v128.store (i32.const 48) (local.get $sh1))
    (v128.store (i32.const 64) (local.get $se0))
    (v128.store (i32.const 80) (local.get $se1))
    (v128.store (i32.const 96) (local.get $sxh0))
    (v128.store (i32.const 112) (local.get $sxh1))
    (v128.store (i32.const 128) (local.get $mx))
    (v128.store (i32.const 144) (local.get $cnt))))
