/**
 * Face-like synthetic embeddings for the index bench and tests. An identity is a random unit
 * centre c; each of its faces is unit(sqrt(rho) * c + sqrt(1 - rho) * n) with n a fresh
 * random unit vector and rho drawn per identity from [0.55, 0.75], so two faces of one
 * identity have cosine ~rho (≈0.65, like same-person pairs of a real face model) and
 * strangers ≈ 0. Seeded, so runs are repeatable.
 *
 * Random unit vectors come in two kinds:
 * - isotropic (default): iid uniform components, normalised; strangers' cosines have
 *   spread 1/sqrt(dim) (0.044 at 512-d), and ~10x cheaper than Gaussians at 1M x 512;
 * - `basis` given (real embeddings): unit(sum of 16 random basis rows with random signs).
 *   These lie in the real model's subspace with its uneven spectrum: lfw-dev embeddings from
 *   the engine have strangers' spread 0.098, like ~100 effective dimensions, which makes
 *   near-ties and 1-bit codes harder than the isotropic kind suggests.
 */
const MIX = 16;

export class FaceLike {
  private state: number;

  constructor(
    readonly dim: number,
    seed = 1,
    private readonly basis?: readonly Float32Array[],
  ) {
    this.state = seed >>> 0 || 1;
  }

  /** Uniform in [0, 1) (xorshift32). */
  uniform(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.uniform() * below);
  }

  randomUnit(): Float32Array {
    const v = new Float32Array(this.dim);
    if (this.basis) {
      for (let t = 0; t < MIX; t++) {
        const row = this.basis[this.int(this.basis.length)]!;
        const sign = this.uniform() < 0.5 ? -1 : 1;
        for (let i = 0; i < this.dim; i++) v[i]! += sign * row[i]!;
      }
    } else {
      for (let i = 0; i < this.dim; i++) v[i] = this.uniform() - 0.5;
    }
    return normalise(v);
  }

  identity(): Identity {
    return { centre: this.randomUnit(), rho: 0.55 + 0.2 * this.uniform() };
  }

  face(identity: Identity): Float32Array {
    const noise = this.randomUnit();
    const a = Math.sqrt(identity.rho);
    const b = Math.sqrt(1 - identity.rho);
    const v = new Float32Array(this.dim);
    for (let i = 0; i < this.dim; i++) v[i] = a * identity.centre[i]! + b * noise[i]!;
    return normalise(v);
  }
}

export interface Identity {
  readonly centre: Float32Array;
  readonly rho: number;
}

export function normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i]! *= scale;
  return v;
}
