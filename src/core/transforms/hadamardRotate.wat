;; The forward Hadamard rotation of transforms/hadamard.ts (rotateFused:
;; X' = f32(((x · d) · H_g) / √G) per block of g along the rows) in
;; WebAssembly SIMD. Built into hadamardRotateWasm.ts by `npm run wasm`; a
;; test checks that the committed bytes are this file's.
;;
;; Same bits as the JavaScript: every butterfly is the same float64 addition
;; or subtraction of the same two operands (the stage order within a block does
;; not change any operand), the signs multiply x in float64, and each output
;; is v · scale (mode 0, exact 1/√G) or v / scale (mode 1, √G) rounded once to
;; float32.
;;
;; rotate(n, g, cols, signed, mode, scale): the n elements at X (whole rows of
;; `cols`, g a power of two ≥ 4 dividing cols), in place; signed ≠ 0 applies
;; SIGNS[column] first.
;;
;; Memory (bytes):
;;   0       f64[65536] SIGNS (±1 per column; written by the caller)
;;   524288  f64[16384] V (one block)
;;   655360  f32[65536] X in, X' out
(module
  (memory (export "mem") 16)
  (func (export "rotate") (param $n i32) (param $g i32) (param $cols i32) (param $signed i32) (param $mode i32) (param $scale f64)
    (local $base i32) (local $col i32) (local $k i32) (local $gb i32) (local $h i32) (local $hb i32)
    (local $i i32) (local $j i32) (local $end i32) (local $xa i32)
    (local $v v128) (local $w v128) (local $a v128) (local $b v128) (local $sc v128)
    (local $o1 i32) (local $o2 i32) (local $o3 i32) (local $o4 i32) (local $o5 i32) (local $o6 i32) (local $o7 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128) (local $b4 v128) (local $b5 v128) (local $b6 v128) (local $b7 v128)
    (local.set $gb (i32.shl (local.get $g) (i32.const 3)))
    (local.set $sc (f64x2.splat (local.get $scale)))
    (block $doneBlocks
      (loop $block
        (br_if $doneBlocks (i32.ge_u (local.get $base) (local.get $n)))
        (local.set $xa (i32.add (i32.const 655360) (i32.shl (local.get $base) (i32.const 2))))
        ;; load (signs applied) and stage 1: (v0, v1) → (v0 + v1, v0 − v1)
        (local.set $k (i32.const 0))
        (loop $load
          (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $xa) (i32.shr_u (local.get $k) (i32.const 1))))))
          (if (local.get $signed)
            (then (local.set $v (f64x2.mul (local.get $v)
              (v128.load (i32.add (i32.shl (local.get $col) (i32.const 3)) (local.get $k)))))))
          (local.set $w (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))
          (v128.store offset=524288 (local.get $k)
            (i8x16.shuffle 0 1 2 3 4 5 6 7 24 25 26 27 28 29 30 31
              (f64x2.add (local.get $v) (local.get $w))
              (f64x2.sub (local.get $w) (local.get $v))))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br_if $load (i32.lt_u (local.get $k) (local.get $gb))))
        ;; stages h = 2, 4, …, g/2: (v[j], v[j + h]) → (a + b, a − b); three stages per pass while they
        ;; fit (the same butterflies on the same operands as stage by stage), then one at a time
        (local.set $h (i32.const 2))
        (block $doneRadix8
          (loop $pass8
            (br_if $doneRadix8 (i32.gt_u (i32.shl (local.get $h) (i32.const 3)) (local.get $g)))
            (local.set $hb (i32.shl (local.get $h) (i32.const 3)))
            (local.set $o1 (local.get $hb))
            (local.set $o2 (i32.mul (local.get $hb) (i32.const 2)))
            (local.set $o3 (i32.mul (local.get $hb) (i32.const 3)))
            (local.set $o4 (i32.mul (local.get $hb) (i32.const 4)))
            (local.set $o5 (i32.mul (local.get $hb) (i32.const 5)))
            (local.set $o6 (i32.mul (local.get $hb) (i32.const 6)))
            (local.set $o7 (i32.mul (local.get $hb) (i32.const 7)))
            (local.set $i (i32.const 0))
            (loop $group8
              (local.set $j (local.get $i))
              (local.set $end (i32.add (local.get $i) (local.get $hb)))
              (loop $oct
                (local.set $a0 (v128.load offset=524288 (local.get $j)))
                (local.set $a1 (v128.load offset=524288 (i32.add (local.get $j) (local.get $o1))))
                (local.set $a2 (v128.load offset=524288 (i32.add (local.get $j) (local.get $o2))))
                (local.set $a3 (v128.load offset=524288 (i32.add (local.get $j) (local.get $o3))))
                (local.set $a4 (v128.load offset=524288 (i32.add (local.get $j) (local.get $o4))))
                (local.set $a5 (v128.load offset=524288 (i32.add (local.get $j) (local.get $o5))))
                (local.set $a6 (v128.load offset=524288 (i32.add (local.get $j) (local.get $o6))))
                (local.set $a7 (v128.load offset=524288 (i32.add (local.get $j) (local.get $o7))))
                (local.set $b0 (f64x2.add (local.get $a0) (local.get $a1))) (local.set $b1 (f64x2.sub (local.get $a0) (local.get $a1)))
                (local.set $b2 (f64x2.add (local.get $a2) (local.get $a3))) (local.set $b3 (f64x2.sub (local.get $a2) (local.get $a3)))
                (local.set $b4 (f64x2.add (local.get $a4) (local.get $a5))) (local.set $b5 (f64x2.sub (local.get $a4) (local.get $a5)))
                (local.set $b6 (f64x2.add (local.get $a6) (local.get $a7))) (local.set $b7 (f64x2.sub (local.get $a6) (local.get $a7)))
                (local.set $a0 (f64x2.add (local.get $b0) (local.get $b2))) (local.set $a2 (f64x2.sub (local.get $b0) (local.get $b2)))
                (local.set $a1 (f64x2.add (local.get $b1) (local.get $b3))) (local.set $a3 (f64x2.sub (local.get $b1) (local.get $b3)))
                (local.set $a4 (f64x2.add (local.get $b4) (local.get $b6))) (local.set $a6 (f64x2.sub (local.get $b4) (local.get $b6)))
                (local.set $a5 (f64x2.add (local.get $b5) (local.get $b7))) (local.set $a7 (f64x2.sub (local.get $b5) (local.get $b7)))
                (v128.store offset=524288 (local.get $j) (f64x2.add (local.get $a0) (local.get $a4))) (v128.store offset=524288 (i32.add (local.get $j) (local.get $o4)) (f64x2.sub (local.get $a0) (local.get $a4)))
                (v128.store offset=524288 (i32.add (local.get $j) (local.get $o1)) (f64x2.add (local.get $a1) (local.get $a5))) (v128.store offset=524288 (i32.add (local.get $j) (local.get $o5)) (f64x2.sub (local.get $a1) (local.get $a5)))
                (v128.store offset=524288 (i32.add (local.get $j) (local.get $o2)) (f64x2.add (local.get $a2) (local.get $a6))) (v128.store offset=524288 (i32.add (local.get $j) (local.get $o6)) (f64x2.sub (local.get $a2) (local.get $a6)))
                (v128.store offset=524288 (i32.add (local.get $j) (local.get $o3)) (f64x2.add (local.get $a3) (local.get $a7))) (v128.store offset=524288 (i32.add (local.get $j) (local.get $o7)) (f64x2.sub (local.get $a3) (local.get $a7)))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br_if $oct (i32.lt_u (local.get $j) (local.get $end))))
              (local.set $i (i32.add (local.get $i) (i32.shl (local.get $hb) (i32.const 3))))
              (br_if $group8 (i32.lt_u (local.get $i) (local.get $gb))))
            (local.set $h (i32.shl (local.get $h) (i32.const 3)))
            (br $pass8)))
        (block $doneStages
          (loop $stage
            (br_if $doneStages (i32.ge_u (local.get $h) (local.get $g)))
            (local.set $hb (i32.shl (local.get $h) (i32.const 3)))
            (local.set $i (i32.const 0))
            (loop $group
              (local.set $j (local.get $i))
              (local.set $end (i32.add (local.get $i) (local.get $hb)))
              (loop $pair
                (local.set $a0 (v128.load offset=524288 (local.get $j)))
                (local.set $a1 (v128.load offset=524288 (i32.add (local.get $j) (local.get $hb))))
                (v128.store offset=524288 (local.get $j) (f64x2.add (local.get $a0) (local.get $a1)))
                (v128.store offset=524288 (i32.add (local.get $j) (local.get $hb)) (f64x2.sub (local.get $a0) (local.get $a1)))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br_if $pair (i32.lt_u (local.get $j) (local.get $end))))
              (local.set $i (i32.add (local.get $i) (i32.shl (local.get $hb) (i32.const 1))))
              (br_if $group (i32.lt_u (local.get $i) (local.get $gb))))
            (local.set $h (i32.shl (local.get $h) (i32.const 1)))
            (br $stage)))
        ;; out = f32(v · scale) or f32(v / scale), 4 at a time
        (local.set $k (i32.const 0))
        (loop $out
          (local.set $a (v128.load offset=524288 (local.get $k)))
          (local.set $b (v128.load offset=524304 (local.get $k)))
          (if (local.get $mode)
            (then
              (local.set $a (f64x2.div (local.get $a) (local.get $sc)))
              (local.set $b (f64x2.div (local.get $b) (local.get $sc))))
            (else
              (local.set $a (f64x2.mul (local.get $a) (local.get $sc)))
              (local.set $b (f64x2.mul (local.get $b) (local.get $sc)))))
          (v128.store (i32.add (local.get $xa) (i32.shr_u (local.get $k) (i32.const 1)))
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (local.get $a))
              (f32x4.demote_f64x2_zero (local.get $b))))
          (local.set $k (i32.add (local.get $k) (i32.const 32)))
          (br_if $out (i32.lt_u (local.get $k) (local.get $gb))))
        (local.set $base (i32.add (local.get $base) (local.get $g)))
        (local.set $col (i32.add (local.get $col) (local.get $g)))
        (if (i32.eq (local.get $col) (local.get $cols)) (then (local.set $col (i32.const 0))))
        (br $block)))))
