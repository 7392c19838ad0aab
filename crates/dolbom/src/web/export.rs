//! A table of figures offered as CSV and as an Excel workbook: the same rows either way. The CSV starts with a BOM
//! so spreadsheets read Korean right, and a text cell that a spreadsheet would run as a formula is written as text.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, AppResult};

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(i64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Number(n)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A text cell as CSV holds it: one that starts like a formula gets a leading apostrophe (OWASP's advice).
pub(crate) fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() }
}

pub fn csv_bytes(table: &Table) -> AppResult<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let csv_error = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    writer.write_record(&table.headers).map_err(csv_error)?;
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => csv_text(s),
                Cell::Number(n) => n.to_string(),
            })
            .collect();
        writer.write_record(&cells).map_err(csv_error)?;
    }
    writer.into_inner().map_err(|e| AppError::Internal(format!("csv: {e}")))
}

pub fn xlsx_bytes(table: &Table, sheet_name: &str) -> AppResult<Vec<u8>> {
    let xlsx_error = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let money = rust_xlsxwriter::Format::new().set_num_format("#,##0");
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name).map_err(xlsx_error)?;
    for (c, h) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold).map_err(xlsx_error)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) => sheet.write_string(r, c as u16, s).map_err(xlsx_error)?,
                Cell::Number(n) => {
                    sheet.write_number_with_format(r, c as u16, *n as f64, &money).map_err(xlsx_error)?
                }
            };
        }
    }
    sheet.autofit();
    workbook.save_to_buffer().map_err(xlsx_error)
}

/// The table as a download: `format` is `csv` or `xlsx`; `name` is the file's name without its extension.
pub fn download(table: &Table, format: &str, name: &str, sheet_name: &str) -> AppResult<Response> {
    let (content_type, body) = match format {
        "csv" => ("text/csv; charset=utf-8", csv_bytes(table)?),
        "xlsx" => ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx_bytes(table, sheet_name)?),
        _ => return Err(AppError::NotFound),
    };
    let disposition = format!("attachment; filename=\"{name}.{format}\"");
    Ok(([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            headers: vec!["모임".into(), "금액".into()],
            rows: vec![vec!["=HYPERLINK(\"x\")".into(), 1_200_000.into()], vec!["아빠 모임".into(), 0.into()]],
        }
    }

    #[test]
    fn csv_has_a_bom_and_never_a_formula() {
        let text = String::from_utf8(csv_bytes(&table()).unwrap()).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\",1200000"), "{text}");
        assert!(text.contains("아빠 모임,0"));
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = xlsx_bytes(&table(), "보고서").unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
    }
}
