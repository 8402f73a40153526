//! What is on top: one answer for keys, the mouse, drawing and the footer's hints. The layers
//! showing are derived from the model in one place, in one order (bottom first), as yazi's
//! `Core::layer()` does; a new overlay is one variant here, not four edits in four cascades.

use super::{App, Input};

/// A picker, in the object pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PickerKind {
    Region,
    Profile,
    Bucket,
}

/// Something showing, from the panes at the bottom to the MFA prompt at the top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layer {
    /// The three panes, with the listing in the object pane.
    Listing,
    /// The versions of the folder shown (`v`), in the object pane.
    Versions,
    /// One object's detail or preview, in the object pane.
    Object,
    /// The policy lab (templates, access check, an invalid edit), in the object pane.
    Lab,
    /// A picker, in the object pane.
    Picker(PickerKind),
    /// The presigned URL's popup.
    Presigned,
    /// The shared session's popup: the line to paste in another shell.
    Shared,
    /// The session history (`L`).
    History,
    /// The keys (`?`).
    Help,
    /// The filter being typed in the status bar.
    Filter,
    /// The download's "overwrite, keep both or cancel?" in the status bar.
    Overwrite,
    /// "Quit while sharing?" in the status bar.
    ConfirmQuit,
    /// "Delete the object?" in the status bar.
    ConfirmDelete,
    /// The local path of a file to put, typed in the status bar.
    UploadPath,
    /// "The key exists: overwrite it?" in the status bar.
    ConfirmPut,
    /// A path to go to, typed in the status bar.
    GoTo,
    /// The bucket's name, typed to confirm a large deletion.
    TypeToDelete,
    /// A new folder's name, typed in the status bar.
    NewFolder,
    /// Where an object is copied or moved, typed in the status bar.
    CopyTo,
    /// "The copy's destination exists: overwrite it?" in the status bar.
    ConfirmCopy,
    /// The unfinished multipart uploads of the folder shown (`M`).
    Unfinished,
    /// "Abort the unfinished uploads?" in the status bar.
    ConfirmAbort,
    /// "Put the folder's files?" in the status bar.
    ConfirmFolderPut,
    /// "Copy the objects?" in the status bar.
    ConfirmCopyMany,
    /// "Save the objects?" in the status bar.
    ConfirmSaveMany,
    /// "Restore the version?" (or undelete the key) in the status bar.
    ConfirmRestore,
    /// "Restore the archived object at which tier?" in the status bar.
    ConfirmUnarchive,
    /// An object's SSE-C key, typed masked (or `@FILE`) in the status bar.
    CustomerKey,
    /// The MFA code's popup.
    Mfa,
}

impl Layer {
    /// Drawn in the object pane, in place of the listing (the others are drawn over the screen
    /// or in the status bar).
    pub(crate) fn in_object_pane(self) -> bool {
        matches!(
            self,
            Layer::Listing | Layer::Versions | Layer::Object | Layer::Lab | Layer::Picker(_)
        )
    }

    /// A line being typed or a question asked (the MFA code, a filter, a path, a yes or no):
    /// every key goes to it.
    pub(crate) fn is_input(self) -> bool {
        matches!(
            self,
            Layer::Mfa
                | Layer::Overwrite
                | Layer::Filter
                | Layer::ConfirmQuit
                | Layer::ConfirmDelete
                | Layer::UploadPath
                | Layer::ConfirmPut
                | Layer::GoTo
                | Layer::TypeToDelete
                | Layer::NewFolder
                | Layer::CopyTo
                | Layer::ConfirmCopy
                | Layer::ConfirmAbort
                | Layer::ConfirmFolderPut
                | Layer::ConfirmCopyMany
                | Layer::ConfirmSaveMany
                | Layer::ConfirmRestore
                | Layer::ConfirmUnarchive
                | Layer::CustomerKey
        )
    }

    /// Takes every key: nothing under it hears one, and the mouse is off.
    pub(crate) fn is_modal(self) -> bool {
        !matches!(self, Layer::Listing | Layer::Object)
    }
}

