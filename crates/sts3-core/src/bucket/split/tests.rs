use super::*;
use crate::bucket::{Etag, ObjectEntry, StorageClass};

/// A bucket in memory that answers ListObjectsV2 as S3 does: keys in byte order, the prefix,
/// StartAfter, a continuation token (the last key it sent, disguised), max-keys and `/`
/// folders.
struct Bucket {
    keys: Vec<String>,
    requests: usize,
}

impl Bucket {
    fn new(mut keys: Vec<String>) -> Self {
        keys.sort();
        keys.dedup();
        Self { keys, requests: 0 }
    }

    fn list(&mut self, req: &PageRequest) -> ListPage {
        self.requests += 1;
        let after = match (&req.continuation_token, &req.start_after) {
            (Some(token), _) => Some(token.strip_prefix("token:").unwrap().to_string()),
            (None, after) => after.clone(),
        };
        let from = after
            .as_deref()
            .map_or(0, |a| self.keys.partition_point(|k| k.as_str() <= a));
        let mut page = ListPage::default();
        let mut count = 0;
        let mut last = None;
        for key in &self.keys[from..] {
            if !key.starts_with(&req.prefix) {
                continue;
            }
            if count == usize::try_from(req.max_keys).unwrap() {
                page.next_token = last.map(|l: String| format!("token:{l}"));
                return page;
            }
            let rest = &key[req.prefix.len()..];
            if req.folders
                && let Some(slash) = rest.find('/')
            {
                let folder = format!("{}{}", req.prefix, &rest[..=slash]);
                if page.prefixes.last() == Some(&folder) {
                    continue;
                }
                // The folder's last key: the next page goes on after the whole folder.
                let end = self
                    .keys
                    .iter()
                    .rfind(|k| k.starts_with(&folder))
                    .unwrap()
                    .clone();
                page.prefixes.push(folder);
                last = Some(end);
            } else {
                page.objects.push(object(key));
                last = Some(key.clone());
            }
            count += 1;
        }
        page
    }

    /// What one chain of requests lists, entry by entry.
    fn serial(&mut self, req: &PageRequest) -> Vec<String> {
        let mut req = req.clone();
        let mut all = Vec::new();
        loop {
            let page = self.list(&req);
            all.extend(entries(&page));
            match page.next_token {
                Some(token) => req.continuation_token = Some(token),
                None => return all,
            }
        }
    }
}

fn object(key: &str) -> ObjectEntry {
    ObjectEntry::new(key, 1, None, Etag::parse("\"e\""), StorageClass::Standard)
}

/// A page's entries in key order.
fn entries(page: &ListPage) -> Vec<String> {
    let mut all: Vec<String> = page
        .prefixes
        .iter()
        .cloned()
        .chain(page.objects.iter().map(|o| o.key.to_string()))
        .collect();
    all.sort();
    all
}

fn request(prefix: &str, folders: bool) -> PageRequest {
    PageRequest {
        bucket: "b".into(),
        prefix: prefix.into(),
        continuation_token: None,
        token_after: None,
        start_after: None,
        max_keys: 100,
        folders,
    }
}

/// What a run of the plan did.
struct Run {
    entries: Vec<String>,
    requests: usize,
    most_at_once: usize,
    /// The prefixes the requests listed.
    prefixes_asked: std::collections::HashSet<String>,
}

/// Runs a plan to the end against `bucket`, answering the requests in flight latest first
/// (so ranges land out of order), and collects what it hands on.
fn run(bucket: &mut Bucket, req: &PageRequest, chains: usize) -> Run {
    run_plan(bucket, Plan::new(req, chains), chains)
}

/// [`run`] for a plan made already (cut up front, or from a level).
fn run_plan(bucket: &mut Bucket, mut plan: Plan, chains: usize) -> Run {
    let mut prefixes_asked = std::collections::HashSet::new();
    let mut in_flight: Vec<(RangeId, PageRequest)> = Vec::new();
    let mut entries_out = Vec::new();
    let mut most_at_once = 0;
    let before = bucket.requests;
    for _ in 0..100_000 {
        in_flight.extend(plan.requests());
        most_at_once = most_at_once.max(in_flight.len());
        assert!(
            in_flight.len() <= chains,
            "more requests at once than chains"
        );
        // Done when every range is handed on, as the walker is (answers still on their way
        // are no longer waited for).
        if plan.finished() {
            break;
        }
        let Some((id, req)) = in_flight.pop() else {
            break;
        };
        prefixes_asked.insert(req.prefix.clone());
        let page = bucket.list(&req);
        plan.landed(id, page);
        for page in plan.take_ready() {
            assert!(
                page.next_token.is_none(),
                "a handed-on page carries no token"
            );
            entries_out.extend(entries(&page));
        }
    }
    assert!(plan.finished(), "the plan never finished");
    assert!(
        plan.requests().is_empty(),
        "a finished plan asks for nothing"
    );
    Run {
        entries: entries_out,
        requests: bucket.requests - before,
        most_at_once,
        prefixes_asked,
    }
}

