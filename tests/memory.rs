//! Memory per loaded key: the TUI's model holding 10^6 objects costs at most 100 bytes for each
//! beyond the key's own bytes (measured by the heap, not guessed from type sizes).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use sts3::testing::{Model, synthetic_key};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

#[test]
fn a_million_keys_cost_at_most_100_bytes_each_beyond_the_keys() {
    const N: usize = 1_000_000;
    let _profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get().curr_bytes;
    let model = Model::with_keys(N, 120, 40);
    let after = dhat::HeapStats::get().curr_bytes;
    assert_eq!(model.keys(), N);
    let key_bytes: usize = (0..N).map(|i| synthetic_key(i).len()).sum();
    // In tenths of a byte, in integers.
    let per_key_tenths = (after - before).saturating_sub(key_bytes) * 10 / N;
    println!(
        "{}.{} bytes a key beyond its {} key bytes",
        per_key_tenths / 10,
        per_key_tenths % 10,
        key_bytes / N
    );
    assert!(
        per_key_tenths <= 1000,
        "{per_key_tenths} tenths of a byte a key"
    );
    drop(model);
}
