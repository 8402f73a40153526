//! A listing to its end over several chains of requests at once ([`crate::bucket::split`]
//! decides the ranges; this sends the requests and hands the pages on in key order).

use crate::bucket::split::Plan;
use crate::bucket::{ListPage, PageRequest};
use crate::failure::AwsFailure;
use std::future::Future;
use tokio::task::JoinSet;

/// How a walk ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walked {
    /// Every page was handed on.
    ToTheEnd,
    /// The receiver wanted no more.
    Stopped,
}

/// Lists as `plan` says (a request from where it says to its end, over some chains at once),
/// `list` being one ListObjectsV2 call, and hands each page on in key order. The first failure
/// ends it: the pages handed on before stay good, and the listing goes on after their last
/// entry.
///
/// Each call is a task of its own, so the answers that come back together are read (their XML
/// parsed) on every core at once, not one after the other between the requests. The calls
/// still on their way when the walk ends are cancelled.
///
/// # Errors
/// The first failed call's failure.
pub async fn walk_listing<L, F>(
    mut plan: Plan,
    list: L,
    mut hand_on: impl FnMut(ListPage) -> bool,
) -> Result<Walked, AwsFailure>
where
    L: Fn(PageRequest) -> F,
    F: Future<Output = Result<ListPage, AwsFailure>> + Send + 'static,
{
    let mut flying = JoinSet::new();
    loop {
        for (id, page) in plan.requests() {
            let call = list(page);
            flying.spawn(async move { (id, call.await) });
        }
        let Some((id, answer)) = next(&mut flying).await else {
            // Nothing in flight and nothing to ask: the plan is done.
            return Ok(Walked::ToTheEnd);
        };
        let failed = match answer {
            Ok(page) => {
                plan.landed(id, page);
                None
            }
            // An answer no longer waited for (an earlier one listed its range) may fail.
            Err(_) if !plan.failed(id) => None,
            Err(failure) => {
                // The calls on their way settle first (they may fail alike: one recovery
                // serves them all), and what they listed before the failed range is handed on.
                while let Some((id, answer)) = next(&mut flying).await {
                    match answer {
                        Ok(page) => plan.landed(id, page),
                        Err(_) => _ = plan.failed(id),
                    }
                }
                Some(failure)
            }
        };
        for page in plan.take_ready() {
            if !hand_on(page) {
                return Ok(Walked::Stopped);
            }
        }
        if let Some(failure) = failed {
            return Err(failure);
        }
        if plan.finished() {
            return Ok(Walked::ToTheEnd);
        }
    }
}

