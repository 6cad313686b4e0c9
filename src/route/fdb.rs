//! The bridge forwarding database (fdb). (being written)
