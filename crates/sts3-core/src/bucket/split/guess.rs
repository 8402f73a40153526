//! Guessing where to cut the key space: keys read as numbers whose digits are the bytes seen so
//! far (after the part every key seen shares), the keys per step of that number measured on
//! the pages that came back, and cuts made at even steps of it.

use std::collections::VecDeque;

/// A new range is cut to hold about this many pages, as far as the keys so far tell.
pub(super) const PAGES_A_RANGE: u128 = 8;
/// Digits of a key (after the shared part) the numbers look at: base ≤ 129, so 16 fit a u128.
pub(super) const WIDTH_MAX: usize = 16;
/// Bytes at the end of what every key seen shares that still count as digits: keys further on
/// may differ there (after `k/000000xx` comes `k/000001xx`).
pub(super) const SLACK: usize = 4;
/// Pages whose spread of keys the density is measured on (the latest ones).
pub(super) const SAMPLES: usize = 32;

/// Keys as numbers, so the key space can be cut at even steps. Each place of a key is a digit
/// whose values are the bytes seen at that place (a fixed-width number's places hold digits,
/// a `.json` suffix's places one byte each), so real keys sit evenly in the numbers. The
/// mapping never reverses two keys' order; the keys it makes are ASCII (valid UTF-8).
#[derive(Debug, Clone, Default)]
pub(super) struct Scale {
    /// What every key seen starts with (the digits start [`SLACK`] bytes before its end).
    pub(super) shared: Option<Vec<u8>>,
    /// The ASCII bytes seen at each place of a key, a bit each.
    pub(super) seen: Vec<u128>,
    longest: usize,
}

/// Places of a key the scale keeps bytes for.
pub(super) const PLACES_MAX: usize = 256;

/// The scale's digits at one moment: where they start, and each place's bytes in order.
pub(super) struct Digits<'a> {
    pub(super) shared: &'a [u8],
    pub(super) places: Vec<Vec<u8>>,
}

impl Scale {
    fn see(&mut self, place: usize, b: u8) {
        if b >= 128 || place >= PLACES_MAX {
            return;
        }
        if self.seen.len() <= place {
            self.seen.resize(place + 1, 0);
        }
        self.seen[place] |= 1 << b;
    }

    pub(super) fn learn(&mut self, key: &str) {
        let key = key.as_bytes();
        let shared = self.shared.get_or_insert_with(|| key.to_vec());
        let common = shared.iter().zip(key).take_while(|(a, b)| a == b).count();
        let from = common.saturating_sub(SLACK);
        // Places every key shared so far are digits now too: their bytes were seen there.
        let unshared: Vec<(usize, u8)> = shared
            .split_off(common)
            .into_iter()
            .enumerate()
            .map(|(i, b)| (common + i, b))
            .collect();
        for (place, b) in unshared {
            self.see(place, b);
        }
        for (place, &b) in key.iter().enumerate().skip(from).take(2 * WIDTH_MAX) {
            self.see(place, b);
        }
        self.longest = self.longest.max(key.len());
    }

    pub(super) fn digits(&self) -> Option<Digits<'_>> {
        let all_share = self.shared.as_deref()?;
        let shared = &all_share[..all_share.len().saturating_sub(SLACK)];
        let width = self.longest.saturating_sub(shared.len()).min(WIDTH_MAX);
        let seen = |place: usize| self.seen.get(place).copied().unwrap_or(0);
        // A place that varies takes the bytes of the next place that varies after it as well,
        // and so does the slack: later keys carry into them (after `k/000049xx` come
        // `k/000050xx`, after `k/000000xx` `k/000001xx`). A place that held one byte all along
        // (the `.` of `.json`) keeps it.
        let mut bytes: Vec<u128> = vec![0; width];
        let mut next_varying = 0u128;
        for i in (0..width).rev() {
            let place = shared.len() + i;
            let own = seen(place);
            let varies = own.count_ones() > 1;
            bytes[i] = if varies || place < all_share.len() {
                own | next_varying
            } else {
                own
            };
            if varies {
                next_varying = bytes[i];
            }
        }
        let places: Vec<Vec<u8>> = bytes
            .iter()
            .map(|&bytes| (0u8..128).filter(|&b| bytes & (1 << b) != 0).collect())
            .collect();
        places
            .iter()
            .any(|p| !p.is_empty())
            .then_some(Digits { shared, places })
    }
}

