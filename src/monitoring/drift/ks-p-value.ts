/**
 * Two-sample Kolmogorov-Smirnov p-values as scipy's ks_2samp computes them (method 'auto'):
 *
 * - exact when both samples have at most 10,000 values: D is snapped to the lattice h/lcm(n, m);
 *   equal sizes use the alternating series for P(D_{n,n} ≥ h/n) in Horner form; unequal sizes count
 *   the lattice paths from (0,0) to (m,n) that leave the band |x/m − y/n| < h/lcm, one column at a
 *   time over a sliding window (Hodges 1958), so nothing overflows;
 * - otherwise the one-sample distribution at en = round(nm/(n+m)): the Pelz-Good expansion
 *   (Simard & L'Ecuyer 2011), the branch scipy takes for these sample sizes when n·x² < 2.2. For
 *   n·x² ≥ 2.2 (p below ~0.02) scipy uses 2·smirnov(n, x), which Gyre does not implement: there
 *   the Pelz-Good value is used too, documented as approximate (docs/monitoring.md).
 */
const MAX_EXACT = 10_000;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const a = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj]! * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1]!;
}

const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT2PI = Math.sqrt(2 * Math.PI);

/** Pelz-Good approximation of P(D_n > x) (the survival function). */
function pelzGoodSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 1;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const k = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let kk = maxk; kk > 0; kk--) {
    const m = 2 * kk - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qp = q ** (8 * kk);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) k[i] = k[i]! * qp + coeffs[i]!;
  }
  const div = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) k[i] = (k[i]! * q * SQRT2PI) / div[i]!;
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let kk = maxk; kk > 0; kk--) {
    const ks2 = kk * kk;
    const qpw = q ** ks2;
    k2extra += ks2 * qpw;
    const kspi = Math.PI * kk;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qpw;
  }
  k[2] = k[2]! + (k2extra * PI2 * SQRT2PI) / (-36 * z2 * z);
  k[3] = k[3]! + (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let cdf = 0;
  for (let i = 0; i < 4; i++) cdf += k[i]! / n ** (i / 2);
  return Math.min(1, Math.max(0, 1 - cdf));
}

export interface KsResult {
  statistic: number;
  pValue: number;
  mode: 'exact' | 'asymp';
}

/** The p-value for statistic `d` between samples of `n1` and `n2` values. */
export function ksTwoSample(d: number, n1: number, n2: number): KsResult {
  if (Math.max(n1, n2) <= MAX_EXACT) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    const snapped = h / lcm;
    if (h === 0) return { statistic: snapped, pValue: 1, mode: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
    if (Number.isFinite(p) && p >= 0 && p <= 1) return { statistic: snapped, pValue: p, mode: 'exact' };
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = Math.round((m * n) / (m + n));
  if (d >= 1) return { statistic: d, pValue: 0, mode: 'asymp' };
  if (en * d * d >= 370) return { statistic: d, pValue: 0, mode: 'asymp' };
  return { statistic: d, pValue: pelzGoodSf(en, d), mode: 'asymp' };
}
