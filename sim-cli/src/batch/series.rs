//! Every run's time series under `series/`, as CSV (the bytes of `drsim run`'s `timeseries.csv`)
//! or Parquet (the same columns, through arrow).

use anyhow::Context;
use arrow_array::builder::{Float64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use sim_core::{ColumnValues, Timeseries};
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

/// The file's bytes.
pub fn encode(ts: &Timeseries, fmt: SeriesFormat) -> anyhow::Result<Vec<u8>> {
    match fmt {
        SeriesFormat::Csv => Ok(ts.to_csv().into_bytes()),
        SeriesFormat::Parquet => parquet_of(ts),
    }
}

/// Writes a run's series atomically under `dir`.
pub fn write(dir: &Path, point: usize, run: u64, fmt: SeriesFormat, ts: &Timeseries) -> anyhow::Result<()> {
    let rel = rel_path(point, run, fmt);
    let path = dir.join(&rel);
    let parent = path.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    crate::files::write_atomic(parent, name, &encode(ts, fmt)?)
}

/// The series as Parquet, column by column from the same model the CSV is written from: numbers
/// as nullable Float64 holding exactly the values the CSV shows (rounded to its decimals; empty
/// cells null), text columns (`time`, `alert`) as UTF-8.
fn parquet_of(ts: &Timeseries) -> anyhow::Result<Vec<u8>> {
    let mut fields = Vec::with_capacity(ts.columns.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(ts.columns.len());
    for c in &ts.columns {
        match (&c.values, c.rounded()) {
            (_, Some(xs)) => {
                let mut b = Float64Builder::with_capacity(xs.len());
                for x in xs {
                    b.append_option(x);
                }
                fields.push(Field::new(&c.name, DataType::Float64, true));
                arrays.push(Arc::new(b.finish()));
            }
            (ColumnValues::Text(cells), None) => {
                let mut b = StringBuilder::new();
                for s in cells {
                    b.append_value(s);
                }
                fields.push(Field::new(&c.name, DataType::Utf8, false));
                arrays.push(Arc::new(b.finish()));
            }
            (ColumnValues::Number { .. }, None) => anyhow::bail!("column {} has no numbers", c.name),
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
    use sim_core::Column;

    fn sample() -> Timeseries {
        let col = |name: &str, values| Column { name: name.into(), values };
        Timeseries {
            columns: vec![
                col("time", ColumnValues::Text(vec!["2022-09-01T00:00-07:00".into(), "2022-09-01T00:05-07:00".into()])),
                col("x", ColumnValues::Number { values: vec![1.23456, f64::NAN], decimals: 3 }),
                col("alert", ColumnValues::Text(vec!["None".into(), "EEA1".into()])),
            ],
            rows: 2,
        }
    }

    #[test]
    fn parquet_files_are_deterministic_and_start_with_the_magic() {
        let a = encode(&sample(), SeriesFormat::Parquet).expect("parquet");
        let b = encode(&sample(), SeriesFormat::Parquet).expect("parquet");
        assert_eq!(a, b);
        assert_eq!(&a[..4], b"PAR1");
        assert_eq!(&a[a.len() - 4..], b"PAR1");
    }

    #[test]
    fn parquet_holds_the_values_the_csv_shows() {
        let csv = String::from_utf8(encode(&sample(), SeriesFormat::Csv).expect("csv")).expect("utf8");
        assert_eq!(csv, "time,x,alert\n2022-09-01T00:00-07:00,1.235,None\n2022-09-01T00:05-07:00,,EEA1\n");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.parquet");
        std::fs::write(&path, encode(&sample(), SeriesFormat::Parquet).expect("parquet")).expect("write");
        let file = std::fs::File::open(&path).expect("open");
        let mut reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .expect("reader")
            .build()
            .expect("build");
        let batch = reader.next().expect("a batch").expect("read");
        use arrow_array::Array;
        let x = batch.column(1).as_any().downcast_ref::<arrow_array::Float64Array>().expect("Float64");
        assert_eq!((x.value(0), x.is_null(1)), (1.235, true));
        let alert = batch.column(2).as_any().downcast_ref::<arrow_array::StringArray>().expect("Utf8");
        assert_eq!(alert.value(1), "EEA1");
    }

    #[test]
    fn series_paths_name_point_and_run() {
        assert_eq!(rel_path(2, 17, SeriesFormat::Csv), PathBuf::from("series/point-002/run-000017.csv"));
    }
}
