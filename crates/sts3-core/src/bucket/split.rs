//! Listing one prefix over several chains of requests at once. ListObjectsV2 answers at most
//! 1,000 keys a round trip, and each page's continuation token comes from the page before, so
//! one chain is bound by round trips. A [`Plan`] cuts the key space after what is listed into
//! ranges at guessed keys (`StartAfter`), lists each range with a chain of its own, and hands
//! the pages on in key order, as one chain would have.
//!
//! Guesses only cost speed, never keys: the ranges always cover the key space once (a range
//! keeps the keys up to and including its last key, the next one starts after it). A guess too
//! far makes an empty range (one request); a guess too near makes a short one; a range much
//! longer than guessed is cut again when a chain falls idle.
//!
//! The guesses: keys are read as numbers whose digits are the bytes seen so far (after the
//! part every key seen shares), the keys per step of that number are measured on the pages
//! that came back, and a new range is cut to hold about [`PAGES_A_RANGE`] pages.

mod guess;

use super::{Bound, Cursor, ListPage, PageRequest};
use guess::{
    Digits, LEFT_MARGIN, PAGES_A_RANGE, SAMPLES, Scale, cuts_after, safe_cut, steps_an_entry,
};
use std::collections::VecDeque;

/// Pages a range may hold, listed ahead of the range being handed on: memory stays bounded.
pub const PAGES_AHEAD: usize = 8;
/// Takes `page`'s entries after `key` off it (entries come in key order).
fn split_after(page: &mut ListPage, key: &str) -> ListPage {
    let prefixes = page.prefixes.partition_point(|p| p.as_str() <= key);
    let objects = page.objects.partition_point(|o| &*o.key <= key);
    ListPage {
        prefixes: page.prefixes.split_off(prefixes),
        objects: page.objects.split_off(objects),
        next_token: None,
    }
}

/// One stretch of the key space, listed by its own chain of requests.
#[derive(Debug)]
struct Range {
    id: u64,
    /// Where its next request lists from (`None`: the start of the listing).
    next: Option<Cursor>,
    /// The key it starts after, or its first entry: where it began, for cutting.
    start: Option<String>,
    /// The key it starts after, if it does.
    after: Option<String>,
    /// A folder it lists on its own (the listing's prefix when `None`).
    prefix: Option<String>,
    /// Its last key: entries after this belong to the next range (`None`: to the end).
    until: Option<String>,
    /// The last entry it listed.
    last: Option<String>,
    in_flight: bool,
    /// Times it asked for fewer keys than a page, near its last key, and found more: after
    /// once it asks for whole pages (the keys are denser here than the samples said).
    short_misses: u8,
    /// Keys its latest request asked for.
    asked: i32,
    done: bool,
    /// Its latest page was full (more followed): keys are known to be dense where it is.
    dense: bool,
    pages: VecDeque<ListPage>,
}

impl Range {
    fn new(id: u64, next: Option<Cursor>, until: Option<String>) -> Self {
        let start = match &next {
            Some(Cursor::After(key)) => Some(key.clone()),
            _ => None,
        };
        Self {
            id,
            next,
            after: start.clone(),
            prefix: None,
            start,
            until,
            last: None,
            in_flight: false,
            short_misses: 0,
            asked: 0,
            done: false,
            dense: false,
            pages: VecDeque::new(),
        }
    }

    /// A new range after `cut` up to `until`, in the same folder as this one.
    fn after_cut(&self, id: u64, cut: String, until: Option<String>) -> Self {
        Self {
            prefix: self.prefix.clone(),
            ..Self::new(id, Some(Cursor::After(cut)), until)
        }
    }

    /// Takes off `page` what lies after its last key: the ranges after it hold that.
    fn beyond_until(&self, page: &mut ListPage) -> ListPage {
        match self.until.as_deref() {
            Some(until) => split_after(page, until),
            None => ListPage::default(),
        }
    }

    /// Where it has got to: its last entry, or where it starts.
    fn position(&self) -> Option<&str> {
        self.last.as_deref().or(self.start.as_deref())
    }
}

/// Which request to send for which range.
pub type RangeId = u64;

/// A listing cut into ranges listed at once, handed on in key order.
#[derive(Debug)]
pub struct Plan {
    template: PageRequest,
    chains: usize,
    /// In key order; the first is the one being handed on.
    ranges: Vec<Range>,
    scale: Scale,
    /// (first, last, entries) of the latest pages, for the keys per step.
    samples: VecDeque<(String, String, u128)>,
    next_id: u64,
    /// The last folder handed on: a range that starts inside a folder lists it again.
    last_folder: Option<String>,
    /// Requests sent and not answered yet, wanted or not: at most `chains`.
    flying: usize,
}