fn numbered(n: usize, prefix: &str) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i:08}")).collect()
}

/// A fixed pseudo-random sequence (no dependency, same every run).
fn pseudo_random(n: usize, seed: u64) -> impl Iterator<Item = u64> {
    let mut x = seed;
    (0..n).map(move |_| {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        x >> 11
    })
}

fn check(keys: Vec<String>, req: &PageRequest, chains: usize) -> Run {
    let mut bucket = Bucket::new(keys);
    let serial = bucket.serial(req);
    let serial_requests = bucket.requests;
    let run = run(&mut bucket, req, chains);
    assert_eq!(
        run.entries.len(),
        serial.len(),
        "as many entries as one chain lists"
    );
    assert!(
        run.entries == serial,
        "the same entries in the same order as one chain"
    );
    // Guesses cost requests, not many: at most a few per chain beyond one chain's count.
    assert!(
        run.requests <= serial_requests + 4 * chains + serial_requests / 4,
        "{} requests against {serial_requests} for one chain",
        run.requests
    );
    run
}

#[test]
fn numbered_keys_are_listed_once_in_order_over_every_chain() {
    let run = check(numbered(20_000, "k/"), &request("k/", false), 8);
    assert_eq!(run.most_at_once, 8, "all eight chains are used");
}

#[test]
fn one_chain_is_the_plain_listing() {
    let keys = numbered(1_000, "");
    let mut bucket = Bucket::new(keys);
    let run = run(&mut bucket, &request("", false), 1);
    assert_eq!(run.entries.len(), 1_000);
    assert_eq!(
        run.requests, 10,
        "ten full pages, the last one not truncated"
    );
    assert_eq!(run.most_at_once, 1);
}

#[test]
fn random_hex_keys_are_listed_once_in_order() {
    let keys = pseudo_random(15_000, 7)
        .map(|x| format!("{x:016x}"))
        .collect();
    let run = check(keys, &request("", false), 4);
    assert_eq!(run.most_at_once, 4);
}

#[test]
fn sparse_keys_with_gaps_and_new_bytes_later_are_listed_once() {
    // Digits first; letters, a longer shape and non-ASCII names come later in the key space.
    let mut keys = numbered(3_000, "a/");
    keys.extend(pseudo_random(3_000, 3).map(|x| format!("m/{}", x % 1_000_000_007)));
    keys.extend((0..2_000).map(|i| format!("z/zebra-{i}-ünïcødé")));
    keys.extend((0..500).map(|i| format!("日本/{i}")));
    check(keys, &request("", false), 8);
}

#[test]
fn folders_cut_through_are_handed_on_once() {
    // Folders big and small among plain keys: cuts fall inside folders.
    let mut keys = Vec::new();
    for f in 0..40 {
        let size = if f % 7 == 0 { 3_000 } else { 3 };
        keys.extend((0..size).map(|i| format!("p/f{f:03}/{i:06}")));
        keys.extend((0..60).map(|i| format!("p/f{f:03}-{i:04}")));
    }
    let req = request("p/", true);
    let run = check(keys, &req, 8);
    let folders = run.entries.iter().filter(|e| e.ends_with('/')).count();
    assert_eq!(folders, 40);
}

#[test]
fn a_listing_from_a_cursor_goes_on_from_there() {
    let keys = numbered(10_000, "");
    let mut bucket = Bucket::new(keys);
    let mut req = request("", false);
    req.start_after = Some("00004999".into());
    let run = run(&mut bucket, &req, 4);
    assert_eq!(run.entries.first().map(String::as_str), Some("00005000"));
    assert_eq!(run.entries.len(), 5_000);
    let mut req = request("", false);
    req.continuation_token = Some("token:00000099".into());
    let run = self::run(&mut bucket, &req, 4);
    assert_eq!(run.entries.first().map(String::as_str), Some("00000100"));
    assert_eq!(run.entries.len(), 9_900);
}

#[test]
fn keys_that_differ_only_far_in_are_listed_once() {
    // A long shared start and the difference at the end: the scale skips what all share.
    let keys = numbered(5_000, "logs/2026/11/27/host-a/service/request-");
    let run = check(keys, &request("logs/", false), 4);
    assert_eq!(
        run.most_at_once, 4,
        "the shared start does not stop the cutting"
    );
}

#[test]
fn an_empty_listing_and_a_single_page_end_at_once() {
    let run = check(Vec::new(), &request("", false), 8);
    assert_eq!(run.requests, 1);
    let run = check(numbered(50, ""), &request("", false), 8);
    assert_eq!(run.requests, 1, "one short page: nothing to cut");
}

