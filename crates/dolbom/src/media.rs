//! Photos people upload (group boards, galleries): known by their first bytes, not by their name or what the
//! browser claims; decoded under limits (a small file that claims a huge picture is refused before memory is
//! spent on it); turned upright by its EXIF orientation; and kept only as two fresh JPEGs, a display size and a
//! thumbnail, so nothing of the original file — EXIF, GPS position, camera serial, a script hidden after the
//! image — is kept or served.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};

use crate::places::photos::sniff;

/// The largest upload taken (a phone's photo is 3–12 MB).
pub const MAX_BYTES: usize = 15 * 1024 * 1024;
/// The longest side of the display copy and of the thumbnail.
pub const DISPLAY_PX: u32 = 1600;
pub const THUMB_PX: u32 = 400;
const MAX_SIDE: u32 = 12_000;
const JPEG_QUALITY: u8 = 82;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    #[error("empty")]
    Empty,
    #[error("larger than {max} bytes")]
    TooLarge { max: usize },
    /// Not a JPEG, PNG or WebP by its first bytes (a script renamed `.jpg` lands here).
    #[error("not a JPEG, PNG or WebP image")]
    NotAnImage,
    /// It starts like an image but does not decode, or claims more pixels than allowed.
    #[error("the image cannot be read: {0}")]
    Unreadable(String),
}

/// A photo as kept: two JPEGs and the display copy's size.
#[derive(Clone, Debug)]
pub struct Processed {
    pub display: Vec<u8>,
    pub thumbnail: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Checks, decodes, turns upright and re-encodes an upload.
pub fn process(bytes: &[u8]) -> Result<Processed, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(MediaError::TooLarge { max: MAX_BYTES });
    }
    sniff(bytes).ok_or(MediaError::NotAnImage)?;
    let unreadable = |e: image::ImageError| MediaError::Unreadable(e.to_string());
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| MediaError::Unreadable(e.to_string()))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(600 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    image.apply_orientation(orientation);
    let display = image.thumbnail(DISPLAY_PX, DISPLAY_PX);
    let thumbnail = display.thumbnail(THUMB_PX, THUMB_PX);
    Ok(Processed {
        width: display.width(),
        height: display.height(),
        display: jpeg(&display)?,
        thumbnail: jpeg(&thumbnail)?,
    })
}

fn jpeg(image: &DynamicImage) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(&image.to_rgb8())
        .map_err(|e| MediaError::Unreadable(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG of `w`×`h` with an EXIF block carrying a GPS tag and orientation 6 (turn right).
    fn photo_with_gps(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        let mut plain = Vec::new();
        JpegEncoder::new_with_quality(&mut plain, 90).encode_image(&img).unwrap();
        // EXIF (APP1): little-endian TIFF, IFD0 with Orientation = 6 and a GPS IFD pointer to a latitude ref "N".
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
        tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
        tiff.extend_from_slice(&0u32.to_le_bytes());
        tiff.extend_from_slice(&1u16.to_le_bytes());
        tiff.extend_from_slice(&[0x01, 0, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
        tiff.extend_from_slice(&0u32.to_le_bytes());
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&plain[2..]);
        out
    }

    #[test]
    fn a_photo_is_kept_upright_small_and_without_its_metadata() {
        let upload = photo_with_gps(2400, 1200);
        assert!(upload.windows(4).any(|w| w == b"Exif"), "the upload carries EXIF");
        let p = process(&upload).unwrap();
        assert_eq!((p.width, p.height), (800, 1600), "turned by its orientation, then fitted to 1600 px");
        for kept in [&p.display, &p.thumbnail] {
            assert!(!kept.windows(4).any(|w| w == b"Exif"), "no EXIF, so no GPS, is kept");
            assert_eq!(sniff(kept), Some("image/jpeg"));
        }
        let thumb = image::load_from_memory(&p.thumbnail).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (200, 400));
    }

    #[test]
    fn what_is_not_an_image_is_refused_by_name() {
        assert_eq!(process(b"").unwrap_err(), MediaError::Empty);
        assert_eq!(process(b"<script>alert(1)</script>").unwrap_err(), MediaError::NotAnImage, "a script renamed .jpg");
        assert!(matches!(process(b"\xFF\xD8\xFF\xE0garbage").unwrap_err(), MediaError::Unreadable(_)));
        assert_eq!(process(&vec![0xFF; MAX_BYTES + 1]).unwrap_err(), MediaError::TooLarge { max: MAX_BYTES });
    }

    #[test]
    fn a_picture_claiming_too_many_pixels_is_refused_before_it_is_decoded() {
        // A valid PNG header claiming 60,000 × 60,000 pixels, and nothing else.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&60_000u32.to_be_bytes());
        png.extend_from_slice(&60_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        assert!(matches!(process(&png).unwrap_err(), MediaError::Unreadable(_)));
    }
}
