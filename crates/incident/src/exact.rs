//! Exact rates: a paging decision at a tier's boundary must not depend on
//! rounding.
//!
//! At a 99.99% SLO the error budget is `1 − 0.9999`, which in floating point
//! is `0.00009999999999998899…`, a little under `1e-4`. One bad request in
//! 10,000 is then a burn of `1.0000000000001101`, "above 1", and the
//! three-day ticket fires on a service that is spending its budget exactly
//! at the promised pace. Prometheus has the same trap: `ratio > 1 * (1 -
//! 0.9999)` fires on a ratio of exactly 1/10,000 while `ratio > 0.0001` does
//! not.
//!
//! So the decision compares [`Rate`]s: non-negative fractions of two
//! integers, compared exactly. A target or threshold written as a decimal
//! (`0.9999`, `14.4`) is read as that decimal ([`Rate::from_f64`] takes the
//! shortest decimal that prints as the same float), so `1 − 0.9999` is
//! exactly `1/10000`, and a burn computed from counts is exactly
//! `bad × 10000 / valid`. The float form ([`Rate::to_f64`]) is for people.

use std::cmp::Ordering;
use std::fmt;

/// A non-negative rational number `num / den`, compared exactly.
///
/// ```
/// use incident::exact::Rate;
/// let budget = Rate::one().checked_sub(Rate::from_f64(0.9999).unwrap()).unwrap();
/// assert_eq!(budget, Rate::new(1, 10_000).unwrap());
/// let burn = Rate::new(1, 10_000).unwrap().checked_div(budget).unwrap();
/// assert_eq!(burn, Rate::one());
/// assert!(!(burn > Rate::one()), "exactly at the threshold is not above it");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Rate {
    num: u128,
    den: u128,
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Rate {
    /// `num / den`, reduced; `None` when `den` is 0.
    pub fn new(num: u128, den: u128) -> Option<Self> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        Some(Self {
            num: num / g,
            den: den / g,
        })
    }

    /// 0.
    pub const fn zero() -> Self {
        Self { num: 0, den: 1 }
    }

    /// 1.
    pub const fn one() -> Self {
        Self { num: 1, den: 1 }
    }

    /// A whole number.
    pub const fn whole(n: u64) -> Self {
        Self {
            num: n as u128,
            den: 1,
        }
    }

    /// The numerator and denominator, reduced.
    pub fn parts(self) -> (u128, u128) {
        (self.num, self.den)
    }

    /// The decimal a float was written as: the shortest decimal that reads
    /// back as `x` (`0.9999` is 9999/10000, not the binary fraction nearest
    /// to it). `None` for a negative, infinite or NaN `x`, or one whose digits
    /// do not fit.
    pub fn from_f64(x: f64) -> Option<Self> {
        if !x.is_finite() || x < 0.0 {
            return None;
        }
        Self::parse_decimal(&format!("{x}"))
    }

    /// Reads a plain decimal such as `14.4`, `0.9999` or `3`.
    pub fn parse_decimal(text: &str) -> Option<Self> {
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let digits = format!("{int}{frac}");
        let num: u128 = digits.parse().ok()?;
        let den = 10u128.checked_pow(u32::try_from(frac.len()).ok()?)?;
        Self::new(num, den)
    }

    /// The float nearest to this rate (for display and charts).
    pub fn to_f64(self) -> f64 {
        // Integer part exactly, then the fraction: keeps precision when num
        // and den are both huge.
        let int = (self.num / self.den) as f64;
        let rem = self.num % self.den;
        int + rem as f64 / self.den as f64
    }

    /// `self × other`, `None` on overflow.
    pub fn checked_mul(self, other: Rate) -> Option<Rate> {
        let g1 = gcd(self.num, other.den).max(1);
        let g2 = gcd(other.num, self.den).max(1);
        let num = (self.num / g1).checked_mul(other.num / g2)?;
        let den = (self.den / g2).checked_mul(other.den / g1)?;
        Rate::new(num, den)
    }

    /// `self / other`, `None` when `other` is 0 or on overflow.
    pub fn checked_div(self, other: Rate) -> Option<Rate> {
        if other.num == 0 {
            return None;
        }
        self.checked_mul(Rate {
            num: other.den,
            den: other.num,
        })
    }

    /// `self − other`, `None` when negative or on overflow.
    pub fn checked_sub(self, other: Rate) -> Option<Rate> {
        let g = gcd(self.den, other.den).max(1);
        let den = (self.den / g).checked_mul(other.den)?;
        let a = self.num.checked_mul(other.den / g)?;
        let b = other.num.checked_mul(self.den / g)?;
        Rate::new(a.checked_sub(b)?, den)
    }

    /// `true` for 0.
    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// The rate as an exact decimal (`0.00144`), or `None` when it has none
    /// (a denominator with a prime factor other than 2 and 5, such as 1/3).
    pub fn to_decimal(self) -> Option<String> {
        let (mut twos, mut fives, mut d) = (0u32, 0u32, self.den);
        while d % 2 == 0 {
            d /= 2;
            twos += 1;
        }
        while d % 5 == 0 {
            d /= 5;
            fives += 1;
        }
        if d != 1 {
            return None;
        }
        let places = twos.max(fives);
        let scale = 2u128
            .checked_pow(places - twos)?
            .checked_mul(5u128.checked_pow(places - fives)?)?;
        let scaled = self.num.checked_mul(scale)?;
        let unit = 10u128.checked_pow(places)?;
        let (int, frac) = (scaled / unit, scaled % unit);
        if places == 0 {
            return Some(int.to_string());
        }
        Some(format!("{int}.{frac:0width$}", width = places as usize))
    }
}

