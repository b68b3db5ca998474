//! The ordered ring: runs work items on a thread pool and hands the results to a sink strictly
//! in input order, with a bounded reorder window. It knows no nblint types.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Runs `work(i)` for every `i` in `0..n`: [`ordered_iter`] over a range.
#[cfg(test)]
pub(crate) fn ordered<T: Send, E>(
    pool: &rayon::ThreadPool,
    n: usize,
    window: usize,
    work: impl Fn(usize) -> T + Sync,
    sink: impl FnMut(usize, T) -> Result<(), E>,
) -> Result<(), E> {
    ordered_iter(
        pool,
        &mut (0..n),
        window.clamp(1, n.max(1)),
        |i, _| work(i),
        sink,
    )
}

/// Runs `work(i, item)` for every item of `source` (the `i`-th) on the threads of `pool` and
/// hands the results to `sink` on the calling thread, in order of `i`, while the workers go
/// on.
///
/// A free worker takes the next item from `source` (under a lock, so items are numbered in
/// the source's order), so a slow item holds up no other thread, and the source is read only
/// as fast as the workers take from it: nothing is collected ahead. A result waits in a ring
/// of `window` slots until the sink has taken every earlier one; a worker that is a whole
/// window ahead of the sink waits (holding its item) before working on it, so at most
/// `window` results wait in the ring and one item per thread waits outside, plus the results
/// the sink is working through. When the sink fails, the workers stop after their current
/// item and the error is returned; when a worker (or the source) panics, the others stop and
/// the panic goes on at the end.
pub(crate) fn ordered_iter<I, T: Send, E>(
    pool: &rayon::ThreadPool,
    source: &mut I,
    window: usize,
    work: impl Fn(usize, I::Item) -> T + Sync,
    mut sink: impl FnMut(usize, T) -> Result<(), E>,
) -> Result<(), E>
where
    I: Iterator + Send,
    I::Item: Send,
{
    if pool.current_thread_index().is_some() {
        // Called from a thread of the pool itself: blocking it while waiting for the
        // others could leave nobody to work, so this caller works alone.
        for (i, item) in source.enumerate() {
            sink(i, work(i, item))?;
        }
        return Ok(());
    }
    let window = window.max(1);
    let shared = Ring {
        base: AtomicUsize::new(0),
        stopped: AtomicBool::new(false),
        state: Mutex::new(RingState {
            slots: (0..window).map(|_| None).collect(),
            filled: 0,
            done: 0,
            total: None,
            stop: false,
            sink_waiting: false,
            workers_waiting: 0,
        }),
        room: Condvar::new(),
        ready: Condvar::new(),
        window,
        batch: window.div_ceil(2),
    };
    let source = Mutex::new(Source {
        items: source,
        taken: 0,
        ended: false,
    });
    let (shared, source, work) = (&shared, &source, &work);
    pool.in_place_scope(|scope| {
        for _ in 0..pool.current_num_threads() {
            scope.spawn(move |_| shared.worker(source, work));
        }
        // Whatever way the sink ends (done, error, panic), the workers must not wait on.
        let _stop = StopOnDrop(shared);
        let mut batch = Vec::new();
        let mut base = 0;
        loop {
            {
                let mut st = shared.lock();
                while !shared.sink_can_go(&st, base) {
                    if st.total == Some(base) {
                        return Ok(());
                    }
                    if st.stop {
                        // A worker panicked; the scope re-raises its panic.
                        return Ok(());
                    }
                    st.sink_waiting = true;
                    st = shared
                        .ready
                        .wait(st)
                        .unwrap_or_else(PoisonError::into_inner);
                    st.sink_waiting = false;
                }
                while let Some(t) = st.slots[base % window].take() {
                    batch.push((base, t));
                    base += 1;
                }
                st.filled -= batch.len();
                shared.base.store(base, Ordering::Release);
                if st.workers_waiting > 0 {
                    shared.room.notify_all();
                }
            }
            for (i, t) in batch.drain(..) {
                sink(i, t)?;
            }
        }
    })
}