#[test]
fn ranges_ahead_stop_at_their_page_budget() {
    // The head range never answers: the others list at most PAGES_AHEAD pages each.
    let mut bucket = Bucket::new(numbered(50_000, ""));
    let mut plan = Plan::new(&request("", false), 4);
    let mut held = None;
    let mut pending: Vec<(RangeId, PageRequest)> = Vec::new();
    for round in 0..10_000 {
        pending.extend(plan.requests());
        if round == 1 {
            // The first range's second request is held back from now on.
            let i = pending.iter().position(|(id, _)| *id == 0).unwrap();
            held = Some(pending.remove(i));
        }
        let Some((id, req)) = pending.pop() else {
            break;
        };
        plan.landed(id, bucket.list(&req));
        if round == 0 {
            assert_eq!(plan.take_ready().len(), 1);
        } else {
            assert!(plan.take_ready().is_empty(), "nothing before the held page");
        }
    }
    assert!(held.is_some());
    let buffered: usize = plan.ranges.iter().map(|r| r.pages.len()).sum();
    assert!(buffered <= 2 * 4 * PAGES_AHEAD, "{buffered} pages held");
    assert!(
        buffered >= PAGES_AHEAD,
        "the other ranges did list ahead: {buffered} {:?}",
        plan.ranges
            .iter()
            .map(|r| (
                r.id,
                r.pages.len(),
                r.done,
                r.in_flight,
                r.start.clone(),
                r.until.clone()
            ))
            .collect::<Vec<_>>()
    );
}

#[test]
fn the_scale_keeps_order_and_makes_ascii_keys() {
    let scale = scale_of(["key/k/0001", "key/k/0999", "key/k/0a"]);
    let digits = scale.digits().unwrap();
    assert_eq!(
        digits.shared, b"key",
        "four bytes of slack before the shared end"
    );
    let keys = [
        "ke",
        "key",
        "key/k/",
        "key/k/0",
        "key/k/00",
        "key/k/0001",
        "key/k/0002",
        "key/k/09",
        "key/k/0999",
        "key/k/0a",
        "key/k/0é",
        "key/k/1",
        "key/zz",
        "kez",
    ];
    let numbers: Vec<u128> = keys.iter().map(|k| digits.number(k)).collect();
    assert!(numbers.windows(2).all(|w| w[0] <= w[1]), "{numbers:?}");
    assert_eq!(digits.number("ke"), 0);
    assert_eq!(digits.number("kez"), digits.end() - 1);
    for n in [0, 1, 17, digits.end() / 2, digits.end() - 1] {
        let key = digits.key(n);
        assert!(key.is_ascii() && key.starts_with("key"), "{key}");
    }
    assert_eq!(digits.key(digits.number("key/k/0999")), "key/k/0999");
    let a = digits.number("key/k/0001");
    let b = a + 1;
    assert!(
        digits.key(a) < digits.key(b),
        "{} {}",
        digits.key(a),
        digits.key(b)
    );
}

#[test]
fn keys_that_end_soon_after_cost_a_few_empty_guesses_at_most() {
    // Few pages, and an alphabet (".json") that makes room far beyond the last key.
    let keys = (0..2_500)
        .map(|i| format!("big/item-{i:05}.json"))
        .collect();
    let mut req = request("big/", true);
    req.max_keys = 200;
    let run = check(keys, &req, 8);
    assert!(run.requests <= 13 + 2 * 8, "{} requests", run.requests);
}

#[test]
fn eight_chains_list_a_long_flat_folder_in_a_fifth_of_the_round_trips() {
    // Requests take 0.5 to 1.5 round trips each, landing in any order; 99 pages after the
    // first take 99 round trips one after the other.
    let mut bucket = Bucket::new(numbered(100_000, "k/"));
    let mut req = request("k/", true);
    req.max_keys = 1000;
    req.continuation_token = Some("token:k/00000999".into());
    let mut plan = Plan::new(&req, 8);
    let mut flying: Vec<(f64, RangeId, PageRequest)> = Vec::new();
    let mut latency = pseudo_random(100_000, 5)
        .map(|x| 0.5 + f64::from(u32::try_from(x % 1000).unwrap()) / 1000.0);
    let (mut now, mut requests, mut keys) = (0.0, 0, 0);
    loop {
        for (id, r) in plan.requests() {
            requests += 1;
            flying.push((now + latency.next().unwrap(), id, r));
        }
        flying.sort_by(|a, b| b.0.total_cmp(&a.0));
        let Some((t, id, r)) = flying.pop() else {
            break;
        };
        if plan.finished() {
            break;
        }
        now = t;
        plan.landed(id, bucket.list(&r));
        keys += plan
            .take_ready()
            .iter()
            .map(|p| p.objects.len())
            .sum::<usize>();
    }
    eprintln!("{now:.1} round trips, {requests} requests");
    assert_eq!(keys, 99_000);
    assert!(now < 99.0 / 5.0, "{now:.1} round trips");
    assert!(requests <= 99 + 99 / 4, "{requests} requests");
}

