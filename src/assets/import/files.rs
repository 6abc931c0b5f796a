//! Input types, and the checks of contents per input type: URL vs local path, allowed file
//! extensions, MIME types of local files, and whether a local image needs the asynchronous
//! (tiled) path. Pure functions apart from reading file metadata and image headers.

use crate::error::{Error, Result};
use std::path::Path;

/// A project's input type, as far as imports are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputType {
    /// `AUDIO`: URLs or local audio files.
    Audio,
    /// `PDF`: URLs or local PDF files.
    Pdf,
    /// `IMAGE`: URLs, local images (large/TIFF ones asynchronously), multi-layer images.
    Image,
    /// `GEOSPATIAL`: URLs, local GeoTIFF/JP2/NITF (asynchronously), multi-layer.
    Geospatial,
    /// `TEXT`: raw text, URLs, local `.txt` files, rich text (`json_content`).
    Text,
    /// `VIDEO`: URLs or local videos (asynchronously), or frames (`json_content`).
    Video,
    /// `VIDEO_LEGACY`: like `VIDEO`, without extension checks.
    VideoLegacy,
    /// `LLM_RLHF`: conversation dicts, chats, local JSON files, URLs.
    LlmRlhf,
}

impl InputType {
    /// Parses the server's `inputType`; other types have no importer (like the reference).
    pub fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "AUDIO" => InputType::Audio,
            "PDF" => InputType::Pdf,
            "IMAGE" => InputType::Image,
            "GEOSPATIAL" => InputType::Geospatial,
            "TEXT" => InputType::Text,
            "VIDEO" => InputType::Video,
            "VIDEO_LEGACY" => InputType::VideoLegacy,
            "LLM_RLHF" => InputType::LlmRlhf,
            other => {
                return Err(Error::invalid_arg(
                    "project_id",
                    format!("There is no importer for the input type: {other}"),
                ))
            }
        })
    }

    /// The server's name of the type.
    pub fn name(self) -> &'static str {
        match self {
            InputType::Audio => "AUDIO",
            InputType::Pdf => "PDF",
            InputType::Image => "IMAGE",
            InputType::Geospatial => "GEOSPATIAL",
            InputType::Text => "TEXT",
            InputType::Video => "VIDEO",
            InputType::VideoLegacy => "VIDEO_LEGACY",
            InputType::LlmRlhf => "LLM_RLHF",
        }
    }

    /// Allowed file extensions (lower case, with the dot); `None` = no check.
    pub fn allowed_extensions(self) -> Option<&'static [&'static str]> {
        Some(match self {
            InputType::Audio => &[".flac", ".mp3", ".mp4", ".wav"],
            InputType::Geospatial => &[".jp2", ".nitf", ".ntf", ".r0", ".tif", ".tiff"],
            InputType::Image => &[
                ".bmp", ".gif", ".ico", ".jp2", ".jpeg", ".jpg", ".nitf", ".ntf", ".png", ".tif",
                ".tiff", ".webp",
            ],
            InputType::LlmRlhf => &[".json"],
            InputType::Pdf => &[".pdf"],
            InputType::Text => &[".csv", ".txt"],
            InputType::Video => &[".3gp", ".avi", ".m4v", ".mkv", ".mov", ".mp4", ".webm"],
            InputType::VideoLegacy => return None,
        })
    }

    /// MIME types accepted for local files (the reference's `MIME_EXTENSIONS_FOR_IV2`, with the
    /// aliases some platforms report); `None` for PDF, which the reference does not MIME-check.
    pub fn allowed_mime(self) -> &'static [&'static str] {
        match self {
            InputType::Audio => &[
                "audio/x-flac",
                "audio/flac",
                "audio/mpeg",
                "video/mp4",
                "audio/mp4",
                "audio/wav",
                "audio/x-wav",
                "audio/vnd.wave",
            ],
            InputType::Image => &[
                "application/vnd.nitf",
                "image/jp2",
                "image/jpeg",
                "image/png",
                "image/bmp",
                "image/gif",
                "image/webp",
                "image/x-icon",
                "image/tiff",
                "image/vnd.microsoft.icon",
                "image/svg+xml",
                "image/avif",
                "image/apng",
            ],
            InputType::Geospatial => &["application/vnd.nitf", "image/jp2", "image/tiff"],
            InputType::Pdf => &["application/pdf"],
            InputType::Text => &["text/plain"],
            InputType::Video => &[
                "video/mp4",
                "video/x-matroska",
                "video/3gpp",
                "video/x-msvideo",
                "video/x-m4v",
                "video/quicktime",
                "video/webm",
            ],
            InputType::LlmRlhf => &["application/json"],
            InputType::VideoLegacy => &[],
        }
    }
}

