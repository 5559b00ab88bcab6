//! Folding fixed chunks of component slices into sums, on rayon's threads with the `parallel`
//! feature. Callers merge exactly (fixed-point or integer sums), so the result does not depend on
//! how the chunks are split between threads.

/// Folds every item into an accumulator and merges the accumulators: on rayon's threads with the
/// `parallel` feature and `wide` (large worlds: for small ones waking threads costs more than it
/// saves), into one accumulator in order otherwise.
#[cfg(feature = "parallel")]
pub(crate) fn fold_chunks<T: Send, R: Send>(
    wide: bool,
    items: &mut [T],
    init: impl Fn() -> R + Sync + Send,
    fold: impl Fn(&mut R, &mut T) + Sync + Send,
    merge: impl Fn(R, R) -> R + Sync + Send,
) -> R {
    use rayon::prelude::*;
    if !wide || items.len() <= 1 {
        return fold_in_order(items, init, fold);
    }
    items
        .par_iter_mut()
        .fold(&init, |mut r, x| {
            fold(&mut r, x);
            r
        })
        .reduce(&init, merge)
}

/// Folds every item into one accumulator, in order (there is no `parallel` feature).
#[cfg(not(feature = "parallel"))]
pub(crate) fn fold_chunks<T, R>(
    _wide: bool,
    items: &mut [T],
    init: impl Fn() -> R,
    fold: impl Fn(&mut R, &mut T),
    _merge: impl Fn(R, R) -> R,
) -> R {
    fold_in_order(items, init, fold)
}

fn fold_in_order<T, R>(items: &mut [T], init: impl Fn() -> R, fold: impl Fn(&mut R, &mut T)) -> R {
    let mut r = init();
    for x in items {
        fold(&mut r, x);
    }
    r
}
