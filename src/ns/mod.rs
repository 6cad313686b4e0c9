//! Network namespaces. (to be written)
