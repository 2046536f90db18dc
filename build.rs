//! Records the git commit the binary is built from and the date of the last change to `dict/`,
//! for `fupan --version`. Outside a git checkout (a source archive) both are "unknown".

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

fn main() {
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let dict_date =
        git(&["log", "-1", "--format=%cs", "--", "dict"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=FUPAN_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=FUPAN_DICT_DATE={dict_date}");
    println!("cargo:rerun-if-changed=dict");
    println!("cargo:rerun-if-changed=build.rs");
    // a new commit moves HEAD or the branch it points to
    for dir in [
        git(&["rev-parse", "--git-dir"]),
        git(&["rev-parse", "--git-common-dir"]),
    ]
    .into_iter()
    .flatten()
    {
        for name in ["HEAD", "packed-refs", "refs/heads"] {
            let path = Path::new(&dir).join(name);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}
