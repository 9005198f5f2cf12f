// LSTM Lens — WebAssembly SIMD kernels behind src/core/kernels/wasmOps.ts.
//
// Built by scripts/build-wasm.sh (clang --target=wasm32 -msimd128, no libc,
// no allocation, no static data). Every pointer is a byte address in the
// imported linear memory (the Arena); matrices are row-major with explicit
// leading dimensions in floats; `beta` is 0 (overwrite C, never read it) or
// 1 (accumulate into C). Semantics match src/core/kernels/jsOps.ts; only the
// rounding differs.
//
// Sizes quoted in comments are those of the 2×256 model: hidden H = 256
// (gates 4H = 1024), embed 64, vocab 98, batch B = 16/32, T·B = 1024/2048.
// Tuning notes (measured, Node 20 / V8 11.3, x86-64): V8 gives wasm 15 xmm
// registers, so 4×8 is the largest tile that does not spill (5×8 and 6×8
// ran at half speed); without FMA the micro-kernel reaches ~32 GFLOP/s on
// one core, with relaxed-SIMD FMA ~39.

#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define INLINE static inline __attribute__((always_inline))
#define NOINLINE static __attribute__((noinline))

typedef v128_t f4;

// MADD(a, b, c) = a·b + c. The relaxed build (-DLSTM_RELAXED) emits one
// fused op: clang 14 only knows the pre-standard f32x4.fma opcode (0xfd 0xaf,
// "c + a·b" with operands in another order), and build-wasm.sh rewrites each
// of those to the standard f32x4.relaxed_madd (0xfd 0x105, "a·b + c"). So the
// builtin's arguments below are in relaxed_madd order, not clang's.
#ifdef LSTM_RELAXED
#define MADD(a, b, c) __builtin_wasm_fma_f32x4((a), (b), (c))
#else
#define MADD(a, b, c) wasm_f32x4_add(wasm_f32x4_mul((a), (b)), (c))
#endif

INLINE int min_int(int a, int b) { return a < b ? a : b; }

static void zero_rows(int M, int N, float *c, int ldc) {
  f4 z = wasm_f32x4_splat(0.0f);
  for (int m = 0; m < M; m++) {
    float *row = c + m * ldc;
    int n = 0;
    for (; n + 4 <= N; n += 4) wasm_v128_store(row + n, z);
    for (; n < N; n++) row[n] = 0.0f;
  }
}

// ===========================================================================
// GEMM, large M: register-blocked micro-kernel on packed B
//
// C tile [MR × 8] += Σ_k A(r,k)·B(k, 0..7) with A(r,k) = a[r·ars + k·aks]
// (ars = lda, aks = 1 for A; ars = 1, aks = lda for Aᵀ in gemm_tn) and B(k,:)
// eight contiguous floats of a packed panel. Per k: two B loads, MR
// broadcasts (load32_splat), 2·MR multiply-adds; 8 accumulators.
//
// B is packed per [KC × NC] block into 8-column panels. Unpacked, a panel of
// B with N = 1024 is walked one 4 KB page per k: hardware prefetch stops at
// page boundaries and all rows land in the same L1 set, which cost ~30%.
// ===========================================================================

#define NR 8     // columns per panel / tile
#define KC 256   // K block: a panel is KC × 8 floats = 8 KB (L1)
#define NC 256   // N block: 32 panels = 264 KB packed (L2)
#define MC 64    // M block: A block MC × KC = 64 KB (L2), reused by 32 panels
// Panels sit 64 bytes further apart than their size, so the same k row of
// consecutive panels falls in different L1 sets (8 KB apart would alias).
#define PANEL_STRIDE(kc) ((kc) * NR + 16)
#define PACKED_FLOATS ((KC * NR + 16) * (NC / NR))

// Adds (beta = 1) or stores (beta = 0) one accumulated 8-wide row segment;
// only the ragged last panel of C has cols < 8.
INLINE void store_row(float *c, f4 lo, f4 hi, int beta, int cols) {
  if (cols == NR) {
    if (beta) {
      lo = wasm_f32x4_add(wasm_v128_load(c), lo);
      hi = wasm_f32x4_add(wasm_v128_load(c + 4), hi);
    }
    wasm_v128_store(c, lo);
    wasm_v128_store(c + 4, hi);
    return;
  }
  float tmp[NR] __attribute__((aligned(16)));
  wasm_v128_store(tmp, lo);
  wasm_v128_store(tmp + 4, hi);
  for (int j = 0; j < cols; j++) c[j] = beta ? c[j] + tmp[j] : tmp[j];
}

// C[MR × cols] (+)= A[MR × kc]·P[kc × 8]. MR is a literal at each call site,
// so the accumulator arrays live in registers.
INLINE void tile(const int MR, int kc, const float *a, int ars, int aks, const float *p,
                 float *c, int ldc, int beta, int cols) {
  f4 lo[4], hi[4];
  for (int r = 0; r < MR; r++) lo[r] = hi[r] = wasm_f32x4_splat(0.0f);
  // Hot loop: kc (≤ 256) iterations; 2 loads of P, MR broadcasts, 2·MR MADDs.
  for (int k = 0; k < kc; k++) {
    f4 b0 = wasm_v128_load(p);
    f4 b1 = wasm_v128_load(p + 4);
    p += NR;
    for (int r = 0; r < MR; r++) {
      f4 av = wasm_v128_load32_splat(a + r * ars);
      lo[r] = MADD(av, b0, lo[r]);
      hi[r] = MADD(av, b1, hi[r]);
    }
    a += aks;
  }
  for (int r = 0; r < MR; r++) store_row(c + r * ldc, lo[r], hi[r], beta, cols);
}

// Every row of an M block against one packed panel, four rows at a time.
INLINE void panel_rows(int mc, int kc, const float *a, int ars, int aks, const float *p,
                       float *c, int ldc, int beta, int cols) {
  int m = 0;
  for (; m + 4 <= mc; m += 4) tile(4, kc, a + m * ars, ars, aks, p, c + m * ldc, ldc, beta, cols);
  switch (mc - m) {
    case 3: tile(3, kc, a + m * ars, ars, aks, p, c + m * ldc, ldc, beta, cols); break;
    case 2: tile(2, kc, a + m * ars, ars, aks, p, c + m * ldc, ldc, beta, cols); break;
    case 1: tile(1, kc, a + m * ars, ars, aks, p, c + m * ldc, ldc, beta, cols); break;
    default: break;
  }
}

// Packs B[kc × nc] (row-major, stride ldb) into 8-column panels, the last
// one zero-padded. Reads whole rows of B front to back.
static void pack_b(int kc, int nc, const float *b, int ldb, float *dst) {
  int full = nc & ~(NR - 1);
  for (int k = 0; k < kc; k++) {
    const float *src = b + k * ldb;
    float *d = dst + k * NR;
    for (int n = 0; n < full; n += NR, d += PANEL_STRIDE(kc)) {
      wasm_v128_store(d, wasm_v128_load(src + n));
      wasm_v128_store(d + 4, wasm_v128_load(src + n + 4));
    }
    if (full < nc) {
      int j = 0;
      for (; full + j < nc; j++) d[j] = src[full + j];
      for (; j < NR; j++) d[j] = 0.0f;
    }
  }
}

