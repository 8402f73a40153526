//! The cost of one key press (update + a full frame) with 10^3, 10^5 and 10^6 objects loaded:
//! it must not grow with the bucket (a frame draws the rows on screen, not the listing).
//! And the cost of a page of 1,000 keys landing while a filter is set, with 10^5 and 3x10^5
//! keys already loaded: the same (each page is filtered once, on arrival), so loading is
//! linear in the keys.
//! `cargo bench --bench frame`; scripts/bench writes the figures to bench/RESULTS.md.

use sts3::testing::Model;

fn main() {
    divan::main();
}

#[divan::bench(args = [1_000, 100_000, 1_000_000], sample_count = 200)]
fn key_press_and_frame(bencher: divan::Bencher, keys: usize) {
    let mut model = Model::with_keys(keys, 120, 40);
    let mut down = true;
    bencher.bench_local(|| {
        model.press(if down { 'j' } else { 'k' });
        down = !down;
    });
}

#[divan::bench(args = [100_000, 300_000], sample_count = 20)]
fn a_page_landing_through_a_filter(bencher: divan::Bencher, keys: usize) {
    let mut model = Model::with_keys_filtered(keys, "7.JSON", 120, 40);
    // Keys ...7.json.gz: one in ten.
    assert_eq!(model.shown(), keys / 10);
    bencher.bench_local(|| model.land_page());
}
