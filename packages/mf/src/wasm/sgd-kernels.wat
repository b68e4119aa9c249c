;; Quiver @quiver/mf: WebAssembly SIMD (f32x4) kernels for biased-MF SGD.
;; Source of truth for src/wasm/sgd-kernels-bytes.ts (regenerate with `node scripts/build-wasm.mjs`
;; in packages/mf; a test checks the committed bytes match this file).
;;
;; Memory is imported (shared, so worker threads can run blocks of the same tables concurrently).
;; Every pointer is a byte address; every table is row-major float32 with `dim` (a multiple of 4)
;; columns. A record is 8 bytes: i32 (local user | local item << 16), f32 rating.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; mulberry32 step on the state at address 0 of the caller-given 4-byte slot; returns u32.
  (func $next (param $s i32) (result i32)
    (local $a i32) (local $t i32)
    (local.set $a (i32.add (i32.load (local.get $s)) (i32.const 0x6D2B79F5)))
    (i32.store (local.get $s) (local.get $a))
    (local.set $t (i32.mul
      (i32.xor (local.get $a) (i32.shr_u (local.get $a) (i32.const 15)))
      (i32.or (local.get $a) (i32.const 1))))
    (local.set $t (i32.xor (local.get $t)
      (i32.add (local.get $t)
        (i32.mul
          (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 7)))
          (i32.or (local.get $t) (i32.const 61))))))
    (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 14))))

  ;; Fisher-Yates shuffle of `count` 8-byte records at `rec` with mulberry32(seed);
  ;; `tmp` is a 4-byte scratch slot for the generator state.
  ;; j = floor(next() * (t + 1) / 2^32) for t = count-1 .. 1.
  (func $shuffle (export "shuffle") (param $rec i32) (param $count i32) (param $seed i32) (param $tmp i32)
    (local $t i32) (local $j i32) (local $a i32) (local $b i32) (local $x i64)
    (i32.store (local.get $tmp) (local.get $seed))
    (local.set $t (i32.sub (local.get $count) (i32.const 1)))
    (block $done
      (loop $loop
        (br_if $done (i32.le_s (local.get $t) (i32.const 0)))
        (local.set $j (i32.wrap_i64 (i64.shr_u
          (i64.mul (i64.extend_i32_u (call $next (local.get $tmp)))
                   (i64.extend_i32_u (i32.add (local.get $t) (i32.const 1))))
          (i64.const 32))))
        (local.set $a (i32.add (local.get $rec) (i32.shl (local.get $t) (i32.const 3))))
        (local.set $b (i32.add (local.get $rec) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $x (i64.load (local.get $a)))
        (i64.store (local.get $a) (i64.load (local.get $b)))
        (i64.store (local.get $b) (local.get $x))
        (local.set $t (i32.sub (local.get $t) (i32.const 1)))
        (br $loop))))

  ;; SGD over `count` records at `rec` in stored order. p/q: byte address of the block's first
  ;; user/item factor row; bu/bi: byte address of its first user/item bias. Returns the sum of e².
  (func $sgd (export "sgd")
    (param $rec i32) (param $count i32) (param $p i32) (param $q i32) (param $bu i32) (param $bi i32)
    (param $dim i32) (param $mu f32) (param $lr f32) (param $lrBias f32) (param $reg f32) (param $regBias f32)
    (result f64)
    (local $end i32) (local $key i32) (local $po i32) (local $qo i32) (local $pe i32)
    (local $ub i32) (local $ib i32) (local $rowBytes i32)
    (local $acc v128) (local $acc2 v128) (local $pv v128) (local $qv v128)
    (local $vdecay v128) (local $vstep v128)
    (local $e f32) (local $dot f32) (local $sse f64)
    (local.set $rowBytes (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $vdecay (f32x4.splat (f32.sub (f32.const 1) (f32.mul (local.get $lr) (local.get $reg)))))
    (local.set $end (i32.add (local.get $rec) (i32.shl (local.get $count) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $rec) (local.get $end)))
        (local.set $key (i32.load (local.get $rec)))
        (local.set $po (i32.add (local.get $p) (i32.mul (i32.and (local.get $key) (i32.const 0xffff)) (local.get $rowBytes))))
        (local.set $qo (i32.add (local.get $q) (i32.mul (i32.shr_u (local.get $key) (i32.const 16)) (local.get $rowBytes))))
        (local.set $ub (i32.add (local.get $bu) (i32.shl (i32.and (local.get $key) (i32.const 0xffff)) (i32.const 2))))
        (local.set $ib (i32.add (local.get $bi) (i32.shl (i32.shr_u (local.get $key) (i32.const 16)) (i32.const 2))))
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
        (local.set $po (i32.add (local.get $p) (i32.mul (i32.and (local.get $key) (i32.const 0xffff)) (local.get $rowBytes))))
        (local.set $qo (i32.add (local.get $q) (i32.mul (i32.shr_u (local.get $key) (i32.const 16)) (local.get $rowBytes))))
        (local.set $e (f32.sub (f32.load offset=4 (local.get $rec))
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
        (local.set $rec (i32.add (local.get $rec) (i32.const 8)))
        (br $each)))
    (local.get $sse))

  ;; Shuffle then SGD: one block of one epoch.
  (func (export "block")
    (param $rec i32) (param $count i32) (param $p i32) (param $q i32) (param $bu i32) (param $bi i32)
    (param $dim i32) (param $mu f32) (param $lr f32) (param $lrBias f32) (param $reg f32) (param $regBias f32)
    (param $seed i32) (param $tmp i32)
    (result f64)
    (call $shuffle (local.get $rec) (local.get $count) (local.get $seed) (local.get $tmp))
    (call $sgd (local.get $rec) (local.get $count) (local.get $p) (local.get $q) (local.get $bu) (local.get $bi)
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