// Packs Bᵀ for gemm_nt: B is [N,K]; panel element (k, j) = B[j, k] for the
// `cols` rows of one panel (zero beyond), k < kc. 4×4 transposes by shuffles.
static void pack_bt_panel(int kc, int cols, const float *b, int ldb, float *dst) {
  int j = 0;
  for (; j + 4 <= cols; j += 4) {
    const float *r0 = b + j * ldb, *r1 = r0 + ldb, *r2 = r1 + ldb, *r3 = r2 + ldb;
    int k = 0;
    for (; k + 4 <= kc; k += 4) {
      f4 x0 = wasm_v128_load(r0 + k), x1 = wasm_v128_load(r1 + k);
      f4 x2 = wasm_v128_load(r2 + k), x3 = wasm_v128_load(r3 + k);
      f4 t0 = wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5);  // r0[0] r1[0] r0[1] r1[1]
      f4 t1 = wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5);  // r2[0] r3[0] r2[1] r3[1]
      f4 t2 = wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7);  // r0[2] r1[2] r0[3] r1[3]
      f4 t3 = wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7);  // r2[2] r3[2] r2[3] r3[3]
      float *d = dst + k * NR + j;
      wasm_v128_store(d, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
      wasm_v128_store(d + NR, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
      wasm_v128_store(d + 2 * NR, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
      wasm_v128_store(d + 3 * NR, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
    }
    for (; k < kc; k++) {
      float *d = dst + k * NR + j;
      d[0] = r0[k];
      d[1] = r1[k];
      d[2] = r2[k];
      d[3] = r3[k];
    }
  }
  for (; j < cols; j++)
    for (int k = 0; k < kc; k++) dst[k * NR + j] = b[j * ldb + k];
  for (; j < NR; j++)
    for (int k = 0; k < kc; k++) dst[k * NR + j] = 0.0f;
}

// C[M,N] (+)= A(m,k)·B(k,n), A(m,k) = a[m·ars + k·aks]; B(k,n) = b[k·ldb + n],
// or b[n·ldb + k] when transB. Loops: K blocks → N blocks (packed once) →
// M blocks → panels → 4-row tiles. Inlined once per GEMM kind, with literal
// strides and transB.
INLINE void gemm_packed(int M, int N, int K, const float *a, int ars, int aks, const float *b,
                        int ldb, int transB, float *c, int ldc, int beta) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!beta) zero_rows(M, N, c, ldc);
    return;
  }
  // On the C stack (512 KB, see build-wasm.sh): static storage would become
  // a zero-filled data segment, since imported memory is not assumed zero.
  float packed[PACKED_FLOATS] __attribute__((aligned(16)));
  for (int k0 = 0; k0 < K; k0 += KC) {
    int kc = min_int(KC, K - k0);
    int bk = k0 ? 1 : beta;  // later K blocks accumulate onto the first
    for (int n0 = 0; n0 < N; n0 += NC) {
      int nc = min_int(NC, N - n0);
      int panels = (nc + NR - 1) / NR;
      if (transB) {
        for (int p = 0; p < panels; p++)
          pack_bt_panel(kc, min_int(NR, nc - p * NR), b + (n0 + p * NR) * ldb + k0, ldb,
                        packed + p * PANEL_STRIDE(kc));
      } else {
        pack_b(kc, nc, b + k0 * ldb + n0, ldb, packed);
      }
      for (int m0 = 0; m0 < M; m0 += MC) {
        int mc = min_int(MC, M - m0);
        const float *am = a + m0 * ars + k0 * aks;
        float *cm = c + m0 * ldc + n0;
        // Aᵀ (gemm_tn) is read in place too: repacking it into contiguous
        // [kc × 4] runs measured ~20% slower.
        for (int p = 0; p < panels; p++)
          panel_rows(mc, kc, am, ars, aks, packed + p * PANEL_STRIDE(kc), cm + p * NR, ldc, bk,
                     min_int(NR, nc - p * NR));
      }
    }
  }
}

// ===========================================================================
// GEMM NN, small M (recurrent step at B = 16/32, beam search): stream B by
// rows. Each pass reads four rows of B front to back (sequential, prefetch
// friendly) and updates up to two rows of C; a block of C ([M × ns], ≤ 32 KB)
// stays in L1 while all of K streams past it. Per 4 columns: 4 B loads, one
// C round trip per row, 8 MADDs for two rows. Measured faster than packing
// up to M = 32 (packing B, 1 MB, is not repaid by so few rows).
// ===========================================================================

#define STREAM_MAX_M 32
#define STREAM_C_FLOATS 8192  // C block kept in L1: 32 KB of the 48 KB

// C[R × ns] += A[R × 4]·B[4 × ns] (rows k..k+3 of B), R = 1 or 2.
INLINE void stream_k4(const int R, int ns, const float *a, int lda, const float *b, int ldb,
                      float *c, int ldc) {
  const float *b0 = b, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
  f4 a0[2], a1[2], a2[2], a3[2];
  for (int r = 0; r < R; r++) {
    a0[r] = wasm_v128_load32_splat(a + r * lda);
    a1[r] = wasm_v128_load32_splat(a + r * lda + 1);
    a2[r] = wasm_v128_load32_splat(a + r * lda + 2);
    a3[r] = wasm_v128_load32_splat(a + r * lda + 3);
  }
  int nv = ns & ~3;
  // Hot loop: ns/4 (≤ 256) iterations; 4 B loads shared by R rows of C.
  for (int n = 0; n < nv; n += 4) {
    f4 v0 = wasm_v128_load(b0 + n), v1 = wasm_v128_load(b1 + n);
    f4 v2 = wasm_v128_load(b2 + n), v3 = wasm_v128_load(b3 + n);
    for (int r = 0; r < R; r++) {
      float *cr = c + r * ldc + n;
      f4 s = wasm_v128_load(cr);
      s = MADD(a0[r], v0, s);
      s = MADD(a1[r], v1, s);
      s = MADD(a2[r], v2, s);
      s = MADD(a3[r], v3, s);
      wasm_v128_store(cr, s);
    }
  }
  for (int n = nv; n < ns; n++)
    for (int r = 0; r < R; r++) {
      const float *ar = a + r * lda;
      c[r * ldc + n] += ar[0] * b0[n] + ar[1] * b1[n] + ar[2] * b2[n] + ar[3] * b3[n];
    }
}

// c[0, ns] += av·b[0, ns] (the K % 4 leftover rows of B).
static void stream_k1(int ns, float av, const float *b, float *c) {
  f4 as = wasm_f32x4_splat(av);
  int n = 0;
  for (; n + 4 <= ns; n += 4)
    wasm_v128_store(c + n, MADD(as, wasm_v128_load(b + n), wasm_v128_load(c + n)));
  for (; n < ns; n++) c[n] += av * b[n];
}

