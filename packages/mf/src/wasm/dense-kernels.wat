;; Quiver @quiver/mf: WebAssembly SIMD (f64x2) kernels of the dense symmetric positive-definite
;; inverse behind EASE (`spdInverse` / `easeWeights` in src/kernels/spd-inverse.ts, whose plain
;; loops are the reference the tests compare to; src/parallel/spd-inverse-wasm.ts drives these).
;; Source of truth for src/wasm/dense-kernels-bytes.ts (regenerate with `node src/wasm/build-wasm.mjs`
;; in packages/mf; a test checks the committed bytes match this file).
;;
;; Every matrix is row-major float64, every pointer a byte address (unsigned: a 4 GiB memory has
;; addresses above 2^31), every leading dimension (`ld*`) a row length in bytes. `a` is the n × n
;; matrix (`ld = 8n`). All float64 arithmetic is mul then add (no fused multiply-add), so a result
;; depends only on the order of the operations, which is fixed by the arguments: which thread runs a
;; call, and how many threads there are, never changes a bit.
;;
;; The one inner loop is `gemm`, C ± A·Bᵀ over rows of A and B (dot products along contiguous rows),
;; in 2 × 4 register tiles: 8 f64x2 accumulators, one pair of columns t per lane. Each entry C[r][s]
;; of every tile shape (2 × 4, 2 × 1, 1 × 4, 1 × 1) is summed the same way (lane 0 over the even t of
;; a chunk of KC columns, lane 1 over the odd ones, the last t of an odd chunk as a pair with a zero,
;; then C += alpha · (lane 0 + lane 1)), so the result does not depend on how C is cut into tiles.
;; Outside the diagonal blocks, gemm first copies each 64-row block of B to scratch with its rows
;; interleaved by 4 (`packB`), so that the inner loop of a tile reads B through one pointer.
;;
;; The passes, each cut into calls on disjoint rows (src/parallel/spd-inverse-wasm.ts runs them as
;; jobs on threads): `cholDiag` + `cholRows` (Cholesky L, block column by block column), `invRows`
;; (L⁻ᵀ by block rows), `prodRows` (L⁻ᵀL⁻¹ by block rows), `mirror` and `scaleCols` (EASE's B).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; min / max of two unsigned integers.
  (func $min (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.lt_u (local.get $x) (local.get $y))))
  (func $max (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.gt_u (local.get $x) (local.get $y))))

  ;; C[0] += alpha · (lane 0 + lane 1 of acc).
  (func $put (param $pc i32) (param $acc v128) (param $alpha f64)
    (f64.store (local.get $pc) (f64.add (f64.load (local.get $pc))
      (f64.mul (local.get $alpha) (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc)))))))

  ;; The 2 × 4 tile: C[r][s] += alpha · Σ_{t < len} A[r][t]·B[s][t], r < 2, s < 4.
  (func $tile24 (param $pa i32) (param $pb i32) (param $lda i32) (param $ldb i32) (param $len i32)
    (param $pc i32) (param $ldc i32) (param $alpha f64)
    (local $a0 i32) (local $a1 i32) (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $i i32) (local $s f64) (local $x v128)
    (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    (local.set $a0 (local.get $pa))
    (local.set $a1 (i32.add (local.get $pa) (local.get $lda)))
    (local.set $b0 (local.get $pb))
    (local.set $b1 (i32.add (local.get $b0) (local.get $ldb)))
    (local.set $b2 (i32.add (local.get $b1) (local.get $ldb)))
    (local.set $b3 (i32.add (local.get $b2) (local.get $ldb)))
    (local.set $i (i32.shr_u (local.get $len) (i32.const 1)))
    (if (local.get $i) (then (loop $loop
      (local.set $y0 (v128.load (local.get $b0)))
      (local.set $y1 (v128.load (local.get $b1)))
      (local.set $y2 (v128.load (local.get $b2)))
      (local.set $y3 (v128.load (local.get $b3)))
      (local.set $x (v128.load (local.get $a0)))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $y0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $y1))))
      (local.set $c02 (f64x2.add (local.get $c02) (f64x2.mul (local.get $x) (local.get $y2))))
      (local.set $c03 (f64x2.add (local.get $c03) (f64x2.mul (local.get $x) (local.get $y3))))
      (local.set $x (v128.load (local.get $a1)))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $y0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $y1))))
      (local.set $c12 (f64x2.add (local.get $c12) (f64x2.mul (local.get $x) (local.get $y2))))
      (local.set $c13 (f64x2.add (local.get $c13) (f64x2.mul (local.get $x) (local.get $y3))))
      (local.set $a0 (i32.add (local.get $a0) (i32.const 16)))
      (local.set $a1 (i32.add (local.get $a1) (i32.const 16)))
      (local.set $b0 (i32.add (local.get $b0) (i32.const 16)))
      (local.set $b1 (i32.add (local.get $b1) (i32.const 16)))
      (local.set $b2 (i32.add (local.get $b2) (i32.const 16)))
      (local.set $b3 (i32.add (local.get $b3) (i32.const 16)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $loop (local.get $i)))))
    ;; an odd last column: one more step with lane 1 of every operand zero
    (if (i32.and (local.get $len) (i32.const 1)) (then
      (local.set $y0 (v128.load64_zero (local.get $b0)))
      (local.set $y1 (v128.load64_zero (local.get $b1)))
      (local.set $y2 (v128.load64_zero (local.get $b2)))
      (local.set $y3 (v128.load64_zero (local.get $b3)))
      (local.set $x (v128.load64_zero (local.get $a0)))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $y0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $y1))))
      (local.set $c02 (f64x2.add (local.get $c02) (f64x2.mul (local.get $x) (local.get $y2))))
      (local.set $c03 (f64x2.add (local.get $c03) (f64x2.mul (local.get $x) (local.get $y3))))
      (local.set $x (v128.load64_zero (local.get $a1)))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $y0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $y1))))
      (local.set $c12 (f64x2.add (local.get $c12) (f64x2.mul (local.get $x) (local.get $y2))))
      (local.set $c13 (f64x2.add (local.get $c13) (f64x2.mul (local.get $x) (local.get $y3))))))
    (local.set $s (f64.load (local.get $pc)))
    (f64.store (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c00)) (f64x2.extract_lane 1 (local.get $c00))))))
    (local.set $s (f64.load offset=8 (local.get $pc)))
    (f64.store offset=8 (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c01)) (f64x2.extract_lane 1 (local.get $c01))))))
    (local.set $s (f64.load offset=16 (local.get $pc)))
    (f64.store offset=16 (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c02)) (f64x2.extract_lane 1 (local.get $c02))))))
    (local.set $s (f64.load offset=24 (local.get $pc)))
    (f64.store offset=24 (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c03)) (f64x2.extract_lane 1 (local.get $c03))))))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
    (local.set $s (f64.load (local.get $pc)))
    (f64.store (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c10)) (f64x2.extract_lane 1 (local.get $c10))))))
    (local.set $s (f64.load offset=8 (local.get $pc)))
    (f64.store offset=8 (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c11)) (f64x2.extract_lane 1 (local.get $c11))))))
    (local.set $s (f64.load offset=16 (local.get $pc)))
    (f64.store offset=16 (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c12)) (f64x2.extract_lane 1 (local.get $c12))))))
    (local.set $s (f64.load offset=24 (local.get $pc)))
    (f64.store offset=24 (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c13)) (f64x2.extract_lane 1 (local.get $c13)))))))

  ;; The 2 × 1 tile (two rows of A against one row of B).
  (func $tile21 (param $pa i32) (param $pb i32) (param $lda i32) (param $len i32)
    (param $pc i32) (param $ldc i32) (param $alpha f64)
    (local $a0 i32) (local $a1 i32) (local $b0 i32) (local $i i32)
    (local $y v128) (local $c0 v128) (local $c1 v128)
    (local.set $a0 (local.get $pa))
    (local.set $a1 (i32.add (local.get $pa) (local.get $lda)))
    (local.set $b0 (local.get $pb))
    (local.set $i (i32.shr_u (local.get $len) (i32.const 1)))
    (if (local.get $i) (then (loop $loop
      (local.set $y (v128.load (local.get $b0)))
      (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (v128.load (local.get $a0)) (local.get $y))))
      (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (v128.load (local.get $a1)) (local.get $y))))
      (local.set $a0 (i32.add (local.get $a0) (i32.const 16)))
      (local.set $a1 (i32.add (local.get $a1) (i32.const 16)))
      (local.set $b0 (i32.add (local.get $b0) (i32.const 16)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $loop (local.get $i)))))
    (if (i32.and (local.get $len) (i32.const 1)) (then
      (local.set $y (v128.load64_zero (local.get $b0)))
      (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (v128.load64_zero (local.get $a0)) (local.get $y))))
      (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (v128.load64_zero (local.get $a1)) (local.get $y))))))
    (call $put (local.get $pc) (local.get $c0) (local.get $alpha))
    (call $put (i32.add (local.get $pc) (local.get $ldc)) (local.get $c1) (local.get $alpha)))

  ;; The 1 × 4 tile (one row of A against four rows of B).
  (func $tile14 (param $pa i32) (param $pb i32) (param $ldb i32) (param $len i32)
    (param $pc i32) (param $alpha f64)
    (local $a0 i32) (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $i i32) (local $x v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $a0 (local.get $pa))
    (local.set $b0 (local.get $pb))
    (local.set $b1 (i32.add (local.get $b0) (local.get $ldb)))
    (local.set $b2 (i32.add (local.get $b1) (local.get $ldb)))
    (local.set $b3 (i32.add (local.get $b2) (local.get $ldb)))
    (local.set $i (i32.shr_u (local.get $len) (i32.const 1)))
    (if (local.get $i) (then (loop $loop
      (local.set $x (v128.load (local.get $a0)))
      (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $x) (v128.load (local.get $b0)))))
      (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $x) (v128.load (local.get $b1)))))
      (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $x) (v128.load (local.get $b2)))))
      (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $x) (v128.load (local.get $b3)))))
      (local.set $a0 (i32.add (local.get $a0) (i32.const 16)))
      (local.set $b0 (i32.add (local.get $b0) (i32.const 16)))
      (local.set $b1 (i32.add (local.get $b1) (i32.const 16)))
      (local.set $b2 (i32.add (local.get $b2) (i32.const 16)))
      (local.set $b3 (i32.add (local.get $b3) (i32.const 16)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $loop (local.get $i)))))
    (if (i32.and (local.get $len) (i32.const 1)) (then
      (local.set $x (v128.load64_zero (local.get $a0)))
      (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $x) (v128.load64_zero (local.get $b0)))))
      (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $x) (v128.load64_zero (local.get $b1)))))
      (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $x) (v128.load64_zero (local.get $b2)))))
      (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $x) (v128.load64_zero (local.get $b3)))))))
    (call $put (local.get $pc) (local.get $c0) (local.get $alpha))
    (call $put (i32.add (local.get $pc) (i32.const 8)) (local.get $c1) (local.get $alpha))
    (call $put (i32.add (local.get $pc) (i32.const 16)) (local.get $c2) (local.get $alpha))
    (call $put (i32.add (local.get $pc) (i32.const 24)) (local.get $c3) (local.get $alpha)))

  ;; The 1 × 1 tile.
  (func $tile11 (param $pa i32) (param $pb i32) (param $len i32) (param $pc i32) (param $alpha f64)
    (local $i i32) (local $c v128)
    (local.set $i (i32.shr_u (local.get $len) (i32.const 1)))
    (if (local.get $i) (then (loop $loop
      (local.set $c (f64x2.add (local.get $c) (f64x2.mul (v128.load (local.get $pa)) (v128.load (local.get $pb)))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $loop (local.get $i)))))
    (if (i32.and (local.get $len) (i32.const 1)) (then
      (local.set $c (f64x2.add (local.get $c) (f64x2.mul (v128.load64_zero (local.get $pa)) (v128.load64_zero (local.get $pb)))))))
    (call $put (local.get $pc) (local.get $c) (local.get $alpha)))

  ;; The 2 × 4 tile against a packed group of 4 rows of B (`packB`): the same sums as `tile24`.
  (func $tile24p (param $pa i32) (param $lda i32) (param $pq i32) (param $len i32)
    (param $pc i32) (param $ldc i32) (param $alpha f64)
    (local $a0 i32) (local $a1 i32) (local $i i32) (local $s f64) (local $x v128)
    (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    (local.set $a0 (local.get $pa))
    (local.set $a1 (i32.add (local.get $pa) (local.get $lda)))
    (local.set $i (i32.shr_u (local.get $len) (i32.const 1)))
    (if (local.get $i) (then (loop $loop
      (local.set $y0 (v128.load (local.get $pq)))
      (local.set $y1 (v128.load offset=16 (local.get $pq)))
      (local.set $y2 (v128.load offset=32 (local.get $pq)))
      (local.set $y3 (v128.load offset=48 (local.get $pq)))
      (local.set $x (v128.load (local.get $a0)))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $y0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $y1))))
      (local.set $c02 (f64x2.add (local.get $c02) (f64x2.mul (local.get $x) (local.get $y2))))
      (local.set $c03 (f64x2.add (local.get $c03) (f64x2.mul (local.get $x) (local.get $y3))))
      (local.set $x (v128.load (local.get $a1)))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $y0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $y1))))
      (local.set $c12 (f64x2.add (local.get $c12) (f64x2.mul (local.get $x) (local.get $y2))))
      (local.set $c13 (f64x2.add (local.get $c13) (f64x2.mul (local.get $x) (local.get $y3))))
      (local.set $a0 (i32.add (local.get $a0) (i32.const 16)))
      (local.set $a1 (i32.add (local.get $a1) (i32.const 16)))
      (local.set $pq (i32.add (local.get $pq) (i32.const 64)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $loop (local.get $i)))))
    ;; an odd last column: one more step with lane 1 of every operand zero
    (if (i32.and (local.get $len) (i32.const 1)) (then
      (local.set $y0 (v128.load64_zero (local.get $pq)))
      (local.set $y1 (v128.load64_zero offset=8 (local.get $pq)))
      (local.set $y2 (v128.load64_zero offset=16 (local.get $pq)))
      (local.set $y3 (v128.load64_zero offset=24 (local.get $pq)))
      (local.set $x (v128.load64_zero (local.get $a0)))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $y0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $y1))))
      (local.set $c02 (f64x2.add (local.get $c02) (f64x2.mul (local.get $x) (local.get $y2))))
      (local.set $c03 (f64x2.add (local.get $c03) (f64x2.mul (local.get $x) (local.get $y3))))
      (local.set $x (v128.load64_zero (local.get $a1)))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $y0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $y1))))
      (local.set $c12 (f64x2.add (local.get $c12) (f64x2.mul (local.get $x) (local.get $y2))))
      (local.set $c13 (f64x2.add (local.get $c13) (f64x2.mul (local.get $x) (local.get $y3))))))
    (local.set $s (f64.load (local.get $pc)))
    (f64.store (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c00)) (f64x2.extract_lane 1 (local.get $c00))))))
    (local.set $s (f64.load offset=8 (local.get $pc)))
    (f64.store offset=8 (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c01)) (f64x2.extract_lane 1 (local.get $c01))))))
    (local.set $s (f64.load offset=16 (local.get $pc)))
    (f64.store offset=16 (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c02)) (f64x2.extract_lane 1 (local.get $c02))))))
    (local.set $s (f64.load offset=24 (local.get $pc)))
    (f64.store offset=24 (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c03)) (f64x2.extract_lane 1 (local.get $c03))))))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
    (local.set $s (f64.load (local.get $pc)))
    (f64.store (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c10)) (f64x2.extract_lane 1 (local.get $c10))))))
    (local.set $s (f64.load offset=8 (local.get $pc)))
    (f64.store offset=8 (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c11)) (f64x2.extract_lane 1 (local.get $c11))))))
    (local.set $s (f64.load offset=16 (local.get $pc)))
    (f64.store offset=16 (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c12)) (f64x2.extract_lane 1 (local.get $c12))))))
    (local.set $s (f64.load offset=24 (local.get $pc)))
    (f64.store offset=24 (local.get $pc) (f64.add (local.get $s) (f64.mul (local.get $alpha)
      (f64.add (f64x2.extract_lane 0 (local.get $c13)) (f64x2.extract_lane 1 (local.get $c13)))))))

  ;; The 1 × 4 tile against a packed group of 4 rows of B.
  (func $tile14p (param $pa i32) (param $pq i32) (param $len i32) (param $pc i32) (param $alpha f64)
    (local $i i32) (local $x v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $i (i32.shr_u (local.get $len) (i32.const 1)))
    (if (local.get $i) (then (loop $loop
      (local.set $x (v128.load (local.get $pa)))
      (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $x) (v128.load (local.get $pq)))))
      (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $x) (v128.load offset=16 (local.get $pq)))))
      (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $x) (v128.load offset=32 (local.get $pq)))))
      (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $x) (v128.load offset=48 (local.get $pq)))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $pq (i32.add (local.get $pq) (i32.const 64)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $loop (local.get $i)))))
    (if (i32.and (local.get $len) (i32.const 1)) (then
      (local.set $x (v128.load64_zero (local.get $pa)))
      (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $x) (v128.load64_zero (local.get $pq)))))
      (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $x) (v128.load64_zero offset=8 (local.get $pq)))))
      (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $x) (v128.load64_zero offset=16 (local.get $pq)))))
      (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $x) (v128.load64_zero offset=24 (local.get $pq)))))))
    (call $put (local.get $pc) (local.get $c0) (local.get $alpha))
    (call $put (i32.add (local.get $pc) (i32.const 8)) (local.get $c1) (local.get $alpha))
    (call $put (i32.add (local.get $pc) (i32.const 16)) (local.get $c2) (local.get $alpha))
    (call $put (i32.add (local.get $pc) (i32.const 24)) (local.get $c3) (local.get $alpha)))

  ;; Copies rows [0, w) of B (kl columns, rows ldb bytes apart) to `out` for the packed tiles: each
  ;; group of 4 rows interleaved by pairs of columns (b0[t], b0[t + 1], b1[t], b1[t + 1], b2…, b3…:
  ;; 64 bytes a pair; for an odd kl the 4 rows' last column after the pairs), 32·kl bytes a group,
  ;; then the w mod 4 rows left over, contiguous: row i at out + 8·kl·i either way.
  (func $packB (param $pb i32) (param $ldb i32) (param $w i32) (param $kl i32) (param $out i32)
    (local $q i32) (local $nq i32) (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $i i32) (local $o i32) (local $rowBytes i32)
    (local.set $nq (i32.shr_u (local.get $w) (i32.const 2)))
    (local.set $rowBytes (i32.shl (local.get $kl) (i32.const 3)))
    (block $qd (loop $ql
      (br_if $qd (i32.ge_u (local.get $q) (local.get $nq)))
      (local.set $b0 (i32.add (local.get $pb) (i32.mul (i32.shl (local.get $q) (i32.const 2)) (local.get $ldb))))
      (local.set $b1 (i32.add (local.get $b0) (local.get $ldb)))
      (local.set $b2 (i32.add (local.get $b1) (local.get $ldb)))
      (local.set $b3 (i32.add (local.get $b2) (local.get $ldb)))
      (local.set $o (i32.add (local.get $out) (i32.mul (i32.shl (local.get $q) (i32.const 2)) (local.get $rowBytes))))
      (local.set $i (i32.shr_u (local.get $kl) (i32.const 1)))
      (if (local.get $i) (then (loop $pl
        (v128.store (local.get $o) (v128.load (local.get $b0)))
        (v128.store offset=16 (local.get $o) (v128.load (local.get $b1)))
        (v128.store offset=32 (local.get $o) (v128.load (local.get $b2)))
        (v128.store offset=48 (local.get $o) (v128.load (local.get $b3)))
        (local.set $b0 (i32.add (local.get $b0) (i32.const 16)))
        (local.set $b1 (i32.add (local.get $b1) (i32.const 16)))
        (local.set $b2 (i32.add (local.get $b2) (i32.const 16)))
        (local.set $b3 (i32.add (local.get $b3) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (br_if $pl (local.get $i)))))
      (if (i32.and (local.get $kl) (i32.const 1)) (then
        (f64.store (local.get $o) (f64.load (local.get $b0)))
        (f64.store offset=8 (local.get $o) (f64.load (local.get $b1)))
        (f64.store offset=16 (local.get $o) (f64.load (local.get $b2)))
        (f64.store offset=24 (local.get $o) (f64.load (local.get $b3)))))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $ql)))
    (local.set $i (i32.shl (local.get $nq) (i32.const 2)))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_u (local.get $i) (local.get $w)))
      (memory.copy (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $rowBytes)))
        (i32.add (local.get $pb) (i32.mul (local.get $i) (local.get $ldb))) (local.get $rowBytes))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rl))))

  ;; C[r][s] += alpha · Σ_{t < len} A[r][t]·B[s][t] for r < m, s < nc (with `lower` ≠ 0 only s ≤ r is
  ;; needed; tiles on the diagonal also write up to three entries above it). A[r][t] at pa + r·lda +
  ;; 8t, B[s][t] at pb + s·ldb + 8t, C[r][s] at pc + r·ldc + 8s. Loops: chunks of KC = 1024 columns
  ;; t, then blocks of 64 columns s of C (64 rows of B), then pairs of rows r, then groups of 4
  ;; columns s. Unless `lower` or `pack` = 0, each block of B is first copied to `pack` (64·1024
  ;; float64 of scratch) by `packB`, so that the 2 × 4 tiles read it through one pointer; the sums
  ;; are the same either way.
  (func $gemm (export "gemm") (param $pa i32) (param $pb i32) (param $lda i32) (param $ldb i32)
    (param $m i32) (param $nc i32) (param $len i32) (param $lower i32)
    (param $pc i32) (param $ldc i32) (param $alpha f64) (param $pack i32)
    (local $k0 i32) (local $kl i32) (local $koff i32) (local $sb i32) (local $sbEnd i32)
    (local $r i32) (local $s i32) (local $sEnd i32) (local $ra i32) (local $rc i32) (local $pq i32)
    (local $quad i32) (local $row i32)
    (block $kdone (loop $kloop
      (br_if $kdone (i32.ge_u (local.get $k0) (local.get $len)))
      (local.set $kl (call $min (i32.sub (local.get $len) (local.get $k0)) (i32.const 1024)))
      (local.set $koff (i32.shl (local.get $k0) (i32.const 3)))
      (local.set $quad (i32.shl (local.get $kl) (i32.const 5)))
      (local.set $row (i32.shl (local.get $kl) (i32.const 3)))
      (local.set $sb (i32.const 0))
      (block $sbdone (loop $sbloop
        (br_if $sbdone (i32.ge_u (local.get $sb) (local.get $nc)))
        (local.set $sbEnd (call $min (local.get $nc) (i32.add (local.get $sb) (i32.const 64))))
        (local.set $r (i32.const 0))
        (if (i32.and (i32.eqz (local.get $lower)) (i32.ne (local.get $pack) (i32.const 0)))
          (then
            ;; packed: groups of 4 rows of B through one pointer, the rows left over one at a time
            (call $packB (i32.add (i32.add (local.get $pb) (i32.mul (local.get $sb) (local.get $ldb))) (local.get $koff))
              (local.get $ldb) (i32.sub (local.get $sbEnd) (local.get $sb)) (local.get $kl) (local.get $pack))
            (block $rdone (loop $rloop
              (br_if $rdone (i32.gt_u (i32.add (local.get $r) (i32.const 2)) (local.get $m)))
              (local.set $ra (i32.add (i32.add (local.get $pa) (i32.mul (local.get $r) (local.get $lda))) (local.get $koff)))
              (local.set $rc (i32.add (i32.add (local.get $pc) (i32.mul (local.get $r) (local.get $ldc))) (i32.shl (local.get $sb) (i32.const 3))))
              (local.set $s (local.get $sb))
              (local.set $pq (local.get $pack))
              (block $qd (loop $ql
                (br_if $qd (i32.gt_u (i32.add (local.get $s) (i32.const 4)) (local.get $sbEnd)))
                (call $tile24p (local.get $ra) (local.get $lda) (local.get $pq) (local.get $kl) (local.get $rc) (local.get $ldc) (local.get $alpha))
                (local.set $s (i32.add (local.get $s) (i32.const 4)))
                (local.set $pq (i32.add (local.get $pq) (local.get $quad)))
                (local.set $rc (i32.add (local.get $rc) (i32.const 32)))
                (br $ql)))
              (block $sd (loop $sl
                (br_if $sd (i32.ge_u (local.get $s) (local.get $sbEnd)))
                (call $tile21 (local.get $ra) (local.get $pq) (local.get $lda) (local.get $kl) (local.get $rc) (local.get $ldc) (local.get $alpha))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (local.set $pq (i32.add (local.get $pq) (local.get $row)))
                (local.set $rc (i32.add (local.get $rc) (i32.const 8)))
                (br $sl)))
              (local.set $r (i32.add (local.get $r) (i32.const 2)))
              (br $rloop)))
            (if (i32.lt_u (local.get $r) (local.get $m)) (then
              (local.set $ra (i32.add (i32.add (local.get $pa) (i32.mul (local.get $r) (local.get $lda))) (local.get $koff)))
              (local.set $rc (i32.add (i32.add (local.get $pc) (i32.mul (local.get $r) (local.get $ldc))) (i32.shl (local.get $sb) (i32.const 3))))
              (local.set $s (local.get $sb))
              (local.set $pq (local.get $pack))
              (block $qd1 (loop $ql1
                (br_if $qd1 (i32.gt_u (i32.add (local.get $s) (i32.const 4)) (local.get $sbEnd)))
                (call $tile14p (local.get $ra) (local.get $pq) (local.get $kl) (local.get $rc) (local.get $alpha))
                (local.set $s (i32.add (local.get $s) (i32.const 4)))
                (local.set $pq (i32.add (local.get $pq) (local.get $quad)))
                (local.set $rc (i32.add (local.get $rc) (i32.const 32)))
                (br $ql1)))
              (block $sd1 (loop $sl1
                (br_if $sd1 (i32.ge_u (local.get $s) (local.get $sbEnd)))
                (call $tile11 (local.get $ra) (local.get $pq) (local.get $kl) (local.get $rc) (local.get $alpha))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (local.set $pq (i32.add (local.get $pq) (local.get $row)))
                (local.set $rc (i32.add (local.get $rc) (i32.const 8)))
                (br $sl1))))))
          (else
            ;; in place
            (block $rdone (loop $rloop
              (br_if $rdone (i32.gt_u (i32.add (local.get $r) (i32.const 2)) (local.get $m)))
              (local.set $sEnd (local.get $sbEnd))
              (if (local.get $lower) (then
                (local.set $sEnd (call $min (local.get $sbEnd) (i32.add (local.get $r) (i32.const 2))))))
              (local.set $ra (i32.add (i32.add (local.get $pa) (i32.mul (local.get $r) (local.get $lda))) (local.get $koff)))
              (local.set $rc (i32.add (local.get $pc) (i32.mul (local.get $r) (local.get $ldc))))
              (local.set $s (local.get $sb))
              (block $qd (loop $ql
                (br_if $qd (i32.gt_u (i32.add (local.get $s) (i32.const 4)) (local.get $sEnd)))
                (call $tile24 (local.get $ra)
                  (i32.add (i32.add (local.get $pb) (i32.mul (local.get $s) (local.get $ldb))) (local.get $koff))
                  (local.get $lda) (local.get $ldb) (local.get $kl)
                  (i32.add (local.get $rc) (i32.shl (local.get $s) (i32.const 3))) (local.get $ldc) (local.get $alpha))
                (local.set $s (i32.add (local.get $s) (i32.const 4)))
                (br $ql)))
              (block $sd (loop $sl
                (br_if $sd (i32.ge_u (local.get $s) (local.get $sEnd)))
                (call $tile21 (local.get $ra)
                  (i32.add (i32.add (local.get $pb) (i32.mul (local.get $s) (local.get $ldb))) (local.get $koff))
                  (local.get $lda) (local.get $kl)
                  (i32.add (local.get $rc) (i32.shl (local.get $s) (i32.const 3))) (local.get $ldc) (local.get $alpha))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br $sl)))
              (local.set $r (i32.add (local.get $r) (i32.const 2)))
              (br $rloop)))
            ;; the last row when m is odd
            (if (i32.lt_u (local.get $r) (local.get $m)) (then
              (local.set $sEnd (local.get $sbEnd))
              (if (local.get $lower) (then
                (local.set $sEnd (call $min (local.get $sbEnd) (i32.add (local.get $r) (i32.const 1))))))
              (local.set $ra (i32.add (i32.add (local.get $pa) (i32.mul (local.get $r) (local.get $lda))) (local.get $koff)))
              (local.set $rc (i32.add (local.get $pc) (i32.mul (local.get $r) (local.get $ldc))))
              (local.set $s (local.get $sb))
              (block $qd1 (loop $ql1
                (br_if $qd1 (i32.gt_u (i32.add (local.get $s) (i32.const 4)) (local.get $sEnd)))
                (call $tile14 (local.get $ra)
                  (i32.add (i32.add (local.get $pb) (i32.mul (local.get $s) (local.get $ldb))) (local.get $koff))
                  (local.get $ldb) (local.get $kl)
                  (i32.add (local.get $rc) (i32.shl (local.get $s) (i32.const 3))) (local.get $alpha))
                (local.set $s (i32.add (local.get $s) (i32.const 4)))
                (br $ql1)))
              (block $sd1 (loop $sl1
                (br_if $sd1 (i32.ge_u (local.get $s) (local.get $sEnd)))
                (call $tile11 (local.get $ra)
                  (i32.add (i32.add (local.get $pb) (i32.mul (local.get $s) (local.get $ldb))) (local.get $koff))
                  (local.get $kl)
                  (i32.add (local.get $rc) (i32.shl (local.get $s) (i32.const 3))) (local.get $alpha))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br $sl1)))))))
        (local.set $sb (i32.add (local.get $sb) (i32.const 64)))
        (br $sbloop)))
      (local.set $k0 (i32.add (local.get $k0) (i32.const 1024)))
      (br $kloop))))

  ;; Address of a[i][j].
  (func $at (param $a i32) (param $ld i32) (param $i i32) (param $j i32) (result i32)
    (i32.add (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ld))) (i32.shl (local.get $j) (i32.const 3))))

  ;; Cholesky, block column J = [j0, j1), its diagonal block: rows J of columns J minus the columns
  ;; left of J (gemm), then within J in groups of 4 columns (gemm for the columns of J left of the
  ;; group, then the group's own columns entry by entry). Leaves L in the lower triangle of the block
  ;; and d[i] = 1/L[i][i] (d holds the input's diagonal until then). Returns −1, or the first row i
  ;; whose pivot p is not above tiny·(input diagonal) or is +∞ (p stored at `out`).
  (func (export "cholDiag") (param $a i32) (param $n i32) (param $j0 i32) (param $j1 i32) (param $d i32)
    (param $tiny f64) (param $out i32) (result i32)
    (local $ld i32) (local $h i32) (local $g0 i32) (local $g1 i32) (local $i i32) (local $ir i32)
    (local $j i32) (local $jr i32) (local $jEnd i32) (local $k i32) (local $t f64) (local $l f64)
    (local.set $ld (i32.shl (local.get $n) (i32.const 3)))
    (local.set $h (i32.sub (local.get $j1) (local.get $j0)))
    (if (local.get $j0) (then
      (call $gemm (call $at (local.get $a) (local.get $ld) (local.get $j0) (i32.const 0))
        (call $at (local.get $a) (local.get $ld) (local.get $j0) (i32.const 0))
        (local.get $ld) (local.get $ld) (local.get $h) (local.get $h) (local.get $j0) (i32.const 1)
        (call $at (local.get $a) (local.get $ld) (local.get $j0) (local.get $j0)) (local.get $ld) (f64.const -1) (i32.const 0))))
    (local.set $g0 (local.get $j0))
    (block $gdone (loop $gloop
      (br_if $gdone (i32.ge_u (local.get $g0) (local.get $j1)))
      (local.set $g1 (call $min (local.get $j1) (i32.add (local.get $g0) (i32.const 4))))
      (if (i32.gt_u (local.get $g0) (local.get $j0)) (then
        (call $gemm (call $at (local.get $a) (local.get $ld) (local.get $g0) (local.get $j0))
          (call $at (local.get $a) (local.get $ld) (local.get $g0) (local.get $j0))
          (local.get $ld) (local.get $ld) (i32.sub (local.get $j1) (local.get $g0)) (i32.sub (local.get $g1) (local.get $g0))
          (i32.sub (local.get $g0) (local.get $j0)) (i32.const 1)
          (call $at (local.get $a) (local.get $ld) (local.get $g0) (local.get $g0)) (local.get $ld) (f64.const -1) (i32.const 0))))
      (local.set $i (local.get $g0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $j1)))
        (local.set $ir (call $at (local.get $a) (local.get $ld) (local.get $i) (i32.const 0)))
        (local.set $jEnd (call $min (local.get $i) (local.get $g1)))
        (local.set $j (local.get $g0))
        (block $jdone (loop $jloop
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $jEnd)))
          (local.set $jr (call $at (local.get $a) (local.get $ld) (local.get $j) (i32.const 0)))
          (local.set $t (f64.load (i32.add (local.get $ir) (i32.shl (local.get $j) (i32.const 3)))))
          (local.set $k (local.get $g0))
          (block $kdone (loop $kloop
            (br_if $kdone (i32.ge_u (local.get $k) (local.get $j)))
            (local.set $t (f64.sub (local.get $t) (f64.mul
              (f64.load (i32.add (local.get $ir) (i32.shl (local.get $k) (i32.const 3))))
              (f64.load (i32.add (local.get $jr) (i32.shl (local.get $k) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kloop)))
          (f64.store (i32.add (local.get $ir) (i32.shl (local.get $j) (i32.const 3)))
            (f64.mul (local.get $t) (f64.load (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 3))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jloop)))
        (if (i32.lt_u (local.get $i) (local.get $g1)) (then
          (local.set $t (f64.load (i32.add (local.get $ir) (i32.shl (local.get $i) (i32.const 3)))))
          (local.set $k (local.get $g0))
          (block $pdone (loop $ploop
            (br_if $pdone (i32.ge_u (local.get $k) (local.get $i)))
            (local.set $l (f64.load (i32.add (local.get $ir) (i32.shl (local.get $k) (i32.const 3)))))
            (local.set $t (f64.sub (local.get $t) (f64.mul (local.get $l) (local.get $l))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $ploop)))
          (if (i32.or
                (i32.eqz (f64.gt (local.get $t)
                  (f64.mul (local.get $tiny) (f64.load (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 3)))))))
                (f64.eq (local.get $t) (f64.const inf)))
            (then
              (f64.store (local.get $out) (local.get $t))
              (return (local.get $i))))
          (local.set $l (f64.sqrt (local.get $t)))
          (f64.store (i32.add (local.get $ir) (i32.shl (local.get $i) (i32.const 3))) (local.get $l))
          (f64.store (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 3))) (f64.div (f64.const 1) (local.get $l)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (local.set $g0 (i32.add (local.get $g0) (i32.const 4)))
      (br $gloop)))
    (i32.const -1))

  ;; Cholesky, block column J = [j0, j1), rows [r0, r1) below its diagonal block (after `cholDiag`
  ;; of J): the same steps, each row solved against the finished diagonal block. Rows are
  ;; independent: calls on disjoint row ranges may run at the same time, each with its own `pack`
  ;; (64·1024 float64 of scratch for gemm).
  (func (export "cholRows") (param $a i32) (param $n i32) (param $j0 i32) (param $j1 i32)
    (param $r0 i32) (param $r1 i32) (param $d i32) (param $pack i32)
    (local $ld i32) (local $m i32) (local $g0 i32) (local $g1 i32) (local $i i32) (local $ir i32)
    (local $j i32) (local $jr i32) (local $k i32) (local $t f64)
    (local.set $ld (i32.shl (local.get $n) (i32.const 3)))
    (local.set $m (i32.sub (local.get $r1) (local.get $r0)))
    (if (local.get $j0) (then
      (call $gemm (call $at (local.get $a) (local.get $ld) (local.get $r0) (i32.const 0))
        (call $at (local.get $a) (local.get $ld) (local.get $j0) (i32.const 0))
        (local.get $ld) (local.get $ld) (local.get $m) (i32.sub (local.get $j1) (local.get $j0)) (local.get $j0) (i32.const 0)
        (call $at (local.get $a) (local.get $ld) (local.get $r0) (local.get $j0)) (local.get $ld) (f64.const -1) (local.get $pack))))
    (local.set $g0 (local.get $j0))
    (block $gdone (loop $gloop
      (br_if $gdone (i32.ge_u (local.get $g0) (local.get $j1)))
      (local.set $g1 (call $min (local.get $j1) (i32.add (local.get $g0) (i32.const 4))))
      (if (i32.gt_u (local.get $g0) (local.get $j0)) (then
        (call $gemm (call $at (local.get $a) (local.get $ld) (local.get $r0) (local.get $j0))
          (call $at (local.get $a) (local.get $ld) (local.get $g0) (local.get $j0))
          (local.get $ld) (local.get $ld) (local.get $m) (i32.sub (local.get $g1) (local.get $g0))
          (i32.sub (local.get $g0) (local.get $j0)) (i32.const 0)
          (call $at (local.get $a) (local.get $ld) (local.get $r0) (local.get $g0)) (local.get $ld) (f64.const -1) (local.get $pack))))
      (local.set $i (local.get $r0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $r1)))
        (local.set $ir (call $at (local.get $a) (local.get $ld) (local.get $i) (i32.const 0)))
        (local.set $j (local.get $g0))
        (block $jdone (loop $jloop
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $g1)))
          (local.set $jr (call $at (local.get $a) (local.get $ld) (local.get $j) (i32.const 0)))
          (local.set $t (f64.load (i32.add (local.get $ir) (i32.shl (local.get $j) (i32.const 3)))))
          (local.set $k (local.get $g0))
          (block $kdone (loop $kloop
            (br_if $kdone (i32.ge_u (local.get $k) (local.get $j)))
            (local.set $t (f64.sub (local.get $t) (f64.mul
              (f64.load (i32.add (local.get $ir) (i32.shl (local.get $k) (i32.const 3))))
              (f64.load (i32.add (local.get $jr) (i32.shl (local.get $k) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kloop)))
          (f64.store (i32.add (local.get $ir) (i32.shl (local.get $j) (i32.const 3)))
            (f64.mul (local.get $t) (f64.load (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 3))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jloop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (local.set $g0 (i32.add (local.get $g0) (i32.const 4)))
      (br $gloop))))

  ;; Y = L⁻ᵀ, block row I = [i0, i1): rows i of Y solve Y[i]·Lᵀ = eᵢ, Y[i][j] = −d[j]·Σ_{i ≤ k < j}
  ;; Y[i][k]·L[j][k], block column by block column (`nb` wide; gemm for the columns left of each
  ;; block, then groups of 4 as in `cholDiag`). The rows are built in scratch S ((i1 − i0) × (n − i0),
  ;; row-major, column c for column i0 + c of a; zero left of the diagonal, so the products need no
  ;; triangular case), then copied onto the upper triangle of rows I of `a`, diagonal included.
  ;; `s`: 64·1024 float64 for gemm's packed B, then S. Reads L in the strict lower triangle, which
  ;; no call writes: block rows are independent and may run at the same time, each with its own `s`.
  (func (export "invRows") (param $a i32) (param $n i32) (param $i0 i32) (param $i1 i32) (param $nb i32)
    (param $d i32) (param $s i32)
    (local $ld i32) (local $lds i32) (local $h i32) (local $r i32) (local $i i32) (local $j0 i32)
    (local $j1 i32) (local $diag i32) (local $g0 i32) (local $g1 i32) (local $m i32) (local $iEnd i32)
    (local $sr i32) (local $j i32) (local $jr i32) (local $k i32) (local $t f64) (local $pack i32)
    (local.set $pack (local.get $s))
    (local.set $s (i32.add (local.get $s) (i32.const 524288)))
    (local.set $ld (i32.shl (local.get $n) (i32.const 3)))
    (local.set $lds (i32.shl (i32.sub (local.get $n) (local.get $i0)) (i32.const 3)))
    (local.set $h (i32.sub (local.get $i1) (local.get $i0)))
    (memory.fill (local.get $s) (i32.const 0) (i32.mul (local.get $h) (local.get $lds)))
    (local.set $r (i32.const 0))
    (block $dd (loop $dl
      (br_if $dd (i32.ge_u (local.get $r) (local.get $h)))
      (f64.store (call $at (local.get $s) (local.get $lds) (local.get $r) (local.get $r))
        (f64.load (i32.add (local.get $d) (i32.shl (i32.add (local.get $i0) (local.get $r)) (i32.const 3)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $dl)))
    (local.set $j0 (local.get $i0))
    (block $jbdone (loop $jbloop
      (br_if $jbdone (i32.ge_u (local.get $j0) (local.get $n)))
      (local.set $j1 (call $min (local.get $n) (i32.add (local.get $j0) (local.get $nb))))
      (local.set $diag (i32.eq (local.get $j0) (local.get $i0)))
      (if (i32.eqz (local.get $diag)) (then
        (call $gemm (local.get $s) (call $at (local.get $a) (local.get $ld) (local.get $j0) (local.get $i0))
          (local.get $lds) (local.get $ld) (local.get $h) (i32.sub (local.get $j1) (local.get $j0))
          (i32.sub (local.get $j0) (local.get $i0)) (i32.const 0)
          (call $at (local.get $s) (local.get $lds) (i32.const 0) (i32.sub (local.get $j0) (local.get $i0)))
          (local.get $lds) (f64.const 1) (local.get $pack))))
      (local.set $g0 (local.get $j0))
      (block $gdone (loop $gloop
        (br_if $gdone (i32.ge_u (local.get $g0) (local.get $j1)))
        (local.set $g1 (call $min (local.get $j1) (i32.add (local.get $g0) (i32.const 4))))
        (local.set $m (select (i32.sub (local.get $g0) (local.get $i0)) (local.get $h) (local.get $diag)))
        (if (i32.and (i32.gt_u (local.get $g0) (local.get $j0)) (i32.ne (local.get $m) (i32.const 0))) (then
          (call $gemm (call $at (local.get $s) (local.get $lds) (i32.const 0) (i32.sub (local.get $j0) (local.get $i0)))
            (call $at (local.get $a) (local.get $ld) (local.get $g0) (local.get $j0))
            (local.get $lds) (local.get $ld) (local.get $m) (i32.sub (local.get $g1) (local.get $g0))
            (i32.sub (local.get $g0) (local.get $j0)) (i32.const 0)
            (call $at (local.get $s) (local.get $lds) (i32.const 0) (i32.sub (local.get $g0) (local.get $i0)))
            (local.get $lds) (f64.const 1) (local.get $pack))))
        (local.set $iEnd (select (call $min (local.get $h) (i32.sub (local.get $g1) (local.get $i0))) (local.get $h) (local.get $diag)))
        (local.set $r (i32.const 0))
        (block $rdone (loop $rloop
          (br_if $rdone (i32.ge_u (local.get $r) (local.get $iEnd)))
          (local.set $i (i32.add (local.get $i0) (local.get $r)))
          ;; sr + 8k is S[r][k − i0]
          (local.set $sr (i32.sub (i32.add (local.get $s) (i32.mul (local.get $r) (local.get $lds)))
            (i32.shl (local.get $i0) (i32.const 3))))
          (local.set $j (call $max (i32.add (local.get $i) (i32.const 1)) (local.get $g0)))
          (block $jdone (loop $jloop
            (br_if $jdone (i32.ge_u (local.get $j) (local.get $g1)))
            (local.set $jr (call $at (local.get $a) (local.get $ld) (local.get $j) (i32.const 0)))
            (local.set $t (f64.load (i32.add (local.get $sr) (i32.shl (local.get $j) (i32.const 3)))))
            (local.set $k (call $max (local.get $i) (local.get $g0)))
            (block $kdone (loop $kloop
              (br_if $kdone (i32.ge_u (local.get $k) (local.get $j)))
              (local.set $t (f64.add (local.get $t) (f64.mul
                (f64.load (i32.add (local.get $sr) (i32.shl (local.get $k) (i32.const 3))))
                (f64.load (i32.add (local.get $jr) (i32.shl (local.get $k) (i32.const 3)))))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $kloop)))
            (f64.store (i32.add (local.get $sr) (i32.shl (local.get $j) (i32.const 3)))
              (f64.mul (f64.neg (f64.load (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 3))))) (local.get $t)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $jloop)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $rloop)))
        (local.set $g0 (i32.add (local.get $g0) (i32.const 4)))
        (br $gloop)))
      (local.set $j0 (i32.add (local.get $j0) (local.get $nb)))
      (br $jbloop)))
    ;; rows of Y onto the upper triangle of a, diagonal included
    (local.set $r (i32.const 0))
    (block $cd (loop $cl
      (br_if $cd (i32.ge_u (local.get $r) (local.get $h)))
      (local.set $i (i32.add (local.get $i0) (local.get $r)))
      (memory.copy (call $at (local.get $a) (local.get $ld) (local.get $i) (local.get $i))
        (call $at (local.get $s) (local.get $lds) (local.get $r) (local.get $r))
        (i32.shl (i32.sub (local.get $n) (local.get $i)) (i32.const 3)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $cl))))

  ;; A⁻¹ = Y·Yᵀ, block row I = [i0, i1): P[i][j] = Σ_{k ≥ i0} Y[i][k]·Y[j][k] for j ≤ i, into the lower
  ;; triangle of rows I, diagonal included. First zeroes the L left of the diagonal within the
  ;; diagonal block (Y is upper triangular; no other block row reads there). The diagonal block
  ;; goes through scratch ((i1 − i0)² float64 after the 64·1024 of gemm's packed B at `s`), since
  ;; its upper half is still Y. Writes only columns < i1 of rows I and reads other rows only at
  ;; columns ≥ i0 of rows j < i0 (Y): block rows are independent and may run at the same time, each
  ;; with its own `s`.
  (func (export "prodRows") (param $a i32) (param $n i32) (param $i0 i32) (param $i1 i32) (param $s i32)
    (local $ld i32) (local $h i32) (local $r i32) (local $yi i32) (local $pack i32)
    (local.set $pack (local.get $s))
    (local.set $s (i32.add (local.get $s) (i32.const 524288)))
    (local.set $ld (i32.shl (local.get $n) (i32.const 3)))
    (local.set $h (i32.sub (local.get $i1) (local.get $i0)))
    (local.set $yi (call $at (local.get $a) (local.get $ld) (local.get $i0) (local.get $i0)))
    (local.set $r (i32.const 0))
    (block $zd (loop $zl
      (br_if $zd (i32.ge_u (local.get $r) (local.get $h)))
      (memory.fill (call $at (local.get $a) (local.get $ld) (i32.add (local.get $i0) (local.get $r)) (i32.const 0))
        (i32.const 0) (i32.shl (i32.add (local.get $i0) (local.get $r)) (i32.const 3)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $zl)))
    (if (local.get $i0) (then
      (call $gemm (local.get $yi) (call $at (local.get $a) (local.get $ld) (i32.const 0) (local.get $i0))
        (local.get $ld) (local.get $ld) (local.get $h) (local.get $i0) (i32.sub (local.get $n) (local.get $i0)) (i32.const 0)
        (call $at (local.get $a) (local.get $ld) (local.get $i0) (i32.const 0)) (local.get $ld) (f64.const 1) (local.get $pack))))
    (memory.fill (local.get $s) (i32.const 0) (i32.shl (i32.mul (local.get $h) (local.get $h)) (i32.const 3)))
    (call $gemm (local.get $yi) (local.get $yi) (local.get $ld) (local.get $ld) (local.get $h) (local.get $h)
      (i32.sub (local.get $n) (local.get $i0)) (i32.const 1) (local.get $s) (i32.shl (local.get $h) (i32.const 3)) (f64.const 1) (i32.const 0))
    (local.set $r (i32.const 0))
    (block $cd (loop $cl
      (br_if $cd (i32.ge_u (local.get $r) (local.get $h)))
      (memory.copy (call $at (local.get $a) (local.get $ld) (i32.add (local.get $i0) (local.get $r)) (local.get $i0))
        (i32.add (local.get $s) (i32.shl (i32.mul (local.get $r) (local.get $h)) (i32.const 3)))
        (i32.shl (i32.add (local.get $r) (i32.const 1)) (i32.const 3)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $cl))))

  ;; a[i][j] = a[j][i] for i in [i0, i1), j > i: the lower triangle onto the upper one, in blocks of
  ;; 32 columns. Reads only the lower triangle: disjoint row ranges may run at the same time.
  (func (export "mirror") (param $a i32) (param $n i32) (param $i0 i32) (param $i1 i32)
    (local $ld i32) (local $jb i32) (local $jEnd i32) (local $i i32) (local $j i32) (local $p i32) (local $q i32)
    (local.set $ld (i32.shl (local.get $n) (i32.const 3)))
    (local.set $jb (local.get $i0))
    (block $bd (loop $bl
      (br_if $bd (i32.ge_u (local.get $jb) (local.get $n)))
      (local.set $jEnd (call $min (local.get $n) (i32.add (local.get $jb) (i32.const 32))))
      (local.set $i (local.get $i0))
      (block $id (loop $il
        (br_if $id (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $j (call $max (local.get $jb) (i32.add (local.get $i) (i32.const 1))))
        (local.set $p (call $at (local.get $a) (local.get $ld) (local.get $i) (local.get $j)))
        (local.set $q (call $at (local.get $a) (local.get $ld) (local.get $j) (local.get $i)))
        (block $jd (loop $jl
          (br_if $jd (i32.ge_u (local.get $j) (local.get $jEnd)))
          (f64.store (local.get $p) (f64.load (local.get $q)))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (local.set $q (i32.add (local.get $q) (local.get $ld)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jl)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il)))
      (local.set $jb (i32.add (local.get $jb) (i32.const 32)))
      (br $bl))))

  ;; a[i][j] *= scale[j] for i in [r0, r1), then a[i][i] = 0 (EASE: B = I − P·diag(1/diag P) with
  ;; scale[j] = −1/P[j][j]).
  (func (export "scaleCols") (param $a i32) (param $n i32) (param $r0 i32) (param $r1 i32) (param $scale i32)
    (local $ld i32) (local $i i32) (local $p i32) (local $q i32) (local $c i32)
    (local.set $ld (i32.shl (local.get $n) (i32.const 3)))
    (local.set $i (local.get $r0))
    (block $id (loop $il
      (br_if $id (i32.ge_u (local.get $i) (local.get $r1)))
      (local.set $p (call $at (local.get $a) (local.get $ld) (local.get $i) (i32.const 0)))
      (local.set $q (local.get $scale))
      (local.set $c (i32.shr_u (local.get $n) (i32.const 1)))
      (block $jd (loop $jl
        (br_if $jd (i32.eqz (local.get $c)))
        (v128.store (local.get $p) (f64x2.mul (v128.load (local.get $p)) (v128.load (local.get $q))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (local.set $c (i32.sub (local.get $c) (i32.const 1)))
        (br $jl)))
      (if (i32.and (local.get $n) (i32.const 1)) (then
        (f64.store (local.get $p) (f64.mul (f64.load (local.get $p)) (f64.load (local.get $q))))))
      (f64.store (call $at (local.get $a) (local.get $ld) (local.get $i) (local.get $i)) (f64.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $il))))
)
