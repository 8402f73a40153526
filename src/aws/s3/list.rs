//! ListObjectsV2: one page per call.

use super::S3Browser;
use crate::aws::error::{failure_from_sdk, unreadable};
use crate::bucket::{
    Etag, ListPage, ObjectEntry, PageRequest, StorageClass, url_decode, url_decoded,
};
use crate::failure::{AwsFailure, ErrorKind};
use aws_sdk_s3::types::EncodingType;

/// What a ListObjectsV2 answer is, for messages.
const LISTING: &str = "ListObjectsV2 XML";

impl S3Browser {
    /// The token of the next page of a truncated listing; never one that would loop.
    fn next_token(&self, req: &PageRequest, token: Option<&str>) -> Result<String, AwsFailure> {
        let place = &self.place;
        match token {
            None | Some("") => Err(AwsFailure::new(
                ErrorKind::BadAnswer,
                None,
                format!(
                    "{place} said more keys follow (IsTruncated) but sent no continuation token; stopping rather than listing from the start again"
                ),
            )),
            Some(token) if req.continuation_token.as_deref() == Some(token) => {
                Err(AwsFailure::new(
                    ErrorKind::BadAnswer,
                    None,
                    format!(
                        "{place} sent back the continuation token it was given ({:?}); stopping instead of listing the same page forever",
                        crate::escape::capped(token)
                    ),
                ))
            }
            Some(token) => Ok(token.to_string()),
        }
    }

    /// Fetches exactly one page: entries in S3's order, all after what was listed before.
    pub async fn list_page(&self, req: &PageRequest) -> Result<ListPage, AwsFailure> {
        let page = self.fetch_page(req).await?;
        if let Some((entry, before)) = page.out_of_order(req.token_after.as_ref()) {
            return Err(AwsFailure::new(
                ErrorKind::BadAnswer,
                None,
                format!(
                    "{} listed {:?} after {:?}: keys went back or came again; stopping instead of listing the same keys forever",
                    self.place,
                    crate::escape::capped(entry),
                    crate::escape::capped(before)
                ),
            ));
        }
        Ok(page)
    }

    /// ListObjectsV2 as `req` asks.
    fn list_call(
        &self,
        req: &PageRequest,
    ) -> aws_sdk_s3::operation::list_objects_v2::builders::ListObjectsV2FluentBuilder {
        let mut call = self
            .client
            .list_objects_v2()
            .bucket(&req.bucket)
            .max_keys(req.max_keys)
            // Keys may hold characters XML 1.0 cannot carry (ESC, BEL...): ask for them
            // URL-encoded and decode them here, as the AWS CLI does.
            .encoding_type(EncodingType::Url)
            .set_request_payer(self.payer())
            .set_continuation_token(req.continuation_token.clone())
            .set_start_after(req.start_after.clone());
        if !req.prefix.is_empty() {
            call = call.prefix(&req.prefix);
        }
        if req.folders {
            call = call.delimiter("/");
        }
        call
    }

    async fn fetch_page(&self, req: &PageRequest) -> Result<ListPage, AwsFailure> {
        let mut out = self
            .list_call(req)
            .send()
            .await
            .map_err(|e| failure_from_sdk(&e, &self.place, LISTING))?;
        // A body that is not a ListBucketResult parses as an empty one: tell them apart.
        if out.name().is_none() && out.is_truncated().is_none() {
            return Err(unreadable(&self.place, LISTING, 200));
        }
        let prefixes = out
            .common_prefixes()
            .iter()
            .filter_map(|p| p.prefix().map(|p| url_decode(p).into_owned()))
            .collect();
        let truncated = out.is_truncated().unwrap_or(false);
        let token = out.next_continuation_token.take();
        let objects: Vec<ObjectEntry> = out
            .contents
            .take()
            .unwrap_or_default()
            .into_iter()
            .map(entry_of)
            .collect();
        if objects.len() > usize::try_from(req.max_keys).unwrap_or(usize::MAX) {
            return Err(AwsFailure::new(
                ErrorKind::BadAnswer,
                None,
                format!(
                    "{} sent {} keys for a page of at most {}; refusing a page that ignores max-keys",
                    self.place,
                    objects.len(),
                    req.max_keys
                ),
            ));
        }
        let next_token = if truncated {
            Some(self.next_token(req, token.as_deref())?)
        } else {
            None
        };
        Ok(ListPage {
            prefixes,
            objects,
            next_token,
        })
    }
}

/// A listed object as sts3 keeps it. The key is moved out of the answer, not copied (decoded
/// only when it needs it).
fn entry_of(mut o: aws_sdk_s3::types::Object) -> ObjectEntry {
    ObjectEntry::new(
        url_decoded(o.key.take().unwrap_or_default()),
        u64::try_from(o.size().unwrap_or_default()).unwrap_or(0),
        o.last_modified().and_then(crate::aws::chrono_time),
        Etag::parse(o.e_tag().unwrap_or_default()),
        o.storage_class()
            .map_or(StorageClass::Unknown, |c| StorageClass::parse(c.as_str())),
    )
}