/// The next call to finish; a call that panicked panics here, as it would have unspawned.
async fn next<T: 'static>(flying: &mut JoinSet<T>) -> Option<T> {
    match flying.join_next().await? {
        Ok(answer) => Some(answer),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bucket::{Cursor, Etag, ObjectEntry, StorageClass};
    use crate::failure::ErrorKind;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    /// Keys `k/00000000`…, listed as S3 would (StartAfter, a token that is the last key),
    /// each answer after a delay that varies, so answers land out of order; the listing from
    /// `fail_after` (exclusive) fails once.
    #[derive(Clone)]
    struct Lister {
        keys: Arc<Vec<String>>,
        fail_after: Option<String>,
        calls: Arc<Mutex<usize>>,
        /// Milliseconds the answer to the n-th call, listing after a key, takes.
        delay: fn(usize, Option<&str>) -> u64,
    }

    impl Lister {
        fn new(n: usize, fail_after: Option<&str>) -> Self {
            Self {
                keys: Arc::new((0..n).map(|i| format!("k/{i:08}")).collect()),
                fail_after: fail_after.map(str::to_string),
                calls: Arc::new(Mutex::new(0)),
                delay: |call, _| 1 + (call as u64 * 7) % 5,
            }
        }

        async fn list(self, req: PageRequest) -> Result<ListPage, AwsFailure> {
            let call = {
                let mut calls = self.calls.lock().unwrap();
                *calls += 1;
                *calls
            };
            let after = req.cursor().map(|c| match c {
                Cursor::Token { token: t, .. } | Cursor::After(t) => t,
            });
            tokio::time::sleep(Duration::from_millis((self.delay)(call, after.as_deref()))).await;
            if after.is_some() && after == self.fail_after {
                return Err(AwsFailure::new(ErrorKind::Network, None, "cut"));
            }
            let from = after.map_or(0, |a| self.keys.partition_point(|k| *k <= a));
            let page: Vec<ObjectEntry> = self.keys[from..]
                .iter()
                .take(usize::try_from(req.max_keys).unwrap())
                .map(|k| {
                    ObjectEntry::new(
                        k.as_str(),
                        1,
                        None,
                        Etag::parse("\"e\""),
                        StorageClass::Standard,
                    )
                })
                .collect();
            let more = from + page.len() < self.keys.len();
            let next_token = more.then(|| page.last().unwrap().key.to_string());
            Ok(ListPage {
                prefixes: vec![],
                objects: page,
                next_token,
            })
        }
    }

    fn request() -> PageRequest {
        PageRequest {
            bucket: "b".into(),
            prefix: "k/".into(),
            continuation_token: None,
            token_after: None,
            start_after: None,
            max_keys: 100,
            folders: false,
        }
    }

    /// Walks `lister`'s keys over 8 chains; how it ended, and the keys handed on.
    async fn walk(lister: &Lister) -> (Result<Walked, AwsFailure>, Vec<String>) {
        walk_plan(lister, Plan::new(&request(), 8)).await
    }

    /// [`walk`] as `plan` says.
    async fn walk_plan(lister: &Lister, plan: Plan) -> (Result<Walked, AwsFailure>, Vec<String>) {
        let mut keys = Vec::new();
        let walked = walk_listing(
            plan,
            |r| lister.clone().list(r),
            |page| {
                keys.extend(page.objects.iter().map(|o| o.key.to_string()));
                true
            },
        )
        .await;
        (walked, keys)
    }

    #[tokio::test(start_paused = true)]
    async fn every_key_is_handed_on_once_in_order() {
        let lister = Lister::new(5_000, None);
        let (walked, keys) = walk(&lister).await;
        assert_eq!(walked, Ok(Walked::ToTheEnd));
        assert!(keys == *lister.keys, "{} keys", keys.len());
        assert!(*lister.calls.lock().unwrap() > 50);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_comes_after_the_others_settle_with_what_came_before_handed_on() {
        // The head range fails at its third page; what came before it is handed on.
        let lister = Lister::new(5_000, Some("k/00000199"));
        let (walked, keys) = walk(&lister).await;
        assert_eq!(walked.map_err(|f| f.kind), Err(ErrorKind::Network));
        assert_eq!(keys.len(), 200);
        assert_eq!(keys.last().map(String::as_str), Some("k/00000199"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_receiver_that_wants_no_more_stops_it() {
        let lister = Lister::new(5_000, None);
        let mut pages = 0;
        let walked = walk_listing(
            Plan::new(&request(), 8),
            |r| lister.clone().list(r),
            |_| {
                pages += 1;
                pages < 3
            },
        )
        .await;
        assert_eq!(walked, Ok(Walked::Stopped));
        assert_eq!(pages, 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_no_longer_waited_for_does_not_end_it() {
        // Three ranges: the middle one lists to the end first, so the last one's request is no
        // longer waited for when it fails; the first range answers last.
        let mut lister = Lister::new(50, Some("k/00000040/"));
        lister.delay = |_, after| match after {
            None => 20,
            Some(a) if a.starts_with("k/00000040") => 8,
            Some(_) => 3,
        };
        let plan = Plan::new(&request(), 8)
            .with_cuts(["k/00000020".to_string(), "k/00000040".to_string()]);
        let (walked, keys) = walk_plan(&lister, plan).await;
        assert_eq!(walked, Ok(Walked::ToTheEnd));
        assert!(keys == *lister.keys, "{} keys", keys.len());
        assert_eq!(*lister.calls.lock().unwrap(), 3);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn answers_are_read_on_two_threads_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // Reading an answer holds its thread until another is being read at the same time (or
        // a second has passed): on one thread, never.
        let reading = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut lister = Lister::new(800, None);
        lister.delay = |_, _| 0;
        let walked = walk_listing(
            Plan::new(&request(), 8),
            |r| {
                let (lister, reading, most) = (lister.clone(), reading.clone(), most.clone());
                async move {
                    let page = lister.list(r).await;
                    let now = reading.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    let started = crate::clock::instant();
                    while most.load(Ordering::SeqCst) < 2
                        && started.elapsed() < Duration::from_secs(1)
                    {
                        std::thread::yield_now();
                    }
                    reading.fetch_sub(1, Ordering::SeqCst);
                    page
                }
            },
            |_| true,
        )
        .await;
        assert_eq!(walked, Ok(Walked::ToTheEnd));
        assert_eq!(most.load(Ordering::SeqCst), 2, "answers read one at a time");
    }
}
