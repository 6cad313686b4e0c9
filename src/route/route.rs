//! Routes. (to be written)