#[test]
fn cuts_given_up_front_start_ranges_of_their_own() {
    // Folders of very different sizes, and keys between them: cut at each folder.
    let mut keys = Vec::new();
    for f in 0..12 {
        let size = if f % 5 == 0 { 1_500 } else { 40 };
        keys.extend((0..size).map(|i| format!("p{f:02}/{i:06}")));
        keys.push(format!("p{f:02}-loose"));
    }
    let req = request("", false);
    let mut bucket = Bucket::new(keys);
    let serial = bucket.serial(&req);
    let cuts: Vec<String> = (1..12).map(|f| format!("p{f:02}")).collect();
    let mut plan = Plan::new(&req, 4).with_cuts(cuts.clone());
    assert_eq!(plan.ranges(), 12);
    let first: Vec<PageRequest> = plan.requests().into_iter().map(|(_, r)| r).collect();
    assert_eq!(first.len(), 4, "the first four ranges at once");
    assert_eq!(first[0].start_after, None);
    assert_eq!(first[1].start_after.as_deref(), Some("p01/"));
    // Run to the end: the same listing as one chain.
    let run = run_plan(&mut bucket, Plan::new(&req, 4).with_cuts(cuts), 4);
    assert!(run.entries == serial);
    // Cuts before where the listing starts are left out.
    let mut from = request("", false);
    from.start_after = Some("p05/".into());
    let plan = Plan::new(&from, 4).with_cuts(["p02".to_string(), "p05".into(), "p07".into()]);
    assert_eq!(plan.ranges(), 2);
}

#[test]
fn cuts_end_in_a_slash() {
    assert_eq!(safe_cut("k/0001"), "k/0001/");
    assert_eq!(safe_cut("p01/"), "p01/");
    assert!(safe_cut("k/0001").as_str() > "k/0001", "never earlier");
    assert!(safe_cut("k/0001").as_str() < "k/00010", "hardly later");
}

#[test]
fn a_server_that_answers_more_after_a_cut_is_trimmed_to_it() {
    // A range that starts after `b/` is sent `a-x` and `b/` as well: it keeps only what follows.
    let mut plan = Plan::new(&request("", false), 2).with_cuts(["b/".to_string()]);
    let ids: Vec<RangeId> = plan.requests().into_iter().map(|(id, _)| id).collect();
    let page = |keys: &[&str]| ListPage {
        prefixes: vec![],
        objects: keys.iter().map(|k| object(k)).collect(),
        next_token: None,
    };
    plan.landed(ids[1], page(&["a-x", "b/", "b/1", "c"]));
    plan.landed(ids[0], page(&["a", "a-x", "b/"]));
    let keys: Vec<String> = plan.take_ready().iter().flat_map(entries).collect();
    assert_eq!(keys, ["a", "a-x", "b/", "b/1", "c"]);
}

#[test]
fn a_whole_level_lists_each_folder_on_its_own_and_cuts_a_big_one() {
    // Loose keys between folders of very different sizes.
    let mut keys = vec!["a-loose".to_string(), "z-loose".to_string()];
    for f in 0..20 {
        let size = if f == 3 { 20_000 } else { 150 };
        keys.extend((0..size).map(|i| format!("p{f:02}/{i:06}")));
        keys.push(format!("p{f:02}-loose"));
    }
    let mut bucket = Bucket::new(keys);
    let mut level_request = request("", true);
    level_request.max_keys = 1000;
    let level = bucket.list(&level_request);
    assert_eq!(
        (level.prefixes.len(), level.next_token.is_none()),
        (20, true)
    );
    let mut req = request("", false);
    req.max_keys = 1000;
    let serial = bucket.serial(&req);
    let plan = Plan::new(&req, 8).with_level(level);
    // `a-loose p00-loose`, `p00/`, `p01-loose`, `p01/`, … `p19/`, `z-loose`
    assert_eq!(plan.ranges(), 21 + 20, "keys between folders, folders");
    let run = run_plan(&mut bucket, plan, 8);
    assert!(
        run.entries == serial,
        "{} entries against {}",
        run.entries.len(),
        serial.len()
    );
    assert!(
        run.prefixes_asked.contains("p07/") && !run.prefixes_asked.contains(""),
        "folders on their own"
    );
    // Small folders take one request each; the big one (20 pages) a few more.
    assert!(run.requests <= 19 + 20 + 12, "{} requests", run.requests);
}

