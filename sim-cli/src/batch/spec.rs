//! What a batch is: its shard, its sweeps and the sweep points they make.

use std::fmt;
use std::ops::Range;

/// `--shard K/M`: the K-th of M shards (1-based), each a contiguous block of run indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// This shard, 1..=m.
    pub k: u64,
    /// Number of shards.
    pub m: u64,
}

impl Shard {
    /// Parses `K/M` with 1 <= K <= M (clap value parser; errors exit with code 2).
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (k, m) =
            s.split_once('/').ok_or_else(|| "expected K/M, e.g. 2/8 for the second of eight shards".to_string())?;
        let num = |x: &str, what: &str| {
            x.trim().parse::<u64>().map_err(|_| format!("{what} `{x}` is not a whole number (expected K/M, e.g. 2/8)"))
        };
        let (k, m) = (num(k, "K")?, num(m, "M")?);
        if m == 0 {
            return Err("M, the number of shards, must be at least 1".into());
        }
        if k == 0 || k > m {
            return Err(format!("K must be between 1 and M={m} (shards are numbered from 1)"));
        }
        Ok(Shard { k, m })
    }

    /// The run indices of this shard out of `runs`: the contiguous block
    /// `[(k-1)·runs/m, k·runs/m)` (integer division), so blocks differ in size by at most one.
    pub fn runs(&self, runs: u64) -> Range<u64> {
        let at = |j: u64| ((u128::from(runs) * u128::from(j)) / u128::from(self.m)) as u64;
        at(self.k - 1)..at(self.k)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.m)
    }
}

/// `--sweep KEY=V1,V2,...`: one scenario field and the values it takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sweep {
    /// Dotted field path, as for `--set`.
    pub key: String,
    /// The values, as typed (each parsed like a `--set` value).
    pub values: Vec<String>,
}

impl Sweep {
    /// Parses `KEY=V1,V2,...`. Commas inside `[...]`, `{...}` or quotes do not split, so TOML
    /// arrays and inline tables can be swept: `--sweep 'x=[1,2],[3,4]'`.
    pub fn parse(s: &str) -> Result<Sweep, String> {
        let (key, list) = s
            .split_once('=')
            .ok_or_else(|| "expected KEY=V1,V2,... e.g. grid.supply.firm_mw=42000,46000".to_string())?;
        let key = key.trim();
        if key.is_empty() || key.split('.').any(str::is_empty) {
            return Err(format!("`{key}`: the key must be a dotted path like grid.supply.firm_mw"));
        }
        if key == "seed" {
            return Err("`seed` cannot be swept: runs take their seeds from --seed and --runs".into());
        }
        let values = split_top_level(list)?;
        if let Some(i) = values.iter().position(String::is_empty) {
            return Err(format!("value {} of `{key}` is empty", i + 1));
        }
        for (i, v) in values.iter().enumerate() {
            if values[..i].contains(v) {
                return Err(format!("`{key}` lists the value `{v}` twice"));
            }
        }
        Ok(Sweep { key: key.to_string(), values })
    }

    /// The argument as written back: `KEY=V1,V2,...`.
    pub fn arg(&self) -> String {
        format!("{}={}", self.key, self.values.join(","))
    }
}

/// Splits on commas that are not inside brackets, braces or quotes; trims each piece.
fn split_top_level(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth: i32 = 0;
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => {
                depth -= 1;
                if depth < 0 {
                    return Err(format!("`{s}`: unbalanced `{c}`"));
                }
            }
            (None, ',') if depth == 0 => {
                out.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            (None, _) => {}
        }
        cur.push(c);
    }
    if quote.is_some() || depth != 0 {
        return Err(format!("`{s}`: unclosed bracket or quote"));
    }
    out.push(cur.trim().to_string());
    Ok(out)
}

/// Checks that no key is swept twice or both swept and `--set`.
pub fn check_sweeps(sweeps: &[Sweep], set_keys: &[String]) -> Result<(), String> {
    for (i, s) in sweeps.iter().enumerate() {
        if sweeps[..i].iter().any(|o| o.key == s.key) {
            return Err(format!("error: --sweep {}: the key is swept twice", s.key));
        }
        if set_keys.contains(&s.key) {
            return Err(format!("error: --sweep {}: the key is also given with --set; keep one", s.key));
        }
    }
    Ok(())
}

/// Every combination of the swept values, the first sweep varying slowest (row-major), as value
/// indices. No sweep gives one point with no values.
pub fn points(sweeps: &[Sweep]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new()];
    for s in sweeps {
        out = out
            .into_iter()
            .flat_map(|p| {
                (0..s.values.len()).map(move |j| {
                    let mut q = p.clone();
                    q.push(j);
                    q
                })
            })
            .collect();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_runs_into_contiguous_blocks_that_cover_every_run_once() {
        for runs in [0u64, 1, 2, 7, 10, 100] {
            for m in 1..=12u64 {
                let mut next = 0;
                for k in 1..=m {
                    let r = Shard { k, m }.runs(runs);
                    assert_eq!(r.start, next);
                    assert!(r.end - r.start <= runs / m + 1);
                    next = r.end;
                }
                assert_eq!(next, runs);
            }
        }
    }

    #[test]
    fn bad_shards_are_refused() {
        for bad in ["0/3", "4/3", "1/0", "1", "a/3", "1/b", "-1/3", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Shard::parse("2/3"), Ok(Shard { k: 2, m: 3 }));
    }

    #[test]
    fn sweep_values_split_on_top_level_commas_only() {
        let s = Sweep::parse("x=[1,2], [3,4] ,{a=1,b=2},\"p,q\"").expect("parses");
        assert_eq!(s.values, ["[1,2]", "[3,4]", "{a=1,b=2}", "\"p,q\""]);
        for bad in ["x", "=1,2", "x=", "x=1,,2", "x=1,1", "x=[1,2", "x=1]", "a..b=1", "seed=1,2"] {
            assert!(Sweep::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn points_are_the_cartesian_product_first_sweep_slowest() {
        let a = Sweep::parse("a=1,2").expect("a");
        let b = Sweep::parse("b=x,y,z").expect("b");
        let p = points(&[a, b]);
        assert_eq!(p.len(), 6);
        assert_eq!(p[0], [0, 0]);
        assert_eq!(p[1], [0, 1]);
        assert_eq!(p[3], [1, 0]);
        assert_eq!(points(&[]), vec![Vec::<usize>::new()]);
    }
}
