//! Reading the CSV files a user gives (replayed weather, alert calendars, dispatch calendars,
//! meter data) with the `csv` crate: quoted fields, blank lines and `#` comment lines, every row
//! with the line it starts on, so errors can name the file, the line and the column.

use crate::scenario::ScenarioError;
use csv::{ReaderBuilder, StringRecord, Trim};
use serde::de::DeserializeOwned;

/// A CSV text's header and data rows.
pub(crate) struct Table {
    /// 1-based line of the header.
    pub header_line: usize,
    /// The header's column names (trimmed).
    pub header: StringRecord,
    rows: Vec<(usize, StringRecord)>,
}

/// The 1-based line a record's first cell is on. The reader places a record where the previous
/// one ended, so blank and comment lines before it are skipped here.
fn line_of(text: &str, r: &StringRecord) -> usize {
    let Some(p) = r.position() else { return 1 };
    let mut line = p.line() as usize;
    let mut rest = text.get(p.byte() as usize..).unwrap_or("");
    while let Some((first, after)) = rest.split_once('\n') {
        let t = first.trim();
        if !(t.is_empty() || t.starts_with('#')) {
            break;
        }
        line += 1;
        rest = after;
    }
    line
}

/// Reads `text` (a leading byte-order mark is skipped); `Ok(None)` when it holds no header.
/// The error is the line a record could not be read at, and why.
pub(crate) fn read(text: &str) -> Result<Option<Table>, (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        None => return Ok(None),
        Some(r) => r.map_err(|e| (error_line(&e), e.to_string()))?,
    };
    let header_line = line_of(text, &header);
    let rows = records
        .map(|r| r.map(|r| (line_of(text, &r), r)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| (error_line(&e), e.to_string()))?;
    Ok(Some(Table { header_line, header, rows }))
}

fn error_line(e: &csv::Error) -> usize {
    e.position().map_or(1, |p| p.line() as usize)
}

impl Table {
    /// Whether the header is exactly `cols`.
    pub fn header_is(&self, cols: &[&str]) -> bool {
        self.header.iter().eq(cols.iter().copied())
    }

    /// The header as written, comma-separated.
    pub fn header_text(&self) -> String {
        self.header.iter().collect::<Vec<_>>().join(",")
    }

    /// The data rows with their lines, whatever their width.
    pub fn raw_rows(&self) -> impl Iterator<Item = (usize, &StringRecord)> {
        self.rows.iter().map(|(line, r)| (*line, r))
    }

    /// The data rows with their lines, each with as many cells as the header or an error.
    pub fn rows<'a>(&'a self, file: &'a str) -> impl Iterator<Item = Result<(usize, &'a StringRecord), ScenarioError>> {
        let n = self.header.len();
        self.raw_rows().map(move |(line, r)| {
            if r.len() == n {
                Ok((line, r))
            } else {
                Err(ScenarioError::at_line(file, line, "", format!("expected {n} columns, found {}", r.len())))
            }
        })
    }

    /// The data rows deserialized by the header's names into `T`.
    pub fn records<'a, T: DeserializeOwned>(
        &'a self,
        file: &'a str,
    ) -> impl Iterator<Item = Result<(usize, T), ScenarioError>> + 'a {
        self.rows(file).map(move |r| {
            let (line, rec) = r?;
            rec.deserialize(Some(&self.header))
                .map(|row| (line, row))
                .map_err(|e| ScenarioError::at_line(file, line, "", e.to_string()))
        })
    }
}

/// Reads `text` whose header must be exactly `header`, as rows of `T`.
pub(crate) fn read_exact<T: DeserializeOwned>(
    text: &str,
    file: &str,
    header: &[&str],
) -> Result<Vec<(usize, T)>, ScenarioError> {
    let expected = header.join(",");
    let table = read(text)
        .map_err(|(line, m)| ScenarioError::at_line(file, line, "", m))?
        .ok_or_else(|| ScenarioError::in_file(file, format!("empty file: expected the header `{expected}`")))?;
    if !table.header_is(header) {
        return Err(ScenarioError::at_line(
            file,
            table.header_line,
            "",
            format!("expected the header `{expected}`, found `{}`", table.header_text()),
        ));
    }
    table.records(file).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Row {
        a: String,
        b: String,
    }

    #[test]
    fn rows_keep_their_lines_past_comments_blanks_and_quoted_newlines() {
        let text = "# a comment\na,b\n\n1,\"two, with a comma\"\n\"3\nstill 3\",4\n# note\n\n5,6\n";
        let rows: Vec<(usize, Row)> = read_exact(text, "f.csv", &["a", "b"]).unwrap();
        let lines: Vec<usize> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [4, 5, 9]);
        assert_eq!(rows[0].1, Row { a: "1".into(), b: "two, with a comma".into() });
        assert_eq!(rows[1].1.a, "3\nstill 3");
    }

    #[test]
    fn header_and_width_errors_name_the_file_and_line() {
        let e = read_exact::<Row>("x,y\n1,2\n", "f.csv", &["a", "b"]).unwrap_err();
        assert_eq!(e.to_string(), "f.csv:1: expected the header `a,b`, found `x,y`");
        let e = read_exact::<Row>("a,b\n1,2\n1,2,3\n", "f.csv", &["a", "b"]).unwrap_err();
        assert_eq!(e.to_string(), "f.csv:3: expected 2 columns, found 3");
        let e = read_exact::<Row>("\n# only a comment\n", "f.csv", &["a", "b"]).unwrap_err();
        assert_eq!(e.to_string(), "f.csv: empty file: expected the header `a,b`");
    }
}
