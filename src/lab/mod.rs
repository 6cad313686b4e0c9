//! The lab scenarios. (to be written)
