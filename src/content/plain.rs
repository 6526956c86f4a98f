//! Plain files only. Every department's folder is untrusted input, so nothing under `content/`
//! or `themes/` is read through a symbolic link, and nothing that is not a regular file (a FIFO
//! would block the build; a device or a `/proc` file would read the machine) is read at all.
//!
//! This module owns that one rule: [`kind_problem`] for what a folder walk meets, [`read`] for
//! every read of a content or theme file — the loader's, the lints', and the lines the CLI
//! quotes under a diagnostic (quoting a link's target would print it to the terminal).

use std::fs::FileType;
use std::io::Read as _;
use std::path::Path;

use rustix::fs::{Mode, OFlags};

use crate::diagnostics::Problem;

/// What is wrong with a walked entry of this type, if anything: a link or a special file.
pub(crate) fn kind_problem(kind: FileType) -> Option<Problem> {
    if kind.is_symlink() {
        Some(Problem::SymbolicLink)
    } else if kind.is_file() || kind.is_dir() {
        None
    } else {
        Some(Problem::SpecialFile)
    }
}

/// The bytes of the regular file at `path`, refusing a symbolic link in its last component and
/// anything that is not a regular file. The file is opened without following a link and
/// without blocking (a FIFO opens at once), then checked, so no race lets a swapped-in link
/// through.
pub fn read(path: &Path) -> Result<Vec<u8>, Problem> {
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = rustix::fs::open(path, flags, Mode::empty()).map_err(|errno| {
        if errno == rustix::io::Errno::LOOP {
            Problem::SymbolicLink
        } else {
            Problem::Io(errno.into())
        }
    })?;
    let mut file = std::fs::File::from(fd);
    if !file.metadata()?.is_file() {
        return Err(Problem::SpecialFile);
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "nội dung").unwrap();
        assert_eq!(read(&path).unwrap(), "nội dung".as_bytes());
    }

    #[test]
    fn a_link_is_refused_without_reading_its_target() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("secret"), "BI-MAT").unwrap();
        let link = dir.path().join("a.md");
        std::os::unix::fs::symlink(dir.path().join("secret"), &link).unwrap();
        assert!(matches!(read(&link), Err(Problem::SymbolicLink)));
    }

    #[test]
    fn a_fifo_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("a.md");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        assert!(matches!(read(&fifo), Err(Problem::SpecialFile)));
    }

    #[test]
    fn a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read(dir.path()), Err(Problem::SpecialFile)));
    }
}
