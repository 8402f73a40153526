//! Sharing the live session with the user's other tools (`S`): an endpoint on 127.0.0.1 that
//! hands the credentials in use to any AWS SDK or the AWS CLI that has its token, refreshed
//! when sts3 refreshes and following a switch of mode, profile, region or bucket. A shell
//! becomes a client by sourcing one file (the line shown and copied); `!` runs such a shell
//! here and comes back when it exits. The session pane counts what was handed out and refused,
//! the history (`L`) lists it, and quitting while sharing asks first.

use super::ctx::{Ctx, Step};
use super::{App, Effect, Level, Msg};
use crate::keymap::{Action, Key, KeyPress};
use chrono::{DateTime, Utc};

/// Where the shared session is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// `http://127.0.0.1:PORT/credentials`.
    pub(crate) url: String,
    /// The script a shell sources to become a client (`. FILE`).
    pub(crate) env_file: String,
}

impl Endpoint {
    /// The line a user pastes in another shell.
    pub(crate) fn source_line(&self) -> String {
        format!(". {}", self.env_file)
    }
}

/// What the endpoint did since it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sharing {
    pub(crate) endpoint: Endpoint,
    pub(crate) since: DateTime<Utc>,
    /// Sets handed out.
    pub(crate) served: u64,
    /// Requests refused (no token, a wrong one).
    pub(crate) refused: u64,
    /// When a set was last handed out.
    pub(crate) last: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum State {
    #[default]
    Off,
    Starting,
    On(Sharing),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Share {
    pub(crate) state: State,
    /// The popup with the line to paste is open.
    pub(crate) popup: bool,
    /// A shell waits for the endpoint to start (`!` before `S`).
    shell_when_started: bool,
}

impl Share {
    pub(crate) fn sharing(&self) -> Option<&Sharing> {
        match &self.state {
            State::On(sharing) => Some(sharing),
            State::Off | State::Starting => None,
        }
    }

    /// Whether the endpoint is up or on its way.
    pub(crate) fn is_on(&self) -> bool {
        self.state != State::Off
    }

    /// `S`: starts sharing, or shows the line again when sharing.
    pub(crate) fn share(&mut self, ctx: &Ctx<'_>) -> Step {
        match self.state {
            State::Off => self.start(ctx),
            State::Starting => Step::say("starting to share the session…", Level::Info),
            State::On(_) => {
                self.popup = true;
                Step::default()
            }
        }
    }

    /// `!`: a shell with the shared session (sharing starts first when it is off).
    pub(crate) fn shell(&mut self, ctx: &Ctx<'_>) -> Step {
        match self.state {
            State::On(_) => Step::effects(vec![Effect::RunShell]),
            State::Starting => {
                self.shell_when_started = true;
                Step::default()
            }
            State::Off => {
                self.shell_when_started = true;
                self.start(ctx)
            }
        }
    }

    fn start(&mut self, ctx: &Ctx<'_>) -> Step {
        self.state = State::Starting;
        Step::effects(vec![Effect::StartSharing {
            region: ctx.region.clone(),
            endpoint_url: ctx.endpoint_url.clone(),
            key: ctx.share_key.clone(),
        }])
    }

    /// New credentials are in use: what they are is said to the registry, so `sts3
    /// credentials` asks this process only for the session it shares.
    pub(crate) fn credentials_arrived(&mut self, ctx: &Ctx<'_>) -> Step {
        match self.state {
            State::On(_) => Step::effects(vec![Effect::ShareTarget {
                key: ctx.share_key.clone(),
            }]),
            State::Off | State::Starting => Step::default(),
        }
    }

    /// The endpoint's messages: each answered by its transition.
    pub(crate) fn on_msg(&mut self, msg: Msg, now: DateTime<Utc>) -> Step {
        match msg {
            Msg::SharingStarted { result } => self.on_started(result, now),
            Msg::CredentialsServed => self.on_answered(true, now),
            Msg::ServeRefused => self.on_answered(false, now),
            _ => Step::default(),
        }
    }

    /// The endpoint started (the line shown and copied, a waiting shell run), or why not.
    pub(crate) fn on_started(
        &mut self,
        result: Result<Endpoint, String>,
        now: DateTime<Utc>,
    ) -> Step {
        if self.state != State::Starting {
            return Step::effects(vec![Effect::StopSharing]); // stopped meanwhile
        }
        let shell = std::mem::take(&mut self.shell_when_started);
        let endpoint = match result {
            Ok(endpoint) => endpoint,
            Err(why) => return self.failed_to_start(&why),
        };
        let mut effects = vec![Effect::CopyToClipboard {
            text: endpoint.source_line(),
        }];
        if shell {
            effects.push(Effect::RunShell);
        }
        self.popup = !shell;
        let text = format!("sharing the session on {}", endpoint.url);
        self.state = State::On(Sharing {
            endpoint,
            since: now,
            served: 0,
            refused: 0,
            last: None,
        });
        Step {
            effects,
            history: Some((text, Level::Info)),
            ..Step::default()
        }
    }

    fn failed_to_start(&mut self, why: &str) -> Step {
        self.state = State::Off;
        Step::say(format!("cannot share the session: {why}"), Level::Error)
    }

    /// The endpoint answered a request: counted, and listed in the history.
    pub(crate) fn on_answered(&mut self, served: bool, now: DateTime<Utc>) -> Step {
        let State::On(sharing) = &mut self.state else {
            return Step::default();
        };
        let (text, level) = if served {
            sharing.served += 1;
            sharing.last = Some(now);
            ("handed the session to a tool".to_string(), Level::Info)
        } else {
            sharing.refused += 1;
            (
                "refused a request for the shared session: no token or a wrong one".to_string(),
                Level::Warn,
            )
        };
        Step {
            history: Some((text, level)),
            ..Step::default()
        }
    }

    /// Stops sharing: the endpoint goes, and its token with it.
    pub(crate) fn stop(&mut self) -> Step {
        let was = std::mem::take(&mut self.state);
        self.popup = false;
        self.shell_when_started = false;
        if let State::On(sharing) = was {
            let text = format!(
                "stopped sharing the session ({} handed out, {} refused)",
                sharing.served, sharing.refused
            );
            return Step {
                effects: vec![Effect::StopSharing],
                history: Some((text.clone(), Level::Info)),
                notice: Some((text, Level::Info, None)),
                ..Step::default()
            };
        }
        Step::effects(vec![Effect::StopSharing])
    }

    /// Keys while the popup is open: `x` stops sharing, `!` runs a shell, `y` copies the line
    /// again, Esc or `S` closes it.
    pub(crate) fn on_popup_key(
        &mut self,
        press: KeyPress,
        action: Option<Action>,
        ctx: &Ctx<'_>,
    ) -> Step {
        match action {
            Some(Action::Cancel) => self.stop(),
            Some(Action::Shell) => {
                self.popup = false;
                self.shell(ctx)
            }
            Some(Action::CopyUri) => match self.sharing() {
                Some(s) => Step::effects(vec![Effect::CopyToClipboard {
                    text: s.endpoint.source_line(),
                }]),
                None => Step::default(),
            },
            Some(Action::Share) => {
                self.popup = false;
                Step::default()
            }
            _ if press.key == Key::Esc => {
                self.popup = false;
                Step::default()
            }
            _ => Step::default(),
        }
    }
}

impl App {
    /// The shell run with the shared session ended (or never started): said.
    pub(crate) fn on_shell_ended(
        &mut self,
        result: Result<String, String>,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let (text, level) = match result {
            Ok(how) => (format!("back from the shell ({how})"), Level::Info),
            Err(why) => (format!("no shell: {why}"), Level::Error),
        };
        self.notify(text, level, now);
        Vec::new()
    }
}

#[cfg(test)]
mod tests;