#[test]
fn a_level_with_more_pages_or_a_resumed_listing_is_cut_at_its_folders() {
    let level = ListPage {
        prefixes: vec!["a/".into(), "b/".into()],
        objects: vec![],
        next_token: Some("more".into()),
    };
    let plan = Plan::new(&request("", false), 4).with_level(level.clone());
    assert_eq!(plan.ranges(), 3, "cut at a/ and b/");
    let mut from = request("", false);
    from.start_after = Some("0".into());
    let level = ListPage {
        next_token: None,
        ..level
    };
    let plan = Plan::new(&from, 4).with_level(level);
    assert_eq!(plan.ranges(), 3);
}

/// Each place's bytes, as text, from `places` onwards.
fn places(scale: &Scale) -> Vec<String> {
    let digits = scale.digits().unwrap();
    digits
        .places
        .iter()
        .map(|p| String::from_utf8(p.clone()).unwrap())
        .collect()
}

#[test]
fn each_place_holds_the_bytes_seen_there() {
    // The shared start shrinks from `abc1` to `ab`: `c` and `1` were seen at places 2 and 3.
    let scale = scale_of(["abc1", "abd2"]);
    let seen = |place: usize| -> String {
        (0u8..128)
            .filter(|&b| scale.seen[place] & (1 << b) != 0)
            .map(char::from)
            .collect()
    };
    assert_eq!([seen(0), seen(1), seen(2), seen(3)], ["a", "b", "cd", "12"]);

    // A place that held one byte keeps it; one that varies takes the next varying place's
    // bytes as well; the slack before the shared end takes them too.
    let scale = scale_of([
        "logs/item-0041.json",
        "logs/item-0067.json",
        "logs/item-0142.json",
    ]);
    // "logs/it" before the digits; the slack "em-0" and the places that vary (0/1, 4/6,
    // 1/2/7) take the bytes of the varying places after them; `.json` keeps its bytes.
    assert_eq!(
        places(&scale),
        [
            "012467e", "012467m", "-012467", "012467", "012467", "12467", "127", ".", "j", "s",
            "o", "n"
        ]
    );
    // A place just past the shared part that held one byte (a shorter key ended there)
    // keeps it, though a place after it varies.
    let scale = scale_of(["abcdef", "abcdefg1", "abcdefg2"]);
    assert_eq!(places(&scale)[4..], ["g", "12"]);
}

#[test]
fn long_keys_are_learned_well_past_where_they_differ() {
    let scale = scale_of([
        format!("a{}", "x".repeat(39)),
        format!("b{}", "y".repeat(39)),
    ]);
    assert!(scale.seen[30] & (1 << b'x') != 0 && scale.seen[30] & (1 << b'y') != 0);
}

#[test]
fn a_byte_not_seen_keeps_the_order_of_what_follows_it() {
    let scale = scale_of(["x4a", "x4z", "x6a", "x6z"]);
    let digits = scale.digits().unwrap();
    // `5` was never seen at its place: `x5a` sits between `x4z` and `x6a`.
    let order = ["x4a", "x4z", "x5a", "x5z", "x6a"].map(|k| digits.number(k));
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    assert!(order[1] < order[4]);
}

/// A scale that has learned `keys`, in order.
fn scale_of<K: AsRef<str>>(keys: impl IntoIterator<Item = K>) -> Scale {
    let mut scale = Scale::default();
    for key in keys {
        scale.learn(key.as_ref());
    }
    scale
}

/// A page of `n` numbered keys from `from` (S3 says more follow).
fn full_page(from: usize, n: usize) -> ListPage {
    ListPage {
        prefixes: vec![],
        objects: (from..from + n)
            .map(|i| object(&format!("k/{i:08}")))
            .collect(),
        next_token: Some(format!("token:k/{:08}", from + n - 1)),
    }
}

/// A plan over `k/` whose first page (100 keys) has landed: it knows the keys' density.
fn plan_after_first_page(chains: usize) -> Plan {
    let mut plan = Plan::new(&request("k/", false), chains);
    let (id, _) = plan.requests().pop().unwrap();
    plan.landed(id, full_page(0, 100));
    assert_eq!(plan.take_ready().len(), 1);
    plan
}

#[test]
fn the_end_is_cut_into_as_many_ranges_as_chains() {
    for chains in [2, 4, 8] {
        let mut plan = plan_after_first_page(chains);
        let requests = plan.requests();
        assert_eq!(plan.ranges(), chains, "one range a chain");
        assert_eq!(requests.len(), chains);
        let starts: Vec<&str> = plan
            .ranges
            .iter()
            .filter_map(|r| r.after.as_deref())
            .collect();
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
        assert!(
            plan.ranges.last().unwrap().until.is_none(),
            "the last lists to the end"
        );
    }
}

