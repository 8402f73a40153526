//! The object actions on their own: views, downloads, presigned URLs, driven through `update`.