impl Digits<'_> {
    /// How many values place `i` has: a byte seen there, or the key's end.
    fn base(&self, i: usize) -> u128 {
        self.places[i].len() as u128 + 1
    }

    /// The largest number plus one.
    pub(super) fn end(&self) -> u128 {
        (0..self.places.len()).fold(1u128, |n, i| n * self.base(i))
    }

    /// `key` as a number; keys that do not start with the shared part sit at either end.
    pub(super) fn number(&self, key: &str) -> u128 {
        let key = key.as_bytes();
        // A key shorter than the shared part is less (a proper prefix sorts first).
        let head = &key[..key.len().min(self.shared.len())];
        match head.cmp(self.shared) {
            std::cmp::Ordering::Less => return 0,
            std::cmp::Ordering::Greater => return self.end() - 1,
            std::cmp::Ordering::Equal => {}
        }
        let rest = &key[self.shared.len()..];
        let mut n = 0u128;
        let mut between = false;
        for (i, place) in self.places.iter().enumerate() {
            let digit = match rest.get(i) {
                _ if between => self.base(i) - 1,
                None => 0,
                Some(&b) => match place.binary_search(&b) {
                    Ok(at) => at as u128 + 1,
                    // A byte not seen here sits between two that were: the digit of the one
                    // below, then the highest digits, so the order holds either side.
                    Err(at) => {
                        between = true;
                        at as u128
                    }
                },
            };
            n = n * self.base(i) + digit;
        }
        n
    }

    /// The key of number `n`: the shared part, then a byte a digit until a zero digit.
    pub(super) fn key(&self, n: u128) -> String {
        let mut digits = vec![0u128; self.places.len()];
        let mut n = n;
        for i in (0..self.places.len()).rev() {
            digits[i] = n % self.base(i);
            n /= self.base(i);
        }
        let mut key = self.shared.to_vec();
        for (place, d) in self.places.iter().zip(digits) {
            let Some(&b) = usize::try_from(d)
                .ok()
                .and_then(|d| d.checked_sub(1))
                .and_then(|i| place.get(i))
            else {
                break;
            };
            key.push(b);
        }
        // The shared part is a key's start; the rest is ASCII.
        String::from_utf8_lossy(&key).into_owned()
    }
}

/// `cut` as a key to start after that S3 and SeaweedFS read alike: it ends in `/`. SeaweedFS
/// lists a folder's entries by name, so for StartAfter `a/b` it passes over folder `a/b/`
/// (S3 lists `a/b/…`, which sort after `a/b`); after `a/b/` both list it. The cut comes out
/// a little later than asked, never earlier; a server that answers more after it is trimmed
/// by [`Plan::landed`].
pub(super) fn safe_cut(cut: &str) -> String {
    let mut safe = cut.to_string();
    if !safe.ends_with('/') {
        safe.push('/');
    }
    safe
}

/// Up to `count` cuts after `at`, `step` apart, each after the one before and inside the
/// folder `within` (`""`: anywhere).
pub(super) fn cuts_after(
    digits: &Digits<'_>,
    at: &str,
    step: u128,
    count: usize,
    within: &str,
) -> Vec<String> {
    let mut cuts: Vec<String> = Vec::new();
    let mut n = digits.number(at);
    for _ in 0..count {
        n = n.saturating_add(step);
        if n >= digits.end() - 1 {
            break;
        }
        let cut = safe_cut(&digits.key(n));
        if cut.starts_with(within) && cut.as_str() > cuts.last().map_or(at, String::as_str) {
            cuts.push(cut);
        }
    }
    cuts
}

/// Keys a range near its end asks for beyond twice what it expects to find.
pub(super) const LEFT_MARGIN: u128 = 16;

/// How far apart keys sit, in steps of the scale's numbers, on the pages sampled (0 when
/// nothing is known yet).
pub(super) fn steps_an_entry(
    digits: &Digits<'_>,
    samples: &VecDeque<(String, String, u128)>,
) -> u128 {
    let (span, entries) =
        samples
            .iter()
            .fold((0u128, 0u128), |(span, entries), (first, last, n)| {
                let s = digits.number(last).saturating_sub(digits.number(first));
                (span.saturating_add(s), entries + n)
            });
    span.checked_div(entries).unwrap_or(0)
}
