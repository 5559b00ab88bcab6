//! Every run's time series under `series/`, as CSV (the bytes of `drsim run`'s `timeseries.csv`)
//! or Parquet (the same columns, through arrow).

use anyhow::Context;
use arrow_array::builder::{Float64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Format of the per-run time series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SeriesFormat {
    /// Parquet (snappy), one file per run.
    Parquet,
    /// CSV, one file per run, exactly as `drsim run` writes `timeseries.csv`.
    Csv,
}

impl SeriesFormat {
    /// `parquet` or `csv`: the flag value and the file extension.
    pub fn name(self) -> &'static str {
        match self {
            SeriesFormat::Parquet => "parquet",
            SeriesFormat::Csv => "csv",
        }
    }
}

/// Path of a run's series relative to the batch folder: `series/point-PPP/run-RRRRRR.EXT`.
pub fn rel_path(point: usize, run: u64, fmt: SeriesFormat) -> PathBuf {
    PathBuf::from("series").join(format!("point-{point:03}")).join(format!("run-{run:06}.{}", fmt.name()))
}

/// The file's bytes, from the CSV text of `sim_core::metrics::timeseries_csv`.
pub fn encode(csv_text: &str, fmt: SeriesFormat) -> anyhow::Result<Vec<u8>> {
    match fmt {
        SeriesFormat::Csv => Ok(csv_text.as_bytes().to_vec()),
        SeriesFormat::Parquet => parquet_of_csv(csv_text),
    }
}

/// Writes a run's series atomically under `dir`.
pub fn write(dir: &Path, point: usize, run: u64, fmt: SeriesFormat, csv_text: &str) -> anyhow::Result<()> {
    let rel = rel_path(point, run, fmt);
    let path = dir.join(&rel);
    let parent = path.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    crate::files::write_atomic(parent, name, &encode(csv_text, fmt)?)
}

/// Converts the time-series CSV to Parquet: a column whose non-empty cells all parse as numbers
/// becomes Float64 (empty cells null), any other column (`time`, `alert`) UTF-8.
fn parquet_of_csv(text: &str) -> anyhow::Result<Vec<u8>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers()?.iter().map(str::to_string).collect();
    let mut cols: Vec<Vec<String>> = vec![Vec::new(); header.len()];
    for rec in r.records() {
        let rec = rec?;
        for (c, cell) in cols.iter_mut().zip(rec.iter()) {
            c.push(cell.to_string());
        }
    }
    let mut fields = Vec::with_capacity(header.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(header.len());
    for (name, cells) in header.iter().zip(&cols) {
        let numbers: Option<Vec<Option<f64>>> =
            cells.iter().map(|s| if s.is_empty() { Some(None) } else { s.parse::<f64>().ok().map(Some) }).collect();
        match numbers {
            Some(xs) => {
                let mut b = Float64Builder::with_capacity(xs.len());
                for x in xs {
                    b.append_option(x);
                }
                fields.push(Field::new(name, DataType::Float64, true));
                arrays.push(Arc::new(b.finish()));
            }
            None => {
                let mut b = StringBuilder::new();
                for s in cells {
                    b.append_value(s);
                }
                fields.push(Field::new(name, DataType::Utf8, false));
                arrays.push(Arc::new(b.finish()));
            }
        }
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays)?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("drsim {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut w = ArrowWriter::try_new(Vec::new(), schema, Some(props))?;
    w.write(&batch)?;
    Ok(w.into_inner()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parquet_files_are_deterministic_and_start_with_the_magic() {
        let text = "time,x,alert\n2022-09-01T00:00-07:00,1.5,None\n2022-09-01T00:05-07:00,,EEA1\n";
        let a = encode(text, SeriesFormat::Parquet).expect("parquet");
        let b = encode(text, SeriesFormat::Parquet).expect("parquet");
        assert_eq!(a, b);
        assert_eq!(&a[..4], b"PAR1");
        assert_eq!(&a[a.len() - 4..], b"PAR1");
    }

    #[test]
    fn series_paths_name_point_and_run() {
        assert_eq!(rel_path(2, 17, SeriesFormat::Csv), PathBuf::from("series/point-002/run-000017.csv"));
    }
}