#[test]
fn a_folders_cuts_stay_in_the_folder_and_go_up() {
    let mut plan = Plan::new(&request("", false), 4);
    let mut folder = Range::new(7, None, None);
    folder.prefix = Some("k/".into());
    plan.ranges = vec![folder];
    let (id, r) = plan.requests().pop().unwrap();
    assert_eq!(r.prefix, "k/");
    plan.landed(id, full_page(0, 100));
    plan.requests();
    assert!(plan.ranges.len() > 1);
    let cuts: Vec<&str> = plan
        .ranges
        .iter()
        .filter_map(|r| r.after.as_deref())
        .collect();
    assert!(cuts.iter().all(|c| c.starts_with("k/")), "{cuts:?}");
    assert!(cuts.windows(2).all(|w| w[0] < w[1]), "{cuts:?}");
    assert!(
        plan.ranges
            .iter()
            .all(|r| r.prefix.as_deref() == Some("k/"))
    );
}

#[test]
fn a_last_range_that_has_not_answered_is_cut_only_after_a_dense_one() {
    for before_dense in [true, false] {
        let mut plan = plan_after_first_page(4);
        // The first range is done (dense or not); a last range after it has not answered.
        let mut head = plan.ranges.remove(0);
        head.until = Some("k/00000500/".into());
        head.done = true;
        head.dense = before_dense;
        let tail = Range::new(50, Some(Cursor::After("k/00000500/".into())), None);
        plan.ranges = vec![head, tail];
        plan.requests();
        let cut = plan.ranges.len() > 2;
        assert_eq!(cut, before_dense, "cut after a dense range only");
    }
}

#[test]
fn pages_held_ahead_stop_new_ranges_at_the_budget() {
    for (held, cuts) in [(2 * PAGES_AHEAD - 1, true), (2 * PAGES_AHEAD, false)] {
        let mut plan = plan_after_first_page(2);
        // A finished range ahead holds pages the head has not handed on.
        let mut ahead = Range::new(60, Some(Cursor::After("z".into())), None);
        ahead.done = true;
        ahead.pages = (0..held).map(|_| ListPage::default()).collect();
        plan.ranges.push(ahead);
        let before = plan.ranges();
        plan.requests();
        assert_eq!(plan.ranges() > before, cuts, "{held} pages held");
    }
}

#[test]
fn a_range_ahead_holding_its_budget_asks_for_no_more() {
    for (held, asks) in [(PAGES_AHEAD - 1, true), (PAGES_AHEAD, false)] {
        let mut plan = Plan::new(&request("", false), 4);
        plan.ranges[0].in_flight = true;
        let mut ahead = Range::new(9, Some(Cursor::After("m".into())), None);
        ahead.pages = (0..held).map(|_| ListPage::default()).collect();
        plan.ranges.push(ahead);
        let asked = plan.requests().iter().any(|(id, _)| *id == 9);
        assert_eq!(asked, asks, "{held} pages held");
    }
    // The range being handed on has no budget: its pages go out as they come.
    let mut plan = Plan::new(&request("", false), 4);
    plan.ranges[0].pages = (0..PAGES_AHEAD).map(|_| ListPage::default()).collect();
    assert_eq!(plan.requests().len(), 1, "the head asks on");
}

#[test]
fn the_density_is_measured_on_the_latest_pages() {
    let mut plan = Plan::new(&request("k/", false), 1);
    for page in 0..(SAMPLES + 3) {
        let (id, _) = plan.requests().pop().unwrap();
        plan.landed(id, full_page(page * 100, 100));
        plan.take_ready();
    }
    assert_eq!(plan.samples.len(), SAMPLES, "the latest pages only");
    let (first, last, n) = plan.samples.back().unwrap();
    assert_eq!(
        (first.as_str(), last.as_str(), *n),
        ("k/00003400", "k/00003499", 99)
    );
}

#[test]
fn a_page_of_folders_only_is_taken_in() {
    // More folders than keys on a page (a `/` listing of a level of folders).
    let keys: Vec<String> = (0..500).map(|i| format!("f{i:04}/x")).collect();
    let mut req = request("", true);
    req.max_keys = 100;
    let run = check(keys, &req, 4);
    assert_eq!(run.entries.len(), 500);
}