impl Plan {
    /// The listing `request` describes, from where it says, over at most `chains` requests at
    /// once.
    #[must_use]
    pub fn new(request: &PageRequest, chains: usize) -> Self {
        Self {
            template: request.from_cursor(None),
            chains: chains.max(1),
            ranges: vec![Range::new(0, request.cursor(), None)],
            scale: Scale::default(),
            samples: VecDeque::new(),
            next_id: 1,
            last_folder: None,
            flying: 0,
        }
    }

    /// The same, cut at `cuts` from the start (keys known to start stretches of their own,
    /// such as folders): each range keeps the keys up to and including its cut. Cuts not after
    /// where the listing starts are left out.
    #[must_use]
    pub fn with_cuts(mut self, cuts: impl IntoIterator<Item = String>) -> Self {
        let mut cuts: Vec<String> = cuts.into_iter().map(|c| safe_cut(&c)).collect();
        cuts.sort();
        cuts.dedup();
        let Some(first) = self.ranges.pop() else {
            return self;
        };
        let floor = first.start.clone();
        let mut last = first;
        for cut in cuts {
            if floor.as_ref().is_some_and(|f| cut <= *f) {
                continue;
            }
            last.until = Some(cut.clone());
            self.ranges.push(last);
            last = Range::new(self.next_id, Some(Cursor::After(cut)), None);
            self.next_id += 1;
        }
        self.ranges.push(last);
        self
    }

