;; Quiver @quiver/mf: WebAssembly SIMD (f32x4) kernels for biased-MF block SGD.
;; Source of truth for src/wasm/sgd-kernels-bytes.ts (regenerate with `node src/wasm/build-wasm.mjs`
;; in packages/mf; a test checks the committed bytes match this file).
;;
;; Memory is imported (shared, so worker threads can run blocks of the same tables concurrently).
;; Every pointer is a byte address; every table is row-major float32 with `dim` (a multiple of 4)
;; columns. A record is one i32 word `localUser | localItem << ubits | code << (ubits + ibits)`
;; (stride 4: the rating is `table[code]`) or that word with code 0 and ubits = ibits = 16,
;; followed by the f32 rating (stride 8). See src/kernels/build-sgd-blocks.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; SGD over `count` records at `rec` in stored order (stride 4 or 8 bytes; `table`: the rating
  ;; codes of stride-4 records). p/q: byte address of the block's first user/item factor row;
  ;; bu/bi: byte address of its first user/item bias. Returns the sum of e².
  ;; The update is the rule of src/kernels/biased-mf-rule.ts (residual, then the SGD step), as
  ;; src/kernels/sgd-block.ts applies it; src/kernels/sgd-block.test.ts compares the two.
  (func $sgd (export "sgd")
    (param $rec i32) (param $count i32) (param $stride i32) (param $ubits i32) (param $ibits i32) (param $table i32)
    (param $p i32) (param $q i32) (param $bu i32) (param $bi i32)
    (param $dim i32) (param $mu f32) (param $lr f32) (param $lrBias f32) (param $reg f32) (param $regBias f32)
    (result f64)
    (local $end i32) (local $key i32) (local $po i32) (local $qo i32) (local $pe i32)
    (local $ub i32) (local $ib i32) (local $rowBytes i32)
    (local $acc v128) (local $acc2 v128) (local $pv v128) (local $qv v128)
    (local $vdecay v128) (local $vstep v128)
    (local $e f32) (local $dot f32) (local $sse f64)
    (local $umask i32) (local $imask i32) (local $rshift i32) (local $lu i32) (local $li i32) (local $r f32)
    (local.set $umask (i32.sub (i32.shl (i32.const 1) (local.get $ubits)) (i32.const 1)))
    (local.set $imask (i32.sub (i32.shl (i32.const 1) (local.get $ibits)) (i32.const 1)))
    (local.set $rshift (i32.add (local.get $ubits) (local.get $ibits)))
    (local.set $rowBytes (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $vdecay (f32x4.splat (f32.sub (f32.const 1) (f32.mul (local.get $lr) (local.get $reg)))))
    (local.set $end (i32.add (local.get $rec) (i32.mul (local.get $count) (local.get $stride))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $rec) (local.get $end)))
        (local.set $key (i32.load (local.get $rec)))
        (local.set $lu (i32.and (local.get $key) (local.get $umask)))
        (local.set $li (i32.and (i32.shr_u (local.get $key) (local.get $ubits)) (local.get $imask)))
        (if (i32.eq (local.get $stride) (i32.const 4))
          (then (local.set $r (f32.load (i32.add (local.get $table)
            (i32.shl (i32.shr_u (local.get $key) (local.get $rshift)) (i32.const 2))))))
          (else (local.set $r (f32.load offset=4 (local.get $rec)))))
        (local.set $po (i32.add (local.get $p) (i32.mul (local.get $lu) (local.get $rowBytes))))
        (local.set $qo (i32.add (local.get $q) (i32.mul (local.get $li) (local.get $rowBytes))))
        (local.set $ub (i32.add (local.get $bu) (i32.shl (local.get $lu) (i32.const 2))))
        (local.set $ib (i32.add (local.get $bi) (i32.shl (local.get $li) (i32.const 2))))
        ;; dot product: two f32x4 accumulators over 8 floats per step, then 4 if dim % 8 == 4
        (local.set $acc (v128.const i64x2 0 0))
        (local.set $acc2 (v128.const i64x2 0 0))
        (local.set $pe (i32.add (local.get $po) (i32.and (local.get $rowBytes) (i32.const -32))))
        (block $d8
          (loop $dot8
            (br_if $d8 (i32.ge_u (local.get $po) (local.get $pe)))
            (local.set $acc (f32x4.add (local.get $acc)
              (f32x4.mul (v128.load (local.get $po)) (v128.load (local.get $qo)))))
            (local.set $acc2 (f32x4.add (local.get $acc2)
              (f32x4.mul (v128.load offset=16 (local.get $po)) (v128.load offset=16 (local.get $qo)))))
            (local.set $po (i32.add (local.get $po) (i32.const 32)))
            (local.set $qo (i32.add (local.get $qo) (i32.const 32)))
            (br $dot8)))
        (if (i32.and (local.get $rowBytes) (i32.const 16))
          (then
            (local.set $acc (f32x4.add (local.get $acc)
              (f32x4.mul (v128.load (local.get $po)) (v128.load (local.get $qo)))))))
        (local.set $acc (f32x4.add (local.get $acc) (local.get $acc2)))
        (local.set $dot (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        ;; rewind the row pointers
        (local.set $po (i32.add (local.get $p) (i32.mul (local.get $lu) (local.get $rowBytes))))
        (local.set $qo (i32.add (local.get $q) (i32.mul (local.get $li) (local.get $rowBytes))))
        (local.set $e (f32.sub (local.get $r)
          (f32.add (f32.add (f32.add (local.get $mu) (f32.load (local.get $ub))) (f32.load (local.get $ib))) (local.get $dot))))
        (local.set $sse (f64.add (local.get $sse) (f64.promote_f32 (f32.mul (local.get $e) (local.get $e)))))
        (f32.store (local.get $ub) (f32.add (f32.load (local.get $ub))
          (f32.mul (local.get $lrBias) (f32.sub (local.get $e) (f32.mul (local.get $regBias) (f32.load (local.get $ub)))))))
        (f32.store (local.get $ib) (f32.add (f32.load (local.get $ib))
          (f32.mul (local.get $lrBias) (f32.sub (local.get $e) (f32.mul (local.get $regBias) (f32.load (local.get $ib)))))))
        ;; p = decay p + step q, q = decay q + step p (old values)
        (local.set $vstep (f32x4.splat (f32.mul (local.get $lr) (local.get $e))))
        (local.set $pe (i32.add (local.get $po) (local.get $rowBytes)))
        (block $u4
          (loop $upd
            (br_if $u4 (i32.ge_u (local.get $po) (local.get $pe)))
            (local.set $pv (v128.load (local.get $po)))
            (local.set $qv (v128.load (local.get $qo)))
            (v128.store (local.get $po) (f32x4.add (f32x4.mul (local.get $vdecay) (local.get $pv)) (f32x4.mul (local.get $vstep) (local.get $qv))))
            (v128.store (local.get $qo) (f32x4.add (f32x4.mul (local.get $vdecay) (local.get $qv)) (f32x4.mul (local.get $vstep) (local.get $pv))))
            (local.set $po (i32.add (local.get $po) (i32.const 16)))
            (local.set $qo (i32.add (local.get $qo) (i32.const 16)))
            (br $upd)))
        (local.set $rec (i32.add (local.get $rec) (local.get $stride)))
        (br $each)))
    (local.get $sse))

  ;; Reads `bytes` bytes from `a` one 64-byte line at a time (a sequential sweep the hardware
  ;; prefetcher streams), so a block's rows are in cache before its random-order updates.
  ;; Returns the sum of the words read (stored by the caller, so the loads are not dead).
  (func $warm (export "warm") (param $a i32) (param $bytes i32) (result i32)
    (local $end i32) (local $x i32)
    (local.set $end (i32.add (local.get $a) (local.get $bytes)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $x (i32.add (local.get $x) (i32.load (local.get $a))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (br $l)))
    (local.get $x))

  ;; One block of one epoch: warm the `warmBytes` bytes of rows at `warmPtr` (the block's
  ;; cache-resident side; the scratch word `tmp` receives the sweep's sum), then SGD in stored order.
  (func (export "block")
    (param $rec i32) (param $count i32) (param $stride i32) (param $ubits i32) (param $ibits i32) (param $table i32)
    (param $p i32) (param $q i32) (param $bu i32) (param $bi i32)
    (param $dim i32) (param $mu f32) (param $lr f32) (param $lrBias f32) (param $reg f32) (param $regBias f32)
    (param $warmPtr i32) (param $warmBytes i32) (param $tmp i32)
    (result f64)
    (i32.store (local.get $tmp) (call $warm (local.get $warmPtr) (local.get $warmBytes)))
    (call $sgd (local.get $rec) (local.get $count) (local.get $stride) (local.get $ubits) (local.get $ibits) (local.get $table)
      (local.get $p) (local.get $q) (local.get $bu) (local.get $bi)
      (local.get $dim) (local.get $mu) (local.get $lr) (local.get $lrBias) (local.get $reg) (local.get $regBias)))

  ;; Microbenchmark kernels. dot: Σ a[f] b[f] over n floats (n % 8 == 0).
  (func (export "dot") (param $a i32) (param $b i32) (param $n i32) (result f32)
    (local $end i32) (local $acc v128) (local $acc2 v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (br $l)))
    (local.set $acc (f32x4.add (local.get $acc) (local.get $acc2)))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))

  ;; axpy: y[f] += alpha x[f] over n floats (n % 4 == 0).
  (func (export "axpy") (param $alpha f32) (param $x i32) (param $y i32) (param $n i32)
    (local $end i32) (local $va v128)
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (v128.store (local.get $y) (f32x4.add (v128.load (local.get $y)) (f32x4.mul (local.get $va) (v128.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $l))))
)
