//! Turns native stack exhaustion into a normal error. jrsonnet bounds Jsonnet call depth
//! (`--max-stack`), but some non-terminating programs recurse through paths that do not
//! count as calls; without this the process would die with SIGSEGV/SIGABRT.

/// Installs a SIGSEGV/SIGBUS handler (run on the thread's alternate signal stack, which
/// Rust sets up for every thread) that prints a runtime error and exits with code 1.
pub fn install_handler() {
    extern "C" fn on_fault(_: libc::c_int) {
        const MSG: &[u8] =
            b"RUNTIME ERROR: max stack frames exceeded (native stack exhausted: the program recurses without end)\n";
        // SAFETY: write(2) and _exit(2) are async-signal-safe.
        unsafe {
            libc::write(2, MSG.as_ptr().cast(), MSG.len());
            libc::_exit(1);
        }
    }
    // SAFETY: a zeroed sigaction is a valid initial value; the handler only calls
    // async-signal-safe functions.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_fault as extern "C" fn(libc::c_int) as libc::sighandler_t;
        action.sa_flags = libc::SA_ONSTACK;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGSEGV, &action, std::ptr::null_mut());
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}
