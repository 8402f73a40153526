//! The cost of a key press and its frame does not grow with the bucket: with 10^3 and 10^6
//! objects loaded, the same keys allocate the same number of blocks and bytes (counted by the
//! heap, so the check is exact and not a timing). `cargo bench --bench frame` has the times.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use sts3::testing::Model;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Blocks and bytes allocated by 100 key presses (down, up, last entry, first entry) and their
/// frames, after the model has settled.
fn cost_of_keys(model: &mut Model) -> (u64, u64) {
    for _ in 0..10 {
        model.press('j');
    }
    let before = dhat::HeapStats::get();
    for i in 0..100 {
        model.press(match i % 5 {
            0 | 1 => 'j',
            2 => 'k',
            3 => 'G',
            _ => 'g',
        });
    }
    let after = dhat::HeapStats::get();
    (
        after.total_blocks - before.total_blocks,
        after.total_bytes - before.total_bytes,
    )
}

#[test]
fn a_key_press_costs_the_same_with_a_thousand_or_a_million_keys() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let (small_blocks, small_bytes) = cost_of_keys(&mut Model::with_keys(1_000, 120, 40));
    let (big_blocks, big_bytes) = cost_of_keys(&mut Model::with_keys(1_000_000, 120, 40));
    println!(
        "100 key presses: {small_blocks} blocks / {small_bytes} bytes at 10^3, \
         {big_blocks} blocks / {big_bytes} bytes at 10^6"
    );
    assert!(small_blocks > 0, "the frames were drawn");
    // Other keys are on screen (and wider numbers in the footer), so the counts differ a
    // little; a thousand times the keys must not cost even 2 % more.
    assert!(
        big_blocks * 50 <= small_blocks * 51,
        "allocations grow with the bucket: {small_blocks} -> {big_blocks} blocks"
    );
    assert!(
        big_bytes * 50 <= small_bytes * 51,
        "bytes allocated grow with the bucket: {small_bytes} -> {big_bytes}"
    );
}