NOINLINE void gemm_nn_stream(int M, int N, int K, const float *a, int lda, const float *b,
                             int ldb, float *c, int ldc, int beta) {
  if (M <= 0 || N <= 0) return;
  // Column blocks as wide as L1 allows (whole rows of B when M is small, so
  // B is read in long runs), at least 256 columns.
  int block = (STREAM_C_FLOATS / M) & ~3;
  if (block < 256) block = 256;
  for (int n0 = 0; n0 < N; n0 += block) {
    int ns = min_int(block, N - n0);
    float *cn = c + n0;
    const float *bn = b + n0;
    if (!beta) zero_rows(M, ns, cn, ldc);
    int k = 0;
    for (; k + 4 <= K; k += 4) {
      int m = 0;
      for (; m + 2 <= M; m += 2)
        stream_k4(2, ns, a + m * lda + k, lda, bn + k * ldb, ldb, cn + m * ldc, ldc);
      if (m < M) stream_k4(1, ns, a + m * lda + k, lda, bn + k * ldb, ldb, cn + m * ldc, ldc);
    }
    for (; k < K; k++)
      for (int m = 0; m < M; m++) stream_k1(ns, a[m * lda + k], bn + k * ldb, cn + m * ldc);
  }
}

// ===========================================================================
// GEMM NN, M = 1 (inference at batch 1): c += a·B, memory-bound. Eight rows
// of B per pass as eight sequential streams; c (≤ 4 KB) is loaded and stored
// once per eight rows. Two partial sums halve the dependency chain.
// ===========================================================================

static void gemv_k8(int N, const float *a, const float *b, int ldb, float *c) {
  f4 a0 = wasm_v128_load32_splat(a), a1 = wasm_v128_load32_splat(a + 1);
  f4 a2 = wasm_v128_load32_splat(a + 2), a3 = wasm_v128_load32_splat(a + 3);
  f4 a4 = wasm_v128_load32_splat(a + 4), a5 = wasm_v128_load32_splat(a + 5);
  f4 a6 = wasm_v128_load32_splat(a + 6), a7 = wasm_v128_load32_splat(a + 7);
  const float *b0 = b, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
  const float *b4 = b3 + ldb, *b5 = b4 + ldb, *b6 = b5 + ldb, *b7 = b6 + ldb;
  int nv = N & ~3;
  // Hot loop: N/4 (256) iterations; 8 B loads, 1 C round trip, 8 MADDs.
  for (int n = 0; n < nv; n += 4) {
    f4 s = MADD(a0, wasm_v128_load(b0 + n), wasm_v128_load(c + n));
    f4 t = wasm_f32x4_mul(a1, wasm_v128_load(b1 + n));
    s = MADD(a2, wasm_v128_load(b2 + n), s);
    t = MADD(a3, wasm_v128_load(b3 + n), t);
    s = MADD(a4, wasm_v128_load(b4 + n), s);
    t = MADD(a5, wasm_v128_load(b5 + n), t);
    s = MADD(a6, wasm_v128_load(b6 + n), s);
    t = MADD(a7, wasm_v128_load(b7 + n), t);
    wasm_v128_store(c + n, wasm_f32x4_add(s, t));
  }
  for (int n = nv; n < N; n++)
    c[n] += a[0] * b0[n] + a[1] * b1[n] + a[2] * b2[n] + a[3] * b3[n] + a[4] * b4[n] +
            a[5] * b5[n] + a[6] * b6[n] + a[7] * b7[n];
}

NOINLINE void gemv(int N, int K, const float *a, const float *b, int ldb, float *c, int beta) {
  if (N <= 0) return;
  if (!beta) zero_rows(1, N, c, N);
  int k = 0;
  for (; k + 8 <= K; k += 8) gemv_k8(N, a + k, b + k * ldb, ldb, c);
  for (; k + 4 <= K; k += 4) stream_k4(1, N, a + k, 0, b + k * ldb, ldb, c, 0);
  for (; k < K; k++) stream_k1(N, a[k], b + k * ldb, c);
}

// ===========================================================================
// GEMM NT, small M (recurrent backward: M = B, N = 256, K = 1024): dot
// products vectorised along K, no packing. A 2×4 block of C keeps eight
// f32x4 partial sums; per 4 k: 6 loads, 8 MADDs. Horizontal sums once per
// block at the end. Faster than packing Bᵀ up to M = 32.
// ===========================================================================

#define DOT_MAX_M 32

// (Σs0, Σs1, Σs2, Σs3) of four vectors.
INLINE f4 hsum4(f4 s0, f4 s1, f4 s2, f4 s3) {
  f4 t0 = wasm_f32x4_add(wasm_i32x4_shuffle(s0, s1, 0, 4, 1, 5), wasm_i32x4_shuffle(s0, s1, 2, 6, 3, 7));
  f4 t1 = wasm_f32x4_add(wasm_i32x4_shuffle(s2, s3, 0, 4, 1, 5), wasm_i32x4_shuffle(s2, s3, 2, 6, 3, 7));
  // t0 = (s0: lanes 0+2, s1: 0+2, s0: 1+3, s1: 1+3), t1 likewise for s2, s3.
  return wasm_f32x4_add(wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5), wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
}

// C[R × CN] (+)= A[R × K]·B[CN × K]ᵀ for R ≤ 2, CN ≤ 4 (literals).
INLINE void dot_block(const int R, const int CN, int K, const float *a, int lda, const float *b,
                      int ldb, float *c, int ldc, int beta) {
  f4 s[2][4];
  for (int r = 0; r < R; r++)
    for (int j = 0; j < CN; j++) s[r][j] = wasm_f32x4_splat(0.0f);
  int kv = K & ~3;
  // Hot loop: K/4 (256) iterations; R + CN loads, R·CN MADDs.
  for (int k = 0; k < kv; k += 4) {
    f4 x[2];
    for (int r = 0; r < R; r++) x[r] = wasm_v128_load(a + r * lda + k);
    for (int j = 0; j < CN; j++) {
      f4 y = wasm_v128_load(b + j * ldb + k);
      for (int r = 0; r < R; r++) s[r][j] = MADD(x[r], y, s[r][j]);
    }
  }
  for (int r = 0; r < R; r++) {
    float out[4] __attribute__((aligned(16)));
    f4 z = wasm_f32x4_splat(0.0f);
    wasm_v128_store(out, hsum4(s[r][0], CN > 1 ? s[r][1] : z, CN > 2 ? s[r][2] : z,
                               CN > 3 ? s[r][3] : z));
    const float *ar = a + r * lda;
    float *cr = c + r * ldc;
    for (int j = 0; j < CN; j++) {
      const float *bj = b + j * ldb;
      float v = out[j];
      for (int k = kv; k < K; k++) v += ar[k] * bj[k];
      cr[j] = beta ? cr[j] + v : v;
    }
  }
}

