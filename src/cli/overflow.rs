//! Turns native stack exhaustion into a normal error. jrsonnet bounds Jsonnet call depth
//! (`--max-stack`), but some non-terminating programs recurse through paths that do not
//! count as calls; without this the process would die with SIGSEGV/SIGABRT.
//!
//! Only a fault next to the faulting thread's stack pointer is a stack overflow (the
//! guard page below the stack is touched by the frame being pushed). Any other fault —
//! a real memory error, or a SIGSEGV/SIGBUS sent by another process — is reported as
//! what it is, and the signal is raised again with its default action, so the process
//! ends as a crash (and can dump core) instead of pretending to be a Jsonnet error.

/// How far from the stack pointer a fault still counts as touching the stack guard: a
/// frame's stack probes touch one page at a time, so the fault is within a page or two;
/// this leaves room for large frames.
const STACK_FAULT_REACH: usize = 1 << 20;

/// The stack pointer of the interrupted context, where the platform lets us read it.
///
/// # Safety
/// `context` must be the `ucontext_t` the kernel passed to an `SA_SIGINFO` handler.
unsafe fn interrupted_sp(context: *mut libc::c_void) -> Option<usize> {
    let uc = context.cast::<libc::ucontext_t>();
    if uc.is_null() {
        return None;
    }
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    {
        // SAFETY: the caller passes the kernel's ucontext.
        Some(unsafe { (*uc).uc_mcontext.gregs[libc::REG_RSP as usize] } as usize)
    }
    #[cfg(all(target_os = "linux", target_arch = "aarch64"))]
    {
        // SAFETY: the caller passes the kernel's ucontext.
        Some(unsafe { (*uc).uc_mcontext.sp } as usize)
    }
    #[cfg(not(all(
        target_os = "linux",
        any(target_arch = "x86_64", target_arch = "aarch64")
    )))]
    {
        None
    }
}

/// Installs a SIGSEGV/SIGBUS handler (run on the thread's alternate signal stack, which
/// Rust sets up for every thread): a stack overflow prints a runtime error and exits
/// with code 1; any other fault is reported and re-raised (see the module header).
pub fn install_handler() {
    extern "C" fn on_fault(
        signal: libc::c_int,
        info: *mut libc::siginfo_t,
        context: *mut libc::c_void,
    ) {
        const OVERFLOW: &[u8] =
            b"RUNTIME ERROR: max stack frames exceeded (native stack exhausted: the program recurses without end)\n";
        const FAULT: &[u8] = b"ERROR: internal error: memory fault (not a stack overflow)\n";
        const SENT: &[u8] = b"ERROR: killed by a SIGSEGV/SIGBUS another process sent\n";
        // SAFETY: the kernel passes a valid siginfo and ucontext to an SA_SIGINFO
        // handler; reading them, write(2), sigaction(2), raise(3) and _exit(2) are
        // async-signal-safe.
        unsafe {
            let sent = (*info).si_code <= 0;
            let addr = (*info).si_addr() as usize;
            let near_sp =
                interrupted_sp(context).is_none_or(|sp| addr.abs_diff(sp) <= STACK_FAULT_REACH);
            if !sent && near_sp {
                libc::write(2, OVERFLOW.as_ptr().cast(), OVERFLOW.len());
                libc::_exit(1);
            }
            let msg = if sent { SENT } else { FAULT };
            libc::write(2, msg.as_ptr().cast(), msg.len());
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
            // A fault re-raised from inside its handler is delivered on return;
            // a sent signal was delivered by raise above.
        }
    }
    // SAFETY: a zeroed sigaction is a valid initial value; the handler only calls
    // async-signal-safe functions.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_fault
            as extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void)
            as libc::sighandler_t;
        action.sa_flags = libc::SA_ONSTACK | libc::SA_SIGINFO;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGSEGV, &action, std::ptr::null_mut());
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}
