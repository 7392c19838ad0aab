//! A centre's places: a total, and for a centre with age bands the places of each band's own classes and the
//! places of mixed classes (영아혼합반, 유아혼합반) that several bands share. Which sets of children fit is a
//! transversal matroid truncated at the total, so taking the best children greedily gives the centre's choice,
//! and that choice keeps deferred acceptance stable and strategy-proof.

/// The band of a child without one, and the one band of a centre without bands.
pub(crate) const NO_BAND: u32 = u32::MAX;

#[derive(Clone, Debug)]
pub(crate) struct Places {
    pub total: usize,
    /// The bands the centre takes, each a slot of [`Held`](crate::rounds) counts.
    bands: Vec<Band>,
    /// Places of each mixed class, shared by the bands that point to it.
    pools: Vec<usize>,
}

#[derive(Clone, Debug)]
struct Band {
    id: u32,
    own: usize,
    pool: Option<usize>,
}

impl Places {
    /// A centre without bands: any child, up to the total.
    pub fn any_child(total: usize) -> Places {
        Places { total, bands: vec![Band { id: NO_BAND, own: usize::MAX, pool: None }], pools: Vec::new() }
    }

    /// A centre with bands: `own` places per band, `mixed` classes as (bands, places).
    pub fn banded(total: usize, own: &[(u32, usize)], mixed: &[(Vec<u32>, usize)]) -> Places {
        let mut bands: Vec<Band> = own.iter().map(|&(id, own)| Band { id, own, pool: None }).collect();
        for (pool, (ids, _)) in mixed.iter().enumerate() {
            for &id in ids {
                match bands.iter_mut().find(|b| b.id == id) {
                    Some(band) => band.pool = Some(pool),
                    None => bands.push(Band { id, own: 0, pool: Some(pool) }),
                }
            }
        }
        Places { total, bands, pools: mixed.iter().map(|(_, n)| *n).collect() }
    }

    pub fn slots(&self) -> usize {
        self.bands.len()
    }

    /// The slot a child of `band` takes here; `None` when the centre has no class for it.
    pub fn slot(&self, band: u32) -> Option<usize> {
        match self.bands.as_slice() {
            [only] if only.id == NO_BAND => Some(0),
            bands => bands.iter().position(|b| b.id == band),
        }
    }

    /// The most children of a slot the centre could take, were no other band placed.
    pub fn most(&self, slot: usize) -> usize {
        let band = &self.bands[slot];
        let pooled = band.pool.map_or(0, |p| self.pools[p]);
        band.own.saturating_add(pooled).min(self.total)
    }

    /// Whether children counted per slot fit: the total, each band's own classes, and each mixed class taking
    /// what overflows its bands' own classes.
    pub fn fits(&self, counts: &[usize]) -> bool {
        if counts.iter().sum::<usize>() > self.total {
            return false;
        }
        let mut pooled = vec![0; self.pools.len()];
        for (band, &n) in self.bands.iter().zip(counts) {
            let over = n.saturating_sub(band.own);
            match band.pool {
                None if over > 0 => return false,
                None => {}
                Some(p) => pooled[p] += over,
            }
        }
        pooled.iter().zip(&self.pools).all(|(over, places)| over <= places)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mixed_class_takes_what_overflows_its_bands_own_classes() {
        // 0세반 1 place, 1세반 1 place, a 영아혼합반 (0–2) with 1 place, a 3세반 with 2; 4 in all.
        let places = Places::banded(4, &[(0, 1), (1, 1), (3, 2)], &[(vec![0, 1, 2], 1)]);
        let slot = |b| places.slot(b).unwrap();
        let counts = |pairs: &[(u32, usize)]| {
            let mut c = vec![0; places.slots()];
            for &(b, n) in pairs {
                c[slot(b)] = n;
            }
            c
        };
        assert!(places.fits(&counts(&[(0, 2), (1, 1)])), "the second baby in the mixed class");
        assert!(!places.fits(&counts(&[(0, 2), (1, 2)])), "two overflow into one mixed place");
        assert!(places.fits(&counts(&[(2, 1), (3, 2)])), "a 2-year-old has only the mixed class");
        assert!(!places.fits(&counts(&[(0, 1), (1, 1), (2, 1), (3, 2)])), "five children, four places");
        assert_eq!(places.slot(4), None, "no class for 4-year-olds");
        assert_eq!((places.most(slot(0)), places.most(slot(2)), places.most(slot(3))), (2, 1, 2));
        assert_eq!(Places::any_child(3).slot(7), Some(0));
    }
}
