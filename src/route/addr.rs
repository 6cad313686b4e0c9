//! Addresses. (to be written)
