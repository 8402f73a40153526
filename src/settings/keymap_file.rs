//! Which keymap file applies (`$STS3_KEYMAP`, else `keymap.toml` in the config directory) and
//! reading it; the keymap itself is parsed and merged in [`crate::keymap`].

use super::read::{ReadFailure, read_small};
use super::{SetupError, project_dirs};
use crate::keymap::Keymap;
use std::path::PathBuf;

/// The built-in keymap with the user's file merged over it. A file named by `$STS3_KEYMAP`
/// must exist; the config directory's `keymap.toml` may be missing.
pub fn load_keymap() -> Result<Keymap, SetupError> {
    let named = std::env::var_os("STS3_KEYMAP").filter(|p| !p.is_empty());
    let must_exist = named.is_some();
    let path = named
        .map(PathBuf::from)
        .or_else(|| project_dirs().map(|d| d.config_dir().join("keymap.toml")));
    let Some(path) = path else {
        return Ok(Keymap::default());
    };
    match read_small(&path, super::SETTINGS_FILE_MAX, "a TOML file") {
        Ok(text) => Ok(Keymap::load(Some((&path.display().to_string(), &text)))?),
        Err(ReadFailure::Missing(_)) if !must_exist => Ok(Keymap::default()),
        Err(e) => Err(SetupError::KeymapRead {
            path: path.display().to_string(),
            reason: e.reason(),
        }),
    }
}
