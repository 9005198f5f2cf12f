import * as assert from 'assert';
import { fitNormalisation } from '../../src/core/features/normalisation';
import { normalisedCovariance, principalSubspace, projectionFvu, symmetricEigen } from '../../src/core/features/principalSubspace';
import { StateMatrix } from '../../src/core/features/stateMatrix';

function seeded(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

function randomSymmetric(n: number, seed: number): Float64Array {
  const r = seeded(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = r();
  return a;
}

/** A [n, n] symmetric matrix with the given eigenvalues along seeded orthonormal directions (the columns of `q`). */
function withSpectrum(values: number[], seed: number) {
  const n = values.length;
  const q = symmetricEigen(randomSymmetric(n, seed), n).vectors;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let m = 0; m < n; m++) a[i * n + j] += q[i * n + m] * values[m] * q[j * n + m];
  return { a, q };
}

describe('principalSubspace: the linear baseline of a sparse dictionary', () => {
  it('symmetricEigen gives orthonormal eigenvectors with A v = λ v, eigenvalues descending', () => {
    const n = 7;
    const a = randomSymmetric(n, 3);
    const { values, vectors } = symmetricEigen(a, n);
    for (let c = 0; c < n; c++) {
      if (c > 0) assert.ok(values[c] <= values[c - 1] + 1e-12);
      for (let r = 0; r < n; r++) {
        let av = 0;
        for (let m = 0; m < n; m++) av += a[r * n + m] * vectors[m * n + c];
        assert.ok(Math.abs(av - values[c] * vectors[r * n + c]) < 1e-9, `column ${c} row ${r}`);
      }
      for (let d = 0; d < n; d++) {
        let dot = 0;
        for (let r = 0; r < n; r++) dot += vectors[r * n + c] * vectors[r * n + d];
        assert.ok(Math.abs(dot - (c === d ? 1 : 0)) < 1e-9);
      }
    }
  });

  it('finds the top directions of a known spectrum, in order, and each prefix spans the top subspace', () => {
    const spectrum = [9, 6, 4, 2, 1, 0.5, 0.25, 0.1, 0.05, 0.01];
    const n = spectrum.length;
    const { a, q } = withSpectrum(spectrum, 11);
    const k = 5;
    const { basis, values } = principalSubspace(a, n, k, 200);
    for (let c = 0; c < k; c++) {
      assert.ok(Math.abs(values[c] - spectrum[c]) < 1e-4 * spectrum[0], `eigenvalue ${c}: ${values[c]}`);
      // Same direction up to sign: |⟨basis_c, q_c⟩| = 1.
      let dot = 0;
      for (let r = 0; r < n; r++) dot += basis[r * k + c] * q[r * n + c];
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-5, `direction ${c}: ${dot}`);
    }
  });

  it('projectionFvu: near 0 on rank-2 states with 2 directions, the second direction\'s share with 1, as projecting row by row gives', () => {
    const D = 6;
    const rows = 3000;
    const r = seeded(5);
    const u = [1, 2, 0, -1, 0, 1];
    const v = [0, 1, -1, 1, 2, 0];
    const values = new Float32Array(rows * D);
    for (let t = 0; t < rows; t++) {
      const a = 3 * r();
      const b = r();
      for (let d = 0; d < D; d++) values[t * D + d] = a * u[d] + b * v[d] + 1e-3 * r();
    }
    const states: StateMatrix = { rows, dim: D, values, segments: [{ start: 0, end: rows }] as never };
    const norm = fitNormalisation(values, rows, D);
    const { basis } = principalSubspace(normalisedCovariance(states, norm), D, 3);
    const [one, two, three] = projectionFvu(states, norm, basis, 3, [1, 2, 3]);
    assert.ok(two < 1e-3, `rank 2 with 2 directions: ${two}`);
    assert.ok(three <= two + 1e-12);
    assert.ok(one > 0.01 && one < 0.5, `one direction leaves the smaller one: ${one}`);
    // The same figure by explicit projection, row by row.
    let err = 0;
    let total = 0;
    const mean = new Float64Array(D);
    const xs: number[][] = [];
    for (let t = 0; t < rows; t++) {
      const x = Array.from({ length: D }, (_, d) => (values[t * D + d] - norm.mean[d]) * norm.scale[d]);
      xs.push(x);
      x.forEach((xd, d) => (mean[d] += xd / rows));
      const c = x.reduce((s, xd, d) => s + xd * basis[d * 3], 0);
      x.forEach((xd, d) => (err += (xd - c * basis[d * 3]) ** 2));
    }
    for (const x of xs) x.forEach((xd, d) => (total += (xd - mean[d]) ** 2));
    assert.ok(Math.abs(one - err / total) < 1e-4, `${one} against ${err / total}`);
  });

  it('refuses a subspace larger than the space and a projection on more columns than the basis has', () => {
    assert.throws(() => principalSubspace(new Float64Array(4), 2, 3), /3 dimensions does not exist in 2/);
    const states: StateMatrix = { rows: 1, dim: 2, values: new Float32Array(2), segments: [] };
    assert.throws(() => projectionFvu(states, { mean: new Float32Array(2), scale: new Float32Array([1, 1]) }, new Float64Array(2), 1, [2]), /1 columns; cannot project on 2/);
  });
});
