//! Attachments of content pages (교육자료, 자료실 forms and templates): known by their first bytes, never by the
//! name alone. A name must agree with the bytes, so a script renamed `.pdf` or `.hwp` is refused; the content
//! type served is the one decided here, never the browser's.

use crate::auth::UploadedFile;
use crate::error::FieldErrors;

pub const MAX_BYTES: usize = 10_000_000;
pub const MAX_FILES: usize = 5;

/// The kinds taken: (extension, content type, how the file starts).
const KINDS: [(&str, &str, Magic); 11] = [
    ("pdf", "application/pdf", Magic::Pdf),
    ("hwp", "application/x-hwp", Magic::Ole),
    ("doc", "application/msword", Magic::Ole),
    ("xls", "application/vnd.ms-excel", Magic::Ole),
    ("hwpx", "application/hwp+zip", Magic::Zip),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Magic::Zip),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Magic::Zip),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", Magic::Zip),
    ("png", "image/png", Magic::Image),
    ("jpg", "image/jpeg", Magic::Image),
    ("jpeg", "image/jpeg", Magic::Image),
];

#[derive(Clone, Copy)]
enum Magic {
    Pdf,
    /// The compound file of HWP 5 and old Office documents.
    Ole,
    /// HWPX and Office Open XML are zip archives.
    Zip,
    Image,
}

impl Magic {
    fn matches(self, bytes: &[u8], content_type: &str) -> bool {
        match self {
            Magic::Pdf => bytes.starts_with(b"%PDF-"),
            Magic::Ole => bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
            Magic::Zip => bytes.starts_with(b"PK\x03\x04"),
            Magic::Image => crate::places::photos::sniff(bytes) == Some(content_type),
        }
    }
}

/// The content type of a file named `file_name` with these bytes, when the two agree on a kind we take.
pub fn kind(file_name: &str, bytes: &[u8]) -> Option<&'static str> {
    let extension = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    let (_, content_type, magic) = KINDS.iter().find(|(e, _, _)| *e == extension)?;
    magic.matches(bytes, content_type).then_some(*content_type)
}

/// A checked attachment, ready to store.
pub struct Checked<'a> {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: &'a [u8],
}

/// The files of the `attachments` field, each checked; the errors name the first bad file's problem.
pub fn check(files: &[UploadedFile]) -> Result<Vec<Checked<'_>>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let given: Vec<&UploadedFile> = files.iter().filter(|f| f.field == "attachments" && !f.bytes.is_empty()).collect();
    if given.len() > MAX_FILES {
        errors.add("attachments", "content-error-too-many-files");
        return Err(errors);
    }
    let mut out = Vec::new();
    for f in given {
        let name = clean_name(f.file_name.as_deref().unwrap_or_default());
        if f.bytes.len() > MAX_BYTES {
            errors.add("attachments", "content-error-file-size");
        } else if let Some(content_type) = kind(&name, &f.bytes) {
            out.push(Checked { file_name: name, content_type, bytes: &f.bytes });
        } else {
            errors.add("attachments", "content-error-file-type");
        }
        if !errors.is_empty() {
            break;
        }
    }
    errors.into_result(out)
}

/// The last part of a path, without control characters or quotes (it goes into a header), at most 120 characters.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    base.chars().filter(|c| !c.is_control() && *c != '"').take(120).collect::<String>().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    #[test]
    fn name_and_bytes_must_agree() {
        assert_eq!(kind("신청서.hwp", &OLE), Some("application/x-hwp"));
        assert_eq!(kind("정산서식.XLSX", b"PK\x03\x04rest"), Some(KINDS[6].1));
        assert_eq!(kind("안내.pdf", b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(kind("script.pdf", b"<script>alert(1)</script>"), None);
        assert_eq!(kind("신청서.hwp", b"%PDF-1.7"), None);
        assert_eq!(kind("run.exe", b"MZ\x90\x00"), None);
        assert_eq!(kind("no-extension", b"%PDF-1.7"), None);
        assert_eq!(kind("photo.png", b"\xFF\xD8\xFFjpeg"), None);
    }

    #[test]
    fn names_lose_their_path_and_anything_that_breaks_a_header() {
        assert_eq!(clean_name("C:\\Users\\담당\\신청서.hwp"), "신청서.hwp");
        assert_eq!(clean_name("a\"b\r\n.pdf"), "ab.pdf");
    }

    #[test]
    fn a_bad_file_is_named_and_nothing_is_taken() {
        let file = |name: &str, bytes: &[u8]| UploadedFile {
            field: "attachments".into(),
            file_name: Some(name.into()),
            bytes: bytes.to_vec(),
        };
        let files = vec![file("a.pdf", b"%PDF-1.4"), file("b.hwp", b"#!/bin/sh")];
        assert_eq!(check(&files).err().unwrap().code("attachments"), Some("content-error-file-type"));
        let big = vec![file("big.pdf", &[b'%'; MAX_BYTES + 1])];
        assert_eq!(check(&big).err().unwrap().code("attachments"), Some("content-error-file-size"));
        let ok = check(&files[..1]).unwrap();
        assert_eq!((ok[0].file_name.as_str(), ok[0].content_type), ("a.pdf", "application/pdf"));
    }
}