INLINE void dot_rows(const int R, int N, int K, const float *a, int lda, const float *b, int ldb,
                     float *c, int ldc, int beta) {
  int n = 0;
  for (; n + 4 <= N; n += 4) dot_block(R, 4, K, a, lda, b + n * ldb, ldb, c + n, ldc, beta);
  for (; n < N; n++) dot_block(R, 1, K, a, lda, b + n * ldb, ldb, c + n, ldc, beta);
}

NOINLINE void gemm_nt_dot(int M, int N, int K, const float *a, int lda, const float *b, int ldb,
                          float *c, int ldc, int beta) {
  int m = 0;
  for (; m + 2 <= M; m += 2) dot_rows(2, N, K, a + m * lda, lda, b, ldb, c + m * ldc, ldc, beta);
  if (m < M) dot_rows(1, N, K, a + m * lda, lda, b, ldb, c + m * ldc, ldc, beta);
}

// Each GEMM path is its own function: inlined together into one export,
// V8's register allocation of the 4×8 tile got ~25% slower.
NOINLINE void gemm_nn_packed(int M, int N, int K, const float *a, int lda, const float *b,
                             int ldb, float *c, int ldc, int beta) {
  gemm_packed(M, N, K, a, lda, 1, b, ldb, 0, c, ldc, beta);
}
NOINLINE void gemm_nt_packed(int M, int N, int K, const float *a, int lda, const float *b,
                             int ldb, float *c, int ldc, int beta) {
  gemm_packed(M, N, K, a, lda, 1, b, ldb, 1, c, ldc, beta);
}
NOINLINE void gemm_tn_packed(int M, int N, int K, const float *a, int lda, const float *b,
                             int ldb, float *c, int ldc, int beta) {
  gemm_packed(M, N, K, a, 1, lda, b, ldb, 0, c, ldc, beta);
}

// C[M,N] = beta·C + A[M,K]·B[K,N]
EXPORT("gemm_nn")
void gemm_nn(int M, int N, int K, const float *a, int lda, const float *b, int ldb, float *c,
             int ldc, int beta) {
  if (M == 1) gemv(N, K, a, b, ldb, c, beta);
  else if (M <= STREAM_MAX_M) gemm_nn_stream(M, N, K, a, lda, b, ldb, c, ldc, beta);
  else gemm_nn_packed(M, N, K, a, lda, b, ldb, c, ldc, beta);
}

// C[M,N] = beta·C + A[M,K]·B[N,K]ᵀ
EXPORT("gemm_nt")
void gemm_nt(int M, int N, int K, const float *a, int lda, const float *b, int ldb, float *c,
             int ldc, int beta) {
  if (M <= DOT_MAX_M) gemm_nt_dot(M, N, K, a, lda, b, ldb, c, ldc, beta);
  else gemm_nt_packed(M, N, K, a, lda, b, ldb, c, ldc, beta);
}

// C[M,N] = beta·C + A[K,M]ᵀ·B[K,N]
EXPORT("gemm_tn")
void gemm_tn(int M, int N, int K, const float *a, int lda, const float *b, int ldb, float *c,
             int ldc, int beta) {
  gemm_tn_packed(M, N, K, a, lda, b, ldb, c, ldc, beta);
}

// ===========================================================================
// Bias helpers
// ===========================================================================

// C[m,:] += bias[:] for every row of C[M,N].
EXPORT("add_row_vector")
void add_row_vector(int M, int N, float *c, int ldc, const float *bias) {
  for (int m = 0; m < M; m++) {
    float *row = c + m * ldc;
    int n = 0;
    for (; n + 4 <= N; n += 4)
      wasm_v128_store(row + n, wasm_f32x4_add(wasm_v128_load(row + n), wasm_v128_load(bias + n)));
    for (; n < N; n++) row[n] += bias[n];
  }
}

// out[:] += Σ_m A[m,:] (bias gradients: A = dGates [T·B, 4H]). Rows are read
// front to back four at a time; out (≤ 4 KB) stays in L1.
EXPORT("add_column_sums")
void add_column_sums(int M, int N, const float *a, int lda, float *out) {
  int m = 0;
  for (; m + 4 <= M; m += 4) {
    const float *r0 = a + m * lda, *r1 = r0 + lda, *r2 = r1 + lda, *r3 = r2 + lda;
    int n = 0;
    for (; n + 4 <= N; n += 4) {
      f4 s01 = wasm_f32x4_add(wasm_v128_load(r0 + n), wasm_v128_load(r1 + n));
      f4 s23 = wasm_f32x4_add(wasm_v128_load(r2 + n), wasm_v128_load(r3 + n));
      wasm_v128_store(out + n, wasm_f32x4_add(wasm_v128_load(out + n), wasm_f32x4_add(s01, s23)));
    }
    for (; n < N; n++) out[n] += (r0[n] + r1[n]) + (r2[n] + r3[n]);
  }
  for (; m < M; m++) {
    const float *row = a + m * lda;
    int n = 0;
    for (; n + 4 <= N; n += 4)
      wasm_v128_store(out + n, wasm_f32x4_add(wasm_v128_load(out + n), wasm_v128_load(row + n)));
    for (; n < N; n++) out[n] += row[n];
  }
}

// ===========================================================================
// Transcendentals (f32x4, no libc)
//
// x = n·ln2 + r with n = round(x·log2 e) and |r| ≤ ln2/2 (Cody–Waite: ln2
// split in a part with few bits, so n·LN2_HI is exact, and the rest), then
// e^x = 2^n·(1 + p(r)) with p(r) the degree-7 Taylor polynomial of e^r − 1
// (truncation ≤ 1.3e-8 relative). Rounding uses 1.5·2^23: adding it leaves n
// in the low mantissa bits, from which 2^n is built directly.
// ===========================================================================

#define LOG2E 1.44269504088896341f
#define LN2_HI 0.693359375f              // 355/512: n·LN2_HI exact for |n| < 2^15
#define LN2_LO -2.12194440054690583e-4f  // ln 2 − LN2_HI
#define ROUND_MAGIC 12582912.0f          // 1.5·2^23
#define EXP_MIN -87.0f                   // 2^n stays normal (n ≥ −126)
#define EXP_MAX 88.0f                    // n ≤ 127

