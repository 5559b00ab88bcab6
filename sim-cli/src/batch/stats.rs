//! Statistics of one metric over the runs of one sweep point.

/// Mean, spread, percentiles and the 95% confidence interval of the mean of a sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    /// Number of values (runs where the metric was defined).
    pub n: usize,
    /// Arithmetic mean (NaN when n = 0).
    pub mean: f64,
    /// Sample standard deviation, divisor n - 1 (NaN when n < 2).
    pub std: f64,
    /// 5th percentile (linear interpolation between order statistics, like numpy's default).
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Lower end of the 95% confidence interval of the mean: mean - t(0.975, n-1) · std / √n.
    pub ci95_low: f64,
    /// Upper end of that interval.
    pub ci95_high: f64,
}

impl Stats {
    /// Statistics of `values` (NaNs, i.e. missing values, are left out). Sums run in the given
    /// order, so the same values in the same order give the same bits.
    pub fn of(values: &[f64]) -> Stats {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
        let n = v.len();
        let nan = f64::NAN;
        if n == 0 {
            return Stats { n, mean: nan, std: nan, p5: nan, p50: nan, p95: nan, ci95_low: nan, ci95_high: nan };
        }
        let nf = n as f64;
        let mean = v.iter().sum::<f64>() / nf;
        let std =
            if n > 1 { (v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (nf - 1.0)).sqrt() } else { nan };
        let half = t975(n as u64 - 1) * std / nf.sqrt();
        v.sort_by(f64::total_cmp);
        Stats {
            n,
            mean,
            std,
            p5: percentile(&v, 5.0),
            p50: percentile(&v, 50.0),
            p95: percentile(&v, 95.0),
            ci95_low: mean - half,
            ci95_high: mean + half,
        }
    }
}

/// The q-th percentile of sorted, non-empty `v`: linear interpolation at rank q/100 · (n - 1)
/// (Hyndman and Fan's type 7, numpy's default).
pub fn percentile(v: &[f64], q: f64) -> f64 {
    let Some(&last) = v.last() else {
        return f64::NAN;
    };
    let h = q / 100.0 * (v.len() - 1) as f64;
    let lo = h.floor() as usize;
    if lo + 1 >= v.len() {
        return last;
    }
    let w = h - lo as f64;
    v[lo] + w * (v[lo + 1] - v[lo])
}

/// Two-sided 95% quantiles of Student's t, t(0.975, df), for df = 1..=30 (scipy.stats.t.ppf).
const T975: [f64; 30] = [
    12.706204736174694,
    4.302652729749462,
    3.1824463052837078,
    2.7764451051977934,
    2.5705818356363146,
    2.4469118511449786,
    2.364624251592784,
    2.306004135204166,
    2.262157162798205,
    2.228138851986274,
    2.200985160091639,
    2.1788128296672284,
    2.1603686564627913,
    2.144786687917804,
    2.131449545559776,
    2.1199052992212546,
    2.1098155778333156,
    2.1009220402410382,
    2.0930240544083087,
    2.085963447265864,
    2.0796138447276795,
    2.0738730679040254,
    2.0686576104190486,
    2.0638985616280245,
    2.0595385527532972,
    2.0555294386428735,
    2.0518305164802846,
    2.0484071417952454,
    2.045229642132703,
    2.0422724563012378,
];

/// t(0.975, df): the table up to 30 degrees of freedom, then the Cornish-Fisher expansion in
/// 1/df around the normal quantile (Abramowitz and Stegun 26.7.5; error below 1e-6 for df > 30).
/// NaN for df = 0.
pub fn t975(df: u64) -> f64 {
    if df == 0 {
        return f64::NAN;
    }
    if let Some(&t) = T975.get(df as usize - 1) {
        return t;
    }
    let z: f64 = 1.959_963_984_540_054;
    let v = df as f64;
    let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
    z + (z3 + z) / (4.0 * v)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v.powi(3))
        + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / (92160.0 * v.powi(4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(percentile(&v, 50.0), 3.0);
        assert!((percentile(&v, 95.0) - 8.8).abs() < 1e-12);
        assert!((percentile(&v, 5.0) - 1.2).abs() < 1e-12);
        assert_eq!(percentile(&[7.0], 95.0), 7.0);
    }

    #[test]
    fn stats_of_a_small_sample() {
        let s = Stats::of(&[2.0, 4.0, f64::NAN, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(s.n, 8);
        assert_eq!(s.mean, 5.0);
        assert!((s.std - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        let half = 2.3646242515927844 * s.std / 8f64.sqrt();
        assert!((s.ci95_high - 5.0 - half).abs() < 1e-12);
        let one = Stats::of(&[3.0]);
        assert_eq!((one.n, one.mean, one.p50), (1, 3.0, 3.0));
        assert!(one.std.is_nan() && one.ci95_low.is_nan());
        assert!(Stats::of(&[]).mean.is_nan());
    }

    #[test]
    fn t_quantiles_join_the_expansion_smoothly() {
        assert!((t975(31) - 2.0395134463964077).abs() < 1e-6);
        assert!((t975(60) - 2.0002978220142578).abs() < 1e-6);
        assert!((t975(1000) - 1.9623390808264078).abs() < 1e-6);
        assert!(t975(0).is_nan());
    }
}
