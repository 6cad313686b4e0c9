//! rtnetlink objects. (to be written)
