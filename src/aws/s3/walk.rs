//! A listing to its end over several chains of requests at once ([`crate::bucket::split`]
//! decides the ranges; this sends the requests and hands the pages on in key order).

use crate::bucket::split::Plan;
use crate::bucket::{ListPage, PageRequest};
use crate::failure::AwsFailure;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use std::future::Future;

/// How a walk ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walked {
    /// Every page was handed on.
    ToTheEnd,
    /// The receiver wanted no more.
    Stopped,
}

/// Lists `request` from where it says to its end, `list` being one ListObjectsV2 call, with at
/// most `chains` calls at once, and hands each page on in key order. The first failure ends
/// it: the pages handed on before stay good, and the listing goes on after their last entry.
///
/// # Errors
/// The first failed call's failure.
pub async fn walk_listing<L, F>(
    request: &PageRequest,
    chains: usize,
    list: L,
    mut hand_on: impl FnMut(ListPage) -> bool,
) -> Result<Walked, AwsFailure>
where
    L: Fn(PageRequest) -> F,
    F: Future<Output = Result<ListPage, AwsFailure>>,
{
    let mut plan = Plan::new(request, chains);
    let mut flying = FuturesUnordered::new();
    loop {
        for (id, page) in plan.requests() {
            let call = list(page);
            flying.push(async move { (id, call.await) });
        }
        let Some((id, answer)) = flying.next().await else {
            // Nothing in flight and nothing to ask: the plan is done.
            return Ok(Walked::ToTheEnd);
        };
        plan.landed(id, answer?);
        for page in plan.take_ready() {
            if !hand_on(page) {
                return Ok(Walked::Stopped);
            }
        }
        if plan.finished() {
            return Ok(Walked::ToTheEnd);
        }
    }
}