#[test]
fn cuts_go_up_one_step_at_a_time_inside_their_folder() {
    let scale = scale_of(["x1", "x12", "x13", "y5"]);
    let digits = scale.digits().unwrap();
    // One step from `x`: `x` again (its next digit is the end), so no cut; then `x1`, `x12`...
    let cuts = cuts_after(&digits, "x", 1, 4, "");
    assert_eq!(cuts, ["x/", "x1/", "x12/"], "each after the one before");
    // Inside folder `x1`: steps that reach `y` are left out.
    let far = digits.number("y") - digits.number("x13");
    let cuts = cuts_after(&digits, "x13", far, 3, "x1");
    assert!(cuts.is_empty(), "{cuts:?}");
    let cuts = cuts_after(&digits, "x13", far, 3, "");
    assert!(!cuts.is_empty() && cuts[0].starts_with('y'), "{cuts:?}");
}

/// A plan over `keys` (100 a page) cut at `cuts`, with every request it makes at once sent.
fn cut_plan(
    keys: &[String],
    cuts: &[&str],
    chains: usize,
) -> (Bucket, Plan, Vec<(RangeId, PageRequest)>) {
    let bucket = Bucket::new(keys.to_vec());
    let mut plan =
        Plan::new(&request("k/", false), chains).with_cuts(cuts.iter().map(|c| (*c).to_string()));
    let sent = plan.requests();
    (bucket, plan, sent)
}

#[test]
fn an_answer_to_the_end_lists_the_ranges_after_it_without_waiting_for_them() {
    // 81 keys fit one page: the first range's answer holds every range's keys.
    let keys = numbered(81, "k/");
    let (mut bucket, mut plan, sent) =
        cut_plan(&keys, &["k/00000020", "k/00000040", "k/00000060"], 4);
    assert_eq!(sent.len(), 4);
    let (first, first_req) = &sent[0];
    plan.landed(*first, bucket.list(first_req));
    let handed: Vec<String> = plan.take_ready().iter().flat_map(entries).collect();
    assert!(handed == keys, "{} keys handed on", handed.len());
    assert!(plan.finished(), "nothing left to wait for");
    // The answers that come later change nothing, and their failures do not count.
    for (id, req) in &sent[1..] {
        assert!(!plan.failed(*id), "range {id} is no longer waited for");
        plan.landed(*id, bucket.list(req));
        assert!(plan.take_ready().is_empty());
    }
}

#[test]
fn an_answer_to_the_end_gives_each_range_after_it_its_own_part() {
    // The middle range answers to the end first: the last range takes the keys after its
    // cut, the middle one those up to it; the first range, still waited for, keeps its own.
    let keys = numbered(81, "k/");
    let (mut bucket, mut plan, sent) = cut_plan(&keys, &["k/00000020", "k/00000040"], 3);
    let (middle, middle_req) = &sent[1];
    plan.landed(*middle, bucket.list(middle_req));
    assert!(
        plan.take_ready().is_empty(),
        "the first range holds them up"
    );
    assert!(!plan.finished());
    assert!(
        plan.failed(sent[0].0),
        "the first range is still waited for"
    );
    assert!(!plan.failed(sent[2].0), "the last range is listed already");
    let held: Vec<Vec<String>> = plan
        .ranges
        .iter()
        .map(|r| r.pages.iter().flat_map(entries).collect())
        .collect();
    assert_eq!(held[1], keys[21..41]);
    assert_eq!(held[2], keys[41..]);
    assert!(plan.ranges[2].done && !plan.ranges[2].in_flight);
}

#[test]
fn an_answer_to_the_end_of_a_folder_lists_no_other_folder() {
    // Folder a/ is in two ranges, b/ and c/ in one each; two requests at once.
    let mut plan = Plan::new(&request("", false), 2).with_cuts(["a/00000020".to_string()]);
    for r in &mut plan.ranges {
        r.prefix = Some("a/".into());
    }
    for (id, folder) in [(7, "b/"), (8, "c/")] {
        plan.ranges.push(Range {
            prefix: Some(folder.into()),
            ..Range::new(id, None, None)
        });
    }
    let mut keys = numbered(30, "a/");
    keys.extend(numbered(5, "b/"));
    keys.extend(numbered(5, "c/"));
    let mut bucket = Bucket::new(keys);
    let sent = plan.requests();
    assert_eq!(sent.len(), 2, "a/ in two ranges");
    plan.landed(sent[0].0, bucket.list(&sent[0].1));
    assert_eq!(plan.take_ready().iter().flat_map(entries).count(), 30);
    // The second range's request is still on its way: it counts against the two at once.
    let next = plan.requests();
    assert_eq!(
        next.len(),
        1,
        "one request at a time while the other is on its way"
    );
    assert_eq!(next[0].1.prefix, "b/");
    plan.landed(sent[1].0, bucket.list(&sent[1].1));
    let next = plan.requests();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].1.prefix, "c/");
}

