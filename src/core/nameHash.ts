import { createHash } from 'crypto';

// Choices made by a file's name (which files validation holds out, which the
// indentation augmentation rewrites) must be the same on every run and
// machine, so they hash the name rather than draw from a random source.
// There are two hashes because each already decided choices that models were
// trained and compared on; replacing one by the other would move those choices.

/** A number in [0, 1) from a name: the first 32 bits of its SHA-1. Decides the held-out files (training's validation, bench workspace's split). */
export function nameHashUnit(name: string): number {
  return createHash('sha1').update(name).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * A number in [0, 1) from a name and a seed (FNV-1a, then a multiply-xorshift
 * finish so that nearby seeds and names spread over the interval). Decides
 * the indentation augmentation, where a second seed gives a second, unrelated choice.
 */
export function seededNameHashUnit(name: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 2 ** 32;
}