// Splits e^x = scale·(1 + poly) with scale = 2^n, poly = e^r − 1.
INLINE void exp_split(f4 x, f4 *scale, f4 *poly) {
  // Operands in this order let NaN through, as Math.exp does.
  x = wasm_f32x4_pmax(x, wasm_f32x4_splat(EXP_MIN));
  x = wasm_f32x4_pmin(x, wasm_f32x4_splat(EXP_MAX));
  f4 t = wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(LOG2E)), wasm_f32x4_splat(ROUND_MAGIC));
  f4 n = wasm_f32x4_sub(t, wasm_f32x4_splat(ROUND_MAGIC));
  f4 r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(LN2_HI)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(LN2_LO)));
  // p(r) = r + r²·(1/2 + r·(1/6 + r·(1/24 + r·(1/120 + r·(1/720 + r/5040)))))
  f4 q = wasm_f32x4_splat(1.0f / 5040.0f);
  q = MADD(q, r, wasm_f32x4_splat(1.0f / 720.0f));
  q = MADD(q, r, wasm_f32x4_splat(1.0f / 120.0f));
  q = MADD(q, r, wasm_f32x4_splat(1.0f / 24.0f));
  q = MADD(q, r, wasm_f32x4_splat(1.0f / 6.0f));
  q = MADD(q, r, wasm_f32x4_splat(0.5f));
  *poly = MADD(wasm_f32x4_mul(q, r), r, r);
  // Bits of t are those of 1.5·2^23 plus n; (n + 127) << 23 is 2^n.
  *scale = wasm_i32x4_shl(wasm_i32x4_add(t, wasm_i32x4_splat(127 - 0x4B400000)), 23);
}

// e^x, relative error ~2e-7 for x in [−87, 88] (clamped outside).
INLINE f4 exp_f4(f4 x) {
  f4 s, p;
  exp_split(x, &s, &p);
  return MADD(s, p, s);
}

// e^x − 1, accurate near 0 as well: 2^n·p + (2^n − 1), where 2^n − 1 is exact.
INLINE f4 expm1_f4(f4 x) {
  f4 s, p;
  exp_split(x, &s, &p);
  return MADD(s, p, wasm_f32x4_sub(s, wasm_f32x4_splat(1.0f)));
}

INLINE f4 sigmoid_f4(f4 x) {
  f4 one = wasm_f32x4_splat(1.0f);
  return wasm_f32x4_div(one, wasm_f32x4_add(one, exp_f4(wasm_f32x4_neg(x))));
}

// tanh|x| = −e/(2 + e) with e = expm1(−2|x|) ∈ (−1, 0]: no cancellation for
// small |x| (e ≈ −2|x| is itself accurate), saturates to 1 for large |x|.
INLINE f4 tanh_f4(f4 x) {
  f4 sign = wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000));
  f4 e = expm1_f4(wasm_f32x4_mul(wasm_f32x4_abs(x), wasm_f32x4_splat(-2.0f)));
  f4 t = wasm_f32x4_div(wasm_f32x4_neg(e), wasm_f32x4_add(e, wasm_f32x4_splat(2.0f)));
  return wasm_v128_or(t, sign);
}

// Natural log of a positive double (scalar, one per softmax row):
// x = 2^e·m with m in [√½, √2), ln m = 2·atanh(f), f = (m − 1)/(m + 1),
// |f| ≤ 0.172, series to f^17 (error < 1e-14).
static double log_f64(double x) {
  if (x != x || x > 1.7976931348623157e308) return x;  // NaN, +inf
  if (x <= 0.0) return x == 0.0 ? -1.0 / 0.0 : 0.0 / 0.0;
  union {
    double d;
    unsigned long long u;
  } v = {x};
  int e = (int)((v.u >> 52) & 0x7ff) - 1023;
  if (e == -1023) {  // subnormal: scale into the normal range first
    v.d = x * 18014398509481984.0;  // 2^54
    e = (int)((v.u >> 52) & 0x7ff) - 1023 - 54;
  }
  v.u = (v.u & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
  double m = v.d;
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e++;
  }
  double f = (m - 1.0) / (m + 1.0), s = f * f;
  double series =
      1.0 + s * (1.0 / 3 + s * (1.0 / 5 + s * (1.0 / 7 + s * (1.0 / 9 + s * (1.0 / 11 +
      s * (1.0 / 13 + s * (1.0 / 15 + s * (1.0 / 17))))))));
  return e * 0.6931471805599453 + 2.0 * f * series;
}

// Partial vectors for ragged row ends (H or V not a multiple of 4).
INLINE f4 load_n(const float *p, int n) {
  float t[4] __attribute__((aligned(16))) = {0.0f, 0.0f, 0.0f, 0.0f};
  for (int i = 0; i < n; i++) t[i] = p[i];
  return wasm_v128_load(t);
}
INLINE void store_n(float *p, f4 v, int n) {
  float t[4] __attribute__((aligned(16)));
  wasm_v128_store(t, v);
  for (int i = 0; i < n; i++) p[i] = t[i];
}
#define LOADN(p, n) ((n) == 4 ? wasm_v128_load(p) : load_n((p), (n)))
#define STOREN(p, v, n) ((n) == 4 ? wasm_v128_store((p), (v)) : store_n((p), (v), (n)))

// ===========================================================================
// LSTM cell
// ===========================================================================

// Four (or n < 4) hidden units of one row: gates g[0..3H) = i, f, g, o.
INLINE void cell_forward4(float *g, int H, const float *cPrev, float *c, float *h, float *tanhC,
                          int n) {
  f4 ig = sigmoid_f4(LOADN(g, n));
  f4 fg = sigmoid_f4(LOADN(g + H, n));
  f4 gg = tanh_f4(LOADN(g + 2 * H, n));
  f4 og = sigmoid_f4(LOADN(g + 3 * H, n));
  f4 cv = MADD(fg, LOADN(cPrev, n), wasm_f32x4_mul(ig, gg));
  f4 tc = tanh_f4(cv);
  STOREN(g, ig, n);
  STOREN(g + H, fg, n);
  STOREN(g + 2 * H, gg, n);
  STOREN(g + 3 * H, og, n);
  STOREN(c, cv, n);
  STOREN(tanhC, tc, n);
  STOREN(h, wasm_f32x4_mul(og, tc), n);
}

// gates [B,4H] pre-activations in, activations out; c = σf·cPrev + σi·tanh g,
// h = σo·tanh c. One pass over each row (B × H/4 iterations).
EXPORT("lstm_cell_forward")
void lstm_cell_forward(int B, int H, float *gates, const float *cPrev, float *c, float *h,
                       float *tanhC) {
  for (int b = 0; b < B; b++) {
    float *g = gates + b * 4 * H;
    int s = b * H, j = 0;
    for (; j + 4 <= H; j += 4) cell_forward4(g + j, H, cPrev + s + j, c + s + j, h + s + j, tanhC + s + j, 4);
    if (j < H) cell_forward4(g + j, H, cPrev + s + j, c + s + j, h + s + j, tanhC + s + j, H - j);
  }
}

