//! Rows marked for an action (`space` toggles the row under the cursor, `V` every object in
//! view): objects only, by key, with their sizes for the footer's total. Forgotten when the
//! listing opens another folder or bucket.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Marks {
    keys: BTreeMap<String, u64>,
}

impl Marks {
    /// Marks `key` (of `size` bytes) or unmarks it; whether it is marked now.
    pub(crate) fn toggle(&mut self, key: &str, size: u64) -> bool {
        if self.keys.remove(key).is_some() {
            return false;
        }
        self.keys.insert(key.to_string(), size);
        true
    }

    /// Marks every one of `objects`, or, when each is marked already, unmarks them.
    pub(crate) fn toggle_all<'a>(&mut self, objects: impl Iterator<Item = (&'a str, u64)> + Clone) {
        let all_marked = objects.clone().all(|(key, _)| self.keys.contains_key(key));
        for (key, size) in objects {
            if all_marked {
                self.keys.remove(key);
            } else {
                self.keys.insert(key.to_string(), size);
            }
        }
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.keys.contains_key(key)
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The bytes of every marked object.
    pub(crate) fn bytes(&self) -> u64 {
        self.keys.values().sum()
    }

    /// The marked keys, in key order.
    /// Each marked key and its size, in key order.
    pub(crate) fn entries(&self) -> Vec<(String, u64)> {
        self.keys
            .iter()
            .map(|(k, size)| (k.clone(), *size))
            .collect()
    }

    pub(crate) fn keys(&self) -> Vec<String> {
        self.keys.keys().cloned().collect()
    }

    pub(crate) fn clear(&mut self) {
        self.keys.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_toggles_and_all_marks_every_one_or_none() {
        let mut m = Marks::default();
        assert!(m.toggle("a", 10));
        assert!(m.contains("a"));
        assert!(!m.toggle("a", 10));
        assert!(m.is_empty());
        let objects = [("a", 1), ("b", 2), ("c", 4)];
        m.toggle("b", 2);
        m.toggle_all(objects.iter().copied());
        assert_eq!((m.len(), m.bytes()), (3, 7), "some marked: all are now");
        m.toggle_all(objects.iter().copied());
        assert!(m.is_empty(), "all marked: none are now");
        m.toggle("c", 4);
        m.toggle("a", 1);
        assert_eq!(m.keys(), ["a", "c"], "in key order");
        m.clear();
        assert_eq!(m.bytes(), 0);
    }
}
