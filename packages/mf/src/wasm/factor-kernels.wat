;; Quiver @quiver/mf: WebAssembly SIMD (f32x4 / f64x2) kernels for ALS (conjugate-gradient sweep)
;; and for scoring users against every item (recommendBatch).
;; Source of truth for src/wasm/factor-kernels-bytes.ts (regenerate with `node src/wasm/build-wasm.mjs`
;; in packages/mf; a test checks the committed bytes match this file). The plain-loop kernels
;; `alsCgSweep`, `gramMatrix` and `scoreItems` in src/kernels/ are the references tests compare to.
;;
;; Memory is imported (not shared). Every pointer is a byte address, 16-byte aligned; every table is
;; row-major float32 with `dim` (a multiple of 4) columns.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Σ a[f]·b[f] over n floats (n a multiple of 4), two f32x4 accumulators.
  (func $dot (param $a i32) (param $b i32) (param $n i32) (result f32)
    (local $f i32) (local $n8 i32) (local $acc v128) (local $acc2 v128)
    (local.set $n8 (i32.and (local.get $n) (i32.const -8)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $f) (local.get $n8)))
        (local.set $acc (f32x4.add (local.get $acc)
          (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $acc2 (f32x4.add (local.get $acc2)
          (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (local.set $f (i32.add (local.get $f) (i32.const 8)))
        (br $loop)))
    (if (i32.lt_u (local.get $f) (local.get $n))
      (then (local.set $acc (f32x4.add (local.get $acc)
        (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))))
    (local.set $acc (f32x4.add (local.get $acc) (local.get $acc2)))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))

  ;; y[f] += alpha·x[f] over n floats (n a multiple of 4).
  (func $axpy (param $alpha f32) (param $x i32) (param $y i32) (param $n i32)
    (local $end i32) (local $va v128)
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $y) (local.get $end)))
        (v128.store (local.get $y) (f32x4.add (v128.load (local.get $y))
          (f32x4.mul (local.get $va) (v128.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $loop))))

  ;; p[f] = r[f] + beta·p[f] over n floats.
  (func $xpby (param $r i32) (param $beta f32) (param $p i32) (param $n i32)
    (local $end i32) (local $vb v128)
    (local.set $vb (f32x4.splat (local.get $beta)))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (v128.store (local.get $p) (f32x4.add (v128.load (local.get $r))
          (f32x4.mul (local.get $vb) (v128.load (local.get $p)))))
        (local.set $r (i32.add (local.get $r) (i32.const 16)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $loop))))

  ;; out = M v for a row-major dim × dim float32 matrix M (dim a multiple of 4), four rows at a time.
  (func $matVec (param $m i32) (param $v i32) (param $out i32) (param $dim i32)
    (local $a i32) (local $f i32) (local $rowBytes i32) (local $x v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $rowBytes (i32.shl (local.get $dim) (i32.const 2)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $a) (local.get $dim)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $f (i32.const 0))
        (block $fd (loop $fl
          (br_if $fd (i32.ge_u (local.get $f) (local.get $rowBytes)))
          (local.set $x (v128.load (i32.add (local.get $v) (local.get $f))))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x)
            (v128.load (i32.add (local.get $m) (local.get $f))))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x)
            (v128.load (i32.add (i32.add (local.get $m) (local.get $rowBytes)) (local.get $f))))))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $x)
            (v128.load (i32.add (i32.add (local.get $m) (i32.shl (local.get $rowBytes) (i32.const 1))) (local.get $f))))))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $x)
            (v128.load (i32.add (i32.add (local.get $m) (i32.mul (local.get $rowBytes) (i32.const 3))) (local.get $f))))))
          (local.set $f (i32.add (local.get $f) (i32.const 16)))
          (br $fl)))
        (f32.store (local.get $out) (call $hsum (local.get $a0)))
        (f32.store offset=4 (local.get $out) (call $hsum (local.get $a1)))
        (f32.store offset=8 (local.get $out) (call $hsum (local.get $a2)))
        (f32.store offset=12 (local.get $out) (call $hsum (local.get $a3)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.shl (local.get $rowBytes) (i32.const 2))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $loop))))

  ;; (l0 + l1) + (l2 + l3) of a float32x4.
  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; B[c] = Σ over the entries (r, c) of the CSR matrix, rows in order, of conf · X[r] (B has numCols
  ;; rows of dim floats): the right-hand sides Σ c y of every row of the transposed matrix, reading X
  ;; sequentially instead of gathering its rows.
  (func (export "scatterRows") (param $indptr i32) (param $indices i32) (param $conf i32) (param $X i32)
    (param $numRows i32) (param $dim i32) (param $B i32) (param $numCols i32)
    (local $r i32) (local $q i32) (local $qEnd i32) (local $x i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $dim) (i32.const 2)))
    (memory.fill (local.get $B) (i32.const 0) (i32.mul (local.get $numCols) (local.get $rowBytes)))
    (local.set $x (local.get $X))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_u (local.get $r) (local.get $numRows)))
      (local.set $q (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $qEnd (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $r) (i32.const 2)))))
      (block $qd (loop $ql
        (br_if $qd (i32.ge_u (local.get $q) (local.get $qEnd)))
        (call $axpy (f32.load (i32.add (local.get $conf) (i32.shl (local.get $q) (i32.const 2))))
          (local.get $x)
          (i32.add (local.get $B) (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $q) (i32.const 2))))
            (local.get $rowBytes)))
          (local.get $dim))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $ql)))
      (local.set $x (i32.add (local.get $x) (local.get $rowBytes)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl))))

  ;; out64 = Yᵀ Y + reg·I (float64, dim × dim, accumulated in the same order as `gramMatrix`), and
  ;; out32 = the same rounded to float32. tmp: 4·dim float64 of scratch. Rows go four at a time
  ;; (one pass over out64 adds four rank-1 terms, each element in row order, so the sums are those
  ;; of one row at a time: a term with y[a] = 0 adds ±0, which changes no sum), then one at a time.
  (func (export "gram") (param $table i32) (param $numRows i32) (param $dim i32) (param $reg f64)
    (param $out64 i32) (param $out32 i32) (param $tmp i32)
    (local $r i32) (local $f i32) (local $a i32) (local $b i32) (local $v v128) (local $va f64)
    (local $sa v128) (local $o i32) (local $t i32) (local $row64 i32)
    (local $n4 i32) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    ;; zero out64
    (local.set $f (i32.const 0))
    (block $z (loop $zl
      (br_if $z (i32.ge_u (local.get $f) (i32.mul (local.get $dim) (local.get $dim))))
      (f64.store (i32.add (local.get $out64) (i32.shl (local.get $f) (i32.const 3))) (f64.const 0))
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (br $zl)))
    (local.set $row64 (i32.shl (local.get $dim) (i32.const 3)))
    (local.set $n4 (i32.and (local.get $numRows) (i32.const -4)))
    (block $quads (loop $ql
      (br_if $quads (i32.ge_u (local.get $r) (local.get $n4)))
      ;; tmp = rows r … r+3 promoted to float64 (four rows of dim)
      (local.set $f (i32.const 0))
      (block $qp (loop $qpl
        (br_if $qp (i32.ge_u (local.get $f) (i32.shl (local.get $dim) (i32.const 2))))
        (local.set $v (v128.load (local.get $table)))
        (local.set $t (i32.add (local.get $tmp) (i32.shl (local.get $f) (i32.const 3))))
        (v128.store (local.get $t) (f64x2.promote_low_f32x4 (local.get $v)))
        (v128.store offset=16 (local.get $t) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (local.set $table (i32.add (local.get $table) (i32.const 16)))
        (local.set $f (i32.add (local.get $f) (i32.const 4)))
        (br $qpl)))
      ;; upper triangle: out[a][b] += y0[a]·y0[b]; += y1[a]·y1[b]; += y2[a]·y2[b]; += y3[a]·y3[b]
      (local.set $a (i32.const 0))
      (block $qad (loop $qal
        (br_if $qad (i32.ge_u (local.get $a) (local.get $dim)))
        (local.set $t (i32.add (local.get $tmp) (i32.shl (local.get $a) (i32.const 3))))
        (local.set $sa (f64x2.splat (f64.load (local.get $t))))
        (local.set $s1 (f64x2.splat (f64.load (i32.add (local.get $t) (local.get $row64)))))
        (local.set $s2 (f64x2.splat (f64.load (i32.add (local.get $t) (i32.shl (local.get $row64) (i32.const 1))))))
        (local.set $s3 (f64x2.splat (f64.load (i32.add (local.get $t) (i32.mul (local.get $row64) (i32.const 3))))))
        (local.set $b (i32.and (local.get $a) (i32.const -2)))
        (local.set $o (i32.add (local.get $out64)
          (i32.add (i32.mul (local.get $a) (local.get $row64)) (i32.shl (local.get $b) (i32.const 3)))))
        (local.set $t (i32.add (local.get $tmp) (i32.shl (local.get $b) (i32.const 3))))
        (block $qbd (loop $qbl
          (br_if $qbd (i32.ge_u (local.get $b) (local.get $dim)))
          (local.set $v (f64x2.add (v128.load (local.get $o)) (f64x2.mul (local.get $sa) (v128.load (local.get $t)))))
          (local.set $v (f64x2.add (local.get $v)
            (f64x2.mul (local.get $s1) (v128.load (i32.add (local.get $t) (local.get $row64))))))
          (local.set $v (f64x2.add (local.get $v)
            (f64x2.mul (local.get $s2) (v128.load (i32.add (local.get $t) (i32.shl (local.get $row64) (i32.const 1)))))))
          (local.set $v (f64x2.add (local.get $v)
            (f64x2.mul (local.get $s3) (v128.load (i32.add (local.get $t) (i32.mul (local.get $row64) (i32.const 3)))))))
          (v128.store (local.get $o) (local.get $v))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (local.set $t (i32.add (local.get $t) (i32.const 16)))
          (local.set $b (i32.add (local.get $b) (i32.const 2)))
          (br $qbl)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $qal)))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br $ql)))
    (block $rows (loop $rl
      (br_if $rows (i32.ge_u (local.get $r) (local.get $numRows)))
      ;; tmp = row r promoted to float64
      (local.set $f (i32.const 0))
      (block $p (loop $pl
        (br_if $p (i32.ge_u (local.get $f) (local.get $dim)))
        (local.set $v (v128.load (local.get $table)))
        (local.set $t (i32.add (local.get $tmp) (i32.shl (local.get $f) (i32.const 3))))
        (v128.store (local.get $t) (f64x2.promote_low_f32x4 (local.get $v)))
        (v128.store offset=16 (local.get $t) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (local.set $table (i32.add (local.get $table) (i32.const 16)))
        (local.set $f (i32.add (local.get $f) (i32.const 4)))
        (br $pl)))
      ;; upper triangle (from the even column at or below the diagonal): out[a][b] += y[a]·y[b]
      (local.set $a (i32.const 0))
      (block $ad (loop $al
        (br_if $ad (i32.ge_u (local.get $a) (local.get $dim)))
        (local.set $va (f64.load (i32.add (local.get $tmp) (i32.shl (local.get $a) (i32.const 3)))))
        (if (f64.ne (local.get $va) (f64.const 0)) (then
          (local.set $sa (f64x2.splat (local.get $va)))
          (local.set $b (i32.and (local.get $a) (i32.const -2)))
          (local.set $o (i32.add (local.get $out64)
            (i32.add (i32.mul (local.get $a) (local.get $row64)) (i32.shl (local.get $b) (i32.const 3)))))
          (local.set $t (i32.add (local.get $tmp) (i32.shl (local.get $b) (i32.const 3))))
          (block $bd (loop $bl
            (br_if $bd (i32.ge_u (local.get $b) (local.get $dim)))
            (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o))
              (f64x2.mul (local.get $sa) (v128.load (local.get $t)))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $t (i32.add (local.get $t) (i32.const 16)))
            (local.set $b (i32.add (local.get $b) (i32.const 2)))
            (br $bl)))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $al)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl)))
    ;; diagonal + reg, mirror the upper triangle, round to float32
    (local.set $a (i32.const 0))
    (block $fd (loop $fl
      (br_if $fd (i32.ge_u (local.get $a) (local.get $dim)))
      (local.set $o (i32.add (local.get $out64)
        (i32.shl (i32.add (i32.mul (local.get $a) (local.get $dim)) (local.get $a)) (i32.const 3))))
      (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (local.get $reg)))
      (local.set $b (i32.const 0))
      (block $md (loop $ml
        (br_if $md (i32.ge_u (local.get $b) (local.get $dim)))
        (local.set $f (i32.add (i32.mul (local.get $a) (local.get $dim)) (local.get $b)))
        (if (i32.lt_u (local.get $b) (local.get $a)) (then
          (f64.store (i32.add (local.get $out64) (i32.shl (local.get $f) (i32.const 3)))
            (f64.load (i32.add (local.get $out64)
              (i32.shl (i32.add (i32.mul (local.get $b) (local.get $dim)) (local.get $a)) (i32.const 3)))))))
        (f32.store (i32.add (local.get $out32) (i32.shl (local.get $f) (i32.const 2)))
          (f32.demote_f64 (f64.load (i32.add (local.get $out64) (i32.shl (local.get $f) (i32.const 3))))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $ml)))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (br $fl))))

  ;; One ALS half-sweep (same algorithm as `alsCgSweep`, in float32): for each row u of X, cgSteps
  ;; warm-started CG steps on (YᵀY + reg I + λᵤ I + Σ (c−1) y yᵀ) x = Σ c y over the CSR row u. Terms
  ;; with c = 1 contribute nothing to the Σ (c−1) part and are skipped. yty: float32 YᵀY + reg I.
  ;; scratch: 3·dim float32 (r, p, ap). b: 0, or the precomputed Σ c y of every row (`scatterRows`), in
  ;; which case only the entries with c ≠ 1 are visited for the residual. rowReg: 0, or numRows
  ;; float32 per-row ridge terms λᵤ (frequency-scaled regularisation).
  (func (export "cgSweep") (param $indptr i32) (param $indices i32) (param $conf i32) (param $Y i32)
    (param $X i32) (param $numRows i32) (param $dim i32) (param $yty i32) (param $cgSteps i32)
    (param $scratch i32) (param $b i32) (param $rowReg i32)
    (local $u i32) (local $q i32) (local $qEnd i32) (local $x i32) (local $y i32) (local $f i32)
    (local $r i32) (local $p i32) (local $ap i32) (local $rowBytes i32) (local $it i32)
    (local $c f32) (local $w f32) (local $rsOld f32) (local $rsNew f32) (local $alpha f32) (local $lambda f32)
    (local.set $rowBytes (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $r (local.get $scratch))
    (local.set $p (i32.add (local.get $r) (local.get $rowBytes)))
    (local.set $ap (i32.add (local.get $p) (local.get $rowBytes)))
    (block $rows (loop $rl
      (br_if $rows (i32.ge_u (local.get $u) (local.get $numRows)))
      (local.set $x (i32.add (local.get $X) (i32.mul (local.get $u) (local.get $rowBytes))))
      (local.set $q (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $u) (i32.const 2)))))
      (local.set $qEnd (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $u) (i32.const 2)))))
      (block $row
        (if (i32.eq (local.get $q) (local.get $qEnd)) (then
          ;; no entries: the exact solution is 0
          (local.set $f (i32.const 0))
          (block $zd (loop $zl
            (br_if $zd (i32.ge_u (local.get $f) (local.get $rowBytes)))
            (v128.store (i32.add (local.get $x) (local.get $f)) (v128.const i32x4 0 0 0 0))
            (local.set $f (i32.add (local.get $f) (i32.const 16)))
            (br $zl)))
          (br $row)))
        ;; r = −(YᵀY + reg I + λᵤ I) x + Σ (c − (c−1)(y·x)) y
        (call $matVec (local.get $yty) (local.get $x) (local.get $r) (local.get $dim))
        (local.set $lambda (f32.const 0))
        (if (local.get $rowReg) (then
          (local.set $lambda (f32.load (i32.add (local.get $rowReg) (i32.shl (local.get $u) (i32.const 2)))))))
        (if (f32.ne (local.get $lambda) (f32.const 0)) (then
          (call $axpy (local.get $lambda) (local.get $x) (local.get $r) (local.get $dim))))
        (local.set $f (i32.const 0))
        (block $nd (loop $nl
          (br_if $nd (i32.ge_u (local.get $f) (local.get $rowBytes)))
          (v128.store (i32.add (local.get $r) (local.get $f)) (f32x4.neg (v128.load (i32.add (local.get $r) (local.get $f)))))
          (local.set $f (i32.add (local.get $f) (i32.const 16)))
          (br $nl)))
        (if (local.get $b) (then
          (call $axpy (f32.const 1) (i32.add (local.get $b) (i32.mul (local.get $u) (local.get $rowBytes)))
            (local.get $r) (local.get $dim))))
        (block $bd (loop $bl
          (br_if $bd (i32.ge_u (local.get $q) (local.get $qEnd)))
          (local.set $y (i32.add (local.get $Y)
            (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $q) (i32.const 2)))) (local.get $rowBytes))))
          (local.set $c (f32.load (i32.add (local.get $conf) (i32.shl (local.get $q) (i32.const 2)))))
          (if (i32.eqz (local.get $b)) (then
            ;; w = c − (c−1)(y·x)
            (local.set $w (local.get $c))
            (if (f32.ne (local.get $c) (f32.const 1)) (then
              (local.set $w (f32.sub (local.get $c) (f32.mul (f32.sub (local.get $c) (f32.const 1))
                (call $dot (local.get $y) (local.get $x) (local.get $dim)))))))
            (call $axpy (local.get $w) (local.get $y) (local.get $r) (local.get $dim)))
          (else (if (f32.ne (local.get $c) (f32.const 1)) (then
            ;; c y is in b already: w = −(c−1)(y·x)
            (call $axpy (f32.neg (f32.mul (f32.sub (local.get $c) (f32.const 1))
                (call $dot (local.get $y) (local.get $x) (local.get $dim))))
              (local.get $y) (local.get $r) (local.get $dim))))))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $bl)))
        ;; p = r
        (memory.copy (local.get $p) (local.get $r) (local.get $rowBytes))
        (local.set $rsOld (call $dot (local.get $r) (local.get $r) (local.get $dim)))
        (br_if $row (f32.lt (local.get $rsOld) (f32.const 1e-20)))
        (local.set $it (i32.const 0))
        (block $cg (loop $cl
          (br_if $cg (i32.ge_u (local.get $it) (local.get $cgSteps)))
          ;; ap = A p
          (call $matVec (local.get $yty) (local.get $p) (local.get $ap) (local.get $dim))
          (if (f32.ne (local.get $lambda) (f32.const 0)) (then
            (call $axpy (local.get $lambda) (local.get $p) (local.get $ap) (local.get $dim))))
          (local.set $q (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $u) (i32.const 2)))))
          (block $ad (loop $al
            (br_if $ad (i32.ge_u (local.get $q) (local.get $qEnd)))
            (local.set $c (f32.sub (f32.load (i32.add (local.get $conf) (i32.shl (local.get $q) (i32.const 2)))) (f32.const 1)))
            (if (f32.ne (local.get $c) (f32.const 0)) (then
              (local.set $y (i32.add (local.get $Y)
                (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $q) (i32.const 2)))) (local.get $rowBytes))))
              (call $axpy (f32.mul (local.get $c) (call $dot (local.get $y) (local.get $p) (local.get $dim)))
                (local.get $y) (local.get $ap) (local.get $dim))))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $al)))
          (local.set $alpha (f32.div (local.get $rsOld) (call $dot (local.get $p) (local.get $ap) (local.get $dim))))
          (call $axpy (local.get $alpha) (local.get $p) (local.get $x) (local.get $dim))
          (call $axpy (f32.neg (local.get $alpha)) (local.get $ap) (local.get $r) (local.get $dim))
          (local.set $rsNew (call $dot (local.get $r) (local.get $r) (local.get $dim)))
          (br_if $cg (f32.lt (local.get $rsNew) (f32.const 1e-20)))
          (call $xpby (local.get $r) (f32.div (local.get $rsNew) (local.get $rsOld)) (local.get $p) (local.get $dim))
          (local.set $rsOld (local.get $rsNew))
          (local.set $it (i32.add (local.get $it) (i32.const 1)))
          (br $cl))))
      (local.set $u (i32.add (local.get $u) (i32.const 1)))
      (br $rl))))

  ;; Scores a block of users against every item: out[n·numItems + i] = constant[n] + itemBias[i] +
  ;; ⟨user n, item i⟩ for n < numUsers (users: numUsers rows of dim floats, contiguous). The item
  ;; table is streamed once per block; four users share each loaded item row. itemBias = 0 means none.
  (func (export "scoreBlock") (param $users i32) (param $numUsers i32) (param $items i32)
    (param $numItems i32) (param $dim i32) (param $itemBias i32) (param $constant i32) (param $out i32)
    (local $i i32) (local $n i32) (local $f i32) (local $q i32) (local $u i32) (local $rowBytes i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $v v128) (local $b f32)
    (local $n4 i32) (local $stride i32) (local $o i32)
    (local.set $rowBytes (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $n4 (i32.and (local.get $numUsers) (i32.const -4)))
    (local.set $stride (i32.shl (local.get $numItems) (i32.const 2)))
    (block $id (loop $il
      (br_if $id (i32.ge_u (local.get $i) (local.get $numItems)))
      (local.set $q (i32.add (local.get $items) (i32.mul (local.get $i) (local.get $rowBytes))))
      (local.set $b (f32.const 0))
      (if (local.get $itemBias) (then
        (local.set $b (f32.load (i32.add (local.get $itemBias) (i32.shl (local.get $i) (i32.const 2)))))))
      (local.set $o (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))))
      ;; four users at a time
      (local.set $n (i32.const 0))
      (block $nd (loop $nl
        (br_if $nd (i32.ge_u (local.get $n) (local.get $n4)))
        (local.set $u (i32.add (local.get $users) (i32.mul (local.get $n) (local.get $rowBytes))))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $f (i32.const 0))
        (block $fd (loop $fl
          (br_if $fd (i32.ge_u (local.get $f) (local.get $rowBytes)))
          (local.set $v (v128.load (i32.add (local.get $q) (local.get $f))))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v)
            (v128.load (i32.add (local.get $u) (local.get $f))))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v)
            (v128.load (i32.add (i32.add (local.get $u) (local.get $rowBytes)) (local.get $f))))))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v)
            (v128.load (i32.add (i32.add (local.get $u) (i32.shl (local.get $rowBytes) (i32.const 1))) (local.get $f))))))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v)
            (v128.load (i32.add (i32.add (local.get $u) (i32.mul (local.get $rowBytes) (i32.const 3))) (local.get $f))))))
          (local.set $f (i32.add (local.get $f) (i32.const 16)))
          (br $fl)))
        (f32.store (local.get $o) (call $finish (local.get $a0) (local.get $constant) (local.get $n) (local.get $b)))
        (f32.store (i32.add (local.get $o) (local.get $stride))
          (call $finish (local.get $a1) (local.get $constant) (i32.add (local.get $n) (i32.const 1)) (local.get $b)))
        (f32.store (i32.add (local.get $o) (i32.shl (local.get $stride) (i32.const 1)))
          (call $finish (local.get $a2) (local.get $constant) (i32.add (local.get $n) (i32.const 2)) (local.get $b)))
        (f32.store (i32.add (local.get $o) (i32.mul (local.get $stride) (i32.const 3)))
          (call $finish (local.get $a3) (local.get $constant) (i32.add (local.get $n) (i32.const 3)) (local.get $b)))
        (local.set $o (i32.add (local.get $o) (i32.shl (local.get $stride) (i32.const 2))))
        (local.set $n (i32.add (local.get $n) (i32.const 4)))
        (br $nl)))
      ;; the remaining users one at a time
      (block $rd (loop $rl
        (br_if $rd (i32.ge_u (local.get $n) (local.get $numUsers)))
        (local.set $u (i32.add (local.get $users) (i32.mul (local.get $n) (local.get $rowBytes))))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $f (i32.const 0))
        (block $gd (loop $gl
          (br_if $gd (i32.ge_u (local.get $f) (local.get $rowBytes)))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $q) (local.get $f)))
            (v128.load (i32.add (local.get $u) (local.get $f))))))
          (local.set $f (i32.add (local.get $f) (i32.const 16)))
          (br $gl)))
        (f32.store (local.get $o) (call $finish (local.get $a0) (local.get $constant) (local.get $n) (local.get $b)))
        (local.set $o (i32.add (local.get $o) (local.get $stride)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $rl)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $il))))

  ;; constant[n] + (horizontal sum of acc) + bias, in float32 (the plain loop sums in float64).
  (func $finish (param $acc v128) (param $constant i32) (param $n i32) (param $b f32) (result f32)
    (f32.add
      (f32.add (f32.load (i32.add (local.get $constant) (i32.shl (local.get $n) (i32.const 2))))
        (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
      (local.get $b)))
)
