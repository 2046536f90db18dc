//! The `fupan` command: parses arguments, calls the library, maps outcomes to exit codes
//! (0 all well, 1 a quality bar or search found nothing, 2 something failed).

mod cli;

use std::process::ExitCode;

/// mimalloc: the pipeline allocates many small vectors and strings per article, and the system
/// allocator showed up at about a tenth of the profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: its place in the C enum `mi_option_e`, which the sys
/// crate does not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Has mimalloc keep the memory it frees for reuse instead of returning it to the system a
/// second later. tantivy drops its indexing buffers (hundreds of MB) every time it writes a
/// segment and allocates them again for the next one; returned, each of those pages faults and
/// is zeroed again: `fupan index` of the 100 MB archive spent 1.8 s of system time on it and ran
/// 6–9% slower. Peak memory rises by about 100 MB and still does not grow with the archive.
/// `fupan extract` does the same on a smaller scale with every batch of articles (the
/// segmenter's buffers, the documents): on the 100 MB archive mimalloc returned 140–300 MB that
/// the kernel then zeroed again; kept, the run's system time falls by about 0.6 s (with
/// [`no_huge_pages`]) and its peak memory does not rise. The environment's
/// `MIMALLOC_PURGE_DELAY`, when set, wins.
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: runs before any other thread exists; the option is a plain integer that
        // mimalloc reads when it decides whether to purge.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
    }
}

/// Turns transparent huge pages off for this process. mimalloc advises the kernel to back its
/// arenas with 2 MB pages (`MADV_HUGEPAGE`), so the first touch of each fresh 2 MB of heap
/// zeroes all of it in the page fault, and memory mimalloc returns to the system is faulted in
/// and zeroed again later. For `fupan serve` under 8 concurrent clients this was a third of the
/// server's CPU time (`clear_page_erms` under `do_huge_pmd_anonymous_page`) and set the tail:
/// stock page p99 200–450 ms, slowest request up to a second, against 60–70 ms with 4 KB pages.
/// A page is a few hundred KB of short-lived allocations; it has nothing to gain from huge pages.
/// `fupan extract` of the 100 MB archive likewise: with 4 KB pages its peak memory fell from
/// 220–245 MB to 155–172 MB and its system time from 0.76 to 0.25 s, its CPU time the same
/// within the machine's noise. `index` of the same archive: system time 4.0–4.3 s down to
/// 0.6–0.7 s, CPU time down by about 1.5 s.
/// The kernel checks the flag at every fault, so arenas mimalloc reserved before `main` follow
/// it too. Where the call fails (old kernels, other systems) the process runs as before.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and sets a flag of this process only.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    let args = cli::parse();
    if args.keeps_freed_memory() {
        keep_freed_memory();
    }
    if args.avoids_huge_pages() {
        no_huge_pages();
    }
    match cli::run(args) {
        Ok(code) => code,
        // `fupan … | head`: the reader has all it wants; nothing went wrong
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fupan: {}", fupan::error::chain_text(e.chain()));
            ExitCode::from(2)
        }
    }
}

/// True when the error (or any cause of it) is a write to a pipe whose reader has gone. Every
/// command lets its output errors rise to here, so this is the one place that ends quietly.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option number is right: it reads mimalloc's documented default purge delay of v3
    /// (1000 ms), or what the environment set, and what `keep_freed_memory` writes.
    #[test]
    fn purge_delay_option_is_the_one_mimalloc_reads() {
        // SAFETY: reading and writing a plain integer option.
        let before = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        match std::env::var("MIMALLOC_PURGE_DELAY") {
            Ok(v) => assert_eq!(before.to_string(), v),
            Err(_) => {
                assert_eq!(before, 1000);
                keep_freed_memory();
                let after = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
                assert_eq!(after, -1);
                unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, before) }
            }
        }
    }
}