    /// The same, from the first page of a `/` listing of the prefix (`level`): its keys are
    /// handed on as they are, and each folder is listed on its own (and cut further where its
    /// keys are dense). Only a whole level (no more pages) and a listing from the start can
    /// be planned so; otherwise the folders are cuts ([`Plan::with_cuts`]).
    #[must_use]
    pub fn with_level(mut self, level: ListPage) -> Self {
        let from_start = matches!(self.ranges.as_slice(), [r] if r.next.is_none());
        if level.next_token.is_some() || !from_start {
            return self.with_cuts(level.prefixes);
        }
        self.ranges.clear();
        let mut objects = level.objects.into_iter().peekable();
        let mut folders = level.prefixes.into_iter().peekable();
        loop {
            let take_object = match (objects.peek(), folders.peek()) {
                (Some(o), Some(f)) => &*o.key < f.as_str(),
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let mut range = Range::new(self.next_id, None, None);
            self.next_id += 1;
            if take_object {
                // Keys up to the next folder, listed already.
                let mut page = ListPage::default();
                while let Some(o) =
                    objects.next_if(|o| folders.peek().is_none_or(|f| &*o.key < f.as_str()))
                {
                    page.objects.push(o);
                }
                range.done = true;
                range.pages.push_back(page);
            } else {
                range.prefix = folders.next();
            }
            self.ranges.push(range);
        }
        self
    }

    /// Whether every range was listed and handed on.
    #[must_use]
    pub fn finished(&self) -> bool {
        self.ranges.is_empty()
    }

    /// How many ranges the key space is in now.
    #[cfg(test)]
    #[must_use]
    pub(crate) fn ranges(&self) -> usize {
        self.ranges.len()
    }

    /// The requests to send now: cuts new ranges while chains are idle, then one request for
    /// each range that is waiting, as many as chains are free.
    pub fn requests(&mut self) -> Vec<(RangeId, PageRequest)> {
        // Pages held for later ranges are bounded: no new range while the head holds them up.
        let held: usize = self.ranges.iter().map(|r| r.pages.len()).sum();
        while held < self.chains * PAGES_AHEAD
            && self.ranges.iter().filter(|r| !r.done).count() < self.chains
            && self.cut()
        {}
        let digits = self.scale.digits();
        let steps = digits
            .as_ref()
            .map_or(0, |d| steps_an_entry(d, &self.samples));
        let mut out = Vec::new();
        for (i, range) in self.ranges.iter_mut().enumerate() {
            if self.flying >= self.chains {
                break;
            }
            if range.done || range.in_flight || (i > 0 && range.pages.len() >= PAGES_AHEAD) {
                continue;
            }
            range.in_flight = true;
            self.flying += 1;
            let mut request = self.template.from_cursor(range.next.clone());
            if let Some(prefix) = &range.prefix {
                request.prefix.clone_from(prefix);
            }
            // A range near its last key asks for about what is left (twice that, and a few
            // more), not a whole page: the keys after its last key are the next range's, and
            // a server lists (and the client reads) every key it is asked for.
            if let (Some(digits), Some(at), Some(until)) =
                (&digits, range.position(), range.until.as_deref())
                && steps > 0
                && range.short_misses == 0
            {
                let left = digits
                    .number(until)
                    .saturating_sub(digits.number(at))
                    .div_ceil(steps);
                let ask = left.saturating_mul(2).saturating_add(LEFT_MARGIN);
                if let Ok(ask) = i32::try_from(ask)
                    && ask < request.max_keys
                {
                    request.max_keys = ask;
                }
            }
            range.asked = request.max_keys;
            out.push((range.id, request));
        }
        out
    }

    /// Whether the answer to request `id` is still waited for: a range listed by the answer
    /// before it no longer is. Either way the request is no longer in flight (`landed` says
    /// so for an answer; this for a failure).
    pub fn failed(&mut self, id: RangeId) -> bool {
        self.flying = self.flying.saturating_sub(1);
        self.ranges.iter().any(|r| r.id == id && r.in_flight)
    }

    /// Takes in the page range `id` asked for.
    pub fn landed(&mut self, id: RangeId, page: ListPage) {
        self.flying = self.flying.saturating_sub(1);
        for entry in page
            .prefixes
            .iter()
            .map(String::as_str)
            .chain(page.objects.iter().map(|o| &*o.key))
        {
            self.scale.learn(entry);
        }
        let Some(i) = self.ranges.iter().position(|r| r.id == id && r.in_flight) else {
            return;
        };
        let range = &mut self.ranges[i];
        let mut page = page;
        let next_token = page.next_token.take();
        // Only what lies after the key the range starts after (a server may send a little
        // more; entries come in order).
        if let Some(after) = range.after.as_deref() {
            page = split_after(&mut page, after);
        }
        let beyond = range.beyond_until(&mut page);
        let trimmed = beyond.first_entry().is_some();
        if let (Some(first), Some(last)) = (page.first_entry(), page.last_entry()) {
            let entries = (page.objects.len() + page.prefixes.len()) as u128;
            if entries > 1 {
                if self.samples.len() == SAMPLES {
                    self.samples.pop_front();
                }
                self.samples
                    .push_back((first.to_string(), last.to_string(), entries - 1));
            }
            if range.start.is_none() {
                range.start = Some(first.to_string());
            }
            range.last = Some(last.to_string());
        }
        range.in_flight = false;
        range.dense = next_token.is_some();
        let complete = next_token.is_none();
        match next_token {
            Some(token) if !trimmed => {
                range.next = Some(Cursor::Token {
                    token,
                    after: range
                        .last
                        .clone()
                        .or_else(|| range.after.clone())
                        .map(Bound::from),
                });
                // A short request that found more than it asked for: whole pages from now on.
                if range.asked < self.template.max_keys {
                    range.short_misses = range.short_misses.saturating_add(1);
                }
            }
            _ => range.done = true,
        }
        range.pages.push_back(page);
        if complete {
            self.cover_after(i, beyond);
        }
    }

    /// Range `i`'s answer listed everything after it in its folder (it had no more pages), so
    /// the ranges after it in the same folder are listed by it as well: each takes its part of
    /// `beyond` and is done, without waiting for requests of its own (their answers, when
    /// they come, are dropped). At the end of a listing, guessed ranges cost no time.
    fn cover_after(&mut self, i: usize, mut beyond: ListPage) {
        let folder = self.ranges[i].prefix.clone();
        for range in self.ranges[i + 1..]
            .iter_mut()
            .take_while(|r| r.prefix == folder)
        {
            // What it holds already, or what lies before it.
            if let Some(held) = range.last.as_deref().or(range.after.as_deref()) {
                beyond = split_after(&mut beyond, held);
            }
            let rest = range.beyond_until(&mut beyond);
            let part = std::mem::replace(&mut beyond, rest);
            if range.done {
                continue;
            }
            if let Some(last) = part.last_entry() {
                range.last = Some(last.to_string());
            }
            range.done = true;
            range.in_flight = false;
            range.dense = false;
            range.pages.push_back(part);
        }
    }

    /// The pages ready to hand on, in key order.
    pub fn take_ready(&mut self) -> Vec<ListPage> {
        let mut out = Vec::new();
        while let Some(head) = self.ranges.first_mut() {
            while let Some(mut page) = head.pages.pop_front() {
                if !page.prefixes.is_empty() && page.prefixes.first() == self.last_folder.as_ref() {
                    page.prefixes.remove(0);
                }
                if let Some(folder) = page.prefixes.last() {
                    self.last_folder = Some(folder.clone());
                }
                out.push(page);
            }
            if !head.done {
                break;
            }
            self.ranges.remove(0);
        }
        out
    }

    /// Cuts one more range off the end of the listing or off the longest range left; false
    /// when there is nothing worth cutting (or nothing known to cut by yet).
    fn cut(&mut self) -> bool {
        let Some(digits) = self.scale.digits() else {
            return false;
        };
        let per_page = steps_an_entry(&digits, &self.samples)
            .saturating_mul(u128::try_from(self.template.max_keys.max(1)).unwrap_or(1));
        if per_page == 0 {
            return false;
        }
        let (ranges, next_id) = (&mut self.ranges, &mut self.next_id);
        cut_open_end(ranges, next_id, self.chains, &digits, per_page)
            || cut_longest(ranges, next_id, &digits, per_page)
    }
}

/// Cuts new ranges off a range that lists to the end, a step apart (`per_page` steps of the
/// scale a page), as many as chains are idle.
fn cut_open_end(
    ranges: &mut Vec<Range>,
    next_id: &mut u64,
    chains: usize,
    digits: &Digits<'_>,
    per_page: u128,
) -> bool {
    // A range that lists to the end (of the listing, or of its folder) gets a last key,
    // and new ranges follow it a step apart, the last one to the end; only where keys are
    // known to go on (it found them dense, or it is the listing's last range, has not
    // answered yet, and the range before it did). Beyond the last key ranges come back
    // empty, one request each, and none is dense.
    let idle = chains - ranges.iter().filter(|r| !r.done).count().min(chains);
    let count = ranges.len();
    let open = ranges.iter().enumerate().position(|(i, r)| {
        let before_dense = i + 1 == count && i > 0 && ranges[i - 1].dense;
        !r.done && r.until.is_none() && (r.dense || (r.last.is_none() && before_dense))
    });
    if let Some(i) = open
        && let Some(at) = ranges[i].position().map(str::to_string)
    {
        let step = per_page.saturating_mul(PAGES_A_RANGE);
        let within = ranges[i].prefix.as_deref().unwrap_or("");
        let cuts = cuts_after(digits, &at, step, idle, within);
        if let Some(first) = cuts.first() {
            ranges[i].until = Some(first.clone());
            let ends = cuts.iter().skip(1).map(|c| Some(c.clone())).chain([None]);
            let new: Vec<Range> = cuts
                .clone()
                .into_iter()
                .zip(ends)
                .map(|(cut, until)| {
                    *next_id += 1;
                    ranges[i].after_cut(*next_id - 1, cut, until)
                })
                .collect();
            ranges.splice((i + 1)..=i, new);
            return true;
        }
    }
    false
}

/// Cuts the longest range left in two.
fn cut_longest(
    ranges: &mut Vec<Range>,
    next_id: &mut u64,
    digits: &Digits<'_>,
    per_page: u128,
) -> bool {
    // The longest range left, cut in two, if it holds more than two pages still: only one
    // that found keys dense (a full page), not a guess that may be empty space.
    let longest = ranges
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.done && r.dense)
        .filter_map(|(i, r)| {
            let (at, until) = (r.position()?, r.until.as_deref()?);
            let left = digits.number(until).saturating_sub(digits.number(at));
            Some((i, left, digits.number(at)))
        })
        .max_by_key(|&(_, left, _)| left);
    let Some((i, left, from)) = longest else {
        return false;
    };
    if left <= per_page.saturating_mul(2) {
        return false;
    }
    let cut = safe_cut(&digits.key(from + left / 2));
    let range = &mut ranges[i];
    let (Some(at), Some(until)) = (range.position(), range.until.clone()) else {
        return false;
    };
    if cut.as_str() <= at || cut >= until {
        return false;
    }
    range.until = Some(cut.clone());
    let range = range.after_cut(*next_id, cut, Some(until));
    *next_id += 1;
    ranges.insert(i + 1, range);
    true
}

#[cfg(test)]
mod tests;