/// True for `http://` / `https://` URLs (case-insensitive), the reference's "hosted" test.
pub fn is_url(s: &str) -> bool {
    let l = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

/// The lower-cased extension (with the dot) of a URL's path or of a local path, if any.
pub fn extension(s: &str) -> Option<String> {
    let path = if is_url(s) {
        let rest = &s[s.find("://").map_or(0, |i| i + 3)..];
        let rest = rest.split(['?', '#']).next().unwrap_or("");
        rest.find('/').map_or("", |i| &rest[i..]).to_string()
    } else {
        s.to_string()
    };
    let name = path.rsplit(['/', '\\']).next().unwrap_or("");
    let dot = name.rfind('.')?;
    if dot == 0 || dot + 1 == name.len() {
        return None;
    }
    Some(name[dot..].to_ascii_lowercase())
}

/// Checks the extension of `content` for `ty` (URLs without a suffix pass).
pub fn check_extension(ty: InputType, content: &str, external_id: Option<&str>) -> Result<()> {
    let (Some(allowed), Some(ext)) = (ty.allowed_extensions(), extension(content)) else {
        return Ok(());
    };
    if allowed.contains(&ext.as_str()) {
        return Ok(());
    }
    Err(Error::invalid_arg(
        "content_array",
        format!(
            "File extension '{ext}' is not allowed for {} projects (asset external_id='{}'). Allowed extensions: {}",
            ty.name(),
            external_id.unwrap_or("unknown"),
            allowed.join(", ")
        ),
    ))
}

/// The MIME type of a local path, from its extension.
pub fn mime_of(path: &str) -> Option<String> {
    match extension(path).as_deref() {
        Some(".jp2") => return Some("image/jp2".into()),
        Some(".ntf") | Some(".nitf") | Some(".r0") => return Some("application/vnd.nitf".into()),
        Some(".json") => return Some("application/json".into()),
        Some(".txt") => return Some("text/plain".into()),
        _ => {}
    }
    mime_guess::from_path(path.to_ascii_lowercase())
        .first()
        .map(|m| m.essence_str().to_string())
}

/// Checks that `path` is an existing file whose MIME type suits `ty`; returns that MIME type.
/// `arg` names the argument (`content_array[3]`).
pub fn check_local_file(ty: InputType, path: &str, arg: &str) -> Result<String> {
    if !Path::new(path).is_file() {
        return Err(Error::invalid_arg(
            arg,
            format!("file {path} does not exist"),
        ));
    }
    let mime = mime_of(path).ok_or_else(|| {
        Error::invalid_arg(
            arg,
            format!("The mime type of the asset {path} has not been found"),
        )
    })?;
    if ty == InputType::Pdf {
        return Ok(mime);
    }
    if !ty.allowed_mime().contains(&mime.as_str()) {
        return Err(Error::invalid_arg(
            arg,
            format!(
                "File mime type for {path} is {mime} and does not correspond to the type of the project. File mime type should be one of {}",
                ty.allowed_mime().join(",")
            ),
        ));
    }
    Ok(mime)
}

/// Size beyond which a local image goes through the asynchronous (tiled) import.
pub const LARGE_IMAGE_BYTES: u64 = 30 * 1024 * 1024;
/// Side length beyond which a local image goes through the asynchronous import.
pub const LARGE_IMAGE_SIDE: usize = 10_000;

/// Whether a local image must be imported asynchronously: TIFF/JP2/NITF, 30 MiB or more, a
/// side of 10,000 px or more, or a header whose dimensions cannot be read.
pub fn image_needs_async(path: &str, mime: &str) -> bool {
    if ["application/vnd.nitf", "image/jp2", "image/tiff"].contains(&mime) {
        return true;
    }
    match std::fs::metadata(path) {
        Ok(m) if m.len() >= LARGE_IMAGE_BYTES => return true,
        Err(_) => return true,
        _ => {}
    }
    match imagesize::size(path) {
        Ok(d) => d.width >= LARGE_IMAGE_SIDE || d.height >= LARGE_IMAGE_SIDE,
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_extensions() {
        assert!(is_url("HTTPS://x/a.png") && is_url("http://x") && !is_url("/tmp/http://x"));
        assert_eq!(
            extension("https://h.com/a/b.PNG?sig=1.2#x"),
            Some(".png".into())
        );
        assert_eq!(extension("https://h.com/a/b"), None);
        assert_eq!(extension("https://h.com"), None);
        assert_eq!(extension("/tmp/dir.d/file"), None);
        assert_eq!(extension("/tmp/x.tar.gz"), Some(".gz".into()));
        assert_eq!(extension(".hidden"), None);
    }

    #[test]
    fn extension_check_names_the_asset() {
        check_extension(InputType::Image, "https://x/a.jpg", None).unwrap();
        check_extension(InputType::Image, "https://x/noext", None).unwrap();
        check_extension(InputType::VideoLegacy, "https://x/a.exe", None).unwrap();
        let e = check_extension(InputType::Pdf, "https://x/a.png", Some("ext1"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("'.png' is not allowed for PDF projects (asset external_id='ext1')"),
            "{e}"
        );
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_of("a.PNG").as_deref(), Some("image/png"));
        assert_eq!(mime_of("a.jp2").as_deref(), Some("image/jp2"));
        assert_eq!(mime_of("a.ntf").as_deref(), Some("application/vnd.nitf"));
        assert_eq!(mime_of("a.tif").as_deref(), Some("image/tiff"));
        assert_eq!(mime_of("a.mp4").as_deref(), Some("video/mp4"));
        assert_eq!(mime_of("a.pdf").as_deref(), Some("application/pdf"));
        assert_eq!(mime_of("a.json").as_deref(), Some("application/json"));
    }

    #[test]
    fn local_file_checks() {
        let dir =
            std::env::temp_dir().join(format!("kili-files-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let csv = dir.join("a.csv");
        std::fs::write(&csv, "x").unwrap();
        let txt = dir.join("a.txt");
        std::fs::write(&txt, "x").unwrap();
        let e = check_local_file(InputType::Text, csv.to_str().unwrap(), "content_array[0]")
            .unwrap_err();
        assert!(e.to_string().contains("does not correspond"), "{e}");
        assert_eq!(
            check_local_file(InputType::Text, txt.to_str().unwrap(), "c").unwrap(),
            "text/plain"
        );
        let e = check_local_file(InputType::Text, "/nonexistent/a.txt", "content_array[2]")
            .unwrap_err();
        assert_eq!(e.details()["path"], "content_array[2]");
        // A TIFF always goes async; an unreadable PNG header too.
        assert!(image_needs_async(txt.to_str().unwrap(), "image/tiff"));
        assert!(image_needs_async(txt.to_str().unwrap(), "image/png"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unsupported_input_type() {
        assert!(InputType::parse("TIME_SERIES")
            .unwrap_err()
            .to_string()
            .contains("no importer"));
        assert_eq!(
            InputType::parse("GEOSPATIAL").unwrap(),
            InputType::Geospatial
        );
    }
}