impl Default for Rate {
    /// 0.
    fn default() -> Self {
        Self::zero()
    }
}

impl PartialEq for Rate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Rate {}

impl PartialOrd for Rate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rate {
    /// Exact comparison of `a/b` with `c/d` without multiplying (so nothing
    /// overflows): compare the whole parts, and if they tie, compare the
    /// remainders' reciprocals the other way round (a continued fraction).
    fn cmp(&self, other: &Self) -> Ordering {
        let (mut a, mut b, mut c, mut d) = (self.num, self.den, other.num, other.den);
        let mut flipped = false;
        loop {
            let (q1, q2) = (a / b, c / d);
            if q1 != q2 {
                let o = q1.cmp(&q2);
                return if flipped { o.reverse() } else { o };
            }
            let (r1, r2) = (a % b, c % d);
            let o = match (r1 == 0, r2 == 0) {
                (true, true) => Some(Ordering::Equal),
                (true, false) => Some(Ordering::Less),
                (false, true) => Some(Ordering::Greater),
                (false, false) => None,
            };
            if let Some(o) = o {
                return if flipped { o.reverse() } else { o };
            }
            // r1/b ? r2/d  ⇔  d/r2 ? b/r1
            (a, b, c, d) = (b, r1, d, r2);
            flipped = !flipped;
        }
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_decimal() {
            Some(d) => f.write_str(&d),
            None => write!(f, "{}/{}", self.num, self.den),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: u128, d: u128) -> Rate {
        Rate::new(n, d).unwrap()
    }

    #[test]
    fn decimals_are_read_as_written() {
        assert_eq!(Rate::from_f64(14.4), Some(r(72, 5)));
        assert_eq!(Rate::from_f64(0.9999), Some(r(9999, 10_000)));
        assert_eq!(Rate::from_f64(3.0), Some(Rate::whole(3)));
        assert_eq!(Rate::from_f64(1e-7), Some(r(1, 10_000_000)));
        assert_eq!(Rate::from_f64(-1.0), None);
        assert_eq!(Rate::from_f64(f64::NAN), None);
        assert_eq!(Rate::parse_decimal("1.2.3"), None);
    }

    #[test]
    fn comparisons_are_exact() {
        let mut rng = labkit::SimRng::seed(31);
        for _ in 0..5000 {
            let (a, b, c, d) = (
                rng.below(1000) as u128,
                1 + rng.below(1000) as u128,
                rng.below(1000) as u128,
                1 + rng.below(1000) as u128,
            );
            assert_eq!(
                r(a, b).cmp(&r(c, d)),
                (a * d).cmp(&(c * b)),
                "{a}/{b} vs {c}/{d}"
            );
        }
        // Too big to cross-multiply in u128, still ordered.
        let big = u128::MAX / 3;
        assert!(r(big, big - 1) < r(big - 1, big - 2));
        assert!(r(big - 1, big) < r(big, big + 1));
    }

    #[test]
    fn exact_decimals_print_and_others_do_not() {
        assert_eq!(r(144, 100_000).to_decimal().as_deref(), Some("0.00144"));
        assert_eq!(Rate::whole(6).to_decimal().as_deref(), Some("6"));
        assert_eq!(r(1, 8).to_decimal().as_deref(), Some("0.125"));
        assert_eq!(r(14, 15).to_decimal(), None);
        assert_eq!(r(14, 15).to_string(), "14/15");
    }

    #[test]
    fn arithmetic_stays_exact() {
        let budget = Rate::one().checked_sub(r(9999, 10_000)).unwrap();
        assert_eq!(budget, r(1, 10_000));
        assert_eq!(r(72, 5).checked_mul(budget), Some(r(144, 100_000)));
        assert_eq!(r(1, 2).checked_div(Rate::zero()), None);
        assert_eq!(r(1, 3).checked_sub(r(1, 2)), None);
        assert!((r(1, 3).to_f64() - 1.0 / 3.0).abs() < 1e-15);
    }
}
