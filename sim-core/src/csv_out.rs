//! Writing output tables: every CSV drsim writes is a list of `#[derive(Serialize)]` rows, written
//! by the `csv` crate (quoting what needs quotes), with the header taken from the row's fields.

use serde::{Serialize, Serializer};

/// A number written with `D` decimals (`{:.D}`), the precision its column promises.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Fixed<const D: usize>(pub f64);

impl<const D: usize> Serialize for Fixed<D> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{:.*}", D, self.0))
    }
}

/// A number written with `D` decimals, or an empty cell when there is none (or it is not finite).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Maybe<const D: usize>(pub Option<f64>);

impl<const D: usize> Serialize for Maybe<D> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.filter(|x| x.is_finite()) {
            Some(x) => s.collect_str(&format_args!("{x:.D$}")),
            None => s.serialize_str(""),
        }
    }
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new())
}

fn text(w: csv::Writer<Vec<u8>>) -> String {
    // Writing to memory fails only on a serializer bug, which the pinned outputs would show.
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The header line of a table of `T` rows (from the fields of a default row).
pub(crate) fn header<T: Serialize + Default>() -> String {
    let mut w = writer();
    let _ = w.serialize(T::default());
    let all = text(w);
    all.split_inclusive('\n').next().unwrap_or_default().to_string()
}

/// The rows as CSV text, the header first (also when there are no rows).
pub(crate) fn to_csv<T: Serialize + Default>(rows: impl IntoIterator<Item = T>) -> String {
    let mut w = writer();
    let mut any = false;
    for r in rows {
        any = true;
        let _ = w.serialize(r);
    }
    if any { text(w) } else { header::<T>() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Default)]
    struct Row<'a> {
        name: &'a str,
        mw: Fixed<2>,
        share: Maybe<1>,
    }

    #[test]
    fn the_header_comes_from_the_fields_with_or_without_rows() {
        assert_eq!(to_csv(Vec::<Row<'_>>::new()), "name,mw,share\n");
        let rows = [
            Row { name: "a, \"b\"", mw: Fixed(1.005), share: Maybe(None) },
            Row { name: "c", mw: Fixed(-2.0), share: Maybe(Some(0.25)) },
        ];
        assert_eq!(to_csv(rows), "name,mw,share\n\"a, \"\"b\"\"\",1.00,\nc,-2.00,0.2\n");
    }
}
