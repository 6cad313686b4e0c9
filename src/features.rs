//! Which device kinds the running kernel supports. (being written)