INLINE void cell_backward4(const float *g, int H, const float *cPrev, const float *tanhC,
                           const float *dhA, const float *dhB, float *dc, float *dg, int n) {
  f4 one = wasm_f32x4_splat(1.0f);
  f4 ig = LOADN(g, n), fg = LOADN(g + H, n), gg = LOADN(g + 2 * H, n), og = LOADN(g + 3 * H, n);
  f4 tc = LOADN(tanhC, n);
  f4 dh = LOADN(dhA, n);
  if (dhB) dh = wasm_f32x4_add(dh, LOADN(dhB, n));
  // dc_t = dc + dh·o·(1 − tanh²c)
  f4 dcv = MADD(wasm_f32x4_mul(dh, og), wasm_f32x4_sub(one, wasm_f32x4_mul(tc, tc)), LOADN(dc, n));
  STOREN(dg, wasm_f32x4_mul(wasm_f32x4_mul(dcv, gg), wasm_f32x4_mul(ig, wasm_f32x4_sub(one, ig))), n);
  STOREN(dg + H, wasm_f32x4_mul(wasm_f32x4_mul(dcv, LOADN(cPrev, n)), wasm_f32x4_mul(fg, wasm_f32x4_sub(one, fg))), n);
  STOREN(dg + 2 * H, wasm_f32x4_mul(wasm_f32x4_mul(dcv, ig), wasm_f32x4_sub(one, wasm_f32x4_mul(gg, gg))), n);
  STOREN(dg + 3 * H, wasm_f32x4_mul(wasm_f32x4_mul(dh, tc), wasm_f32x4_mul(og, wasm_f32x4_sub(one, og))), n);
  STOREN(dc, wasm_f32x4_mul(dcv, fg), n);
}

// dh = dhA + dhB (dhB null: absent); dc in: dL/dc_t, out: dL/dc_{t−1};
// writes the pre-activation gradients to dGates [B,4H].
EXPORT("lstm_cell_backward")
void lstm_cell_backward(int B, int H, const float *gates, const float *cPrev, const float *tanhC,
                        const float *dhA, const float *dhB, float *dc, float *dGates) {
  for (int b = 0; b < B; b++) {
    const float *g = gates + b * 4 * H;
    float *dg = dGates + b * 4 * H;
    int s = b * H, j = 0;
    const float *dhBr = dhB ? dhB + s : 0;
    for (; j + 4 <= H; j += 4)
      cell_backward4(g + j, H, cPrev + s + j, tanhC + s + j, dhA + s + j, dhBr ? dhBr + j : 0,
                     dc + s + j, dg + j, 4);
    if (j < H)
      cell_backward4(g + j, H, cPrev + s + j, tanhC + s + j, dhA + s + j, dhBr ? dhBr + j : 0,
                     dc + s + j, dg + j, H - j);
  }
}

// ===========================================================================
// GRU cell (TensorFlow.js's: resetAfter false, gates z, r, h in blocks of H)
// ===========================================================================

// z, r = σ(pre) in place; rh = r ⊙ hPrev, the input of the candidate's product.
INLINE void gru_gates4(float *g, int H, const float *hPrev, float *rh, int n) {
  f4 z = sigmoid_f4(LOADN(g, n));
  f4 r = sigmoid_f4(LOADN(g + H, n));
  STOREN(g, z, n);
  STOREN(g + H, r, n);
  STOREN(rh, wasm_f32x4_mul(r, LOADN(hPrev, n)), n);
}

// gates [B,3H]: z and r pre-activations (recurrent part included) in,
// activations out; rh [B,H]. B × H/4 iterations.
EXPORT("gru_gates_forward")
void gru_gates_forward(int B, int H, float *gates, const float *hPrev, float *rh) {
  for (int b = 0; b < B; b++) {
    float *g = gates + b * 3 * H;
    int s = b * H, j = 0;
    for (; j + 4 <= H; j += 4) gru_gates4(g + j, H, hPrev + s + j, rh + s + j, 4);
    if (j < H) gru_gates4(g + j, H, hPrev + s + j, rh + s + j, H - j);
  }
}

// hh = tanh(pre) in place; h = z·hPrev + (1 − z)·hh = hh + z·(hPrev − hh).
INLINE void gru_cell4(float *g, int H, const float *hPrev, float *h, int n) {
  f4 z = LOADN(g, n);
  f4 hh = tanh_f4(LOADN(g + 2 * H, n));
  STOREN(g + 2 * H, hh, n);
  STOREN(h, MADD(z, wasm_f32x4_sub(LOADN(hPrev, n), hh), hh), n);
}

// gates [B,3H]: z activations and candidate pre-activations in; h [B,H] out
// (h may equal hPrev: each element is read before it is written).
EXPORT("gru_cell_forward")
void gru_cell_forward(int B, int H, float *gates, const float *hPrev, float *h) {
  for (int b = 0; b < B; b++) {
    float *g = gates + b * 3 * H;
    int s = b * H, j = 0;
    for (; j + 4 <= H; j += 4) gru_cell4(g + j, H, hPrev + s + j, h + s + j, 4);
    if (j < H) gru_cell4(g + j, H, hPrev + s + j, h + s + j, H - j);
  }
}

INLINE void gru_backward4(const float *g, int H, const float *hPrev, const float *dhA,
                          const float *dhB, float *dhPrev, float *dg, int n) {
  f4 one = wasm_f32x4_splat(1.0f);
  f4 z = LOADN(g, n), hh = LOADN(g + 2 * H, n);
  f4 dh = LOADN(dhA, n);
  if (dhB) dh = wasm_f32x4_add(dh, LOADN(dhB, n));
  // dz = dh·(hPrev − hh)·z(1 − z);  dh̃ = dh·(1 − z)·(1 − hh²);  dhPrev = dh·z
  f4 omz = wasm_f32x4_sub(one, z);
  STOREN(dg, wasm_f32x4_mul(wasm_f32x4_mul(dh, wasm_f32x4_sub(LOADN(hPrev, n), hh)), wasm_f32x4_mul(z, omz)), n);
  STOREN(dg + 2 * H, wasm_f32x4_mul(wasm_f32x4_mul(dh, omz), wasm_f32x4_sub(one, wasm_f32x4_mul(hh, hh))), n);
  STOREN(dhPrev, wasm_f32x4_mul(dh, z), n);
}

// dh = dhA + dhB (dhB null: absent); writes dGates' z and candidate blocks
// and dhPrev = dh·z (dhPrev may equal dhB).
EXPORT("gru_cell_backward")
void gru_cell_backward(int B, int H, const float *gates, const float *hPrev, const float *dhA,
                       const float *dhB, float *dhPrev, float *dGates) {
  for (int b = 0; b < B; b++) {
    const float *g = gates + b * 3 * H;
    float *dg = dGates + b * 3 * H;
    int s = b * H, j = 0;
    const float *dhBr = dhB ? dhB + s : 0;
    for (; j + 4 <= H; j += 4)
      gru_backward4(g + j, H, hPrev + s + j, dhA + s + j, dhBr ? dhBr + j : 0, dhPrev + s + j, dg + j, 4);
    if (j < H)
      gru_backward4(g + j, H, hPrev + s + j, dhA + s + j, dhBr ? dhBr + j : 0, dhPrev + s + j, dg + j, H - j);
  }
}

