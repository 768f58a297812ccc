;; The two products of the randomized subspace iteration (topSingular.ts
;; mulRowsByAt and mulRowsByA) over a tile of rows of a float32 matrix A, in
;; WebAssembly SIMD. Every output element is computed by the same float64
;; operations, in the same order, as the JavaScript loops (A's float32 values
;; promoted exactly; mul then add, no fused multiply-add), so the results are
;; bit for bit those of the JavaScript (tested); only the loop nesting differs
;; (tiles of JT columns, so the float64 operands stay in cache).
;; Built into rowProductsWasm.ts by `npm run wasm`; a test checks that the
;; committed bytes are this file's. The memory is grown by the caller
;; (rowProductsSimd.ts), which lays out the regions and passes byte offsets.
;;
;; at(a, rows, n, bt, kp, out, jt, chunked): rows a multiple of 4, kp a multiple of 4.
;;   A: rows × n float32 at `a` (row-major); bt: n × kp float64 (Bᵀ: bt[j·kp + t]
;;   = b_t[j], zero past k); out: rows × kp float64.
;;   chunked = 0 (topSingular.ts mulRowsByAt): out[i·kp + t] = Σ_j A[i, j] ·
;;   bt[j·kp + t], j ascending from +0 (the JavaScript's `s += x · c`).
;;   chunked ≠ 0 (matmul.ts): for each tile of jt columns in order, a sum from
;;   +0 over the tile's j ascending, then out[i·kp + t] += that sum (out holds
;;   +0 first): matmulXWt's KC chunks when jt = KC.
;;   Four rows × four vectors at a time.
;;
;; a(a, rows, n, y, kp, out, jt): rows a multiple of 4, n even, kp even.
;;   A: rows × n float32 at `a`; y: kp × rows float64 (y[t·rows + i], the
;;   tile's columns of Y, zero past k); out: kp × n float64, added to.
;;   For each block of four rows i..i+3 in order, for every t and j:
;;   out[t·n + j] += y[t, i]·A[i, j] + y[t, i+1]·A[i+1, j] + y[t, i+2]·A[i+2, j]
;;   + y[t, i+3]·A[i+3, j], the sum taken left to right (the JavaScript's
;;   expression), two vectors × two columns at a time.
(module
  (memory (export "mem") 1)
  (func (export "at")
    (param $a i32) (param $rows i32) (param $n i32) (param $bt i32) (param $kp i32) (param $out i32) (param $jt i32)
    (param $chunked i32)
    (local $j0 i32) (local $j1 i32) (local $i i32) (local $t i32) (local $j i32)
    (local $rowBytes i32) (local $btStride i32) (local $pa i32) (local $pb i32) (local $po i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $btStride (i32.shl (local.get $kp) (i32.const 3)))
    (block $done
      (br_if $done (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $kp))))
      (loop $jtile
        (local.set $j1 (i32.add (local.get $j0) (local.get $jt)))
        (if (i32.gt_u (local.get $j1) (local.get $n)) (then (local.set $j1 (local.get $n))))
        (local.set $i (i32.const 0))
        (loop $rowBlock
          (local.set $t (i32.const 0))
          (loop $vecBlock
            ;; the running sums of rows i..i+3 × vectors t..t+3 (+0 on the first tile)
            (local.set $po (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $kp)) (local.get $t)) (i32.const 3))))
            (if (i32.or (i32.eqz (local.get $j0)) (local.get $chunked))
              (then
                (local.set $s00 (v128.const i64x2 0 0)) (local.set $s01 (v128.const i64x2 0 0))
                (local.set $s10 (v128.const i64x2 0 0)) (local.set $s11 (v128.const i64x2 0 0))
                (local.set $s20 (v128.const i64x2 0 0)) (local.set $s21 (v128.const i64x2 0 0))
                (local.set $s30 (v128.const i64x2 0 0)) (local.set $s31 (v128.const i64x2 0 0)))
              (else
                (local.set $s00 (v128.load (local.get $po)))
                (local.set $s01 (v128.load offset=16 (local.get $po)))
                (local.set $s10 (v128.load (i32.add (local.get $po) (local.get $btStride))))
                (local.set $s11 (v128.load offset=16 (i32.add (local.get $po) (local.get $btStride))))
                (local.set $s20 (v128.load (i32.add (local.get $po) (i32.shl (local.get $btStride) (i32.const 1)))))
                (local.set $s21 (v128.load offset=16 (i32.add (local.get $po) (i32.shl (local.get $btStride) (i32.const 1)))))
                (local.set $s30 (v128.load (i32.add (local.get $po) (i32.mul (local.get $btStride) (i32.const 3)))))
                (local.set $s31 (v128.load offset=16 (i32.add (local.get $po) (i32.mul (local.get $btStride) (i32.const 3)))))))
            (local.set $j (local.get $j0))
            (local.set $pa (i32.add (local.get $a)
              (i32.add (i32.mul (local.get $i) (local.get $rowBytes)) (i32.shl (local.get $j0) (i32.const 2)))))
            (local.set $pb (i32.add (local.get $bt)
              (i32.shl (i32.add (i32.mul (local.get $j0) (local.get $kp)) (local.get $t)) (i32.const 3))))
            (block $cols
              (br_if $cols (i32.ge_u (local.get $j) (local.get $j1)))
              (loop $col
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))
                (local.set $x (f64x2.splat (f64.promote_f32 (f32.load (local.get $pa)))))
                (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $x (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $pa) (local.get $rowBytes))))))
                (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $x (f64x2.splat (f64.promote_f32 (f32.load
                  (i32.add (local.get $pa) (i32.shl (local.get $rowBytes) (i32.const 1)))))))
                (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $x (f64x2.splat (f64.promote_f32 (f32.load
                  (i32.add (local.get $pa) (i32.mul (local.get $rowBytes) (i32.const 3)))))))
                (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
                (local.set $pb (i32.add (local.get $pb) (local.get $btStride)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br_if $col (i32.lt_u (local.get $j) (local.get $j1)))))
            ;; chunked: the tile's sums added to the running ones
            (if (local.get $chunked)
              (then
                (local.set $s00 (f64x2.add (v128.load (local.get $po)) (local.get $s00)))
                (local.set $s01 (f64x2.add (v128.load offset=16 (local.get $po)) (local.get $s01)))
                (local.set $s10 (f64x2.add (v128.load (i32.add (local.get $po) (local.get $btStride))) (local.get $s10)))
                (local.set $s11 (f64x2.add (v128.load offset=16 (i32.add (local.get $po) (local.get $btStride))) (local.get $s11)))
                (local.set $s20 (f64x2.add (v128.load (i32.add (local.get $po) (i32.shl (local.get $btStride) (i32.const 1)))) (local.get $s20)))
                (local.set $s21 (f64x2.add (v128.load offset=16 (i32.add (local.get $po) (i32.shl (local.get $btStride) (i32.const 1)))) (local.get $s21)))
                (local.set $s30 (f64x2.add (v128.load (i32.add (local.get $po) (i32.mul (local.get $btStride) (i32.const 3)))) (local.get $s30)))
                (local.set $s31 (f64x2.add (v128.load offset=16 (i32.add (local.get $po) (i32.mul (local.get $btStride) (i32.const 3)))) (local.get $s31)))))
            (v128.store (local.get $po) (local.get $s00))
            (v128.store offset=16 (local.get $po) (local.get $s01))
            (v128.store (i32.add (local.get $po) (local.get $btStride)) (local.get $s10))
            (v128.store offset=16 (i32.add (local.get $po) (local.get $btStride)) (local.get $s11))
            (v128.store (i32.add (local.get $po) (i32.shl (local.get $btStride) (i32.const 1))) (local.get $s20))
            (v128.store offset=16 (i32.add (local.get $po) (i32.shl (local.get $btStride) (i32.const 1))) (local.get $s21))
            (v128.store (i32.add (local.get $po) (i32.mul (local.get $btStride) (i32.const 3))) (local.get $s30))
            (v128.store offset=16 (i32.add (local.get $po) (i32.mul (local.get $btStride) (i32.const 3))) (local.get $s31))
            (local.set $t (i32.add (local.get $t) (i32.const 4)))
            (br_if $vecBlock (i32.lt_u (local.get $t) (local.get $kp))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br_if $rowBlock (i32.lt_u (local.get $i) (local.get $rows))))
        (local.set $j0 (local.get $j1))
        (br_if $jtile (i32.lt_u (local.get $j0) (local.get $n))))))
  (func (export "a")
    (param $a i32) (param $rows i32) (param $n i32) (param $y i32) (param $kp i32) (param $out i32) (param $jt i32)
    (local $j0 i32) (local $j1 i32) (local $i i32) (local $t i32) (local $j i32)
    (local $rowBytes i32) (local $outRow i32) (local $pa i32) (local $po i32) (local $pq i32) (local $py i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $outRow (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (br_if $done (i32.or (i32.eqz (local.get $rows)) (i32.or (i32.eqz (local.get $kp)) (i32.eqz (local.get $n)))))
      (loop $jtile
        (local.set $j1 (i32.add (local.get $j0) (local.get $jt)))
        (if (i32.gt_u (local.get $j1) (local.get $n)) (then (local.set $j1 (local.get $n))))
        (local.set $i (i32.const 0))
        (loop $rowBlock
          (local.set $t (i32.const 0))
          (loop $vecPair
            ;; y[t, i..i+3] and y[t + 1, i..i+3] as splats
            (local.set $py (i32.add (local.get $y)
              (i32.shl (i32.add (i32.mul (local.get $t) (local.get $rows)) (local.get $i)) (i32.const 3))))
            (local.set $c0 (v128.load64_splat (local.get $py)))
            (local.set $c1 (v128.load64_splat offset=8 (local.get $py)))
            (local.set $c2 (v128.load64_splat offset=16 (local.get $py)))
            (local.set $c3 (v128.load64_splat offset=24 (local.get $py)))
            (local.set $py (i32.add (local.get $py) (i32.shl (local.get $rows) (i32.const 3))))
            (local.set $d0 (v128.load64_splat (local.get $py)))
            (local.set $d1 (v128.load64_splat offset=8 (local.get $py)))
            (local.set $d2 (v128.load64_splat offset=16 (local.get $py)))
            (local.set $d3 (v128.load64_splat offset=24 (local.get $py)))
            (local.set $j (local.get $j0))
            (local.set $pa (i32.add (local.get $a)
              (i32.add (i32.mul (local.get $i) (local.get $rowBytes)) (i32.shl (local.get $j0) (i32.const 2)))))
            (local.set $po (i32.add (local.get $out)
              (i32.add (i32.mul (local.get $t) (local.get $outRow)) (i32.shl (local.get $j0) (i32.const 3)))))
            (local.set $pq (i32.add (local.get $po) (local.get $outRow)))
            (loop $col
              ;; A[i + r, j..j+1] as float64 pairs
              (local.set $x0 (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $pa))))
              (local.set $x1 (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $pa) (local.get $rowBytes)))))
              (local.set $x2 (f64x2.promote_low_f32x4 (v128.load64_zero
                (i32.add (local.get $pa) (i32.shl (local.get $rowBytes) (i32.const 1))))))
              (local.set $x3 (f64x2.promote_low_f32x4 (v128.load64_zero
                (i32.add (local.get $pa) (i32.mul (local.get $rowBytes) (i32.const 3))))))
              (v128.store (local.get $po) (f64x2.add (v128.load (local.get $po))
                (f64x2.add (f64x2.add (f64x2.add
                  (f64x2.mul (local.get $c0) (local.get $x0))
                  (f64x2.mul (local.get $c1) (local.get $x1)))
                  (f64x2.mul (local.get $c2) (local.get $x2)))
                  (f64x2.mul (local.get $c3) (local.get $x3)))))
              (v128.store (local.get $pq) (f64x2.add (v128.load (local.get $pq))
                (f64x2.add (f64x2.add (f64x2.add
                  (f64x2.mul (local.get $d0) (local.get $x0))
                  (f64x2.mul (local.get $d1) (local.get $x1)))
                  (f64x2.mul (local.get $d2) (local.get $x2)))
                  (f64x2.mul (local.get $d3) (local.get $x3)))))
              (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
              (local.set $po (i32.add (local.get $po) (i32.const 16)))
              (local.set $pq (i32.add (local.get $pq) (i32.const 16)))
              (local.set $j (i32.add (local.get $j) (i32.const 2)))
              (br_if $col (i32.lt_u (local.get $j) (local.get $j1))))
            (local.set $t (i32.add (local.get $t) (i32.const 2)))
            (br_if $vecPair (i32.lt_u (local.get $t) (local.get $kp))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br_if $rowBlock (i32.lt_u (local.get $i) (local.get $rows))))
        (local.set $j0 (local.get $j1))
        (br_if $jtile (i32.lt_u (local.get $j0) (local.get $n)))))))
