;; GGML Q4_0 (ggml.ts, DOMAIN.md §3) in WebAssembly SIMD, blocks of 32, with
;; the same bits as ggml.ts's JavaScript (tested against it and the gguf-py
;; fixtures). Built into q4_0Wasm.ts by `npm run wasm`; a test checks that the
;; committed bytes are this file's.
;;
;; firstMax(nBlocks): M[k] = the first element of largest |x| among the finite
;; elements of block k of X (sign kept; +0 when none), ggml.ts q4_0Max. Lane j
;; keeps its first strictly largest magnitude (elements j, j + 4, …) with its
;; index and value; the block's is the lanes' largest, the lowest index on a tie.
;;
;; quant(nBlocks): quantizes the nBlocks blocks of X in place with ID[k] and
;; DH[k] (ggml.ts q4_0Block: id = f32(1/d) or 0, dh = fp16(d)) and returns the
;; saturated count, SAT[k] per block:
;;   f = f32(f32(x · id) + 8.5); the code t = trunc(f) clamped to 0…15
;;   (trunc_sat then min/max: f ≥ 16 and +Inf give 15, f < 0 and −Inf 0);
;;   x̂ = f32((t − 8) · dh) (exact: a 4-bit integer times an fp16 value);
;;   NaN f: x̂ = NaN (0x7fc00000, JavaScript's NaN stored) when x is NaN, else
;;   f32(0 · dh) (x = ±Inf in a block whose id is 0);
;;   saturated: 16 ≤ f < +Inf.
;;
;; Memory (bytes):
;;   0     f32[512] ID: inverse scale per block (in)
;;   2048  f32[512] DH: fp16 scale per block (in)
;;   4096  u32[512] SAT: saturated elements per block (out)
;;   6144  f32[512] M: first largest element per block (out of firstMax)
;;   8192  f32[16384] X: x in, x̂ out
(module
  (memory (export "mem") 2)
  (func (export "firstMax") (param $nBlocks i32)
    (local $k i32) (local $p i32) (local $end i32)
    (local $v v128) (local $a v128) (local $idx v128) (local $take v128)
    (local $mag v128) (local $val v128) (local $at v128)
    (local $best i32) (local $bestAt i32) (local $bestVal i32) (local $j i32) (local $m i32) (local $i i32)
    (block $done
      (br_if $done (i32.eqz (local.get $nBlocks)))
      (loop $block
        (local.set $p (i32.add (i32.const 8192) (i32.shl (local.get $k) (i32.const 7))))
        (local.set $end (i32.add (local.get $p) (i32.const 128)))
        ;; per lane: largest finite magnitude so far (−1: none), its index and value
        (local.set $mag (v128.const i32x4 -1 -1 -1 -1))
        (local.set $val (v128.const i32x4 0 0 0 0))
        (local.set $at (v128.const i32x4 0 0 0 0))
        (local.set $idx (v128.const i32x4 0 1 2 3))
        (loop $vec
          (local.set $v (v128.load (local.get $p)))
          (local.set $a (v128.and (local.get $v) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
          (local.set $take (v128.and
            (i32x4.lt_s (local.get $a) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))
            (i32x4.gt_s (local.get $a) (local.get $mag))))
          (local.set $mag (v128.bitselect (local.get $a) (local.get $mag) (local.get $take)))
          (local.set $val (v128.bitselect (local.get $v) (local.get $val) (local.get $take)))
          (local.set $at (v128.bitselect (local.get $idx) (local.get $at) (local.get $take)))
          (local.set $idx (i32x4.add (local.get $idx) (v128.const i32x4 4 4 4 4)))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $vec (i32.lt_u (local.get $p) (local.get $end))))
        ;; the lanes' largest magnitude; on a tie the lowest index
        (local.set $best (i32.const -1))
        (local.set $bestAt (i32.const 64))
        (local.set $bestVal (i32.const 0))
        (local.set $j (i32.const 0))
        (loop $lane
          ;; lane j of mag, at, val (extract_lane needs a constant lane: shuffle lane j to 0)
          (local.set $m (i32x4.extract_lane 0 (i8x16.swizzle (local.get $mag) (call $laneBytes (local.get $j)))))
          (local.set $i (i32x4.extract_lane 0 (i8x16.swizzle (local.get $at) (call $laneBytes (local.get $j)))))
          (if (i32.or
                (i32.gt_s (local.get $m) (local.get $best))
                (i32.and (i32.eq (local.get $m) (local.get $best)) (i32.lt_s (local.get $i) (local.get $bestAt))))
            (then
              (local.set $best (local.get $m))
              (local.set $bestAt (local.get $i))
              (local.set $bestVal (i32x4.extract_lane 0 (i8x16.swizzle (local.get $val) (call $laneBytes (local.get $j)))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $lane (i32.lt_u (local.get $j) (i32.const 4))))
        (i32.store offset=6144 (i32.shl (local.get $k) (i32.const 2))
          (select (local.get $bestVal) (i32.const 0) (i32.ge_s (local.get $best) (i32.const 0))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $block (i32.lt_u (local.get $k) (local.get $nBlocks))))))
  ;; swizzle indices that move lane j's four bytes to lane 0
  (func $laneBytes (param $j i32) (result v128)
    (i32x4.splat (i32.add (i32.mul (i32.shl (local.get $j) (i32.const 2)) (i32.const 0x01010101)) (i32.const 0x03020100))))
  (func (export "quant") (param $nBlocks i32) (result i32)
    (local $k i32) (local $p i32) (local $end i32) (local $satTotal i32) (local $satBlock i32)
    (local $id v128) (local $dh v128) (local $x v128) (local $f v128) (local $t v128) (local $res v128) (local $sat v128)
    (block $done
      (br_if $done (i32.eqz (local.get $nBlocks)))
      (loop $block
        (local.set $id (v128.load32_splat (i32.shl (local.get $k) (i32.const 2))))
        (local.set $dh (v128.load32_splat offset=2048 (i32.shl (local.get $k) (i32.const 2))))
        (local.set $p (i32.add (i32.const 8192) (i32.shl (local.get $k) (i32.const 7))))
        (local.set $end (i32.add (local.get $p) (i32.const 128)))
        (local.set $sat (v128.const i32x4 0 0 0 0))
        (loop $vec
          (local.set $x (v128.load (local.get $p)))
          (local.set $f (f32x4.add (f32x4.mul (local.get $x) (local.get $id)) (v128.const f32x4 8.5 8.5 8.5 8.5)))
          (local.set $t (i32x4.max_s (i32x4.min_s (i32x4.trunc_sat_f32x4_s (local.get $f)) (v128.const i32x4 15 15 15 15))
            (v128.const i32x4 0 0 0 0)))
          (local.set $res (f32x4.mul
            (f32x4.convert_i32x4_s (i32x4.sub (local.get $t) (v128.const i32x4 8 8 8 8)))
            (local.get $dh)))
          ;; NaN f: NaN for a NaN x, else 0 · dh
          (local.set $res (v128.bitselect
            (v128.bitselect
              (v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000)
              (f32x4.mul (v128.const f32x4 0 0 0 0) (local.get $dh))
              (f32x4.ne (local.get $x) (local.get $x)))
            (local.get $res)
            (f32x4.ne (local.get $f) (local.get $f))))
          (local.set $sat (i32x4.sub (local.get $sat) (v128.and
            (f32x4.ge (local.get $f) (v128.const f32x4 16 16 16 16))
            (f32x4.lt (local.get $f) (v128.const f32x4 inf inf inf inf)))))
          (v128.store (local.get $p) (local.get $res))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $vec (i32.lt_u (local.get $p) (local.get $end))))
        (local.set $satBlock (i32.add
          (i32.add (i32x4.extract_lane 0 (local.get $sat)) (i32x4.extract_lane 1 (local.get $sat)))
          (i32.add (i32x4.extract_lane 2 (local.get $sat)) (i32x4.extract_lane 3 (local.get $sat)))))
        (i32.store offset=4096 (i32.shl (local.get $k) (i32.const 2)) (local.get $satBlock))
        (local.set $satTotal (i32.add (local.get $satTotal) (local.get $satBlock)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $block (i32.lt_u (local.get $k) (local.get $nBlocks)))))
    (local.get $satTotal)))
