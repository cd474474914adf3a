//! Standard normal draws that are the same bits on every machine: a
//! 256-layer ziggurat (Marsaglia and Tsang, "The Ziggurat Method for
//! Generating Random Variables", 2000), its tables and its two rare tests
//! computed with `libm` (a pure-Rust port of musl's math) instead of the
//! platform's `exp`/`ln`, which may differ in the last bit between C
//! libraries. Every other operation is an IEEE-754 multiply, add or
//! compare, exact everywhere. (`rand_distr`'s ziggurat, which it replaces,
//! calls the platform's `exp` and `ln` in those tests.)
//!
//! A draw costs one `u64` on ~98.8% of calls (the layer test), so it is
//! about as fast as a uniform.

use rand::RngCore;
use std::sync::OnceLock;

/// Layers of the ziggurat; the low 8 bits of a draw pick one.
const LAYERS: usize = 256;
/// Where the tail starts, and the area of each layer, for 256 layers
/// (Marsaglia and Tsang's constants; the tables close at `x[256] = 0` with
/// them).
const R: f64 = 3.654_152_885_361_009;
const V: f64 = 0.004_928_673_233_99;

struct Tables {
    /// Right edges of the layers, `x[0] = V / f(R)` (the base's pseudo
    /// width), `x[1] = R`, ..., `x[256] = 0`.
    x: [f64; LAYERS + 1],
    /// `f(x[i]) = exp(-x[i]^2 / 2)`.
    f: [f64; LAYERS + 1],
}

fn pdf(x: f64) -> f64 {
    libm::exp(-x * x / 2.0)
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut x = [0.0; LAYERS + 1];
        x[0] = V / pdf(R);
        x[1] = R;
        for i in 2..LAYERS {
            x[i] = libm::sqrt(-2.0 * libm::log(V / x[i - 1] + pdf(x[i - 1])));
        }
        x[LAYERS] = 0.0;
        let mut f = [0.0; LAYERS + 1];
        for i in 0..=LAYERS {
            f[i] = pdf(x[i]);
        }
        Tables { x, f }
    })
}

/// A uniform in `[0, 1)` from the top 53 bits of a draw (exact).
pub(crate) fn uniform(rng: &mut impl RngCore) -> f64 {
    // 2^-53: the spacing of doubles in [0.5, 1).
    (rng.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
}

/// One standard normal draw.
pub(crate) fn standard_normal(rng: &mut impl RngCore) -> f64 {
    let t = tables();
    loop {
        let bits = rng.next_u64();
        let i = (bits & 0xff) as usize;
        // A uniform in [-1, 1) from bits 12..63 (disjoint from the layer's).
        let u = 2.0 * f64::from_bits((bits >> 12) | 0x3FF0_0000_0000_0000) - 3.0;
        let x = u * t.x[i];
        if x.abs() < t.x[i + 1] {
            return x;
        }
        if i == 0 {
            // The tail beyond R (Marsaglia's method): 1 - uniform is in
            // (0, 1], so both logarithms are finite.
            loop {
                let xx = libm::log(1.0 - uniform(rng)) / R;
                let yy = libm::log(1.0 - uniform(rng));
                if -2.0 * yy >= xx * xx {
                    return if u < 0.0 { xx - R } else { R - xx };
                }
            }
        }
        if t.f[i + 1] + (t.f[i] - t.f[i + 1]) * uniform(rng) < pdf(x) {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// The standard normal CDF, from `libm::erfc`.
    fn cdf(x: f64) -> f64 {
        0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
    }

    #[test]
    fn the_tables_close_and_every_layer_has_the_same_area() {
        let t = tables();
        assert!(
            t.x[LAYERS - 1] > 0.0 && t.x[LAYERS - 1] < 0.3,
            "{}",
            t.x[255]
        );
        // Layer i spans x[i+1]..x[i] under f: its rectangle x[i] * (f[i+1]
        // - f[i]) is V by construction, and the top one (to x[256] = 0,
        // f = 1) closes the table within 2e-5 with these constants.
        for i in 1..LAYERS {
            let area = t.x[i] * (t.f[i + 1] - t.f[i]);
            let within = if i < LAYERS - 1 { 1e-9 } else { 1e-4 };
            assert!((area / V - 1.0).abs() < within, "layer {i}: {area}");
        }
    }

    #[test]
    fn draws_follow_the_normal_distribution() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let n = 400_000;
        let mut draws: Vec<f64> = (0..n).map(|_| standard_normal(&mut rng)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        // Standard errors: 1/sqrt(n) = 0.0016 for the mean, sqrt(2/n) =
        // 0.0022 for the variance; 4 of them.
        assert!(mean.abs() < 0.0064, "mean {mean}");
        assert!((var - 1.0).abs() < 0.009, "variance {var}");
        // Kolmogorov-Smirnov: the 99.9% critical value is 1.95/sqrt(n) = 0.0031.
        draws.sort_by(f64::total_cmp);
        let ks = draws
            .iter()
            .enumerate()
            .map(|(k, x)| {
                let c = cdf(*x);
                (c - k as f64 / n as f64)
                    .abs()
                    .max((c - (k + 1) as f64 / n as f64).abs())
            })
            .fold(0.0, f64::max);
        assert!(ks < 0.0031, "KS distance {ks}");
        // The tails beyond R = 3.65 are drawn too: P(|Z| > 3.65) = 2.6e-4,
        // about 104 of 400,000.
        let tail = draws.iter().filter(|x| x.abs() > R).count();
        assert!((60..160).contains(&tail), "{tail} draws beyond R");
    }

    #[test]
    fn the_same_seed_gives_the_same_bits() {
        let draw = |seed| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            (0..8)
                .map(|_| standard_normal(&mut rng).to_bits())
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(3), draw(3));
        assert_ne!(draw(3), draw(4));
    }
}