INLINE void gru_reset4(const float *g, int H, const float *hPrev, const float *dRh, float *dhPrev,
                       float *dg, int n) {
  f4 r = LOADN(g + H, n), d = LOADN(dRh, n);
  // dr = dRh·hPrev·r(1 − r);  dhPrev += dRh·r
  STOREN(dg + H, wasm_f32x4_mul(wasm_f32x4_mul(d, LOADN(hPrev, n)), wasm_f32x4_mul(r, wasm_f32x4_sub(wasm_f32x4_splat(1.0f), r))), n);
  STOREN(dhPrev, MADD(d, r, LOADN(dhPrev, n)), n);
}

// dRh [B,H] = dL/d(r ⊙ hPrev); writes dGates' r block, adds to dhPrev.
EXPORT("gru_reset_backward")
void gru_reset_backward(int B, int H, const float *gates, const float *hPrev, const float *dRh,
                        float *dhPrev, float *dGates) {
  for (int b = 0; b < B; b++) {
    const float *g = gates + b * 3 * H;
    float *dg = dGates + b * 3 * H;
    int s = b * H, j = 0;
    for (; j + 4 <= H; j += 4) gru_reset4(g + j, H, hPrev + s + j, dRh + s + j, dhPrev + s + j, dg + j, 4);
    if (j < H) gru_reset4(g + j, H, hPrev + s + j, dRh + s + j, dhPrev + s + j, dg + j, H - j);
  }
}

// ===========================================================================
// Plain RNN cell (Keras SimpleRNN, tanh): rows of one [B,H] block are
// contiguous, so each kernel is one pass over B·H floats.
// ===========================================================================

// h = tanh(pre) (h may equal pre).
EXPORT("rnn_cell_forward")
void rnn_cell_forward(int B, int H, const float *pre, float *h) {
  int n = B * H, i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(h + i, tanh_f4(wasm_v128_load(pre + i)));
  if (i < n) store_n(h + i, tanh_f4(load_n(pre + i, n - i)), n - i);
}

// dPre = (dhA + dhB)·(1 − h²) (dhB null: absent).
EXPORT("rnn_cell_backward")
void rnn_cell_backward(int B, int H, const float *h, const float *dhA, const float *dhB, float *dPre) {
  f4 one = wasm_f32x4_splat(1.0f);
  int n = B * H, i = 0;
  for (; i < n; i += 4) {
    int k = min_int(4, n - i);
    f4 dh = LOADN(dhA + i, k);
    if (dhB) dh = wasm_f32x4_add(dh, LOADN(dhB + i, k));
    f4 hv = LOADN(h + i, k);
    STOREN(dPre + i, wasm_f32x4_mul(dh, wasm_f32x4_sub(one, wasm_f32x4_mul(hv, hv))), k);
  }
}

// ===========================================================================
// Softmax cross-entropy over rows of logits [M,V] (V = 98: 24 vectors + 2).
// Returns Σ_m (log Σ_v e^{x_v} − x_y) in double. If dLogits is not null,
// writes (softmax − onehot)·scale there; it may equal logits (the target
// logit is read before the row is overwritten with e^{x − max}).
// ===========================================================================

EXPORT("softmax_cross_entropy")
double softmax_cross_entropy(int M, int V, const float *logits, const int *targets,
                             float *dLogits, float scale) {
  double loss = 0.0;
  int vv = V & ~3;
  int tail = V - vv;
  // Ragged row ends (V = 98: 24 vectors + 2) are one more vector: with V ≥ 4
  // the last four floats of the row (overlapping the previous vector; the
  // overlapping lanes are masked out of the sum and not scaled twice), with
  // V < 4 the row zero-padded.
  f4 lane = wasm_i32x4_make(0, 1, 2, 3);
  f4 fresh = V >= 4 ? wasm_i32x4_gt(lane, wasm_i32x4_splat(3 - tail))  // last `tail` lanes
                    : wasm_i32x4_lt(lane, wasm_i32x4_splat(V));        // first V lanes
  for (int m = 0; m < M; m++) {
    const float *row = logits + m * V;
    float *drow = dLogits ? dLogits + m * V : 0;
    // Row max, for a stable exp.
    f4 mx = wasm_f32x4_splat(-1.0f / 0.0f);
    for (int v = 0; v < vv; v += 4) mx = wasm_f32x4_pmax(mx, wasm_v128_load(row + v));
    if (tail && V >= 4) mx = wasm_f32x4_pmax(mx, wasm_v128_load(row + V - 4));
    mx = wasm_f32x4_pmax(mx, wasm_i32x4_shuffle(mx, mx, 2, 3, 0, 1));
    mx = wasm_f32x4_pmax(mx, wasm_i32x4_shuffle(mx, mx, 1, 0, 3, 2));
    float max = wasm_f32x4_extract_lane(mx, 0);
    if (V < 4)
      for (int v = 0; v < V; v++)
        if (row[v] > max) max = row[v];
    mx = wasm_f32x4_splat(max);
    int y = targets[m];
    float xy = row[y];
    // Σ e^{x − max}; the exponentials go to dLogits when it is wanted. The
    // tail is computed first: in place, the main loop overwrites the row.
    f4 etail = wasm_f32x4_splat(0.0f);
    if (tail) etail = exp_f4(wasm_f32x4_sub(V >= 4 ? wasm_v128_load(row + V - 4) : load_n(row, V), mx));
    f4 acc = wasm_f32x4_splat(0.0f);
    // Hot loop: V/4 (24) iterations of one exp.
    for (int v = 0; v < vv; v += 4) {
      f4 e = exp_f4(wasm_f32x4_sub(wasm_v128_load(row + v), mx));
      if (drow) wasm_v128_store(drow + v, e);
      acc = wasm_f32x4_add(acc, e);
    }
    if (tail) {
      acc = wasm_f32x4_add(acc, wasm_v128_and(etail, fresh));
      if (drow) {
        if (V >= 4) wasm_v128_store(drow + V - 4, etail);  // overlap: same values again
        else store_n(drow, etail, V);
      }
    }
    double sum = (double)wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) +
                 wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
    loss += log_f64(sum) + (double)max - (double)xy;
    if (drow) {
      f4 k = wasm_f32x4_splat((float)(scale / sum));
      for (int v = 0; v < vv; v += 4) wasm_v128_store(drow + v, wasm_f32x4_mul(wasm_v128_load(drow + v), k));
      if (tail) {
        float *last = V >= 4 ? drow + V - 4 : drow;
        f4 old = V >= 4 ? wasm_v128_load(last) : load_n(last, V);
        f4 scaled = wasm_v128_bitselect(wasm_f32x4_mul(old, k), old, fresh);
        if (V >= 4) wasm_v128_store(last, scaled);
        else store_n(last, scaled, V);
      }
      drow[y] -= scale;
    }
  }
  return loss;
}

// ===========================================================================
// Sparse codes (the feature dictionary, src/core/features/trainDictionary.ts):
// each row of a batch has k ≈ 32 active features out of F ≈ 3,072, so its
// reconstruction and backward pass touch k rows of the [F, N] decoder,
// encoder and their gradients (N = state size, 768 for the bundled model).
// One call per row and group of slots; the rows are long enough (N ≥ 256)
// that the call costs little beside the SIMD loops.
// ===========================================================================

