//! Sets of programs, by their index in the book.

use super::load::MAX_PROGRAMS;
use std::ops::{BitAnd, BitAndAssign, BitOr, BitOrAssign, Sub, SubAssign};

/// A set of programs, each named by its index in the program book (`0..MAX_PROGRAMS`; validation
/// refuses a book with more programs, naming the limit). Held as one bit per program, so the
/// response and settlement steps test and combine sets without allocating.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ProgramSet(u16);

impl ProgramSet {
    /// No program.
    pub const EMPTY: Self = Self(0);

    /// The set of one program (empty for an index past the limit).
    #[inline]
    pub fn of(p: usize) -> Self {
        Self(if p < MAX_PROGRAMS { 1 << p } else { 0 })
    }

    /// Whether program `p` is in the set.
    #[inline]
    pub fn contains(self, p: usize) -> bool {
        !(self & Self::of(p)).is_empty()
    }

    /// Adds program `p`.
    #[inline]
    pub fn insert(&mut self, p: usize) {
        *self |= Self::of(p);
    }

    /// Removes program `p`.
    #[inline]
    pub fn remove(&mut self, p: usize) {
        *self -= Self::of(p);
    }

    /// Whether no program is in the set.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether the two sets share a program.
    #[inline]
    pub fn intersects(self, other: Self) -> bool {
        !(self & other).is_empty()
    }

    /// Number of programs in the set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The programs in the set, in book order.
    #[inline]
    pub fn iter(self) -> impl Iterator<Item = usize> {
        let mut rest = self.0;
        std::iter::from_fn(move || {
            (rest != 0).then(|| {
                let p = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                p
            })
        })
    }
}

impl FromIterator<usize> for ProgramSet {
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> Self {
        iter.into_iter().map(Self::of).fold(Self::EMPTY, |a, b| a | b)
    }
}

impl BitOr for ProgramSet {
    type Output = Self;
    #[inline]
    fn bitor(self, o: Self) -> Self {
        Self(self.0 | o.0)
    }
}

impl BitAnd for ProgramSet {
    type Output = Self;
    #[inline]
    fn bitand(self, o: Self) -> Self {
        Self(self.0 & o.0)
    }
}

/// The programs of `self` that are not in `o`.
impl Sub for ProgramSet {
    type Output = Self;
    #[inline]
    fn sub(self, o: Self) -> Self {
        Self(self.0 & !o.0)
    }
}

impl BitOrAssign for ProgramSet {
    #[inline]
    fn bitor_assign(&mut self, o: Self) {
        self.0 |= o.0;
    }
}

impl BitAndAssign for ProgramSet {
    #[inline]
    fn bitand_assign(&mut self, o: Self) {
        self.0 &= o.0;
    }
}

impl SubAssign for ProgramSet {
    #[inline]
    fn sub_assign(&mut self, o: Self) {
        self.0 &= !o.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_holds_what_was_inserted_and_iterates_in_book_order() {
        let mut s = ProgramSet::EMPTY;
        assert!(s.is_empty());
        for p in [9, 0, 15, 3] {
            s.insert(p);
        }
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![0, 3, 9, 15]);
        assert!(s.contains(9) && !s.contains(4));
        s.remove(9);
        assert_eq!(s.len(), 3);
        assert!(!s.contains(9));
        // An index past the limit is never a member.
        s.insert(MAX_PROGRAMS);
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn set_algebra_is_union_intersection_and_difference() {
        let a: ProgramSet = [1, 2, 3].into_iter().collect();
        let b: ProgramSet = [3, 4].into_iter().collect();
        assert_eq!((a | b).iter().collect::<Vec<_>>(), vec![1, 2, 3, 4]);
        assert_eq!((a & b).iter().collect::<Vec<_>>(), vec![3]);
        assert_eq!((a - b).iter().collect::<Vec<_>>(), vec![1, 2]);
        assert!(a.intersects(b) && !(a - b).intersects(b));
    }
}
