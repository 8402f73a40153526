//! What background tasks report to the loop: a message for the app, or something the
//! executor keeps (credentials' secrets, the shared endpoint) before it tells the app.

use crate::app::{Generation, Msg};
use crate::aws::Issued;

/// What background tasks report to the loop; [`super::executor::Executor::accept`] turns it into a message.
pub(crate) struct Event(pub(super) Report);

pub(super) enum Report {
    App(Msg),
    /// The endpoint that shares the session started, or why not.
    Shared(Result<Box<crate::serve::Shared>, String>),
    /// Credentials arrived; the secret stays in the executor until the app says to use it.
    Issued {
        generation: Generation,
        issued: Box<Issued>,
    },
}

impl Event {
    /// A message for the app as it is (from outside the executor, e.g. an SDK retry notice).
    pub(crate) fn app(msg: Msg) -> Self {
        Self(Report::App(msg))
    }
}