INLINE float hsum(f4 v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
         (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}

// out[0, N] += Σ_s val[s]·M[row[s], 0, N] over count slots (M's row stride
// ldm); slots whose val is 0 are skipped.
EXPORT("gather_axpy")
void gather_axpy(int count, const int *rows, const float *vals, const float *m, int ldm, int N,
                 float *out) {
  for (int s = 0; s < count; s++) {
    float a = vals[s];
    if (a == 0.0f) continue;
    const float *r = m + rows[s] * ldm;
    f4 as = wasm_f32x4_splat(a);
    int n = 0;
    for (; n + 4 <= N; n += 4)
      wasm_v128_store(out + n, MADD(as, wasm_v128_load(r + n), wasm_v128_load(out + n)));
    for (; n < N; n++) out[n] += a * r[n];
  }
}

// Backward of sparse codes through a decoder and an encoder (all [F, N],
// row stride N). For each slot s with a = val[s] ≠ 0 and j = row[s]:
//   dDec[j,:] += a·dOut[:];  dz = dOut·Dec[j,:];  dEnc[j,:] += dz·x[:];  dEncBias[j] += dz
// dOut and x are [N]. The first loop reads dOut and Dec[j] once for both
// the decoder gradient and dz.
EXPORT("sparse_code_backward")
void sparse_code_backward(int count, const int *rows, const float *vals, int N, const float *dOut,
                          const float *dec, const float *x, float *dDec, float *dEnc,
                          float *dEncBias) {
  for (int s = 0; s < count; s++) {
    float a = vals[s];
    if (a == 0.0f) continue;
    int j = rows[s];
    const float *d = dec + j * N;
    float *gd = dDec + j * N;
    float *ge = dEnc + j * N;
    f4 as = wasm_f32x4_splat(a);
    f4 acc0 = wasm_f32x4_splat(0.0f), acc1 = acc0;
    int n = 0;
    for (; n + 8 <= N; n += 8) {
      f4 o0 = wasm_v128_load(dOut + n), o1 = wasm_v128_load(dOut + n + 4);
      wasm_v128_store(gd + n, MADD(as, o0, wasm_v128_load(gd + n)));
      wasm_v128_store(gd + n + 4, MADD(as, o1, wasm_v128_load(gd + n + 4)));
      acc0 = MADD(o0, wasm_v128_load(d + n), acc0);
      acc1 = MADD(o1, wasm_v128_load(d + n + 4), acc1);
    }
    float dz = hsum(wasm_f32x4_add(acc0, acc1));
    for (; n < N; n++) {
      gd[n] += a * dOut[n];
      dz += dOut[n] * d[n];
    }
    f4 zs = wasm_f32x4_splat(dz);
    n = 0;
    for (; n + 4 <= N; n += 4)
      wasm_v128_store(ge + n, MADD(zs, wasm_v128_load(x + n), wasm_v128_load(ge + n)));
    for (; n < N; n++) ge[n] += dz * x[n];
    dEncBias[j] += dz;
  }
}

// g[j,:] -= (g[j,:]·p[j,:])·p[j,:] for every row j of [R, N] (a gradient
// projected onto the tangent of the unit sphere at unit rows p: the
// dictionary's decoder rows stay unit length).
EXPORT("project_rows_tangent")
void project_rows_tangent(int R, int N, float *g, const float *p) {
  for (int j = 0; j < R; j++) {
    float *gr = g + j * N;
    const float *pr = p + j * N;
    f4 acc = wasm_f32x4_splat(0.0f);
    int n = 0;
    for (; n + 4 <= N; n += 4) acc = MADD(wasm_v128_load(gr + n), wasm_v128_load(pr + n), acc);
    float dot = hsum(acc);
    for (; n < N; n++) dot += gr[n] * pr[n];
    if (dot == 0.0f) continue;
    f4 ds = wasm_f32x4_splat(-dot);
    n = 0;
    for (; n + 4 <= N; n += 4) wasm_v128_store(gr + n, MADD(ds, wasm_v128_load(pr + n), wasm_v128_load(gr + n)));
    for (; n < N; n++) gr[n] -= dot * pr[n];
  }
}

// Scales every row of m [R, N] to unit length (a zero row is left as it is).
EXPORT("normalise_rows")
void normalise_rows(int R, int N, float *m) {
  for (int j = 0; j < R; j++) {
    float *r = m + j * N;
    f4 acc = wasm_f32x4_splat(0.0f);
    int n = 0;
    for (; n + 4 <= N; n += 4) {
      f4 v = wasm_v128_load(r + n);
      acc = MADD(v, v, acc);
    }
    double sq = hsum(acc);
    for (; n < N; n++) sq += (double)r[n] * r[n];
    if (sq == 0.0) continue;
    f4 s = wasm_f32x4_splat((float)(1.0 / __builtin_sqrt(sq)));
    n = 0;
    for (; n + 4 <= N; n += 4) wasm_v128_store(r + n, wasm_f32x4_mul(wasm_v128_load(r + n), s));
    for (; n < N; n++) r[n] *= (float)(1.0 / __builtin_sqrt(sq));
  }
}

// One Adam step over n parameters (Kingma & Ba): the moments m, v take in
// the gradient g, then p -= step·m / (√v + eps), where step is the learning
// rate with both bias corrections already folded in by the caller.
EXPORT("adam_update")
void adam_update(int n, float *p, const float *g, float *m, float *v, float step, float beta1,
                 float beta2, float eps) {
  f4 b1 = wasm_f32x4_splat(beta1), c1 = wasm_f32x4_splat(1.0f - beta1);
  f4 b2 = wasm_f32x4_splat(beta2), c2 = wasm_f32x4_splat(1.0f - beta2);
  f4 st = wasm_f32x4_splat(step), ep = wasm_f32x4_splat(eps);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    f4 gi = wasm_v128_load(g + i);
    f4 mi = wasm_f32x4_add(wasm_f32x4_mul(b1, wasm_v128_load(m + i)), wasm_f32x4_mul(c1, gi));
    f4 vi = wasm_f32x4_add(wasm_f32x4_mul(b2, wasm_v128_load(v + i)), wasm_f32x4_mul(c2, wasm_f32x4_mul(gi, gi)));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(v + i, vi);
    f4 upd = wasm_f32x4_div(wasm_f32x4_mul(st, mi), wasm_f32x4_add(wasm_f32x4_sqrt(vi), ep));
    wasm_v128_store(p + i, wasm_f32x4_sub(wasm_v128_load(p + i), upd));
  }
  for (; i < n; i++) {
    float mi = beta1 * m[i] + (1.0f - beta1) * g[i];
    float vi = beta2 * v[i] + (1.0f - beta2) * g[i] * g[i];
    m[i] = mi;
    v[i] = vi;
    p[i] -= step * mi / (__builtin_sqrtf(vi) + eps);
  }
}
