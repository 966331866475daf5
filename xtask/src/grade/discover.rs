//! Finding submissions where they are (see [`file_name`] for ids in paths).

/// `id` as a file name: kept when it is letters, digits, `-`, `_` and `.`
/// only; otherwise those characters with the rest replaced by `_` and a
/// short digest of the id appended, so two ids never share a folder
/// (`kim lee@uni.edu` → `kim_lee_uni.edu-1a2b3c4d`).
pub fn file_name(id: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
    if !id.is_empty() && !id.starts_with('.') && id.chars().all(safe) {
        return id.to_string();
    }
    let kept: String = id.chars().map(|c| if safe(c) { c } else { '_' }).collect();
    let kept = kept.trim_start_matches('.');
    let digest = labkit::digest::sha256_hex(id.as_bytes());
    format!("{kept}-{}", &digest[..8])
}