impl App {
    /// Every layer showing, bottom first: the one place that says what is over what.
    pub(crate) fn layers(&self) -> Vec<Layer> {
        let mut layers = vec![Layer::Listing];
        // The versions of the bucket shown (a picker or `:` that opened another hides them).
        let versions = self
            .versions
            .shown()
            .is_some_and(|v| v.bucket == self.listing.bucket());
        let showing = [
            (versions, Layer::Versions),
            (self.object.view.is_some(), Layer::Object),
            (self.lab.view.is_some(), Layer::Lab),
            (self.buckets.is_some(), Layer::Picker(PickerKind::Bucket)),
            (self.profiles.is_some(), Layer::Picker(PickerKind::Profile)),
            (self.regions.is_some(), Layer::Picker(PickerKind::Region)),
            (self.object.presigned.is_some(), Layer::Presigned),
            (
                self.share.popup && self.share.sharing().is_some(),
                Layer::Shared,
            ),
            (self.leftovers.shown().is_some(), Layer::Unfinished),
            (self.history.visible, Layer::History),
            (self.help_visible, Layer::Help),
        ];
        layers.extend(showing.into_iter().filter(|(on, _)| *on).map(|(_, l)| l));
        layers.extend(self.input.as_ref().map(|input| match input {
            Input::Filter { .. } => Layer::Filter,
            Input::Overwrite => Layer::Overwrite,
            Input::ConfirmQuit => Layer::ConfirmQuit,
            Input::ConfirmDelete => Layer::ConfirmDelete,
            Input::Upload { .. } => Layer::UploadPath,
            Input::ConfirmPut => Layer::ConfirmPut,
            Input::GoTo { .. } => Layer::GoTo,
            Input::TypeToDelete { .. } => Layer::TypeToDelete,
            Input::NewFolder { .. } => Layer::NewFolder,
            Input::CopyTo { .. } | Input::CopyManyTo { .. } => Layer::CopyTo,
            Input::ConfirmCopy => Layer::ConfirmCopy,
            Input::ConfirmAbort => Layer::ConfirmAbort,
            Input::ConfirmFolderPut => Layer::ConfirmFolderPut,
            Input::ConfirmCopyMany => Layer::ConfirmCopyMany,
            Input::ConfirmSaveMany => Layer::ConfirmSaveMany,
            Input::ConfirmRestore => Layer::ConfirmRestore,
            Input::ConfirmUnarchive => Layer::ConfirmUnarchive,
            Input::CustomerKey { .. } => Layer::CustomerKey,
            Input::Mfa { .. } => Layer::Mfa,
        }));
        layers
    }

    /// The layer on top: it gets the keys.
    pub(crate) fn top(&self) -> Layer {
        self.layers().last().copied().unwrap_or(Layer::Listing)
    }

    /// What the object pane shows: the highest layer drawn there.
    pub(crate) fn object_pane(&self) -> Layer {
        self.layers()
            .into_iter()
            .rev()
            .find(|l| l.in_object_pane())
            .unwrap_or(Layer::Listing)
    }

    /// The popup drawn over the whole screen, if one is showing (the highest).
    pub(crate) fn popup(&self) -> Option<Layer> {
        self.layers().into_iter().rev().find(|l| {
            matches!(
                l,
                Layer::Mfa
                    | Layer::Help
                    | Layer::History
                    | Layer::Presigned
                    | Layer::Shared
                    | Layer::Unfinished
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::running;
    use crate::credentials::Mode;

    #[test]
    fn the_listing_alone_is_on_top_at_start() {
        let (app, _) = running();
        assert_eq!(app.layers(), [Layer::Listing]);
        assert_eq!(app.top(), Layer::Listing);
        assert_eq!(app.object_pane(), Layer::Listing);
        assert_eq!(app.popup(), None);
        assert!(!app.top().is_modal());
    }

    #[test]
    fn layers_stack_in_one_order_whatever_opened_first() {
        let (mut app, _) = running();
        app.help_visible = true;
        app.history.visible = true;
        app.regions = Some(crate::app::region::RegionPicker::default());
        app.input = Some(Input::Mfa {
            mode: Mode::Federated,
            code: String::new(),
            error: None,
        });
        assert_eq!(
            app.layers(),
            [
                Layer::Listing,
                Layer::Picker(PickerKind::Region),
                Layer::History,
                Layer::Help,
                Layer::Mfa
            ]
        );
        assert_eq!(app.top(), Layer::Mfa);
        assert!(app.top().is_modal());
        assert_eq!(app.object_pane(), Layer::Picker(PickerKind::Region));
        assert_eq!(app.popup(), Some(Layer::Mfa));
        app.input = Some(Input::Filter {
            text: String::new(),
        });
        assert_eq!(app.top(), Layer::Filter);
        assert_eq!(app.popup(), Some(Layer::Help), "the filter is no popup");
        app.input = None;
        app.help_visible = false;
        assert_eq!(app.popup(), Some(Layer::History));
    }

    #[test]
    fn only_the_listing_and_an_object_s_view_let_the_mouse_in() {
        for (layer, modal) in [
            (Layer::Listing, false),
            (Layer::Object, false),
            (Layer::Lab, true),
            (Layer::Picker(PickerKind::Bucket), true),
            (Layer::Presigned, true),
            (Layer::History, true),
            (Layer::Help, true),
            (Layer::Filter, true),
            (Layer::Overwrite, true),
            (Layer::Mfa, true),
        ] {
            assert_eq!(layer.is_modal(), modal, "{layer:?}");
            assert_eq!(
                layer.in_object_pane(),
                matches!(
                    layer,
                    Layer::Listing | Layer::Object | Layer::Lab | Layer::Picker(_)
                ),
                "{layer:?}"
            );
        }
    }
}