#[test]
fn a_range_near_its_last_key_asks_for_about_what_is_left() {
    let mut req = request("k/", false);
    req.max_keys = 1000;
    let mut plan = Plan::new(&req, 2).with_cuts(["k/00002100".to_string()]);
    let sent = plan.requests();
    assert!(
        sent.iter().all(|(_, r)| r.max_keys == 1000),
        "nothing known yet"
    );
    plan.landed(sent[0].0, full_page(0, 1000));
    plan.landed(sent[1].0, full_page(2101, 1000));
    let first = plan.ranges[0].id;
    let ask_of = |sent: &[(RangeId, PageRequest)]| {
        sent.iter()
            .find(|(id, _)| *id == first)
            .map(|(_, r)| r.max_keys)
            .unwrap()
    };
    // 1,100 keys left before its last key: a whole page.
    assert_eq!(ask_of(&plan.requests()), 1000);
    plan.landed(first, full_page(1000, 1000));
    // 101 left (k/00002000 to k/00002100): fewer than a page, and at least those.
    let ask = ask_of(&plan.requests());
    assert!((101..1000).contains(&ask), "asked for {ask}");
    // Keys turn out denser there than the samples said: the short answer is full and more
    // follow before the last key. From then on it asks for whole pages.
    let dense = ListPage {
        prefixes: vec![],
        objects: (0..ask)
            .map(|i| object(&format!("k/00001999-{i:05}")))
            .collect(),
        next_token: Some(format!("token:k/00001999-{:05}", ask - 1)),
    };
    plan.landed(first, dense);
    assert_eq!(ask_of(&plan.requests()), 1000);
}

#[test]
fn keys_far_apart_on_the_scale_are_that_many_steps_apart() {
    // 200 random hex keys: far fewer than the numbers of their places, so many steps apart.
    let mut keys: Vec<String> = pseudo_random(200, 11)
        .map(|x| format!("{x:016x}"))
        .collect();
    keys.sort();
    let scale = scale_of(&keys);
    let digits = scale.digits().unwrap();
    let (first, last) = (keys[0].clone(), keys[199].clone());
    let span = digits.number(&last) - digits.number(&first);
    let samples = VecDeque::from([(first, last, 199)]);
    let steps = steps_an_entry(&digits, &samples);
    assert_eq!(steps, span / 199);
    assert!(steps > 1_000, "{steps} steps a key");
    assert_eq!(
        steps_an_entry(&digits, &VecDeque::new()),
        0,
        "nothing sampled"
    );
}

#[test]
fn keys_seen_one_a_page_tell_no_density_and_whole_pages_are_asked() {
    // Its first answer holds one key (no spread to measure): the range asks on for a whole
    // page, though it knows keys and its last key.
    let mut req = request("k/", false);
    req.max_keys = 1000;
    let mut plan =
        Plan::new(&req, 2).with_cuts(["k/00000010".to_string(), "k/00000020".to_string()]);
    let sent = plan.requests();
    let mut one = full_page(5, 1);
    one.next_token = Some("token:k/00000005".into());
    plan.landed(sent[0].0, one);
    let next = plan.requests();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].1.max_keys, 1000);
}

#[test]
fn only_a_range_still_listing_that_found_keys_dense_is_cut_in_two() {
    // Keys k/0000 to k/9999: four places of ten digits after `k/`.
    let digits = Digits {
        shared: b"k/",
        places: vec![b"0123456789".to_vec(); 4],
    };
    let range = |id, from: &str, until: &str, done, dense| {
        let mut r = Range::new(id, Some(Cursor::After(from.into())), Some(until.into()));
        r.done = done;
        r.dense = dense;
        r
    };
    // The widest range is done, the next widest has not found its keys dense (a guess that
    // may be empty space): the narrowest, dense and still listing, is the one cut.
    let mut ranges = vec![
        range(1, "k/0000", "k/5000", true, true),
        range(2, "k/5000", "k/8000", false, false),
        range(3, "k/8000", "k/9999", false, true),
    ];
    let mut next_id = 4;
    assert!(cut_longest(&mut ranges, &mut next_id, &digits, 10));
    let ids: Vec<u64> = ranges.iter().map(|r| r.id).collect();
    assert_eq!(ids, [1, 2, 3, 4]);
    let cut = ranges[2].until.clone().unwrap();
    assert!(cut.as_str() > "k/8000" && cut.as_str() < "k/9999", "{cut}");
    assert_eq!(ranges[3].after.as_deref(), Some(cut.as_str()));
    assert_eq!(ranges[3].until.as_deref(), Some("k/9999"));
    assert_eq!(next_id, 5);
    // Nothing dense and still listing: nothing is cut.
    let mut ranges = vec![
        range(1, "k/0000", "k/5000", true, true),
        range(2, "k/5000", "k/9999", false, false),
    ];
    assert!(!cut_longest(&mut ranges, &mut next_id, &digits, 10));
    assert_eq!(ranges.len(), 2);
}