/// The items of [`ordered_iter`], taken under a lock.
pub(super) struct Source<'s, I> {
    pub(super) items: &'s mut I,
    /// Items taken so far.
    pub(super) taken: usize,
    pub(super) ended: bool,
}

/// The shared state of [`ordered_iter`].
pub(super) struct Ring<T> {
    /// The next index the sink takes (a copy of what the lock guards, read without it).
    pub(super) base: AtomicUsize,
    /// A copy of `RingState::stop`, read before taking an item.
    pub(super) stopped: AtomicBool,
    pub(super) state: Mutex<RingState<T>>,
    /// Signalled when the sink has made room.
    pub(super) room: Condvar,
    /// Signalled when the result the sink waits for is in, or the last one is.
    pub(super) ready: Condvar,
    pub(super) window: usize,
    /// Results the sink is woken for at once (fewer at the end): waking it for every file
    /// costs more system time than writing the file.
    pub(super) batch: usize,
}

pub(super) struct RingState<T> {
    /// The result for index `i` waits in `slots[i % window]`.
    pub(super) slots: Vec<Option<T>>,
    /// Results in `slots`.
    pub(super) filled: usize,
    /// Results made so far.
    pub(super) done: usize,
    /// The number of items, once the source has ended.
    pub(super) total: Option<usize>,
    /// Set when the run ends early (the sink failed, or a thread panicked).
    pub(super) stop: bool,
    pub(super) sink_waiting: bool,
    pub(super) workers_waiting: usize,
}

impl<T> Ring<T> {
    pub(super) fn lock(&self) -> MutexGuard<'_, RingState<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the sink has enough to do: the result it waits for, and a batch of results
    /// or the last ones. The workers wake it exactly when this becomes true.
    pub(super) fn sink_can_go(&self, st: &RingState<T>, base: usize) -> bool {
        st.slots[base % self.window].is_some()
            && (st.filled >= self.batch || st.total == Some(st.done))
    }

    pub(super) fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
        self.lock().stop = true;
        self.room.notify_all();
        self.ready.notify_all();
    }

    pub(super) fn worker<I: Iterator>(
        &self,
        source: &Mutex<Source<'_, I>>,
        work: &(impl Fn(usize, I::Item) -> T + Sync),
    ) {
        let _guard = StopOnPanic(self);
        loop {
            let (i, item) = {
                let mut src = source.lock().unwrap_or_else(PoisonError::into_inner);
                if src.ended || self.stopped.load(Ordering::Acquire) {
                    return;
                }
                match src.items.next() {
                    Some(item) => {
                        src.taken += 1;
                        (src.taken - 1, item)
                    }
                    None => {
                        src.ended = true;
                        let total = src.taken;
                        drop(src);
                        self.lock().total = Some(total);
                        // The sink may be waiting for the last results, which are all in.
                        self.ready.notify_all();
                        return;
                    }
                }
            };
            // `base` only grows, so a stale value errs on the side of waiting.
            if i >= self.base.load(Ordering::Acquire) + self.window {
                let mut st = self.lock();
                while i >= self.base.load(Ordering::Acquire) + self.window && !st.stop {
                    st.workers_waiting += 1;
                    st = self.room.wait(st).unwrap_or_else(PoisonError::into_inner);
                    st.workers_waiting -= 1;
                }
                if st.stop {
                    return;
                }
            }
            let t = work(i, item);
            let mut st = self.lock();
            if st.stop {
                return;
            }
            st.slots[i % self.window] = Some(t);
            st.filled += 1;
            st.done += 1;
            if st.sink_waiting && self.sink_can_go(&st, self.base.load(Ordering::Acquire)) {
                self.ready.notify_one();
            }
        }
    }
}

/// Stops the ring when dropped (the sink's side: however it ends).
pub(super) struct StopOnDrop<'a, T>(&'a Ring<T>);

impl<T> Drop for StopOnDrop<'_, T> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Stops the ring when a worker panics, so that nobody waits for its result.
pub(super) struct StopOnPanic<'a, T>(&'a Ring<T>);

impl<T> Drop for StopOnPanic<'_, T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}
