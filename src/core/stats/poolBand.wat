;; The column-max pass of stats/pooling.ts poolMaxAbs (modes 'value' and
;; 'error') in WebAssembly SIMD. Built into poolBandWasm.ts by `npm run wasm`; a test
;; checks that the committed bytes are this file's.
;;
;; band(w, nrows, row0, reset, error): for the nrows rows of w columns at ROWS
;; (row-major, w a multiple of 4) the pooled quantity v is x, or with
;; error ≠ 0 the float32 error v = f32(x̂ − x) with x̂ the same rows at XHAT
;; (poolMaxAbs's errorRow). Per column c: if |v| > best[c] then
;; best[c] = |v| and bestRow[c] = the row (row0 + i for the i-th row), rows in
;; order, so NaN never wins and ties keep the earlier row (poolMaxAbs's strict
;; >); and per row its largest |v| into ROWMAX[i] (0 for a row of NaNs, as the
;; JS's m = 0 start with a > m). reset ≠ 0 first sets every best to −1.
;;
;; Memory (bytes):
;;   0       f32[16384] best (max |x| per column so far; −1: none yet)
;;   65536   i32[16384] bestRow
;;   131072  f32[65536] ROWMAX (out)
;;   393216  f32[262144] ROWS (in): x
;;   1441792 f32[262144] XHAT (in): x̂, read when error ≠ 0
(module
  (memory (export "mem") 39)
  (func (export "band") (param $w i32) (param $nrows i32) (param $row0 i32) (param $reset i32) (param $error i32)
    (local $i i32) (local $c i32) (local $p i32) (local $wb i32)
    (local $a v128) (local $best v128) (local $gt v128) (local $rmax v128) (local $rowv v128)
    (local.set $wb (i32.shl (local.get $w) (i32.const 2)))
    (if (local.get $reset)
      (then
        (local.set $c (i32.const 0))
        (block $doneReset
          (loop $r
            (br_if $doneReset (i32.ge_u (local.get $c) (local.get $wb)))
            (v128.store (local.get $c) (v128.const f32x4 -1 -1 -1 -1))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $r)))))
    (local.set $p (i32.const 393216))
    (block $doneRows
      (loop $row
        (br_if $doneRows (i32.ge_u (local.get $i) (local.get $nrows)))
        (local.set $rowv (i32x4.splat (i32.add (local.get $row0) (local.get $i))))
        (local.set $rmax (v128.const f32x4 0 0 0 0))
        (local.set $c (i32.const 0))
        (block $doneCols
          (loop $col
            (br_if $doneCols (i32.ge_u (local.get $c) (local.get $wb)))
            (local.set $a (f32x4.abs (if (result v128) (local.get $error)
              (then (f32x4.sub
                (v128.load offset=1048576 (i32.add (local.get $p) (local.get $c)))
                (v128.load (i32.add (local.get $p) (local.get $c)))))
              (else (v128.load (i32.add (local.get $p) (local.get $c)))))))
            (local.set $best (v128.load (local.get $c)))
            (local.set $gt (f32x4.gt (local.get $a) (local.get $best)))
            (v128.store (local.get $c) (v128.bitselect (local.get $a) (local.get $best) (local.get $gt)))
            (v128.store offset=65536 (local.get $c)
              (v128.bitselect (local.get $rowv) (v128.load offset=65536 (local.get $c)) (local.get $gt)))
            ;; pmax(m, a) = m < a ? a : m: a NaN a leaves m
            (local.set $rmax (f32x4.pmax (local.get $rmax) (local.get $a)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $col)))
        (local.set $rmax (f32x4.pmax (local.get $rmax) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $rmax) (local.get $rmax))))
        (local.set $rmax (f32x4.pmax (local.get $rmax) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $rmax) (local.get $rmax))))
        (f32.store offset=131072 (i32.shl (local.get $i) (i32.const 2)) (f32x4.extract_lane 0 (local.get $rmax)))
        (local.set $p (i32.add (local.get $p) (local.get $wb)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row)))))
